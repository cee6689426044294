/**
 * Validates `tools/call` arguments against a tool's input schema.
 *
 * Rules:
 * - missing arguments are an empty object; anything but an object is refused;
 * - a string where the schema wants an object or array (top-level arguments,
 *   and items of top-level arrays of objects) is parsed as JSON first: some
 *   clients send nested values as JSON text;
 * - arguments whose size dwarfs what the schema allows (450,000 `legs`
 *   where `maxItems` is 4) are refused first, naming the field, without
 *   running the schema (`oversized-arguments.ts`);
 * - schema defaults are filled in (Ajv `useDefaults`), on a copy;
 * - the check stops at the first error; only when it fails does a second,
 *   all-errors pass list the problems, at most `MAX_LISTED_PROBLEMS` of
 *   them, each at most `MAX_PROBLEM_CHARS` long;
 * - each problem names the field and what was expected
 *   (`account_id: must be string`, `side: must be one of BUY, SELL`,
 *   `unknown argument "foo"`).
 *
 * Compiled once per tool, on its first call (`tool-registry.ts`; the listing
 * pass on its first failure); the returned function is pure.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../contract/tool-definition.js';
import { isJsonObject } from '../json-object.js';
import { createListingAjv, type ErrorObject, type ValidateFunction } from './ajv.js';
import { findOversizedArgument } from './oversized-arguments.js';

export type ArgumentCheck = { readonly ok: true; readonly args: Record<string, unknown> } | { readonly ok: false; readonly problems: readonly string[] };

export type ArgumentValidator = (raw: unknown) => ArgumentCheck;

export const MAX_LISTED_PROBLEMS = 10;
export const MAX_PROBLEM_CHARS = 300;

/** One all-errors Ajv for every tool's listing pass, created on the first failure. */
let listingAjv: Ajv2020 | undefined;

export function compileArgumentValidator(ajv: Ajv2020, schema: JsonSchema): ArgumentValidator {
  const validate = ajv.compile(schema);
  let listing: ValidateFunction | undefined;
  const properties = propertiesOf(schema);
  return (raw) => {
    const given = raw === undefined || raw === null ? {} : raw;
    if (!isJsonObject(given)) return { ok: false, problems: ['arguments: must be an object'] };
    const oversized = findOversizedArgument(given, schema);
    if (oversized !== undefined) return { ok: false, problems: [oversized] };
    const args = decodeJsonStrings(structuredClone(given), properties);
    // JSON text decoded into arrays and objects is measured again.
    const decodedOversized = findOversizedArgument(args, schema);
    if (decodedOversized !== undefined) return { ok: false, problems: [decodedOversized] };
    if (validate(args)) return { ok: true, args };
    listing ??= (listingAjv ??= createListingAjv()).compile(schema);
    listing(args);
    return { ok: false, problems: boundProblems(describeErrors(listing.errors ?? validate.errors ?? [])) };
  };
}

/** At most `MAX_LISTED_PROBLEMS`, each cut to `MAX_PROBLEM_CHARS`, with a count of the rest. */
function boundProblems(problems: readonly string[]): string[] {
  const shown = problems
    .slice(0, MAX_LISTED_PROBLEMS)
    .map((problem) => (problem.length <= MAX_PROBLEM_CHARS ? problem : `${problem.slice(0, MAX_PROBLEM_CHARS - 3)}...`));
  const hidden = problems.length - shown.length;
  return hidden > 0 ? [...shown, `(${hidden} more problem${hidden === 1 ? '' : 's'} not listed; fix these first)`] : shown;
}

function decodeJsonStrings(args: Record<string, unknown>, properties: Record<string, JsonSchema>): Record<string, unknown> {
  for (const [name, schema] of Object.entries(properties)) {
    const value = args[name];
    if (typeof value === 'string' && wantsStructure(schema)) {
      args[name] = parseStructure(value) ?? value;
    } else if (Array.isArray(value) && isJsonObject(schema.items) && wantsStructure(schema.items)) {
      args[name] = value.map((item) => (typeof item === 'string' ? (parseStructure(item) ?? item) : item));
    }
  }
  return args;
}

/** True when the schema takes an object or array and not a string. */
function wantsStructure(schema: JsonSchema): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return (types.includes('object') || types.includes('array')) && !types.includes('string');
}

function parseStructure(text: string): object | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function describeErrors(errors: readonly ErrorObject[]): string[] {
  return [...new Set(errors.map(describeError))];
}

function describeError(error: ErrorObject): string {
  const field = fieldName(error.instancePath);
  const label = field === '' ? 'arguments' : field;
  switch (error.keyword) {
    case 'required':
      return `${joinField(field, String(error.params['missingProperty']))}: is required`;
    case 'additionalProperties': {
      const extra = String(error.params['additionalProperty']);
      return field === '' ? `unknown argument "${extra}"` : `${field}: unknown property "${extra}"`;
    }
    case 'enum': {
      const allowed: unknown[] = Array.isArray(error.params['allowedValues']) ? error.params['allowedValues'] : [];
      return `${label}: must be one of ${allowed.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(', ')}`;
    }
    case 'const':
      return `${label}: must be ${JSON.stringify(error.params['allowedValue'])}`;
    default:
      return `${label}: ${error.message ?? `fails ${error.keyword}`}`;
  }
}

/** `/legs/0/symbol` -> `legs[0].symbol` (RFC 6901 unescaping). */
function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : joinField(path, token)), '');
}

function joinField(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  if (!isJsonObject(properties)) return {};
  const result: Record<string, JsonSchema> = {};
  for (const [name, value] of Object.entries(properties)) if (isJsonObject(value)) result[name] = value;
  return result;
}
