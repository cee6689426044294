/**
 * fast-check arbitraries for tool arguments "from and around" an input
 * schema: per property, a value the schema accepts, a hostile string (path
 * traversal plain and percent-encoded, CR/LF header injection, NUL, lone
 * surrogates, right-to-left marks, URL delimiters, huge), a wrong type, or a
 * nested structure; plus prototype-polluting and unknown keys. Objects with
 * a `__proto__` key are built with `defineProperty`, so the key is an own
 * property and reaches the wire (`JSON.stringify` keeps it).
 */
import fc from 'fast-check';
import type { JsonSchema } from '../../../runtime/contract/tool-definition.js';
import { isJsonObject } from '../../../runtime/json-object.js';
import { schemaMap } from '../../../testkit/json-body.js';

export const TRAVERSAL = [
  '..',
  '.',
  '../',
  '../..',
  '../../v1/users/me',
  './.',
  '..\\..',
  '%2e%2e',
  '%2E%2E',
  '.%2e',
  '%2e.',
  '%2e%2e/',
  '%2e%2e%2f',
  '..%2F..%2F',
  '..;/',
  '/..',
  '/',
  '//evil.example',
  '?',
  '#',
  '?x=1&y=2',
  '#frag',
];
export const INJECTION = [
  '\r\nX-Injected: 1',
  'a\r\n\r\nGET /v1/users/me HTTP/1.1\r\nHost: evil',
  '\nSet-Cookie: x=1',
  '%0d%0aX-Injected:%201',
  'A B',
  '\t',
  '\u0000',
  'a\u0000b',
  '\u2028',
  '\u202e',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '😀',
  'ǅ',
  'İ',
  'ß',
  '\ufeff',
];
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '$ref', ''];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('..', '.', '../', '%2e%2e', '%2e%2e/', '..%2F', '\r\nX-Injected: 1') },
  { weight: 2, arbitrary: fc.constantFrom(...TRAVERSAL, ...INJECTION, ...PROTOTYPE_KEYS) },
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.tuple(fc.constantFrom(...TRAVERSAL), fc.constantFrom(...INJECTION), fc.string({ maxLength: 8 })).map((parts) => parts.join('')),
  fc.integer({ min: 1_000, max: 200_000 }).map((length) => 'A'.repeat(length)),
  fc.integer({ min: 1, max: 5_000 }).map((count) => '../'.repeat(count)),
);

const nested: fc.Arbitrary<unknown> = fc.integer({ min: 2, max: 400 }).chain((depth) =>
  fc.constantFrom('array', 'object').map((kind) => {
    let value: unknown = 'leaf';
    for (let level = 0; level < depth; level++) value = kind === 'array' ? [value] : { [PROTOTYPE_KEYS[level % PROTOTYPE_KEYS.length]]: value };
    return value;
  }),
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, true, false, null, [], {}),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.dictionary(fc.constantFrom(...PROTOTYPE_KEYS, 'a', 'b'), fc.jsonValue(), { maxKeys: 4 }),
  nested,
);

function isFreeString(schema: JsonSchema): boolean {
  return schema.type === 'string' && schema.enum === undefined && schema.pattern === undefined && schema.format === undefined;
}

