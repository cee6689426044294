import { describe, expect, it } from 'vitest';
import { flattenRoot, stripNull } from '../../../../generator/lower/flatten-root.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';

type Case = [string, { given: unknown; want: unknown; notes?: string[]; issues?: string[] }];

const cases: Case[] = [
  [
    'leaves a plain object alone',
    {
      given: { type: 'object', properties: { a: { type: 'string' } } },
      want: { type: 'object', properties: { a: { type: 'string' } } },
    },
  ],
  ['removes a nullable type at the root', { given: { type: ['object', 'null'], properties: {} }, want: { type: 'object', properties: {} } }],
  [
    'unwraps anyOf [X, null] at the root',
    {
      given: { description: 'Body', anyOf: [{ type: 'object', properties: { a: {} } }, { type: 'null' }] },
      want: { type: 'object', properties: { a: {} }, description: 'Body' },
    },
  ],
  [
    'merges a root allOf',
    {
      given: {
        allOf: [
          { type: 'object', properties: { a: {} }, required: ['a'] },
          { type: 'object', properties: { b: {} } },
        ],
      },
      want: { properties: { a: {}, b: {} }, required: ['a'], type: 'object' },
    },
  ],
  [
    'warns when root allOf branches disagree',
    {
      given: { allOf: [{ type: 'object', properties: { a: {} } }, { type: 'string' }] },
      want: { properties: { a: {} }, type: 'object' },
      issues: ['lower.allof-conflict'],
    },
  ],
  [
    'merges a oneOf of objects; required only where every variant requires it',
    {
      given: {
        oneOf: [
          { type: 'object', properties: { symbol: { type: 'string' }, limit: { type: 'string' } }, required: ['symbol', 'limit'] },
          { type: 'object', properties: { symbol: { type: 'string' }, stop: { type: 'string' } }, required: ['symbol', 'stop'] },
        ],
      },
      want: { type: 'object', properties: { symbol: { type: 'string' }, limit: { type: 'string' }, stop: { type: 'string' } }, required: ['symbol'] },
      notes: ['merged oneOf request body into one object; one of: option 1 (fields symbol, limit) | option 2 (fields symbol, stop)'],
    },
  ],
  [
    'keeps the base properties and unions differing enums',
    {
      given: {
        type: 'object',
        properties: { account: { type: 'string' } },
        required: ['account'],
        anyOf: [
          { type: 'object', properties: { kind: { type: 'string', enum: ['market'] } }, required: ['kind'] },
          { type: 'object', properties: { kind: { type: 'string', enum: ['limit'] }, price: { type: 'string' } }, required: ['kind', 'price'] },
        ],
      },
      want: {
        type: 'object',
        properties: { account: { type: 'string' }, kind: { type: 'string', enum: ['market', 'limit'] }, price: { type: 'string' } },
        required: ['account', 'kind'],
      },
      notes: ['merged anyOf request body into one object; one of: option 1 (fields kind) | option 2 (fields kind, price)'],
    },
  ],
  [
    'leaves a union with non-objects alone',
    {
      given: { oneOf: [{ type: 'string' }, { type: 'object', properties: {} }] },
      want: { oneOf: [{ type: 'string' }, { type: 'object', properties: {} }] },
    },
  ],
];

describe('flattenRoot', () => {
  it.each(cases)('%s', (_name, { given, want, notes = [], issues = [] }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    expect(flattenRoot(given, ctx, '#/body')).toEqual(want);
    expect(ctx.notes.render()).toEqual(notes);
    expect(ctx.issues.map((issue) => issue.code)).toEqual(issues);
  });

  it('strips only nullability', () => {
    expect(stripNull({ type: 'string' })).toEqual({ type: 'string' });
  });
});
