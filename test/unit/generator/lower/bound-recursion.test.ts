import { describe, expect, it } from 'vitest';
import { createInliner } from '../../../../generator/lower/inline-refs.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import type { SchemaRecord } from '../../../../generator/lower/schema-walk.js';

const identity = (node: SchemaRecord): SchemaRecord => node;

const schemas = {
  Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
  A: { type: 'object', properties: { b: { $ref: '#/components/schemas/B' } } },
  B: { type: 'object', properties: { a: { $ref: '#/components/schemas/A' } } },
  Tags: { type: 'array', items: { $ref: '#/components/schemas/Tags' } },
  Holder: { type: 'object', properties: { left: { $ref: '#/components/schemas/A' }, right: { $ref: '#/components/schemas/B' } } },
};

const nodeStub = { type: 'object', description: 'Node nested deeper than 1 level is not described.' };
const level = (inner: unknown): unknown => ({ type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: inner } } });

type Case = [string, { given: unknown; depth: number; want: unknown; notes: string[] }];

const cases: Case[] = [
  [
    'cuts direct recursion at depth 1',
    {
      given: { $ref: '#/components/schemas/Node' },
      depth: 1,
      want: level(nodeStub),
      notes: ['cut recursive schemas after 1 level: Node'],
    },
  ],
  [
    'unrolls direct recursion to depth 2',
    {
      given: { $ref: '#/components/schemas/Node' },
      depth: 2,
      want: level(level({ type: 'object', description: 'Node nested deeper than 2 levels is not described.' })),
      notes: ['cut recursive schemas after 2 levels: Node'],
    },
  ],
  [
    'cuts a cycle through two schemas',
    {
      given: { $ref: '#/components/schemas/A' },
      depth: 1,
      want: {
        type: 'object',
        properties: { b: { type: 'object', properties: { a: { type: 'object', description: 'A nested deeper than 1 level is not described.' } } } },
      },
      notes: ['cut recursive schemas after 1 level: A'],
    },
  ],
  [
    'keeps the type of an array at the cut',
    {
      given: { $ref: '#/components/schemas/Tags' },
      depth: 1,
      want: { type: 'array', items: { type: 'array', description: 'Tags nested deeper than 1 level is not described.' } },
      notes: ['cut recursive schemas after 1 level: Tags'],
    },
  ],
  [
    'does not reuse a cut expansion from another position',
    {
      given: { $ref: '#/components/schemas/Holder' },
      depth: 1,
      want: {
        type: 'object',
        properties: {
          left: {
            type: 'object',
            properties: { b: { type: 'object', properties: { a: { type: 'object', description: 'A nested deeper than 1 level is not described.' } } } },
          },
          right: {
            type: 'object',
            properties: { a: { type: 'object', properties: { b: { type: 'object', description: 'B nested deeper than 1 level is not described.' } } } },
          },
        },
      },
      notes: ['cut recursive schemas after 1 level: A, B'],
    },
  ],
];

describe('boundRecursion', () => {
  it.each(cases)('%s', (_name, { given, depth, want, notes }) => {
    const ctx = createLowerContext({ components: { schemas } }, 'spec.yaml');
    expect(createInliner(ctx, identity, depth).inline(given, '#')).toEqual(want);
    expect(ctx.notes.render()).toEqual(notes);
  });
});
