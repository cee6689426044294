import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../../runtime/contract/tool-definition.js';
import { findOversizedArgument, MAX_ARGUMENT_VALUES, MAX_STRING_CHARS } from '../../../../runtime/mcp/oversized-arguments.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    symbol: { type: 'string', maxLength: 10 },
    note: { type: 'string' },
    legs: { type: 'array', maxItems: 4, items: { type: 'object', properties: { side: { type: 'string', maxLength: 4 } }, additionalProperties: false } },
    ids: { type: 'array', items: { type: 'string' } },
    tags: { type: 'object', maxProperties: 2 },
  },
  additionalProperties: false,
};

const many = <T>(count: number, make: (index: number) => T): T[] => Array.from({ length: count }, (_unused, index) => make(index));

describe('findOversizedArgument', () => {
  const cases: [string, { given: Record<string, unknown>; want: string | undefined }][] = [
    ['accepts plausible arguments', { given: { symbol: 'MSFT', legs: [{ side: 'BUY' }], ids: ['a', 'b'] }, want: undefined }],
    [
      'leaves a value a little over its limit to the schema (which names every problem)',
      { given: { symbol: 'X'.repeat(30), legs: many(12, () => ({})) }, want: undefined },
    ],
    ['refuses an array far beyond maxItems', { given: { legs: many(450_000, () => ({})) }, want: 'legs: must have at most 4 items (got 450000)' }],
    ['refuses a string far beyond maxLength', { given: { symbol: 'X'.repeat(37) }, want: 'symbol: must be at most 10 characters (got 37)' }],
    ['names nested fields', { given: { legs: [{ side: 'BUY' }, { side: 'S'.repeat(500) }] }, want: 'legs[1].side: must be at most 4 characters (got 500)' }],
    [
      'refuses an object far beyond maxProperties',
      { given: { tags: Object.fromEntries(many(40, (index) => [`t${index}`, 1] as const)) }, want: 'tags: must have at most 2 properties (got 40)' },
    ],
    [
      'refuses a flood of unknown arguments',
      {
        given: Object.fromEntries(many(17, (index) => [`x${index}`, 1] as const)),
        want: 'arguments: 17 unknown properties (the input schema lists the ones it takes)',
      },
    ],
    [
      'refuses a flood of unknown properties in an item',
      {
        given: { legs: [Object.fromEntries(many(20, (index) => [`x${index}`, 1] as const))] },
        want: 'legs[0]: 20 unknown properties (the input schema lists the ones it takes)',
      },
    ],
    [
      'refuses any huge string, even without maxLength',
      { given: { note: 'n'.repeat(MAX_STRING_CHARS + 1) }, want: `note: must be at most ${MAX_STRING_CHARS} characters (got ${MAX_STRING_CHARS + 1})` },
    ],
    [
      'refuses any huge array, even without maxItems',
      {
        given: { ids: many(MAX_ARGUMENT_VALUES + 1, () => 'a') },
        want: `ids: must have at most ${MAX_ARGUMENT_VALUES} items (got ${MAX_ARGUMENT_VALUES + 1})`,
      },
    ],
    [
      'refuses too many values in all',
      {
        given: {
          ids: many(MAX_ARGUMENT_VALUES / 2, () => 'a'),
          legs: [{ side: 'B' }],
          note: 'x',
          tags: {},
          symbol: 'A',
          x: many(MAX_ARGUMENT_VALUES / 2, () => 1),
        },
        want: `arguments: hold more than ${MAX_ARGUMENT_VALUES} values, far more than this tool accepts`,
      },
    ],
  ];

  it.each(cases)('%s', (_name, { given, want }) => {
    expect(findOversizedArgument(given, schema)).toBe(want);
  });
});
