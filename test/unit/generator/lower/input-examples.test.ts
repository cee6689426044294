import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isInformative, pruneExamples } from '../../../../generator/lower/input-examples.js';
import type { InputExamples } from '../../../../generator/lower/lower-types.js';

type Case = [string, { given: Record<string, unknown>; informative: boolean }];

const cases: Case[] = [
  ['a plain string example', { given: { type: 'string', description: 'Trading account ID.', examples: ['TEST-ACCOUNT-001'] }, informative: true }],
  ['with an enum', { given: { type: 'string', enum: ['day', 'week'], examples: ['day'] }, informative: false }],
  ['with a const', { given: { const: 'USD', examples: ['USD'] }, informative: false }],
  ['with a format', { given: { type: 'string', format: 'date', examples: ['2026-01-16'] }, informative: false }],
  ['with a pattern', { given: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', examples: ['175.50'] }, informative: false }],
  ['of an integer', { given: { type: 'integer', minimum: 1, examples: [1] }, informative: false }],
  ['of a nullable number', { given: { type: ['number', 'null'], examples: [1.5] }, informative: false }],
  ['of a boolean', { given: { type: 'boolean', examples: [true] }, informative: false }],
  [
    'already in the description',
    { given: { type: 'string', description: 'Stock ticker, e.g. AAPL or MSFT.', examples: ['AAPL', 'MSFT'] }, informative: false },
  ],
  ['only partly in the description', { given: { type: 'string', description: 'Stock ticker, e.g. AAPL.', examples: ['AAPL', 'BRK.B'] }, informative: true }],
  ['a non-string value in the description', { given: { description: 'Any JSON, e.g. {"a":1}.', examples: [{ a: 1 }] }, informative: false }],
  ['of an untyped node', { given: { description: 'Anything.', examples: [{ a: 1 }] }, informative: true }],
];

describe('isInformative', () => {
  it.each(cases)('%s', (_name, { given, informative }) => {
    expect(isInformative(given)).toBe(informative);
  });
});

describe('pruneExamples', () => {
  const schema = {
    type: 'array',
    description: 'Option legs.',
    items: {
      type: 'object',
      properties: {
        symbol: { type: 'string', description: 'Leg underlying.', examples: ['AAPL'] },
        ratioQty: { type: 'string', pattern: '^\\d+$', description: 'Leg ratio.', examples: ['1'] },
      },
    },
  };
  const legSchema = z.looseObject({ items: z.looseObject({ properties: z.looseObject({ symbol: z.looseObject({}), ratioQty: z.looseObject({}) }) }) });
  const legProperties = (pruned: unknown) => legSchema.parse(pruned).items.properties;

  it.each<[InputExamples | undefined, boolean, boolean]>([
    [undefined, true, true],
    ['all', true, true],
    ['informative', true, false],
    ['none', false, false],
  ])('%s keeps the symbol example: %s, the ratio example: %s, at any depth', (mode, symbolKept, ratioKept) => {
    const { schema: pruned, dropped } = pruneExamples(schema, mode);
    expect(Object.hasOwn(legProperties(pruned).symbol, 'examples')).toBe(symbolKept);
    expect(Object.hasOwn(legProperties(pruned).ratioQty, 'examples')).toBe(ratioKept);
    expect(dropped).toBe(!symbolKept || !ratioKept);
    expect(legProperties(pruned).ratioQty).toMatchObject({ type: 'string', pattern: '^\\d+$', description: 'Leg ratio.' });
  });

  it('leaves the given schema untouched', () => {
    const before = JSON.stringify(schema);
    pruneExamples(schema, 'none');
    expect(JSON.stringify(schema)).toBe(before);
  });

  it('reports nothing dropped when there are no examples', () => {
    expect(pruneExamples({ type: 'string', description: 'x' }, 'none')).toEqual({ schema: { type: 'string', description: 'x' }, dropped: false });
  });
});
