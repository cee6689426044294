import { describe, expect, it } from 'vitest';
import { summarizeShape } from '../../../../generator/lower/shape-summary.js';

type Case = [string, { given: unknown; want: string; max?: number }];

const cases: Case[] = [
  ['scalars with formats', { given: { type: 'string', format: 'date' }, want: 'string<date>' }],
  [
    'objects mark optional fields',
    {
      given: { type: 'object', properties: { symbol: { type: 'string' }, qty: { type: 'integer' } }, required: ['symbol'] },
      want: '{symbol: string, qty?: integer}',
    },
  ],
  ['enums and const', { given: { type: 'object', properties: { side: { enum: ['buy', 'sell'] }, v: { const: 1 } } }, want: '{side?: "buy"|"sell", v?: 1}' }],
  ['long enums are cut', { given: { enum: [1, 2, 3, 4, 5, 6, 7] }, want: '1|2|3|4|5|6|…' }],
  ['arrays and unions', { given: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } }, want: '(string | integer)[]' }],
  ['maps', { given: { type: 'object', additionalProperties: { type: 'number' } }, want: '{[key: string]: number}' }],
  [
    'nesting below three levels is elided',
    {
      given: {
        type: 'object',
        properties: { a: { type: 'object', properties: { b: { type: 'object', properties: { c: { type: 'object', properties: { d: {} } } } } } } },
      },
      want: '{a?: {b?: {c?: {…}}}}',
    },
  ],
  ['cut to the maximum length', { given: { type: 'object', properties: { abcdefgh: { type: 'string' } } }, want: '{abcdefgh?…', max: 11 }],
  ['nullable types', { given: { type: ['string', 'null'] }, want: 'string | null' }],
  ['no schema', { given: {}, want: 'any' }],
];

describe('summarizeShape', () => {
  it.each(cases)('%s', (_name, { given, want, max }) => {
    expect(summarizeShape(given, max)).toBe(want);
  });
});
