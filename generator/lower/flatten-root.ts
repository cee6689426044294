/**
 * Gives a request body a single object root, so its properties can become the
 * tool's root arguments (the tool root may not be `oneOf`/`anyOf`/`allOf`):
 *
 * - nullability is removed (`type: [T, "null"]`, `anyOf: [X, {type: null}]`);
 * - `allOf` is merged; branches with different types are a warning;
 * - `oneOf`/`anyOf` whose variants are all objects becomes one object with all
 *   variants' properties; a property is required only if every variant
 *   requires it; the note lists the variants ("one of: A (fields a, b) | B ...");
 * - any other union is left alone: the body then is one `body` argument.
 */
import type { LowerContext } from './lower-context.js';
import { mergeAllOfForced } from './merge-all-of.js';
import { isObjectSchema, isRecord, setOwn, type SchemaRecord } from './schema-walk.js';

export function flattenRoot(schema: unknown, ctx: LowerContext, pointer: string): unknown {
  let node = stripNull(schema);
  if (!isRecord(node)) return node;
  if (Array.isArray(node.allOf)) {
    const merged = mergeAllOfForced(node);
    if (merged.conflicts.length > 0) {
      ctx.report(
        'lower.allof-conflict',
        'warning',
        pointer,
        `The allOf branches of this schema disagree (${merged.conflicts.join('; ')}); they were merged anyway.`,
        'Make every allOf branch describe the same type.',
      );
    }
    node = stripNull(merged.schema);
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    if (isRecord(node) && Array.isArray(node[keyword])) node = mergeObjectUnion(node, keyword, ctx);
  }
  return node;
}

/** Drops the `null` alternative of a root schema (a tool root is never null). */
export function stripNull(schema: unknown): unknown {
  if (!isRecord(schema)) return schema;
  let out = schema;
  if (Array.isArray(out.type) && out.type.includes('null')) {
    const types = out.type.filter((type) => type !== 'null');
    out = { ...out, type: types.length === 1 ? types[0] : types };
  }
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const variants = out[keyword];
    if (!Array.isArray(variants) || !variants.some(isNullSchema)) continue;
    const rest = variants.filter((variant) => !isNullSchema(variant));
    const { [keyword]: _removed, ...others } = out;
    const [only] = rest;
    if (rest.length === 1 && isRecord(only)) {
      const stripped = stripNull({ ...only, ...others });
      out = isRecord(stripped) ? stripped : others;
    } else {
      out = rest.length === 0 ? others : { ...others, [keyword]: rest };
    }
  }
  return out;
}

function isNullSchema(schema: unknown): boolean {
  return isRecord(schema) && schema.type === 'null';
}

function mergeObjectUnion(node: SchemaRecord, keyword: 'oneOf' | 'anyOf', ctx: LowerContext): SchemaRecord {
  const list = node[keyword];
  const variants = Array.isArray(list) ? list.map(stripNull) : [];
  const objects = variants.filter(isRecord).filter((variant) => isObjectSchema(variant) && !Array.isArray(variant.oneOf) && !Array.isArray(variant.anyOf));
  if (objects.length === 0 || objects.length !== variants.length) return node;
  const { [keyword]: _union, ...base } = node;
  const properties: SchemaRecord = isRecord(base.properties) ? { ...base.properties } : {};
  const candidates = new Map<string, unknown[]>();
  for (const variant of objects) {
    const own = isRecord(variant.properties) ? variant.properties : {};
    for (const name of Object.keys(own)) candidates.set(name, [...(candidates.get(name) ?? []), own[name]]);
  }
  for (const [name, schemas] of candidates) if (!Object.prototype.hasOwnProperty.call(properties, name)) setOwn(properties, name, unionOf(schemas));
  const requiredEverywhere = [...candidates.keys()].filter((name) => objects.every((variant) => requiredNames(variant).includes(name)));
  const required = [...new Set([...requiredNames(base), ...requiredNames(objects[0] ?? {}).filter((name) => requiredEverywhere.includes(name))])];
  const labels = objects.map((variant, index) => {
    const fields = Object.keys(isRecord(variant.properties) ? variant.properties : {});
    return `${ctx.schemaNames.get(variant) ?? `option ${index + 1}`} (fields ${fields.join(', ') || 'none'})`;
  });
  ctx.notes.add(`merged ${keyword} request body into one object; one of: ${labels.join(' | ')}`);
  const out: SchemaRecord = { ...base, type: 'object', properties };
  if (required.length > 0) out.required = required;
  else delete out.required;
  return out;
}

function requiredNames(schema: SchemaRecord): string[] {
  return Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === 'string') : [];
}

/** One schema for a property that several variants declare, possibly differently. */
function unionOf(schemas: readonly unknown[]): unknown {
  const distinct = new Map<string, unknown>();
  for (const schema of schemas) distinct.set(JSON.stringify(schema), schema);
  const unique = [...distinct.values()];
  if (unique.length === 1) return unique[0];
  const enums = unique.map((schema) => (isRecord(schema) ? enumValues(schema) : undefined));
  if (enums.every((values) => values !== undefined)) {
    const types = new Set(unique.map((schema) => (isRecord(schema) ? schema.type : undefined)));
    const [type] = types;
    const values = [...new Set(enums.flatMap((v) => v ?? []))];
    return { ...(types.size === 1 && typeof type === 'string' ? { type } : {}), enum: values };
  }
  return { anyOf: unique };
}

function enumValues(schema: SchemaRecord): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}
