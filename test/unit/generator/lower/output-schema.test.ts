import { describe, expect, it } from 'vitest';
import { compactOutputNode, withoutScalarTypes } from '../../../../generator/lower/compact-output.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import { lowerOutputSchema, successCodes } from '../../../../generator/lower/output-schema.js';
import { mapSchemaTree } from '../../../../generator/lower/schema-walk.js';
import { expectStrictSchema } from './strict-ajv.js';

const str = { type: 'string' };
const int = { type: 'integer' };
const nstr = { type: ['string', 'null'] };

type CompactCase = [string, { given: unknown; want: unknown }];

const compactCases: CompactCase[] = [
  [
    'keeps only the skeleton, no type nullable',
    {
      given: {
        type: 'object',
        description: 'Quote',
        required: ['symbol'],
        properties: { symbol: { type: 'string', format: 'uri', enum: ['a'], example: 'a' }, size: { type: 'integer', minimum: 0 } },
      },
      want: { type: 'object', properties: { symbol: str, size: int } },
    },
  ],
  [
    'drops null from nullable properties and nullable enums',
    {
      given: {
        type: 'object',
        properties: {
          a: { type: ['string', 'null'] },
          b: { type: ['string', 'null'], enum: ['x', 'y', null] },
          c: { type: ['object', 'null'], properties: { d: { type: ['number', 'null'] } } },
        },
      },
      want: { type: 'object', properties: { a: str, b: str, c: { type: 'object', properties: { d: { type: 'number' } } } } },
    },
  ],
  [
    'leaves out properties that can only be null',
    {
      given: {
        type: 'object',
        properties: {
          a: { type: 'null' },
          b: { type: ['null'] },
          c: { const: null },
          d: { enum: [null] },
          e: { anyOf: [{ type: 'null' }] },
          f: { type: 'string' },
        },
      },
      want: { type: 'object', properties: { f: str } },
    },
  ],
  ['an object of only null properties keeps no properties', { given: { type: 'object', properties: { a: { type: 'null' } } }, want: { type: 'object' } }],
  [
    'keeps additionalProperties only as a map schema',
    {
      given: {
        type: 'object',
        properties: {
          a: { type: 'object', additionalProperties: { type: 'string' } },
          b: { type: 'object', additionalProperties: false },
          c: { type: 'object', additionalProperties: { type: 'null' } },
        },
      },
      want: { type: 'object', properties: { a: { type: 'object', additionalProperties: str }, b: { type: 'object' }, c: { type: 'object' } } },
    },
  ],
  [
    'merges a union of objects',
    {
      given: {
        oneOf: [
          { type: 'object', properties: { a: { type: 'string' } } },
          { type: 'object', properties: { b: { type: 'integer' } } },
        ],
      },
      want: { type: 'object', properties: { a: str, b: int } },
    },
  ],
  [
    'a property null in one variant takes the type of the others',
    {
      given: {
        oneOf: [
          { type: 'object', properties: { a: { type: 'string' } } },
          { type: 'object', properties: { a: { type: 'null' } } },
        ],
      },
      want: { type: 'object', properties: { a: str } },
    },
  ],
  [
    'merges allOf with the base',
    {
      given: { type: 'object', properties: { id: { type: 'string' } }, allOf: [{ properties: { n: { type: 'number' } } }] },
      want: { type: 'object', properties: { id: str, n: { type: 'number' } } },
    },
  ],
  ['a union of different kinds is anything', { given: { anyOf: [{ type: 'string' }, { type: 'object' }] }, want: {} }],
  ['a union with an unconstrained variant is anything', { given: { anyOf: [{ type: 'string' }, {}] }, want: {} }],
  ['null variants are dropped from a union', { given: { anyOf: [{ type: 'string' }, { type: 'null' }, { const: null }] }, want: str }],
  ['a union of only null is null', { given: { anyOf: [{ type: 'null' }] }, want: { type: 'null' } }],
  ['integer and number merge to number', { given: { oneOf: [{ type: 'integer' }, { type: 'number' }] }, want: { type: 'number' } }],
  [
    'array items allow null',
    {
      given: { type: 'array', items: { type: 'number' } },
      want: { type: 'array', items: { type: ['number', 'null'] } },
    },
  ],
  [
    'nullable and null-only array items stay as they are',
    {
      given: {
        type: 'object',
        properties: { a: { type: 'array', items: { type: ['string', 'null'], enum: ['x', null] } }, b: { type: 'array', items: { type: 'null' } } },
      },
      want: { type: 'object', properties: { a: { type: 'array', items: nstr }, b: { type: 'array', items: { type: 'null' } } } },
    },
  ],
  [
    'nested arrays allow null items at every level',
    {
      given: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
      want: { type: 'array', items: { type: ['array', 'null'], items: { type: ['number', 'null'] } } },
    },
  ],
  [
    'arrays of unions merge their items',
    {
      given: {
        type: 'array',
        items: {
          oneOf: [
            { type: 'object', properties: { a: { type: 'string' } } },
            { type: 'object', properties: { a: { type: 'string' }, b: { type: 'boolean' } } },
          ],
        },
      },
      want: { type: 'array', items: { type: ['object', 'null'], properties: { a: str, b: { type: 'boolean' } } } },
    },
  ],
  [
    'a union of arrays ignores null-only items',
    {
      given: {
        oneOf: [
          { type: 'array', items: { type: 'string' } },
          { type: 'array', items: { type: 'null' } },
        ],
      },
      want: { type: 'array', items: nstr },
    },
  ],
  ['several non-null types are anything', { given: { type: ['string', 'integer'] }, want: {} }],
  [
    'infers object and array from keywords',
    {
      given: { properties: { tags: { items: { type: 'string' } } } },
      want: { type: 'object', properties: { tags: { type: 'array', items: nstr } } },
    },
  ],
];

