/**
 * Shape-agnostic plumbing shared by the lowering rules: a record guard, a safe
 * key setter and a map over the direct subschemas of one schema node.
 *
 * Only the applicators lowering keeps are walked (properties, items, allOf,
 * ...); keywords it always drops (`$defs`, `if`/`then`/`else`,
 * `dependentSchemas`, `unevaluated*`) are not descended into, so a `$ref` under
 * them is never resolved. Values of `enum`, `const`, `default` and `example` are
 * data, never schemas, and are copied untouched.
 */

export type SchemaRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is SchemaRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property even for the key `__proto__` (property names come from specs). */
export function setOwn(target: SchemaRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** Keywords whose value is a map from names to subschemas. */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'patternProperties']);
/** Keywords whose value is an array of subschemas. */
export const SCHEMA_LIST_KEYWORDS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value is one subschema (`items` may also be a draft-04 tuple array). */
export const SCHEMA_SINGLE_KEYWORDS: ReadonlySet<string> = new Set(['additionalProperties', 'items', 'additionalItems', 'not', 'contains', 'propertyNames']);

export type ChildMapper = (child: unknown, tokens: readonly (string | number)[]) => unknown;

/** Decides, just before a property is mapped, whether it is kept at all (`inline-refs.ts`: the size budget). */
export type PropertyFilter = (name: string, schema: unknown) => boolean;

/**
 * A shallow copy of `node` with every walked subschema replaced by `map(child, pointerTokens)`; with `keepProperty`,
 * the `properties` it refuses are left out without being mapped.
 */
export function mapSubschemas(node: SchemaRecord, map: ChildMapper, keepProperty?: PropertyFilter): SchemaRecord {
  const out: SchemaRecord = {};
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (SCHEMA_MAP_KEYWORDS.has(key) && isRecord(value)) {
      const mapped: SchemaRecord = {};
      const filter = key === 'properties' ? keepProperty : undefined;
      for (const name of Object.keys(value)) if (filter === undefined || filter(name, value[name])) setOwn(mapped, name, map(value[name], [key, name]));
      setOwn(out, key, mapped);
    } else if ((SCHEMA_LIST_KEYWORDS.has(key) || key === 'items') && Array.isArray(value)) {
      setOwn(
        out,
        key,
        value.map((child, index) => map(child, [key, index])),
      );
    } else if (SCHEMA_SINGLE_KEYWORDS.has(key) && (isRecord(value) || typeof value === 'boolean')) {
      setOwn(out, key, map(value, [key]));
    } else {
      setOwn(out, key, value);
    }
  }
  return out;
}

/** True for a schema with no subschema and no `$ref`: what it costs is its own bytes, whatever the reference graph. */
export function isLeafSchema(schema: unknown): boolean {
  if (!isRecord(schema)) return true;
  for (const key of Object.keys(schema)) {
    if (key === '$ref' || SCHEMA_MAP_KEYWORDS.has(key) || SCHEMA_LIST_KEYWORDS.has(key) || SCHEMA_SINGLE_KEYWORDS.has(key)) return false;
  }
  return true;
}

/** Applies `transform` bottom-up to every schema node of an already ref-free tree. */
export function mapSchemaTree(schema: unknown, transform: (node: SchemaRecord) => unknown): unknown {
  if (!isRecord(schema)) return schema;
  return transform(mapSubschemas(schema, (child) => mapSchemaTree(child, transform)));
}

/** The non-null JSON types a node declares (`type: ['string','null']` gives `['string']`). */
export function declaredTypes(node: SchemaRecord): string[] | undefined {
  const type = node.type;
  if (typeof type === 'string') return type === 'null' ? [] : [type];
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

/** True when the node describes an object: `type: object` or object keywords without a type. */
export function isObjectSchema(node: unknown): boolean {
  if (!isRecord(node)) return false;
  const types = declaredTypes(node);
  if (types !== undefined && types.length > 0) return types.length === 1 && types[0] === 'object';
  return isRecord(node.properties) || node.additionalProperties !== undefined || isRecord(node.patternProperties);
}

/** True when the node describes an array (`type: array` or `items` without a type). */
export function isArraySchema(node: unknown): boolean {
  if (!isRecord(node)) return false;
  const types = declaredTypes(node);
  if (types !== undefined && types.length > 0) return types.length === 1 && types[0] === 'array';
  return node.items !== undefined || Array.isArray(node.prefixItems);
}
