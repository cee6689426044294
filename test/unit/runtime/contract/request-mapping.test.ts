/**
 * The one argument mapping of a generated module: the routes and pinned
 * values the runtime's messages read, and the request `invoke` sends, all
 * derived from it.
 */
import { describe, expect, it } from 'vitest';
import { fillRequest, pinnedOf, routesOf, type RequestMapping } from '../../../../runtime/contract/request-mapping.js';

const mapping = {
  params: { path: { id: ['arg', 'account_id'] }, query: { from: ['arg', 'from'] }, header: { 'X-Mode': ['pinned', 'live'] } },
  body: { symbol: ['arg', 'symbol'], order: { price: ['arg', 'order_price'], filters: ['json', 'filters'] }, currency: ['pinned', 'USD'] },
} as const satisfies RequestMapping;

interface Params {
  path: { id: string };
  query?: { from?: string };
  header?: { 'X-Mode'?: string };
}
interface Body {
  symbol: string;
  order?: { price?: number; filters?: { [key: string]: unknown } };
  currency?: string;
}
interface Args {
  account_id: string;
  from?: string;
  symbol: string;
  order_price?: number;
  filters?: unknown;
}

describe('routesOf and pinnedOf', () => {
  it('list every argument and constant where the request carries it', () => {
    expect(routesOf(mapping)).toEqual([
      { argument: 'account_id', in: 'path', name: 'id' },
      { argument: 'from', in: 'query', name: 'from' },
      { argument: 'symbol', in: 'body', name: 'symbol', bodyPath: ['symbol'] },
      { argument: 'order_price', in: 'body', name: 'price', bodyPath: ['order', 'price'] },
      { argument: 'filters', in: 'body', name: 'filters', bodyPath: ['order', 'filters'], jsonString: true },
    ]);
    expect(pinnedOf(mapping)).toEqual([
      { in: 'header', name: 'X-Mode', value: 'live' },
      { in: 'body', name: 'currency', bodyPath: ['currency'], value: 'USD' },
    ]);
  });

  it('a whole-body argument routes with an empty body path', () => {
    expect(routesOf({ body: ['arg', 'payload'] })).toEqual([{ argument: 'payload', in: 'body', name: '', bodyPath: [] }]);
  });
});

describe('fillRequest', () => {
  it('builds parameters and body from the arguments, pinned values included', () => {
    const args: Args = { account_id: 'A1', from: '2026-01-01', symbol: 'AAPL', order_price: 10, filters: { a: 1 } };
    expect(fillRequest<Params, typeof mapping.params, Args>(mapping.params, args)).toEqual({
      path: { id: 'A1' },
      query: { from: '2026-01-01' },
      header: { 'X-Mode': 'live' },
    });
    expect(fillRequest<Body, typeof mapping.body, Args>(mapping.body, args)).toEqual({
      symbol: 'AAPL',
      order: { price: 10, filters: { a: 1 } },
      currency: 'USD',
    });
  });

  it('leaves out a nested object none of whose arguments is present, instead of sending {}', () => {
    const body = fillRequest<Body, typeof mapping.body, Args>(mapping.body, { account_id: 'A1', symbol: 'AAPL' });
    expect(JSON.parse(JSON.stringify(body))).toEqual({ symbol: 'AAPL', currency: 'USD' });
  });
});