/** A value `schema` accepts (roughly: enums, examples, bounds; patterns only through examples). */
function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const examples = Array.isArray(schema.examples) ? schema.examples : [];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : -1_000;
      const max = typeof schema.maximum === 'number' ? schema.maximum : 1_000_000;
      return fc.integer({ min, max });
    }
    case 'number':
      return fc.double({ noNaN: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = isJsonObject(schema.items) ? schema.items : {};
      return fc.array(validValue(items), { maxLength: typeof schema.maxItems === 'number' ? schema.maxItems : 3 });
    }
    case 'object': {
      const properties = schemaMap.parse(schema.properties ?? {});
      return fc.record(Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property)])), {
        requiredKeys: Array.isArray(schema.required) ? schema.required.filter((key) => typeof key === 'string') : [],
      });
    }
    default: {
      if (schema.format === 'date')
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
      if (typeof schema.pattern === 'string' && /\\d/.test(schema.pattern)) return fc.oneof(fc.constantFrom(...examples, '1', '10.5'), fc.nat().map(String));
      if (typeof schema.pattern === 'string') return fc.constantFrom(...(examples.length > 0 ? examples : ['AAPL']), 'AAPL', 'MSFT', 'BRK.B');
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 30;
      return fc.oneof(fc.constantFrom(...examples, 'AAPL'), fc.string({ minLength: typeof schema.minLength === 'number' ? schema.minLength : 0, maxLength }));
    }
  }
}

/**
 * Arguments around `inputSchema`, two ways:
 * - near: every required property valid (optional ones valid or absent), then
 *   one property replaced by a hostile string or a wrong type, so many calls
 *   pass validation and carry the hostile value to the upstream request;
 * - wild: each property valid, hostile, wrong-typed or absent.
 * Either may carry stray keys (`__proto__`, `constructor`, ...).
 * `fixed` supplies valid values the schema cannot (the caller's account id).
 */
export function argumentsAround(inputSchema: JsonSchema, fixed: Readonly<Record<string, unknown>> = {}): fc.Arbitrary<Record<string, unknown>> {
  const properties = schemaMap.parse(inputSchema.properties ?? {});
  const names = Object.keys(properties);
  const required = Array.isArray(inputSchema.required) ? inputSchema.required.filter((key) => typeof key === 'string') : [];
  const valid = (name: string): fc.Arbitrary<unknown> => (Object.hasOwn(fixed, name) ? fc.constant(fixed[name]) : validValue(properties[name]));
  const validArgs = fc.record(Object.fromEntries(names.map((name) => [name, valid(name)])), { requiredKeys: required });
  // Free strings (no enum, pattern or format) carry a hostile value past validation, cut to their maxLength.
  const free = names.filter((name) => isFreeString(properties[name]));
  const hostileFor = (name: string): fc.Arbitrary<unknown> => {
    const maxLength = properties[name].maxLength;
    return typeof maxLength === 'number' ? hostileString.map((value) => value.slice(0, maxLength)).filter((value) => value !== '') : hostileString;
  };
  const mutate = (candidates: readonly string[]) =>
    fc
      .constantFrom(...candidates)
      .chain((name) => fc.tuple(validArgs, fc.constant(name), fc.oneof({ weight: 4, arbitrary: hostileFor(name) }, { weight: 1, arbitrary: wrongType })));
  const near = (
    names.length === 0
      ? fc.tuple(validArgs, fc.constant(''), fc.constant(undefined))
      : free.length === 0
        ? mutate(names)
        : fc.oneof({ weight: 3, arbitrary: mutate(free) }, { weight: 1, arbitrary: mutate(names) })
  ).map(([args, name, value]) => (name === '' ? args : { ...args, [name]: value }));
  const wild = fc.record(
    Object.fromEntries(
      names.map((name) => [
        name,
        fc.oneof({ weight: 3, arbitrary: valid(name) }, { weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: wrongType }),
      ]),
    ),
    { requiredKeys: [] },
  );
  const strays = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 10 })), fc.oneof(hostileString, wrongType)), {
    maxLength: 2,
  });
  return fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: near }, { weight: 1, arbitrary: wild }),
      fc.oneof({ weight: 5, arbitrary: fc.constant([] as [string, unknown][]) }, { weight: 1, arbitrary: strays }),
    )
    .map(([args, extra]) => {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(args)) out[key] = value;
      for (const [key, value] of extra) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      return out;
    });
}

/** Values for `arguments` that are not an object at all. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, 'x', true, [], [1, 2], '{"a":1}'),
  fc.string({ maxLength: 20 }),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
);
