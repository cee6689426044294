/**
 * Renders a tool's input JSON Schema (draft 2020-12, as `lower/` publishes it)
 * as a TypeScript type: the `Arguments` a generated `invoke` receives once Ajv
 * validated them against that schema. It covers what lowering emits (`type`
 * and type lists, `enum`, `const`, `properties`/`required`,
 * `additionalProperties`, `items`, `anyOf`/`oneOf`, `allOf`); any other schema
 * is `unknown`, which is always sound. A property with a `default` is
 * required: Ajv's `useDefaults` (`runtime/mcp/ajv.ts`) fills it in before
 * `invoke`, except inside `anyOf`/`oneOf`, where Ajv ignores defaults. Every name and literal is printed as a
 * JSON literal, so spec text never reaches code otherwise. It does not check
 * that the schema matches the API types: `tsc` does that on the emitted call.
 */

type Schema = { readonly [keyword: string]: unknown };

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep enough for every lowered schema (lowering bounds depth); deeper is `unknown`. */
const MAX_DEPTH = 24;

const SCALAR: { readonly [type: string]: string } = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null' };

export function schemaType(schema: unknown, depth = 0, inBranch = false): string {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if (!isSchema(schema) || depth > MAX_DEPTH) return 'unknown';
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.length === 0 ? 'never' : union(schema.enum.map(literal));
  for (const keyword of ['anyOf', 'oneOf'] as const) {
    const variants = schema[keyword];
    if (Array.isArray(variants) && variants.length > 0) {
      const { [keyword]: _variants, ...base } = schema;
      const own = ownType(base, depth, inBranch);
      const joined = union(variants.map((variant) => schemaType(variant, depth + 1, true)));
      return own === 'unknown' ? joined : `(${own}) & (${joined})`;
    }
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const { allOf, ...base } = schema;
    return [ownType(base, depth, inBranch), ...allOf.map((branch: unknown) => schemaType(branch, depth + 1, inBranch))].map((part) => `(${part})`).join(' & ');
  }
  return ownType(schema, depth, inBranch);
}

function ownType(schema: Schema, depth: number, inBranch: boolean): string {
  const types =
    typeof schema.type === 'string' ? [schema.type] : Array.isArray(schema.type) ? schema.type.filter((type): type is string => typeof type === 'string') : [];
  if (types.length === 0) return schema.properties !== undefined ? objectType(schema, depth, inBranch) : 'unknown';
  return union(
    types.map((type) => {
      if (type === 'object') return objectType(schema, depth, inBranch);
      if (type === 'array') return `(${schema.items === undefined ? 'unknown' : schemaType(schema.items, depth + 1, inBranch)})[]`;
      return SCALAR[type] ?? 'unknown';
    }),
  );
}

function objectType(schema: Schema, depth: number, inBranch: boolean): string {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const present = (name: string, value: unknown): boolean => required.has(name) || (!inBranch && isSchema(value) && value.default !== undefined);
  const members = Object.entries(properties).map(
    ([name, value]) => `${JSON.stringify(name)}${present(name, value) ? '' : '?'}: ${schemaType(value, depth + 1, inBranch)};`,
  );
  const extra = schema.additionalProperties;
  if (extra !== false) {
    // An index signature must admit every named property's type, so it is `unknown` unless the object has none.
    const valueType = members.length === 0 && extra !== undefined ? schemaType(extra, depth + 1, inBranch) : 'unknown';
    members.push(`[key: string]: ${valueType};`);
  }
  // A closed object with no properties: `{}` would admit any non-nullish value.
  return members.length === 0 ? 'Record<string, never>' : `{ ${members.join(' ')} }`;
}

function literal(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  // An object or array constant: its type is not worth a literal type.
  return 'unknown';
}

function union(parts: readonly string[]): string {
  const unique = [...new Set(parts)];
  if (unique.includes('unknown')) return 'unknown';
  return unique.length === 1 ? (unique[0] ?? 'unknown') : unique.join(' | ');
}
