import { describe, expect, it } from 'vitest';
import { createOutputTransform } from '../../../../generator/lower/compact-output.js';
import { createInliner } from '../../../../generator/lower/inline-refs.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import { createOutputUnionPruner } from '../../../../generator/lower/prune-output-unions.js';

const components = {
  schemas: {
    Customer: { type: 'object', properties: { id: { type: 'string' }, invoice: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/Invoice' }] } } },
    Invoice: {
      type: 'object',
      properties: { total: { type: 'integer' }, customer: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/Customer' }] } },
    },
    Card: { type: 'object', properties: { last4: { type: 'string' } } },
    Alias: { $ref: '#/components/schemas/Customer' },
    Mixed: { allOf: [{ type: 'string' }] },
  },
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

type Case = [string, { given: Record<string, unknown>; pruned: readonly string[] }];

const cases: Case[] = [
  ['an "id or expanded object" union', { given: { anyOf: [{ type: 'string' }, ref('Customer')] }, pruned: ['anyOf'] }],
  ['a scalar or an array', { given: { oneOf: [{ type: 'string' }, { type: 'array', items: ref('Card') }] }, pruned: ['oneOf'] }],
  ['kinds through a reference chain, null variants ignored', { given: { anyOf: [{ type: 'null' }, { type: 'integer' }, ref('Alias')] }, pruned: ['anyOf'] }],
  ['only the mixed one of two unions', { given: { anyOf: [{ type: 'string' }, ref('Card')], oneOf: [ref('Card'), ref('Customer')] }, pruned: ['anyOf'] }],
  ['objects only: merged, so kept', { given: { oneOf: [ref('Card'), ref('Customer')] }, pruned: [] }],
  ['integer and number are one kind', { given: { anyOf: [{ type: 'integer' }, { type: 'number' }] }, pruned: [] }],
  ['a variant whose kind depends on its combinators', { given: { anyOf: [{ type: 'integer' }, ref('Mixed')] }, pruned: [] }],
  ['a reference with constraints beside it', { given: { anyOf: [{ type: 'string' }, { ...ref('Card'), required: ['last4'] }] }, pruned: [] }],
  ['a variant without a type', { given: { anyOf: [{ type: 'string' }, { description: 'anything' }] }, pruned: [] }],
];

describe('createOutputUnionPruner', () => {
  it.each(cases)('%s', (_name, { given, pruned }) => {
    const ctx = createLowerContext({ components }, 'spec.yaml');
    const out = createOutputUnionPruner(ctx)(given);
    expect(['anyOf', 'oneOf'].filter((keyword) => keyword in given && !(keyword in out))).toEqual(pruned);
  });

  // The point of the rule: the same compacted schema, without expanding what compaction throws away.
  it.each(cases)('%s: the output schema is the same as with the union expanded', (_name, { given }) => {
    const compacted = (prune: boolean) => {
      const ctx = createLowerContext({ components }, 'spec.yaml');
      const options = prune ? { prune: createOutputUnionPruner(ctx) } : {};
      return createInliner(ctx, createOutputTransform(new WeakSet()), 3, options).inline({ type: 'object', properties: { x: given } }, '#');
    };
    expect(compacted(true)).toEqual(compacted(false));
  });
});
