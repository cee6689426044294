/**
 * Argument and output changes between two versions of one tool's JSON Schemas.
 * Arguments are walked recursively (`legs[].side` is property `side` of the
 * items of `legs`); each keyword family becomes its own change kind so the
 * classifier can tell a narrowed enum from a widened one. Rules for arguments:
 * - properties added (optional or required) and removed; `required` gained or lost;
 * - `type` changed, or widened (every old type still accepted; integer fits number);
 * - `enum`/`const` narrowed (a value dropped) or widened (values only added);
 * - validation keywords tightened or loosened (schema-constraints.ts);
 * - `default`, `description`, and metadata (`examples`, `title`, ...) changed;
 * - any other keyword changed (`anyOf`, `not`, ...) is a schema change.
 * For output schemas: properties added/removed, `type` changed, anything else.
 * It does not resolve `$ref`s: generated schemas are inlined.
 */
import type { JsonSchema } from '../../runtime/contract/tool-definition.js';
import { canonicalJson } from '../report/canonical-json.js';
import type { SurfaceChange } from './change.js';
import { compareConstraint, CONSTRAINT_KEYWORDS } from './schema-constraints.js';

type Emit = (change: Omit<SurfaceChange, 'tool'>) => void;

const METADATA_KEYWORDS = ['examples', 'title', 'deprecated', 'readOnly', 'writeOnly', '$comment', 'contentMediaType'];
const HANDLED_INPUT = new Set([
  'type',
  'enum',
  'const',
  'default',
  'description',
  'properties',
  'required',
  'items',
  ...CONSTRAINT_KEYWORDS,
  ...METADATA_KEYWORDS,
]);
const HANDLED_OUTPUT = new Set(['type', 'properties', 'items']);

export function diffInputSchema(tool: string, before: JsonSchema, after: JsonSchema): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  diffArgument('', before, after, (change) => changes.push({ tool, ...change }));
  return changes;
}

export function diffOutputSchema(tool: string, before: JsonSchema, after: JsonSchema): SurfaceChange[] {
  const changes: SurfaceChange[] = [];
  diffOutput('', before, after, (change) => changes.push({ tool, ...change }));
  return changes;
}

function diffArgument(path: string, before: JsonSchema, after: JsonSchema, emit: Emit): void {
  const typeChange = compareTypes(before.type, after.type);
  if (typeChange)
    emit({ kind: typeChange === 'widened' ? 'argument.type-widened' : 'argument.type-changed', subject: path, before: before.type, after: after.type });
  diffEnum(path, enumOf(before), enumOf(after), emit);
  for (const keyword of CONSTRAINT_KEYWORDS) {
    const direction = compareConstraint(keyword, before[keyword], after[keyword]);
    if (direction) emit({ kind: `argument.constraint-${direction}`, subject: path, keyword, before: before[keyword], after: after[keyword] });
  }
  if (!same(before.default, after.default)) emit({ kind: 'argument.default-changed', subject: path, before: before.default, after: after.default });
  if (!same(before.description, after.description))
    emit({ kind: 'argument.description-changed', subject: path, before: before.description, after: after.description });
  const metadata = METADATA_KEYWORDS.filter((keyword) => !same(before[keyword], after[keyword]));
  if (metadata.length > 0) emit({ kind: 'argument.metadata-changed', subject: path, keyword: metadata.join(', ') });
  for (const keyword of otherKeywords(before, after, HANDLED_INPUT))
    emit({ kind: 'argument.schema-changed', subject: path, keyword, before: before[keyword], after: after[keyword] });
  if (typeChange === 'changed') return;
  diffProperties(path, before, after, emit);
  diffItems(path, before, after, emit, diffArgument, 'argument.schema-changed');
}

function diffProperties(path: string, before: JsonSchema, after: JsonSchema, emit: Emit): void {
  const [oldProperties, newProperties] = [propertiesOf(before), propertiesOf(after)];
  const [oldRequired, newRequired] = [requiredOf(before), requiredOf(after)];
  for (const name of unionKeys(oldProperties, newProperties)) {
    const subject = joinPath(path, name);
    const [oldSchema, newSchema] = [oldProperties[name], newProperties[name]];
    if (!newSchema) {
      emit({ kind: 'argument.removed', subject, before: oldRequired.has(name) ? 'required' : 'optional' });
    } else if (!oldSchema) {
      emit({ kind: newRequired.has(name) ? 'argument.added-required' : 'argument.added', subject, after: newSchema.type });
    } else {
      if (!oldRequired.has(name) && newRequired.has(name)) emit({ kind: 'argument.now-required', subject });
      if (oldRequired.has(name) && !newRequired.has(name)) emit({ kind: 'argument.now-optional', subject });
      diffArgument(subject, oldSchema, newSchema, emit);
    }
  }
}

