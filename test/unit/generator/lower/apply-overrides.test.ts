import { describe, expect, it } from 'vitest';
import { applyNestedOverrides, applyRootOverrides, reportUnknownOverrides, type Overrides } from '../../../../generator/lower/apply-overrides.js';
import type { LowerArgument } from '../../../../generator/lower/lower-argument.js';
import { createLowerContext } from '../../../../generator/lower/lower-context.js';
import type { PinnedValue } from '../../../../generator/lower/lower-types.js';

const accountId: LowerArgument = { segments: ['accountId'], key: 'accountId', in: 'path', schema: { type: 'string' }, required: true, pointer: '#' };
const limit: LowerArgument = { segments: ['limit'], key: 'limit', in: 'query', schema: { type: 'integer' }, required: false, pointer: '#' };
const order: LowerArgument = { segments: ['order'], key: 'order', in: 'body', bodyPath: ['order'], schema: { type: 'object' }, required: true, pointer: '#' };
const price: LowerArgument = {
  segments: ['order', 'price'],
  key: 'order.price',
  in: 'body',
  bodyPath: ['order', 'price'],
  schema: { type: 'string' },
  required: true,
  pointer: '#',
  root: order,
};
const stop: LowerArgument = {
  segments: ['order', 'stop', 'price'],
  key: 'order.stop.price',
  in: 'body',
  bodyPath: ['order', 'stop', 'price'],
  schema: { type: 'string' },
  required: false,
  pointer: '#',
  root: order,
};

interface Want {
  readonly args: readonly Pick<LowerArgument, 'segments' | 'key' | 'schema' | 'required'>[];
  readonly pinned: readonly PinnedValue[];
  readonly errors?: readonly string[];
}
type Case = [string, { stage: 'root' | 'nested'; given: LowerArgument[]; overrides: Overrides; want: Want }];

const pick = ({ segments, key, schema, required }: LowerArgument) => ({ segments, key, schema, required });

const cases: Case[] = [
  [
    'rename, description and default (a default makes the argument optional)',
    {
      stage: 'root',
      given: [accountId, limit],
      overrides: { accountId: { rename: 'account', description: 'Your account' }, limit: { default: 50 } },
      want: {
        args: [
          { segments: ['account'], key: 'accountId', schema: { type: 'string', description: 'Your account' }, required: true },
          { segments: ['limit'], key: 'limit', schema: { type: 'integer', default: 50 }, required: false },
        ],
        pinned: [],
      },
    },
  ],
  [
    'hidden removes the argument',
    { stage: 'root', given: [accountId, limit], overrides: { limit: { hidden: true } }, want: { args: [pick(accountId)], pinned: [] } },
  ],
  [
    'pin removes it and sends the value',
    {
      stage: 'root',
      given: [accountId, limit],
      overrides: { accountId: { pin: 'ACC-1' } },
      want: { args: [pick(limit)], pinned: [{ in: 'path', name: 'accountId', value: 'ACC-1' }] },
    },
  ],
  [
    'pinning a body property keeps its body path',
    {
      stage: 'root',
      given: [order],
      overrides: { order: { pin: { type: 'market' } } },
      want: { args: [], pinned: [{ in: 'body', name: 'order', bodyPath: ['order'], value: { type: 'market' } }] },
    },
  ],
  [
    'dotted keys reach flattened arguments',
    {
      stage: 'nested',
      given: [price, stop],
      overrides: { 'order.price': { rename: 'limit_price', description: 'Limit' } },
      want: {
        args: [{ segments: ['limit_price'], key: 'order.price', schema: { type: 'string', description: 'Limit' }, required: true }, pick(stop)],
        pinned: [],
      },
    },
  ],
  [
    'a dotted prefix renames every argument under it',
    {
      stage: 'nested',
      given: [price, stop],
      overrides: { 'order.stop': { rename: 'stop' } },
      want: { args: [pick(price), { segments: ['stop', 'price'], key: 'order.stop.price', schema: { type: 'string' }, required: false }], pinned: [] },
    },
  ],
  [
    'pinning a dotted prefix pins the object once',
    {
      stage: 'nested',
      given: [price, stop],
      overrides: { 'order.stop': { pin: { price: '1' } } },
      want: { args: [pick(price)], pinned: [{ in: 'body', name: 'order.stop', bodyPath: ['order', 'stop'], value: { price: '1' } }] },
    },
  ],
];

describe('applyOverrides', () => {
  it.each(cases)('%s', (_name, { stage, given, overrides, want }) => {
    const ctx = createLowerContext({}, 'spec.yaml');
    const used = new Set<string>();
    const result = stage === 'root' ? applyRootOverrides(given, overrides, used, ctx) : applyNestedOverrides(given, overrides, used, ctx);
    expect(result.args.map(pick)).toEqual(want.args);
    expect(result.pinned).toEqual(want.pinned);
    expect([...used].sort()).toEqual(Object.keys(overrides).sort());
  });

  it('reports unknown keys with the available ones', () => {
    const ctx = createLowerContext({}, 'spec.yaml');
    reportUnknownOverrides({ acount: { hidden: true }, 'legs.side': { pin: 'buy' } }, new Set(), ['accountId', 'legs'], '#/paths/~1v1~1orders/post', ctx);
    expect(ctx.issues).toEqual([
      {
        code: 'lower.unknown-override',
        severity: 'error',
        file: 'spec.yaml',
        pointer: '#/paths/~1v1~1orders/post',
        message: 'Override "acount" matches no parameter or body property of this operation. Available: accountId, legs.',
        fix: 'Use the upstream parameter name or the dotted body path exactly as in the spec.',
      },
      {
        code: 'lower.unknown-override',
        severity: 'error',
        file: 'spec.yaml',
        pointer: '#/paths/~1v1~1orders/post',
        message:
          'Override "legs.side" matches no parameter or body property of this operation ("legs" is one argument, not flattened; override "legs" as a whole). Available: accountId, legs.',
        fix: 'Use the upstream parameter name or the dotted body path exactly as in the spec.',
      },
    ]);
  });
});
