import { describe, expect, it } from 'vitest';
import type { LowerArgument } from '../../../../generator/lower/lower-argument.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import { fitInputBudget, MAX_ROOT_DESCRIPTION } from '../../../../generator/lower/schema-budget.js';

const words = (n: number): string => 'word '.repeat(n).trim();

const symbol: LowerArgument = {
  segments: ['symbol'],
  key: 'symbol',
  in: 'query',
  schema: { type: 'string', description: words(100) },
  required: true,
  pointer: '#',
};
const legsSchema = {
  type: 'array',
  description: 'Legs',
  items: {
    type: 'object',
    properties: { side: { type: 'string', description: words(150), examples: ['buy'] }, qty: { type: 'string', description: words(150) } },
  },
};
const legs: LowerArgument = { segments: ['legs'], key: 'legs', in: 'body', bodyPath: ['legs'], schema: legsSchema, required: false, pointer: '#' };
const order: LowerArgument = {
  segments: ['order'],
  key: 'order',
  in: 'body',
  bodyPath: ['order'],
  schema: { type: 'object', properties: { note: { type: 'string' } } },
  required: false,
  pointer: '#',
};
const orderNote: LowerArgument = {
  segments: ['order', 'note'],
  key: 'order.note',
  in: 'body',
  bodyPath: ['order', 'note'],
  schema: { type: 'string', description: words(300) },
  required: false,
  pointer: '#',
  root: order,
};

type Case = [string, { given: LowerArgument[]; max: number; want: Record<string, unknown>; notes: number; errors?: number }];

const cases: Case[] = [
  [
    'under budget: unchanged',
    {
      given: [symbol],
      max: 16384,
      notes: 0,
      want: { symbol: symbol.schema },
    },
  ],
  [
    'first strips nested descriptions and examples',
    {
      given: [symbol, legs],
      max: 1200,
      notes: 1,
      want: {
        symbol: symbol.schema,
        legs: { type: 'array', description: 'Legs', items: { type: 'object', properties: { side: { type: 'string' }, qty: { type: 'string' } } } },
      },
    },
  ],
  [
    'then cuts root descriptions',
    {
      given: [symbol, legs],
      max: 600,
      notes: 2,
      want: {
        symbol: { type: 'string', description: `${words(100).slice(0, MAX_ROOT_DESCRIPTION - 1)}…` },
        legs: { type: 'array', description: 'Legs', items: { type: 'object', properties: { side: { type: 'string' }, qty: { type: 'string' } } } },
      },
    },
  ],
  [
    'then takes optional object-ish arguments as JSON strings, largest first',
    {
      given: [symbol, orderNote, legs],
      max: 620,
      notes: 4,
      want: {
        symbol: { type: 'string', description: `${words(100).slice(0, MAX_ROOT_DESCRIPTION - 1)}…` },
        order: { type: 'string', description: 'JSON-encoded object: {note?: string}' },
        legs: { type: 'string', description: 'Legs. JSON-encoded array: {side?: string, qty?: string}[]' },
      },
    },
  ],
  [
    'finally reports an error with the size',
    {
      given: [symbol],
      max: 100,
      notes: 2,
      errors: 1,
      want: { symbol: { type: 'string', description: `${words(100).slice(0, MAX_ROOT_DESCRIPTION - 1)}…` } },
    },
  ],
];

describe('fitInputBudget', () => {
  it.each(cases)('%s', (_name, { given, max, want, notes, errors = 0 }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    const result = fitInputBudget(given, max, ctx, '#/paths/~1x/post');
    expect(result.inputSchema.properties).toEqual(want);
    expect(ctx.notes.render()).toHaveLength(notes);
    expect(ctx.issues.filter((issue) => issue.code === 'lower.input-too-large' && issue.severity === 'error')).toHaveLength(errors);
    if (errors === 0) expect(result.bytes).toBeLessThanOrEqual(max);
    expect(result.routes.map((route) => route.argument)).toEqual(Object.keys(want));
  });
});
