/**
 * Keeps only the JSON Schema 2020-12 keywords an input schema needs, with
 * values Ajv's meta-schema accepts. Everything else (`x-*`, `discriminator`,
 * `xml`, `externalDocs`, `nullable` leftovers, `$id`, `if`/`then`, ...) is
 * dropped, because Ajv strict mode rejects unknown keywords and every byte of
 * an input schema costs tokens.
 *
 * - `title` becomes the description when there is none.
 * - `examples` keeps one short scalar example; object examples are dropped.
 * - `format` is kept only when ajv-formats knows it.
 * - `readOnly: true` stays as a marker for the parent (`drop-read-only.ts`);
 *   the final strict pass removes it.
 * - `type: 'file'` (Swagger 2) becomes `string`; unknown types are dropped.
 */
import type { NoteBook } from './lower-context.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';

export const KNOWN_FORMATS: ReadonlySet<string> = new Set([
  'date',
  'time',
  'date-time',
  'duration',
  'uri',
  'uri-reference',
  'uri-template',
  'url',
  'email',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'uuid',
  'json-pointer',
  'relative-json-pointer',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'binary',
]);

const JSON_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

type Check = (value: unknown) => boolean;
const isSchema: Check = (value) => isRecord(value) || typeof value === 'boolean';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isCount: Check = (value) => Number.isInteger(value) && Number(value) >= 0;
const isString: Check = (value) => typeof value === 'string';
const isSchemaList: Check = (value) => Array.isArray(value) && value.length > 0 && value.every(isSchema);
const isSchemaMap: Check = (value) => isRecord(value) && Object.values(value).every(isSchema);
const always: Check = () => true;

const KEPT: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['type', always],
  ['enum', (v) => Array.isArray(v) && v.length > 0],
  ['const', always],
  ['properties', isSchemaMap],
  ['required', (v) => Array.isArray(v)],
  ['additionalProperties', isSchema],
  ['patternProperties', isSchemaMap],
  ['propertyNames', isSchema],
  ['minProperties', isCount],
  ['maxProperties', isCount],
  ['items', isSchema],
  ['prefixItems', isSchemaList],
  ['minItems', isCount],
  ['maxItems', isCount],
  ['uniqueItems', (v) => typeof v === 'boolean'],
  ['contains', isSchema],
  ['minContains', isCount],
  ['maxContains', isCount],
  ['minLength', isCount],
  ['maxLength', isCount],
  ['pattern', isString],
  ['format', isString],
  ['minimum', isNumber],
  ['maximum', isNumber],
  ['exclusiveMinimum', isNumber],
  ['exclusiveMaximum', isNumber],
  ['multipleOf', (v) => isNumber(v) && Number(v) > 0],
  ['allOf', isSchemaList],
  ['anyOf', isSchemaList],
  ['oneOf', isSchemaList],
  ['not', isSchema],
  ['description', isString],
  ['default', always],
  ['examples', (v) => Array.isArray(v)],
  ['readOnly', (v) => v === true],
]);

const MAX_EXAMPLE_LENGTH = 80;

export function keepKnownKeywords(node: SchemaRecord, notes: NoteBook): SchemaRecord {
  const out: SchemaRecord = {};
  for (const key of Object.keys(node)) {
    const check = KEPT.get(key);
    if (check && check(node[key])) out[key] = node[key];
    else if (!check && key !== 'title') notes.addItem('dropped schema keywords', key.startsWith('x-') ? 'x-*' : key);
  }
  if (out.description === undefined && typeof node.title === 'string') out.description = node.title;
  if (out.description === '') delete out.description;
  keepOneExample(out);
  keepValidType(out);
  keepValidRequired(out);
  if (typeof out.format === 'string' && !KNOWN_FORMATS.has(out.format)) {
    notes.addItem('dropped unknown formats', out.format);
    delete out.format;
  }
  return out;
}

function keepOneExample(out: SchemaRecord): void {
  if (!Array.isArray(out.examples)) return;
  const example = out.examples.find(
    (value) => typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_EXAMPLE_LENGTH),
  );
  if (example === undefined) delete out.examples;
  else out.examples = [example];
}

function keepValidType(out: SchemaRecord): void {
  const raw = Array.isArray(out.type) ? out.type : [out.type];
  const types: string[] = [];
  for (const value of raw) {
    const type = value === 'file' ? 'string' : value;
    if (typeof type === 'string' && JSON_TYPES.has(type) && !types.includes(type)) types.push(type);
  }
  if (types.length === 0) delete out.type;
  else out.type = types.length === 1 ? types[0] : types;
}

function keepValidRequired(out: SchemaRecord): void {
  if (!Array.isArray(out.required)) return;
  const names = [...new Set(out.required.filter((name): name is string => typeof name === 'string'))];
  if (names.length === 0) delete out.required;
  else out.required = names;
}