describe('compactOutputNode', () => {
  it.each(compactCases)('%s', (_name, { given, want }) => {
    expect(mapSchemaTree(given, (node) => compactOutputNode(node))).toEqual(want);
  });
});

const pet = { type: 'object', properties: { id: { type: 'integer' }, secret: { type: 'string', writeOnly: true } } };
const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });

type OutputCase = [string, { responses: Record<string, unknown>; want: unknown; wrap?: 'items' | 'value'; projection?: string[]; issues?: string[] }];

const outputCases: OutputCase[] = [
  [
    'object response as is, write-only properties dropped, root not nullable',
    {
      responses: { 200: json(pet) },
      want: { type: 'object', properties: { id: int } },
    },
  ],
  [
    'array response wrapped in items',
    {
      responses: { 200: json({ type: 'array', items: pet }) },
      want: { type: 'object', properties: { items: { type: 'array', items: { type: ['object', 'null'], properties: { id: int } } } }, required: ['items'] },
      wrap: 'items',
    },
  ],
  [
    'scalar response wrapped in value',
    {
      responses: { 201: json({ type: 'string' }) },
      want: { type: 'object', properties: { value: str } },
      wrap: 'value',
    },
  ],
  [
    'a nullable scalar response: value is not nullable',
    {
      responses: { 200: json({ type: ['number', 'null'] }) },
      want: { type: 'object', properties: { value: { type: 'number' } } },
      wrap: 'value',
    },
  ],
  [
    'a null-only response declares no value',
    {
      responses: { 200: json({ type: 'null' }) },
      want: { type: 'object', properties: {} },
      wrap: 'value',
    },
  ],
  [
    'a nullable object response: root object, properties not nullable',
    {
      responses: { 200: json({ anyOf: [pet, { type: 'null' }] }) },
      want: { type: 'object', properties: { id: int } },
    },
  ],
  [
    'a nullable array response: wrapped items allow null',
    {
      responses: { 200: json({ type: ['array', 'null'], items: { type: 'string' } }) },
      want: { type: 'object', properties: { items: { type: 'array', items: nstr } }, required: ['items'] },
      wrap: 'items',
    },
  ],
  [
    'JSON without a schema wrapped in value',
    { responses: { 200: { content: { 'application/problem+json': {} } } }, want: { type: 'object', properties: { value: {} } }, wrap: 'value' },
  ],
  [
    'no JSON success body: an open object',
    {
      responses: { 204: { description: 'No content' }, default: json(pet) },
      want: { type: 'object', properties: {}, additionalProperties: true },
    },
  ],
  ['default only without any 2xx', { responses: { default: json(pet), 400: json({ type: 'string' }) }, want: { type: 'object', properties: { id: int } } }],
  [
    'the first 2xx with JSON content wins',
    {
      responses: { 202: json({ type: 'object', properties: { b: { type: 'string' } } }), 200: { content: { 'text/plain': { schema: { type: 'string' } } } } },
      want: { type: 'object', properties: { b: str } },
    },
  ],
  [
    'a root union of objects is merged',
    {
      responses: { 200: json({ oneOf: [pet, { type: 'object', properties: { name: { type: 'string' } } }] }) },
      want: { type: 'object', properties: { id: int, name: str } },
    },
  ],
  [
    'projection keeps listed paths and their parents',
    {
      responses: {
        200: json({
          type: 'object',
          properties: {
            accountId: { type: 'string' },
            other: { type: 'string' },
            ratings: {
              type: 'array',
              items: { type: 'object', properties: { ticker: { type: 'string' }, pt_current: { type: 'string' }, analyst: { type: 'string' } } },
            },
          },
        }),
      },
      projection: ['ratings[].ticker', 'ratings[].pt_current', 'accountId'],
      want: {
        type: 'object',
        properties: { ratings: { type: 'array', items: { type: ['object', 'null'], properties: { ticker: str, pt_current: str } } }, accountId: str },
      },
    },
  ],
  [
    'projection addresses the wrapped value; a name on an array applies to its items',
    {
      responses: { 200: json({ type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } }) },
      projection: ['items.id'],
      want: { type: 'object', properties: { items: { type: 'array', items: { type: ['object', 'null'], properties: { id: int } } } }, required: ['items'] },
      wrap: 'items',
    },
  ],
  [
    'a wrapped array must be projected through items',
    {
      responses: { 200: json({ type: 'array', items: pet }) },
      projection: ['[].id'],
      want: { type: 'object', properties: { items: { type: 'array', items: { type: ['object', 'null'], properties: { id: int } } } }, required: ['items'] },
      wrap: 'items',
      issues: ['lower.unknown-projection: Projection path "[].id" does not exist in the response: the root is not an array of described items.'],
    },
  ],
  [
    'unknown projection paths are errors',
    {
      responses: { 200: json(pet) },
      projection: ['name', 'id[].x'],
      want: { type: 'object', properties: { id: int } },
      issues: [
        'lower.unknown-projection: Projection path "name" does not exist in the response: the root has no property "name".',
        'lower.unknown-projection: Projection path "id[].x" does not exist in the response: "id" is not an array of described items.',
      ],
    },
  ],
];

