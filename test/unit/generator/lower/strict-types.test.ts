import { describe, expect, it } from 'vitest';
import { enforceStrictTypes } from '../../../../generator/lower/strict-types.js';
import { expectStrictSchema } from './strict-ajv.js';

type Case = [string, { given: unknown; want: unknown }];

const cases: Case[] = [
  [
    'infers object from properties',
    {
      given: { properties: { a: { minLength: 1 } } },
      want: { properties: { a: { minLength: 1, type: 'string' } }, type: 'object' },
    },
  ],
  ['infers integer from an int64 format', { given: { format: 'int64' }, want: { format: 'int64', type: 'integer' } }],
  ['infers string from a string format', { given: { format: 'date' }, want: { format: 'date', type: 'string' } }],
  [
    'drops keywords of another type',
    {
      given: { type: 'string', minimum: 1, items: { type: 'string' }, maxLength: 3 },
      want: { type: 'string', maxLength: 3 },
    },
  ],
  ['drops format on objects', { given: { type: 'object', format: 'uri' }, want: { type: 'object' } }],
  [
    'drops type keywords of several types when no type says which',
    {
      given: { minimum: 1, maxLength: 2, description: 'd' },
      want: { description: 'd' },
    },
  ],
  ['keeps [T, "null"] unions', { given: { type: ['string', 'null'], minLength: 1 }, want: { type: ['string', 'null'], minLength: 1 } }],
  [
    'splits other unions into anyOf',
    {
      given: { type: ['string', 'integer', 'null'], minLength: 1, minimum: 0, description: 'id' },
      want: { description: 'id', anyOf: [{ minLength: 1, type: 'string' }, { minimum: 0, type: 'integer' }, { type: 'null' }] },
    },
  ],
  [
    'required names must be properties',
    {
      given: { type: 'object', properties: { a: {} }, required: ['a', 'b'] },
      want: { type: 'object', properties: { a: {} }, required: ['a'] },
    },
  ],
  ['required without properties is dropped', { given: { type: 'object', required: ['a'] }, want: { type: 'object' } }],
  [
    'closed fixed tuples are kept',
    {
      given: { type: 'array', prefixItems: [{ type: 'string' }], minItems: 1, items: false },
      want: { type: 'array', prefixItems: [{ type: 'string' }], minItems: 1, items: false },
    },
  ],
  [
    'open tuples are loosened to items anyOf',
    {
      given: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] },
      want: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
    },
  ],
  ['readOnly markers are removed', { given: { type: 'string', readOnly: true }, want: { type: 'string' } }],
];

describe('enforceStrictTypes', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    const result = enforceStrictTypes(given);
    expect(result).toEqual(want);
    expectStrictSchema(result);
  });
});
