/**
 * The per-node transform for output schemas. MCP clients validate
 * `structuredContent` against the output schema and every byte costs tokens,
 * so the result is a permissive skeleton:
 *
 * - kept: `type`, `properties`, `items`, `additionalProperties` when it is a
 *   non-empty schema (a map); dropped: everything else (`required`, `enum`,
 *   `format`, descriptions, patterns, bounds);
 * - no `null` in object properties: the runtime drops null-valued properties
 *   from results (APIs send null where specs forget `nullable`), which saves
 *   a `"null"` per typed node (about a fifth of the output schema bytes of
 *   the Aries tools); array items do allow `null`, since
 *   dropping an item would shift parallel arrays (chart bars);
 * - so a property (or map value) that can only be null (`type: 'null'`,
 *   `const: null`, `enum: [null]`) is left out: its value never reaches the
 *   result, and a value the spec did not foresee is not rejected;
 * - several non-null types become `{}` (Ajv strict rejects union types);
 * - `allOf`/`oneOf`/`anyOf` are merged: objects into one object with all
 *   properties, arrays into one array, one scalar type into itself; anything
 *   else (or an unconstrained variant of a union) becomes `{}`;
 * - `writeOnly` properties are removed (the API never sends them).
 *
 * With `outputSchemaDetail: fields`, `withoutScalarTypes` then also leaves
 * scalar types out of the finished (projected) schema.
 */
import type { NodeTransform } from './inline-refs.js';
import { isRecord, mapSchemaTree, setOwn, type SchemaRecord } from './schema-walk.js';

const SCALARS: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean']);

export function createOutputTransform(writeOnly: WeakSet<object>): NodeTransform {
  return (node) => {
    const out = compactOutputNode(node, writeOnly);
    if (node.writeOnly !== true) return out;
    const marked = { ...out };
    writeOnly.add(marked);
    return marked;
  };
}

/** Compacts one node whose subschemas are already compacted. */
export function compactOutputNode(node: SchemaRecord, writeOnly: WeakSet<object> = new WeakSet()): SchemaRecord {
  const parts: SchemaRecord[] = [];
  const base = compactBase(node, writeOnly);
  if (Object.keys(base).length > 0) parts.push(base);
  if (Array.isArray(node.allOf)) {
    for (const branch of node.allOf) if (isRecord(branch) && Object.keys(branch).length > 0 && !isNullOnly(branch)) parts.push(branch);
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const variants = node[keyword];
    if (!Array.isArray(variants)) continue;
    const union = mergeUnion(variants);
    if (Object.keys(union).length === 0) continue;
    parts.push(union);
  }
  if (parts.length === 0) return {};
  const realParts = parts.filter((part) => !isNullOnly(part));
  return realParts.length === 0 ? { type: 'null' } : mergeSchemas(realParts);
}

function typesOf(node: SchemaRecord): string[] {
  const raw = Array.isArray(node.type) ? node.type : [node.type];
  const types = raw.map((type) => (type === 'file' ? 'string' : type)).filter((type): type is string => typeof type === 'string');
  return [...new Set(types)];
}

function isNullOnly(node: SchemaRecord): boolean {
  return node.type === 'null';
}

/** A raw node that admits only `null`: `type: null`, `const: null` or an enum of nulls. */
function onlyNull(node: SchemaRecord): boolean {
  const types = typesOf(node);
  if (types.length > 0 && types.every((type) => type === 'null')) return true;
  if (Object.hasOwn(node, 'const') && node.const === null) return true;
  return Array.isArray(node.enum) && node.enum.length > 0 && node.enum.every((value) => value === null);
}

function compactBase(node: SchemaRecord, writeOnly: WeakSet<object>): SchemaRecord {
  const types = typesOf(node);
  const nonNull = types.filter((type) => type !== 'null');
  if (nonNull.length > 1) return {};
  let type = nonNull[0];
  if (type === undefined && onlyNull(node) && node.properties === undefined && node.items === undefined) return { type: 'null' };
  if (type === undefined && (isRecord(node.properties) || isRecord(node.additionalProperties))) type = 'object';
  if (type === undefined && isRecord(node.items)) type = 'array';
  if (type === 'object') return objectSkeleton(node, writeOnly);
  if (type === 'array') return arraySkeleton(isRecord(node.items) ? node.items : {});
  return type !== undefined && SCALARS.has(type) ? { type } : {};
}

function objectSkeleton(node: SchemaRecord, writeOnly: WeakSet<object>): SchemaRecord {
  const out: SchemaRecord = { type: 'object' };
  if (isRecord(node.properties)) {
    const properties: SchemaRecord = {};
    for (const name of Object.keys(node.properties)) {
      const child = node.properties[name];
      if (isRecord(child) && (writeOnly.has(child) || isNullOnly(child))) continue;
      setOwn(properties, name, isRecord(child) ? child : {});
    }
    if (Object.keys(properties).length > 0) out.properties = properties;
  }
  if (isMapSchema(node.additionalProperties)) out.additionalProperties = node.additionalProperties;
  return out;
}