describe('lowerOutputSchema', () => {
  it.each(outputCases)('%s', (_name, { responses, want, wrap, projection, issues = [] }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    const output = lowerOutputSchema({ responses }, '#/paths/~1pets/get', ctx, 3, projection);
    expect(output.outputSchema).toEqual(want);
    expect(output.wrap).toBe(wrap);
    expect(ctx.issues.map((issue) => `${issue.code}: ${issue.message}`)).toEqual(issues);
    expectStrictSchema(output.outputSchema);
  });

  it.each([
    [
      ['default', '204', '200', '2XX', '201', '299'],
      ['200', '201', '204', '299', '2XX'],
    ],
    [['default', '404'], ['default']],
    [['404'], []],
  ] as const)('orders success codes %j', (codes, want) => {
    expect(successCodes(codes)).toEqual(want);
  });
});

describe('withoutScalarTypes (outputSchemaDetail: fields)', () => {
  it.each<[string, { given: Record<string, unknown>; want: unknown; dropped: boolean }]>([
    [
      'scalar fields become unconstrained, objects and arrays keep their type and field names',
      {
        given: {
          type: 'object',
          properties: {
            id: int,
            name: str,
            ok: { type: 'boolean' },
            tags: { type: 'array', items: nstr },
            lots: { type: 'array', items: { type: ['object', 'null'], properties: { qty: { type: 'number' } } } },
          },
        },
        want: {
          type: 'object',
          properties: {
            id: {},
            name: {},
            ok: {},
            tags: { type: 'array' },
            lots: { type: 'array', items: { type: ['object', 'null'], properties: { qty: {} } } },
          },
        },
        dropped: true,
      },
    ],
    [
      'a map of scalars becomes an open object',
      {
        given: { type: 'object', properties: { prices: { type: 'object', additionalProperties: str } } },
        want: { type: 'object', properties: { prices: { type: 'object' } } },
        dropped: true,
      },
    ],
    [
      'a wrapped array keeps its required items',
      {
        given: { type: 'object', properties: { items: { type: 'array', items: { type: ['number', 'null'] } } }, required: ['items'] },
        want: { type: 'object', properties: { items: { type: 'array' } }, required: ['items'] },
        dropped: true,
      },
    ],
    [
      'null-only array items and open objects stay',
      {
        given: { type: 'object', properties: { a: { type: 'array', items: { type: 'null' } }, b: {} }, additionalProperties: true },
        want: { type: 'object', properties: { a: { type: 'array', items: { type: 'null' } }, b: {} }, additionalProperties: true },
        dropped: false,
      },
    ],
  ])('%s', (_name, { given, want, dropped }) => {
    const before = JSON.stringify(given);
    const result = withoutScalarTypes(given);
    expect(result).toEqual({ schema: want, dropped });
    expect(JSON.stringify(given)).toBe(before);
    expectStrictSchema(result.schema);
  });

  it('runs after the projection and is noted', () => {
    const ctx = createLowerContext({}, 'spec.yaml');
    const responses = {
      200: json({ type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' }, secret: { type: 'string' } } } }),
    };
    const output = lowerOutputSchema({ responses }, '#/paths/~1pets/get', ctx, 3, ['items[].id', 'items[].name'], 'fields');
    expect(output).toEqual({
      outputSchema: {
        type: 'object',
        properties: { items: { type: 'array', items: { type: ['object', 'null'], properties: { id: {}, name: {} } } } },
        required: ['items'],
      },
      // The runtime checks results against the typed schema: an id that turns into a string is still refused.
      outputValidationSchema: {
        type: 'object',
        properties: { items: { type: 'array', items: { type: ['object', 'null'], properties: { id: { type: 'integer' }, name: { type: 'string' } } } } },
        required: ['items'],
      },
      wrap: 'items',
    });
    expect(ctx.notes.render()).toContain('left scalar types out of the output schema (outputSchemaDetail: fields)');
    expect(ctx.issues).toEqual([]);
  });

  it('the default keeps the types', () => {
    const ctx = createLowerContext({}, 'spec.yaml');
    expect(lowerOutputSchema({ responses: { 200: json(pet) } }, '#/paths/~1pets/get', ctx, 3, undefined, 'types')).toEqual({
      outputSchema: { type: 'object', properties: { id: int } },
    });
    expect(ctx.notes.render()).toEqual([]);
  });
});
