import { describe, expect, it } from 'vitest';
import type { SurfaceChange } from '../../../../generator/diff/change.js';
import { describeChange, textDelta } from '../../../../generator/diff/describe-change.js';
import { orderTool, searchTool } from './surface-kit.js';

describe('describeChange', () => {
  it.each<[string, { given: Omit<SurfaceChange, 'tool'>; want: string }]>([
    [
      'an enum narrowed',
      {
        given: { kind: 'argument.enum-narrowed', subject: 'venue', before: ['NYSE', 'NASDAQ'], after: ['NYSE', 'ARCA'] },
        want: 'argument `venue` accepts fewer values: drops `NASDAQ`; adds `ARCA`',
      },
    ],
    ['an enum added', { given: { kind: 'argument.enum-narrowed', subject: 'q', after: ['A'] }, want: 'argument `q` accepts fewer values: now limited to `A`' }],
    [
      'a constraint',
      {
        given: { kind: 'argument.constraint-tightened', subject: 'limit', keyword: 'maximum', before: 100, after: 50 },
        want: 'argument `limit` maximum tightened `100` → `50`',
      },
    ],
    [
      'a route',
      {
        given: {
          kind: 'argument.route-changed',
          subject: 'qty',
          before: { argument: 'qty', in: 'query', name: 'qty' },
          after: { argument: 'qty', in: 'body', name: 'qty', bodyPath: ['order', 'qty'] },
        },
        want: 'argument `qty` is sent upstream as body `order.qty` (was query `qty`)',
      },
    ],
    ['a value with a backtick', { given: { kind: 'tool.title-changed', subject: '', before: 'a', after: 'use `b`' }, want: 'title `a` → `` use `b` ``' }],
    [
      'a new destructive tool',
      {
        given: { kind: 'tool.added', subject: '', after: orderTool() },
        want: 'new write-capable, destructive tool: `POST /v1/orders`, scope `order:execution`',
      },
    ],
    [
      'a removed read-only tool',
      { given: { kind: 'tool.removed', subject: '', before: searchTool({ scopes: [] }) }, want: 'tool removed (was `GET /v1/symbols/search`, no scope)' },
    ],
  ])('%s', (_name, { given, want }) => {
    expect(describeChange({ tool: 't', ...given })).toBe(want);
  });
});

describe('textDelta', () => {
  it.each<[string, { given: [string | undefined, string | undefined]; want: string }]>([
    [
      'a word replaced mid-text',
      {
        given: ['Places a buy or sell order in one account and returns the clOrdId.', 'Places a buy or sell order in any account and returns the clOrdId.'],
        want: 'was “… sell order in one account and returns …”, now “… sell order in any account and returns …”',
      },
    ],
    ['a sentence appended', { given: ['Lists orders.', 'Lists orders. Real money.'], want: 'was “Lists orders.”, now “Lists orders. Real money.”' }],
    ['whitespace only', { given: ['a  b', 'a b'], want: 'only whitespace changed' }],
    ['added', { given: [undefined, 'New text.'], want: 'added “New text.”' }],
  ])('%s', (_name, { given: [before, after], want }) => {
    expect(textDelta(before, after)).toBe(want);
  });
});
