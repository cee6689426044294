/**
 * A compact, TypeScript-like summary of a schema for the description of an
 * argument taken as a JSON string: `{symbol: string, side: "buy"|"sell",
 * limit?: {price: string}}`. Optional properties get `?`; nesting below three
 * levels is `{…}`; the result is cut to `maxLength` characters.
 */
import { isRecord, type SchemaRecord } from './schema-walk.js';

const MAX_DEPTH = 3;
const MAX_ENUM_VALUES = 6;

export function summarizeShape(schema: unknown, maxLength = 400): string {
  const text = render(schema, 0);
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 1))}…`;
}

function render(schema: unknown, depth: number): string {
  if (!isRecord(schema)) return schema === false ? 'never' : 'any';
  if ('const' in schema) return JSON.stringify(schema.const) ?? 'any';
  if (Array.isArray(schema.enum)) return renderEnum(schema.enum);
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const variants = schema[keyword];
    if (Array.isArray(variants)) return variants.map((variant) => render(variant, depth)).join(' | ');
  }
  if (Array.isArray(schema.allOf)) return schema.allOf.map((branch) => render(branch, depth)).join(' & ');
  const types = Array.isArray(schema.type)
    ? schema.type.filter((t): t is string => typeof t === 'string')
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  const isObject = types.includes('object') || (types.length === 0 && (isRecord(schema.properties) || schema.additionalProperties !== undefined));
  const isArray = types.includes('array') || (types.length === 0 && schema.items !== undefined);
  const parts: string[] = [];
  if (isObject) parts.push(renderObject(schema, depth));
  if (isArray) parts.push(renderArray(schema, depth));
  for (const type of types) if (type !== 'object' && type !== 'array') parts.push(renderScalar(schema, type));
  return parts.length > 0 ? parts.join(' | ') : 'any';
}

function renderEnum(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_ENUM_VALUES).map((value) => JSON.stringify(value) ?? 'null');
  return values.length > MAX_ENUM_VALUES ? `${shown.join('|')}|…` : shown.join('|');
}

function renderScalar(schema: SchemaRecord, type: string): string {
  return typeof schema.format === 'string' && type !== 'null' ? `${type}<${schema.format}>` : type;
}

function renderObject(schema: SchemaRecord, depth: number): string {
  if (depth >= MAX_DEPTH) return '{…}';
  const required = Array.isArray(schema.required) ? schema.required : [];
  const fields: string[] = [];
  if (isRecord(schema.properties)) {
    for (const name of Object.keys(schema.properties)) {
      fields.push(`${name}${required.includes(name) ? '' : '?'}: ${render(schema.properties[name], depth + 1)}`);
    }
  }
  if (isRecord(schema.additionalProperties) || schema.additionalProperties === true) {
    fields.push(`[key: string]: ${render(schema.additionalProperties, depth + 1)}`);
  }
  return fields.length > 0 ? `{${fields.join(', ')}}` : 'object';
}

function renderArray(schema: SchemaRecord, depth: number): string {
  const items = schema.items === undefined ? 'any' : render(schema.items, depth + 1);
  return /[ |&]/.test(items) && !items.startsWith('{') ? `(${items})[]` : `${items}[]`;
}
