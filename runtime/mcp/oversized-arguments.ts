/**
 * Finds tool arguments whose size dwarfs what the input schema allows, before
 * Ajv runs. Why: a 900 KB call of an order-placing tool with 450,000 `legs`
 * (schema: `maxItems: 4`) cost seconds of Ajv and a 14 MB error text while
 * the event loop served no one else. This walk is one pass over the value, without
 * recursion, and stops at the first finding.
 *
 * Refused here (the problem names the field, as Ajv's would):
 * - an array with more than twice its `maxItems` (plus `SLACK`) items;
 * - a string with more than twice its `maxLength` (plus `SLACK`) UTF-16 code
 *   units (so surely over in code points, which `maxLength` counts);
 * - an object with more than twice its `maxProperties` (plus `SLACK`) keys,
 *   or, with `additionalProperties: false`, more than `SLACK` keys it does
 *   not declare;
 * - any string over `MAX_STRING_CHARS`, and arguments holding more than
 *   `MAX_ARGUMENT_VALUES` JSON values in all, whatever the schema says (no
 *   tool takes anything near that).
 * What it does not do: decide validity. Values within these bounds (even if
 * over the schema's limit) go to Ajv, which names every problem.
 */
import type { JsonSchema } from '../contract/tool-definition.js';
import { isJsonObject } from '../json-object.js';

/** How far past a schema limit a value must be to be refused before validation. */
const SLACK = 16;
export const MAX_STRING_CHARS = 100_000;
export const MAX_ARGUMENT_VALUES = 10_000;

interface Visit {
  readonly value: unknown;
  readonly schema: JsonSchema | undefined;
  readonly field: string;
}

/** The problem (`legs: must have at most 4 items (got 450000)`), or undefined when the sizes are plausible. */
export function findOversizedArgument(args: Record<string, unknown>, schema: JsonSchema): string | undefined {
  const pending: Visit[] = [{ value: args, schema, field: '' }];
  let values = 0;
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    values += 1;
    if (values > MAX_ARGUMENT_VALUES) return `arguments: hold more than ${MAX_ARGUMENT_VALUES} values, far more than this tool accepts`;
    const { value, schema: rule, field } = next;
    const label = field === '' ? 'arguments' : field;
    if (typeof value === 'string') {
      const limit = numberOf(rule, 'maxLength');
      if (limit !== undefined && farBeyond(value.length, limit)) return `${label}: must be at most ${limit} characters (got ${value.length})`;
      if (value.length > MAX_STRING_CHARS) return `${label}: must be at most ${MAX_STRING_CHARS} characters (got ${value.length})`;
    } else if (Array.isArray(value)) {
      const limit = numberOf(rule, 'maxItems');
      if (limit !== undefined && farBeyond(value.length, limit)) return `${label}: must have at most ${limit} items (got ${value.length})`;
      if (value.length > MAX_ARGUMENT_VALUES) return `${label}: must have at most ${MAX_ARGUMENT_VALUES} items (got ${value.length})`;
      const items = rule !== undefined && isJsonObject(rule.items) ? rule.items : undefined;
      value.forEach((item: unknown, index) => pending.push({ value: item, schema: items, field: `${field}[${index}]` }));
    } else if (isJsonObject(value)) {
      const problem = oversizedObject(value, rule, label);
      if (problem !== undefined) return problem;
      const properties = rule !== undefined && isJsonObject(rule.properties) ? rule.properties : {};
      for (const [name, item] of Object.entries(value)) {
        const declared = Object.hasOwn(properties, name) ? properties[name] : undefined;
        pending.push({ value: item, schema: isJsonObject(declared) ? declared : undefined, field: field === '' ? name : `${field}.${name}` });
      }
    }
  }
  return undefined;
}

function oversizedObject(value: Record<string, unknown>, rule: JsonSchema | undefined, label: string): string | undefined {
  const keys = Object.keys(value);
  const limit = numberOf(rule, 'maxProperties');
  if (limit !== undefined && farBeyond(keys.length, limit)) return `${label}: must have at most ${limit} properties (got ${keys.length})`;
  if (rule?.additionalProperties !== false) return undefined;
  const properties = isJsonObject(rule.properties) ? rule.properties : {};
  const unknown = keys.filter((key) => !Object.hasOwn(properties, key)).length;
  return unknown > SLACK ? `${label}: ${unknown} unknown properties (the input schema lists the ones it takes)` : undefined;
}

function farBeyond(size: number, limit: number): boolean {
  return size > 2 * limit + SLACK;
}

function numberOf(schema: JsonSchema | undefined, keyword: string): number | undefined {
  const value = schema?.[keyword];
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
