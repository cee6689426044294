import { describe, expect, it } from 'vitest';
import { boundStringLengths } from '../../../../generator/lower/default-max-length.js';
import type { LowerArgument } from '../../../../generator/lower/lower-argument.js';

const arg = (schema: unknown, extra: Partial<LowerArgument> = {}): LowerArgument => ({
  segments: ['a'],
  key: 'a',
  in: 'query',
  schema,
  required: false,
  pointer: '#',
  ...extra,
});

describe('boundStringLengths (issue 12 finding 2: every string reaching the request has a maxLength)', () => {
  it.each([
    ['a query string gets the URL default', { given: arg({ type: 'string' }), want: { type: 'string', maxLength: 256 }, added: true }],
    ['a path string too', { given: arg({ type: 'string' }, { in: 'path' }), want: { type: 'string', maxLength: 256 }, added: true }],
    [
      'a nullable body string gets the body default',
      { given: arg({ type: ['string', 'null'] }, { in: 'body' }), want: { type: ['string', 'null'], maxLength: 4096 }, added: true },
    ],
    [
      'a JSON-string argument gets the JSON default',
      { given: arg({ type: 'string' }, { in: 'body', jsonString: true }), want: { type: 'string', maxLength: 65536 }, added: true },
    ],
    [
      'strings inside array items of objects',
      {
        given: arg({ type: 'array', items: { type: 'object', properties: { symbol: { type: 'string' }, ratio: { type: 'integer' } } } }, { in: 'body' }),
        want: { type: 'array', items: { type: 'object', properties: { symbol: { type: 'string', maxLength: 4096 }, ratio: { type: 'integer' } } } },
        added: true,
      },
    ],
    [
      'the spec limit is kept, even a larger one',
      { given: arg({ type: 'string', maxLength: 100000 }), want: { type: 'string', maxLength: 100000 }, added: false },
    ],
    ['an enum is bounded already', { given: arg({ type: 'string', enum: ['buy', 'sell'] }), want: { type: 'string', enum: ['buy', 'sell'] }, added: false }],
    ['a const is bounded already', { given: arg({ type: 'string', const: 'x' }), want: { type: 'string', const: 'x' }, added: false }],
    ['numbers are left alone', { given: arg({ type: 'integer' }), want: { type: 'integer' }, added: false }],
  ] as const)('%s', (_name, { given, want, added }) => {
    const bounded = boundStringLengths(given);
    expect(bounded.arg.schema).toEqual(want);
    expect(bounded.added).toBe(added);
  });
});
