/**
 * Makes a finished input schema acceptable to Ajv 2020 in strict mode, which
 * rejects what plain validation would ignore:
 *
 * - a type-specific keyword (`properties`, `minLength`, `minimum`, `items`,
 *   `format`) needs its type declared: the type is inferred when the keywords
 *   imply exactly one, keywords of a type the node does not declare are dropped;
 * - union types other than `[T, "null"]` become `anyOf` of one branch per type;
 * - every `required` name must be a declared property;
 * - `prefixItems` must be a closed fixed-length tuple, otherwise it is loosened
 *   to `items: { anyOf: [...] }`;
 * - the `readOnly` marker left for `drop-read-only` is removed.
 */
import { isRecord, mapSchemaTree, type SchemaRecord } from './schema-walk.js';

const FAMILIES: Readonly<Record<string, readonly string[]>> = {
  object: ['properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties'],
  array: ['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains'],
  string: ['minLength', 'maxLength', 'pattern'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
};
const FAMILY_NAMES = Object.keys(FAMILIES);
const INTEGER_FORMATS: ReadonlySet<string> = new Set(['int32', 'int64']);
const NUMBER_FORMATS: ReadonlySet<string> = new Set(['float', 'double']);

export function enforceStrictTypes(schema: unknown): unknown {
  return mapSchemaTree(schema, strictNode);
}

function strictNode(node: SchemaRecord): SchemaRecord {
  const out: SchemaRecord = { ...node };
  delete out.readOnly;
  const types = typeList(out.type);
  const nonNull = types?.filter((type) => type !== 'null');
  if (nonNull && nonNull.length > 1) return splitUnionType(out, nonNull, types?.includes('null') ?? false);
  if (nonNull === undefined || nonNull.length === 0) inferType(out, types !== undefined);
  else keepApplicable(out, nonNull[0]);
  fixRequired(out);
  fixTuple(out);
  return out;
}

function typeList(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : undefined;
}

function familyOf(type: string): string {
  return type === 'integer' ? 'number' : type;
}

function presentFamilies(node: SchemaRecord): string[] {
  return FAMILY_NAMES.filter((family) => FAMILIES[family].some((key) => key in node));
}

/** Keeps only keywords applicable to `type` (format only for strings and numbers). */
function keepApplicable(out: SchemaRecord, type: string): void {
  for (const family of FAMILY_NAMES) {
    if (family !== familyOf(type)) for (const key of FAMILIES[family]) delete out[key];
  }
  if ('format' in out && !['string', 'number', 'integer'].includes(type)) delete out.format;
}

/** No type (or only `null`): infer one from the keywords, or drop the keywords that would need one. */
function inferType(out: SchemaRecord, onlyNull: boolean): void {
  const families = presentFamilies(out);
  const format = typeof out.format === 'string' ? out.format : undefined;
  if (onlyNull) {
    for (const family of families) for (const key of FAMILIES[family]) delete out[key];
    delete out.format;
    return;
  }
  if (families.length > 1) {
    for (const family of families) for (const key of FAMILIES[family]) delete out[key];
    delete out.format;
    return;
  }
  const family = families[0] ?? (format === undefined ? undefined : 'string');
  if (family === undefined) return;
  const isNumberFormat = format !== undefined && (INTEGER_FORMATS.has(format) || NUMBER_FORMATS.has(format));
  let type = family;
  if (isNumberFormat && (family === 'number' || families.length === 0)) type = INTEGER_FORMATS.has(format) ? 'integer' : 'number';
  out.type = type;
  keepApplicable(out, type);
}

function splitUnionType(out: SchemaRecord, types: readonly string[], nullable: boolean): SchemaRecord {
  const shared: SchemaRecord = {};
  const specific: SchemaRecord = {};
  const familyKeys = new Set(FAMILY_NAMES.flatMap((family) => FAMILIES[family]).concat('format'));
  for (const key of Object.keys(out)) {
    if (key === 'type') continue;
    if (familyKeys.has(key)) specific[key] = out[key];
    else shared[key] = out[key];
  }
  if (Array.isArray(shared.anyOf) || Array.isArray(shared.oneOf)) return shared;
  const branches: unknown[] = types.map((type) => strictNode({ ...specific, type }));
  if (nullable) branches.push({ type: 'null' });
  return { ...shared, anyOf: branches };
}

function fixRequired(out: SchemaRecord): void {
  if (!Array.isArray(out.required)) return;
  const properties = isRecord(out.properties) ? out.properties : {};
  const required = out.required.filter((name) => typeof name === 'string' && Object.prototype.hasOwnProperty.call(properties, name));
  if (required.length > 0) out.required = required;
  else delete out.required;
}

function fixTuple(out: SchemaRecord): void {
  if (!Array.isArray(out.prefixItems)) return;
  const length = out.prefixItems.length;
  if (out.minItems === length && (out.maxItems === length || out.items === false)) return;
  const variants = [...out.prefixItems];
  if (out.items !== undefined && out.items !== false) variants.push(out.items);
  delete out.prefixItems;
  out.items = variants.length === 1 ? variants[0] : { anyOf: variants };
}