function diffOutput(path: string, before: JsonSchema, after: JsonSchema, emit: Emit): void {
  if (compareTypes(before.type, after.type)) emit({ kind: 'output.type-changed', subject: path, before: before.type, after: after.type });
  const others = otherKeywords(before, after, HANDLED_OUTPUT);
  if (others.length > 0) emit({ kind: 'output.schema-changed', subject: path, keyword: others.join(', ') });
  const [oldProperties, newProperties] = [propertiesOf(before), propertiesOf(after)];
  for (const name of unionKeys(oldProperties, newProperties)) {
    const subject = joinPath(path, name);
    const [oldSchema, newSchema] = [oldProperties[name], newProperties[name]];
    if (!newSchema) emit({ kind: 'output.property-removed', subject });
    else if (!oldSchema) emit({ kind: 'output.property-added', subject, after: newSchema.type });
    else diffOutput(subject, oldSchema, newSchema, emit);
  }
  diffItems(path, before, after, emit, diffOutput, 'output.schema-changed');
}

function diffItems(
  path: string,
  before: JsonSchema,
  after: JsonSchema,
  emit: Emit,
  walk: typeof diffArgument,
  otherwise: 'argument.schema-changed' | 'output.schema-changed',
): void {
  if (isSchema(before.items) && isSchema(after.items)) walk(`${path}[]`, before.items, after.items, emit);
  else if (!same(before.items, after.items)) emit({ kind: otherwise, subject: path, keyword: 'items', before: before.items, after: after.items });
}

function diffEnum(path: string, before: readonly unknown[] | undefined, after: readonly unknown[] | undefined, emit: Emit): void {
  if (same(before, after)) return;
  const { removed, added } = compareValues(before ?? [], after ?? []);
  if (before && after && removed.length === 0 && added.length === 0) return;
  // No enum means any value: adding one narrows, dropping one widens.
  const narrowed = after !== undefined && (before === undefined || removed.length > 0);
  emit({ kind: narrowed ? 'argument.enum-narrowed' : 'argument.enum-widened', subject: path, before, after });
}

/** Values of `before` missing from `after`, and the reverse. */
export function compareValues(before: readonly unknown[], after: readonly unknown[]): { removed: unknown[]; added: unknown[] } {
  return {
    removed: before.filter((value) => !after.some((other) => same(value, other))),
    added: after.filter((value) => !before.some((other) => same(value, other))),
  };
}

/** `changed` when some value of an old type is no longer accepted, `widened` when only types were added. */
export function compareTypes(before: unknown, after: unknown): 'changed' | 'widened' | undefined {
  const [oldTypes, newTypes] = [typeSet(before), typeSet(after)];
  if (same(oldTypes, newTypes)) return undefined;
  if (!newTypes) return 'widened';
  if (!oldTypes) return 'changed';
  const covered = oldTypes.every((type) => newTypes.includes(type) || (type === 'integer' && newTypes.includes('number')));
  return covered ? 'widened' : 'changed';
}

function typeSet(type: unknown): string[] | undefined {
  if (type === undefined) return undefined;
  return (Array.isArray(type) ? type.map(String) : [String(type)]).sort();
}

function enumOf(schema: JsonSchema): readonly unknown[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  return schema.const !== undefined ? [schema.const] : undefined;
}

function otherKeywords(before: JsonSchema, after: JsonSchema, handled: ReadonlySet<string>): string[] {
  return unionKeys(before, after).filter((keyword) => !handled.has(keyword) && !same(before[keyword], after[keyword]));
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  if (!isSchema(properties)) return {};
  return Object.fromEntries(Object.entries(properties).filter((entry): entry is [string, JsonSchema] => isSchema(entry[1])));
}

function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function joinPath(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
