/**
 * A generic JSON Schema sampler: a value that validates against a
 * (dereferenced) schema, for operations the sandbox has no hand-written
 * handler for. Preference order: `const`, `example`, `examples[0]`,
 * `default`, first `enum` value, then a value synthesised from
 * type/format/pattern/bounds. Objects get every declared property; arrays one
 * item (or `minItems`). Recursion stops at a fixed depth.
 */
import { successResponse, type ApiOperation, type JsonObject } from '../openapi/load-api-spec.js';
import { isJsonObject } from '../json-object.js';

const MAX_DEPTH = 10;

const FORMAT_SAMPLES: Record<string, string> = {
  'date-time': '2026-01-15T14:30:00Z',
  date: '2026-01-15',
  time: '14:30:00',
  email: 'user@example.com',
  uri: 'https://example.com/resource',
  url: 'https://example.com/resource',
  'uri-reference': '/resource',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  password: 'sandbox-password',
  byte: 'c2FuZGJveA==',
  ipv4: '127.0.0.1',
  hostname: 'example.com',
};

const PATTERN_CANDIDATES = ['10', '175.50', '0', '123456', '2026-01-15', 'AAPL', 'USD', 'A', 'abc', 'O:AAPL260116C00150000', 'ORDER-20260115-001'];

export function sampleOperationResponse(operation: ApiOperation): unknown {
  const { schema, example } = successResponse(operation);
  if (example !== undefined) return structuredClone(example);
  return schema ? sampleSchema(schema) : {};
}

export function sampleSchema(schema: unknown, depth = 0): unknown {
  if (!isJsonObject(schema)) return null;
  const s = schema;
  if ('const' in s) return structuredClone(s.const);
  if (s.example !== undefined) return structuredClone(s.example);
  if (Array.isArray(s.examples) && s.examples.length > 0) return structuredClone(s.examples[0]);
  if (s.default !== undefined) return structuredClone(s.default);
  if (Array.isArray(s.enum) && s.enum.length > 0) return structuredClone(s.enum.find((v) => v !== null) ?? s.enum[0]);
  if (Array.isArray(s.allOf)) return mergeSamples(s.allOf.map((part) => sampleSchema(part, depth + 1)));
  const alternatives = s.oneOf ?? s.anyOf;
  if (Array.isArray(alternatives) && alternatives.length > 0) return sampleSchema(alternatives[0], depth + 1);

  switch (primaryType(s)) {
    case 'object':
      return sampleObject(s, depth);
    case 'array': {
      if (depth >= MAX_DEPTH) return [];
      const count = Math.max(1, Number(s.minItems ?? 1));
      return Array.from({ length: count }, () => sampleSchema(s.items ?? {}, depth + 1));
    }
    case 'string':
      return sampleString(s);
    case 'integer':
      return sampleNumber(s, true);
    case 'number':
      return sampleNumber(s, false);
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function primaryType(s: JsonObject): string | undefined {
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  if (typeof type === 'string') return type;
  if (s.properties || s.additionalProperties) return 'object';
  if (s.items) return 'array';
  return undefined;
}

function sampleObject(s: JsonObject, depth: number): JsonObject {
  if (depth >= MAX_DEPTH) return {};
  const out: JsonObject = {};
  for (const [name, property] of Object.entries(isJsonObject(s.properties) ? s.properties : {})) out[name] = sampleSchema(property, depth + 1);
  return out;
}

function sampleString(s: JsonObject): string {
  const min = Number(s.minLength ?? 0);
  const max = Number(s.maxLength ?? Infinity);
  const fits = (value: string) => value.length >= min && value.length <= max;
  if (typeof s.format === 'string' && FORMAT_SAMPLES[s.format]) return FORMAT_SAMPLES[s.format] as string;
  if (typeof s.pattern === 'string') {
    const regex = safeRegex(s.pattern);
    const found = regex && PATTERN_CANDIDATES.find((candidate) => regex.test(candidate) && fits(candidate));
    if (found) return found;
  }
  const padded = 'sample'.padEnd(min, 'x');
  return Number.isFinite(max) ? padded.slice(0, max) : padded;
}

function sampleNumber(s: JsonObject, integer: boolean): number {
  const exclusiveMin = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  let value = Number(s.minimum ?? exclusiveMin ?? 1);
  if (typeof s.maximum === 'number') value = Math.min(value, s.maximum);
  if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) value = s.exclusiveMaximum - (integer ? 1 : 0.5);
  if (typeof s.multipleOf === 'number' && s.multipleOf > 0) value = Math.ceil(value / s.multipleOf) * s.multipleOf;
  return integer ? Math.round(value) : value;
}

function mergeSamples(samples: unknown[]): unknown {
  if (samples.every((sample) => typeof sample === 'object' && sample !== null && !Array.isArray(sample))) {
    return Object.assign({}, ...samples);
  }
  return samples[0];
}

function safeRegex(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}
