import { describe, expect, it } from 'vitest';
import { mergeAllOf, mergeAllOfForced } from '../../../../generator/lower/merge-all-of.js';
import type { SchemaRecord } from '../../../../generator/lower/schema-walk.js';

type Case = [string, { given: SchemaRecord; want: SchemaRecord }];

const cases: Case[] = [
  [
    'merges object branches: properties and required union',
    {
      given: {
        description: 'Order',
        allOf: [
          { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          { type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] },
        ],
      },
      want: { description: 'Order', properties: { id: { type: 'string' }, qty: { type: 'integer' } }, required: ['id', 'qty'], type: 'object' },
    },
  ],
  [
    'the node itself and earlier branches win on other keywords',
    {
      given: {
        allOf: [
          { type: 'string', description: 'first', maxLength: 3 },
          { type: 'string', description: 'second', minLength: 1 },
        ],
      },
      want: { description: 'first', maxLength: 3, minLength: 1, type: 'string' },
    },
  ],
  [
    'a required-only branch adds to required',
    {
      given: { allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { required: ['a'] }] },
      want: { properties: { a: { type: 'string' } }, required: ['a'], type: 'object' },
    },
  ],
  [
    'the same property in two branches is merged',
    {
      given: { allOf: [{ properties: { a: { type: 'string' } } }, { properties: { a: { maxLength: 2 } } }] },
      want: { properties: { a: { maxLength: 2, type: 'string' } }, type: 'object' },
    },
  ],
  [
    'null stays only if every typed branch allows it',
    {
      given: { allOf: [{ type: ['object', 'null'] }, { type: 'object', properties: {} }] },
      want: { properties: {}, type: 'object' },
    },
  ],
  [
    'branches of different types are left alone',
    {
      given: { allOf: [{ type: 'string' }, { type: 'object' }] },
      want: { allOf: [{ type: 'string' }, { type: 'object' }] },
    },
  ],
  [
    'one union branch moves to the result',
    {
      given: { allOf: [{ type: 'object', properties: { a: {} } }, { oneOf: [{ required: ['a'] }, { required: ['b'] }] }] },
      want: { properties: { a: {} }, oneOf: [{ required: ['a'] }, { required: ['b'] }], type: 'object' },
    },
  ],
];

describe('mergeAllOf', () => {
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(mergeAllOf(given)).toEqual(want);
  });

  it('forced, merges conflicting branches and says why', () => {
    const merged = mergeAllOfForced({ allOf: [{ type: 'string' }, { type: 'object', properties: { a: {} } }] });
    expect(merged).toEqual({ schema: { properties: { a: {} }, type: 'object' }, conflicts: ['string vs object'] });
  });
});