/** A compacted `additionalProperties` worth keeping: a constraint on map values that can be non-null. */
function isMapSchema(schema: unknown): schema is SchemaRecord {
  return isRecord(schema) && Object.keys(schema).length > 0 && !isNullOnly(schema);
}

function arraySkeleton(items: SchemaRecord): SchemaRecord {
  return Object.keys(items).length > 0 ? { type: 'array', items: allowNull(items) } : { type: 'array' };
}

/** Array items may be null: `{type: t}` -> `{type: [t, 'null']}`. */
function allowNull(schema: SchemaRecord): SchemaRecord {
  return typeof schema.type === 'string' && schema.type !== 'null' ? { ...schema, type: [schema.type, 'null'] } : schema;
}

/** `oneOf`/`anyOf`: `{}` when any variant is unconstrained, otherwise the merge of the non-null variants. */
function mergeUnion(variants: readonly unknown[]): SchemaRecord {
  const records = variants.map((variant) => (isRecord(variant) ? variant : {}));
  if (records.some((variant) => Object.keys(variant).length === 0)) return {};
  const real = records.filter((variant) => !isNullOnly(variant));
  return real.length === 0 ? { type: 'null' } : mergeSchemas(real);
}

function kindOf(schema: SchemaRecord): string {
  const nonNull = typesOf(schema).filter((type) => type !== 'null');
  return nonNull.length === 1 ? nonNull[0] : 'any';
}

/** Merges compacted schemas that must all hold (or one of which holds): same kind or `{}`. */
export function mergeSchemas(all: readonly SchemaRecord[]): SchemaRecord {
  // `null` alone adds nothing: properties drop it and array items allow it anyway.
  const schemas = all.some((schema) => !isNullOnly(schema)) ? all.filter((schema) => !isNullOnly(schema)) : all;
  const [first] = schemas;
  if (schemas.length === 1 || schemas.every((schema) => schema === first)) return first ?? {};
  const kinds = new Set(schemas.map(kindOf));
  if (kinds.has('integer') && kinds.has('number')) kinds.delete('integer');
  if (kinds.size !== 1 || kinds.has('any')) return {};
  const [kind] = kinds;
  if (kind === 'object') return mergeObjects(schemas);
  if (kind === 'array') {
    const items = schemas.map((schema) => (isRecord(schema.items) ? schema.items : {}));
    return items.some((item) => Object.keys(item).length === 0) ? arraySkeleton({}) : arraySkeleton(mergeSchemas(items));
  }
  return { type: kind };
}

function mergeObjects(schemas: readonly SchemaRecord[]): SchemaRecord {
  const collected = new Map<string, SchemaRecord[]>();
  let additional: SchemaRecord | undefined;
  for (const schema of schemas) {
    if (isRecord(schema.properties)) {
      for (const name of Object.keys(schema.properties)) {
        const child = schema.properties[name];
        collected.set(name, [...(collected.get(name) ?? []), isRecord(child) ? child : {}]);
      }
    }
    if (additional === undefined && isMapSchema(schema.additionalProperties)) additional = schema.additionalProperties;
  }
  const out: SchemaRecord = { type: 'object' };
  if (collected.size > 0) {
    const properties: SchemaRecord = {};
    for (const [name, children] of collected) {
      setOwn(properties, name, children.some((child) => Object.keys(child).length === 0) ? {} : mergeSchemas(children));
    }
    out.properties = properties;
  }
  if (additional !== undefined) out.additionalProperties = additional;
  return out;
}

/**
 * `outputSchemaDetail: fields`: keeps objects, arrays and field names, and
 * leaves scalar values unconstrained. A node that says nothing but a scalar
 * type (`{type: 'string'}`, array items `{type: ['number', 'null']}`) becomes
 * `{}`; array `items` and map `additionalProperties` left empty that way are
 * removed. The schema still checks the shape of a result (objects stay
 * objects, arrays stay arrays) and accepts every value the typed one does.
 */
export function withoutScalarTypes(schema: SchemaRecord): { schema: SchemaRecord; dropped: boolean } {
  let dropped = false;
  const out = mapSchemaTree(schema, (node) => {
    if (isScalarOnly(node)) {
      dropped = true;
      return {};
    }
    let result = node;
    for (const keyword of ['items', 'additionalProperties'] as const) {
      const child = result[keyword];
      if (isRecord(child) && Object.keys(child).length === 0) {
        const { [keyword]: _empty, ...rest } = result;
        result = rest;
      }
    }
    return result;
  });
  return { schema: isRecord(out) ? out : schema, dropped };
}

/** `{type: T}` or `{type: [T, 'null']}` with T a scalar, and no other keyword. */
function isScalarOnly(node: SchemaRecord): boolean {
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== 'type') return false;
  const types = typesOf(node).filter((type) => type !== 'null');
  return types.length === 1 && SCALARS.has(types[0]);
}
