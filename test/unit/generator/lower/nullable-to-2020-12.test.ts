import { describe, expect, it } from 'vitest';
import { NoteBook } from '../../../../generator/lower/lower-context.js';
import { nullableTo202012 } from '../../../../generator/lower/nullable-to-2020-12.js';

type Case = [string, { given: unknown; want: unknown }];

const cases: Case[] = [
  ['nullable with a type adds "null"', { given: { type: 'string', nullable: true }, want: { type: ['string', 'null'] } }],
  ['nullable on a type array adds "null" once', { given: { type: ['string', 'integer'], nullable: true }, want: { type: ['string', 'integer', 'null'] } }],
  [
    'nullable enum gets null in the enum',
    {
      given: { type: 'string', enum: ['a', 'b'], nullable: true },
      want: { type: ['string', 'null'], enum: ['a', 'b', null] },
    },
  ],
  ['nullable const becomes an enum with null', { given: { const: 'x', nullable: true }, want: { enum: ['x', null] } }],
  [
    'nullable without a type wraps in anyOf, description moves out',
    {
      given: { description: 'A pet', properties: { a: { type: 'string' } }, nullable: true },
      want: { description: 'A pet', anyOf: [{ properties: { a: { type: 'string' } } }, { type: 'null' }] },
    },
  ],
  ['nullable on {} is just dropped', { given: { nullable: true, description: 'anything' }, want: { description: 'anything' } }],
  ['nullable: false is dropped', { given: { type: 'integer', nullable: false }, want: { type: 'integer' } }],
  [
    'boolean exclusiveMinimum takes the minimum',
    {
      given: { type: 'number', minimum: 0, exclusiveMinimum: true },
      want: { type: 'number', exclusiveMinimum: 0 },
    },
  ],
  [
    'boolean exclusiveMaximum takes the maximum',
    {
      given: { type: 'number', maximum: 10, exclusiveMaximum: true },
      want: { type: 'number', exclusiveMaximum: 10 },
    },
  ],
  [
    'exclusiveMinimum: false is dropped, minimum stays',
    {
      given: { type: 'number', minimum: 1, exclusiveMinimum: false },
      want: { type: 'number', minimum: 1 },
    },
  ],
  ['numeric exclusiveMinimum (2020-12) is kept', { given: { type: 'number', exclusiveMinimum: 3 }, want: { type: 'number', exclusiveMinimum: 3 } }],
  ['example becomes examples', { given: { type: 'string', example: 'AAPL' }, want: { type: 'string', examples: ['AAPL'] } }],
  [
    'tuple items become prefixItems, additionalItems becomes items',
    {
      given: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false },
      want: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
    },
  ],
  [
    'children are converted too',
    {
      given: { type: 'object', properties: { a: { type: 'string', nullable: true }, b: { type: 'array', items: { type: 'integer', nullable: true } } } },
      want: { type: 'object', properties: { a: { type: ['string', 'null'] }, b: { type: 'array', items: { type: ['integer', 'null'] } } } },
    },
  ],
  ['3.1 type arrays and const are kept', { given: { type: ['string', 'null'], const: 'a' }, want: { type: ['string', 'null'], const: 'a' } }],
];

describe('nullableTo202012', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(nullableTo202012(given)).toEqual(want);
  });

  it('notes what it converted', () => {
    const notes = new NoteBook();
    nullableTo202012({ type: 'array', items: [{ type: 'string', nullable: true }], maxItems: 1, exclusiveMaximum: false }, notes);
    expect(notes.render()).toEqual(['converted to JSON Schema 2020-12: nullable, boolean exclusive bounds, tuple items']);
  });
});
