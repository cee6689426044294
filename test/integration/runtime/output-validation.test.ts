/**
 * The output check uses the typed validation schema (issue 14 item 6): when
 * the published output schema says less than the typed one (a bare object
 * under `outputSchemaDetail: types-within-budget`, or field names only under
 * `fields`), an upstream value that changes type is still refused, with the
 * same tool error as any other output-check failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as getOrderHistory from '../../../generated/tools/get-order-history.js';
import * as getQuote from '../../../generated/tools/get-quote.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';

const QUOTE_PATH = '/v1/stocks/last-quote';
const HISTORY_PATH = '/v2/accounts/ACC-1/orders/history';
const quote = (results: Record<string, unknown>) => ({
  requestId: 'r-1',
  status: 'OK',
  results: { ticker: 'AAPL', askPrice: 190.52, askSize: 3, bidPrice: 190.5, bidSize: 2, ...results },
});
const history = (order: Record<string, unknown>) => ({ orders: [{ ordId: 'o-1', symbol: 'AAPL', side: 'BUY', qty: '10', ...order }] });

let upstream: FixtureUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  const scopes = [...new Set([...getQuote.definition.scopes, ...getOrderHistory.definition.scopes])];
  const grants = new TestGrants().add('mcp-1', new TestGrant('g-1', scopes, 'token-1'));
  gateway = await startGateway({ tools: [getQuote, getOrderHistory], grants, env: { ARIES_API_BASE: upstream.url } });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function callTool(name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; text: string; structuredContent?: unknown }> {
  const response = await fetch(gateway.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: 'Bearer mcp-1',
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body: { result: { isError?: boolean; content: { text: string }[]; structuredContent?: unknown } } = await response.json();
  return { isError: body.result.isError, text: body.result.content.map((block) => block.text).join('\n'), structuredContent: body.result.structuredContent };
}

const HISTORY_ARGS = { account_id: 'ACC-1', from: '2026-12-01T00:00:00Z' };
const QUOTE_ARGS = { symbol: 'AAPL' };

describe('output check with the typed validation schema', () => {
  it('the published schema and the checked one', () => {
    // types-within-budget: get_quote's typed schema fits the budget and is published as is; get_order_history's does
    // not, so it publishes a bare object and keeps the typed schema for the check.
    expect(getQuote.definition.outputSchema).toMatchObject({ properties: { results: { properties: { askPrice: { type: 'number' } } } } });
    expect(getQuote.definition.outputValidationSchema).toBeUndefined();
    expect(getOrderHistory.definition.outputSchema).toEqual({ type: 'object' });
    expect(getOrderHistory.definition.outputValidationSchema).toMatchObject({
      type: 'object',
      properties: { orders: { type: 'array', items: { properties: { qty: { type: 'string' } } } } },
    });
  });

  it.each([
    ['get_quote', QUOTE_PATH, QUOTE_ARGS, quote({}), { results: { askPrice: 190.52 } }],
    ['get_order_history', HISTORY_PATH, HISTORY_ARGS, history({}), { orders: [{ qty: '10' }] }],
  ])('%s returns a well-typed answer as structured content', async (name, path, args, answer, want) => {
    upstream.overrides.set(path, answer);
    const outcome = await callTool(name, args);
    expect(outcome.isError, outcome.text).toBeFalsy();
    expect(outcome.structuredContent).toMatchObject(want);
  });

  it.each([
    ['get_quote', 'a price sent as a string', QUOTE_PATH, QUOTE_ARGS, quote({ askPrice: '190.52' }), 'results.askPrice: must be number'],
    ['get_quote', 'an exchange id sent as a fraction', QUOTE_PATH, QUOTE_ARGS, quote({ askExchange: 1.5 }), 'results.askExchange: must be integer'],
    // The published schema of get_order_history is { type: object }: only the validation schema can notice these.
    ['get_order_history', 'a quantity sent as a number', HISTORY_PATH, HISTORY_ARGS, history({ qty: 10 }), 'orders[0].qty: must be string'],
    ['get_order_history', 'a list sent as an object', HISTORY_PATH, HISTORY_ARGS, { orders: { ordId: 'o-1' } }, 'orders: must be array'],
  ])('%s refuses %s, with the usual output-check error', async (name, _what, path, args, answer, problem) => {
    upstream.overrides.set(path, answer);
    const outcome = await callTool(name, args);
    expect(outcome.isError).toBe(true);
    expect(outcome.text).toBe(
      `Aries answered, but not in the documented shape for ${name} (${problem}); report this to the gateway operators if it persists. Its answer: ${JSON.stringify(answer)}`,
    );
  });
});
