import { describe, expect, it } from 'vitest';
import { createInliner } from '../../../../generator/lower/inline-refs.js';
import { createLowerContext, resolvePointer } from '../../../../generator/lower/lower-context.js';
import { isRecord, type SchemaRecord } from '../../../../generator/lower/schema-walk.js';
import { scalingSpec } from '../../../../testkit/scaling-spec.js';
import { parseJsonObject } from '../../../../testkit/json-body.js';

const identity = (node: SchemaRecord): SchemaRecord => node;

const components = {
  schemas: {
    Money: { type: 'string', description: 'Decimal string' },
    Order: { type: 'object', properties: { price: { $ref: '#/components/schemas/Money' } } },
    'a/b~c': { type: 'integer' },
    Alias: { $ref: '#/components/schemas/Money' },
  },
};

type Case = [string, { given: unknown; want: unknown; issues?: string[] }];

const cases: Case[] = [
  [
    'inlines nested refs',
    {
      given: { $ref: '#/components/schemas/Order' },
      want: { type: 'object', properties: { price: { type: 'string', description: 'Decimal string' } } },
    },
  ],
  ['unescapes ~0 and ~1 in pointers', { given: { $ref: '#/components/schemas/a~1b~0c' }, want: { type: 'integer' } }],
  ['follows ref chains', { given: { $ref: '#/components/schemas/Alias' }, want: { type: 'string', description: 'Decimal string' } }],
  [
    'merges annotation siblings over the target',
    {
      given: { $ref: '#/components/schemas/Money', description: 'Limit price', nullable: true },
      want: { type: 'string', description: 'Limit price', nullable: true },
    },
  ],
  [
    'combines constraint siblings with allOf',
    {
      given: { $ref: '#/components/schemas/Order', required: ['price'] },
      want: { allOf: [{ type: 'object', properties: { price: { type: 'string', description: 'Decimal string' } } }, { required: ['price'] }] },
    },
  ],
  [
    'replaces dangling refs with a described {} and warns',
    {
      given: { type: 'object', properties: { x: { $ref: '#/components/schemas/Nope' } } },
      want: { type: 'object', properties: { x: { description: 'Unresolved reference #/components/schemas/Nope.' } } },
      issues: ['lower.unresolved-ref #/properties/x'],
    },
  ],
  [
    'does not resolve external refs',
    {
      given: { $ref: 'other.yaml#/Money' },
      want: { description: 'Unresolved reference other.yaml#/Money.' },
      issues: ['lower.unresolved-ref #'],
    },
  ],
  [
    'leaves $ref-looking data in enum and default alone',
    {
      given: { type: 'object', default: { $ref: 'x' }, enum: [{ $ref: 'y' }] },
      want: { type: 'object', default: { $ref: 'x' }, enum: [{ $ref: 'y' }] },
    },
  ],
];

describe('inlineRefs', () => {
  it.each(cases)('%s', (_name, { given, want, issues = [] }) => {
    const ctx = createLowerContext({ components }, 'spec.yaml');
    const inliner = createInliner(ctx, identity, 3);
    expect(inliner.inline(given, '#')).toEqual(want);
    expect(ctx.issues.map((issue) => `${issue.code} ${issue.pointer}`)).toEqual(issues);
  });

  it('expands a component once and shares the result', () => {
    const ctx = createLowerContext({ components }, 'spec.yaml');
    let calls = 0;
    const inliner = createInliner(
      ctx,
      (node) => {
        calls += 1;
        return node;
      },
      3,
    );
    const result = inliner.inline(
      { type: 'object', properties: { a: { $ref: '#/components/schemas/Order' }, b: { $ref: '#/components/schemas/Order' } } },
      '#',
    );
    expect(calls).toBe(3);
    const properties = isRecord(result) && isRecord(result.properties) ? result.properties : {};
    expect(properties.a).toBeDefined();
    expect(properties.a).toBe(properties.b);
  });
});

const blob = { type: 'object', description: 'A blob whose description alone is over the budget. '.repeat(3), properties: { v: { type: 'integer' } } };
const budgetComponents = {
  schemas: {
    Blob: blob,
    Big: {
      type: 'object',
      required: ['d'],
      properties: {
        a: { $ref: '#/components/schemas/Blob' },
        b: { $ref: '#/components/schemas/Blob' },
        c: { type: 'string' },
        d: { $ref: '#/components/schemas/Blob' },
        e: { type: 'array', items: { type: 'integer' } },
      },
    },
  },
};

describe('inlineRefs within the size budget', () => {
  it.each([
    [
      'once the budget is spent, optional properties that hold schemas are left out unwalked; required and leaf ones stay',
      {
        maxBytes: 100,
        want: { type: 'object', required: ['d'], properties: { a: blob, c: { type: 'string' }, d: { type: 'object' } } },
        notes: [
          'stopped expanding at the schema size budget of 100 bytes: Blob',
          'left out the remaining properties at the schema size budget of 100 bytes: Big',
        ],
      },
    ],
    [
      'within the budget every property is expanded',
      {
        maxBytes: 4096,
        want: {
          type: 'object',
          required: ['d'],
          properties: { a: blob, b: blob, c: { type: 'string' }, d: blob, e: { type: 'array', items: { type: 'integer' } } },
        },
        notes: [],
      },
    ],
  ])('%s', (_name, { maxBytes, want, notes }) => {
    const ctx = createLowerContext({ components: budgetComponents }, 'spec.yaml');
    const inliner = createInliner(ctx, identity, 3, { maxBytes });
    expect(inliner.inline({ $ref: '#/components/schemas/Big' }, '#')).toEqual(want);
    expect(ctx.notes.render()).toEqual(notes);
  });

  // Issue 14: the budget bounds the schema while it is built. Before, every schema still open when the budget ran out
  // kept a stub for each of its 400 properties, so the schema grew with the size of the graph (164 KB here).
  it('a complete graph of 400 schemas expands to a schema within its budget, with a note naming what was left out', () => {
    const doc = parseJsonObject(scalingSpec('complete', 400));
    const ctx = createLowerContext(doc, 'scaling.json');
    const maxBytes = 65536;
    const schema = createInliner(ctx, identity, 3, { maxBytes }).inline({ $ref: '#/components/schemas/Thing0' }, '#');
    expect(JSON.stringify(schema).length).toBeLessThan(maxBytes * 1.25);
    expect(ctx.notes.render().find((note) => note.startsWith(`left out the remaining properties at the schema size budget of ${maxBytes} bytes: `))).toMatch(
      /Thing0\b/,
    );
  });
});

describe('resolvePointer', () => {
  it.each([
    ['the whole document', '#', { a: [1, { 'x/y': 2 }] }],
    ['an array element', '#/a/0', 1],
    ['an escaped token', '#/a/1/x~1y', 2],
    ['a percent-encoded token', '#/a/1/x%2Fy', 2],
    ['nothing for a missing key', '#/b', undefined],
    ['nothing for a bad index', '#/a/01', undefined],
  ] as const)('%s', (_name, ref, want) => {
    expect(resolvePointer({ a: [1, { 'x/y': 2 }] }, ref)).toEqual(want);
  });
});
