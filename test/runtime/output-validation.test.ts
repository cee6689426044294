/**
 * The output check uses the typed validation schema (issue 14 item 6): the
 * published output schema of an Aries tool names fields without scalar types
 * (`outputSchemaDetail: fields`), yet an upstream value that changes type is
 * still refused, with the same tool error as any other output-check failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as getQuote from '../../generated/tools/get_quote.js';
import { startFixtureUpstream, type FixtureUpstream } from './fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from './support/test-gateway.js';

const QUOTE_PATH = '/v1/stocks/last-quote';
const quote = (results: Record<string, unknown>) => ({ requestId: 'r-1', status: 'OK', results: { ticker: 'AAPL', askPrice: 190.52, askSize: 3, bidPrice: 190.5, bidSize: 2, ...results } });

let upstream: FixtureUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  const grants = new TestGrants().add('mcp-1', new TestGrant('g-1', getQuote.definition.scopes, 'token-1'));
  gateway = await startGateway({ tools: [getQuote], grants, env: { ARIES_API_BASE: upstream.url } });
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});

async function callGetQuote(): Promise<{ isError?: boolean; text: string; structuredContent?: unknown }> {
  const response = await fetch(gateway.mcpUrl, {
    method: 'POST',
    headers: { authorization: 'Bearer mcp-1', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_quote', arguments: { symbol: 'AAPL' } } }),
  });
  const body: { result: { isError?: boolean; content: { text: string }[]; structuredContent?: unknown } } = await response.json();
  return { isError: body.result.isError, text: body.result.content.map((block) => block.text).join('\n'), structuredContent: body.result.structuredContent };
}

describe('output check with the typed validation schema', () => {
  it('publishes field names only, and keeps the types for the check', () => {
    const published = JSON.stringify(getQuote.definition.outputSchema);
    expect(published).toContain('"askPrice":{}');
    expect(getQuote.definition.outputValidationSchema).toMatchObject({ properties: { results: { properties: { askPrice: { type: 'number' } } } } });
  });

  it('returns a well-typed answer as structured content', async () => {
    upstream.overrides.set(QUOTE_PATH, quote({}));
    const outcome = await callGetQuote();
    expect(outcome.isError).toBeFalsy();
    expect(outcome.structuredContent).toMatchObject({ results: { askPrice: 190.52 } });
  });

  it.each([
    ['a price sent as a string', { askPrice: '190.52' }, 'results.askPrice: must be number'],
    ['a size sent as a boolean', { bidSize: true }, 'results.bidSize: must be number'],
    ['an exchange id sent as a fraction', { askExchange: 1.5 }, 'results.askExchange: must be integer'],
  ])('refuses %s, as any other answer off the documented shape', async (_name, change, problem) => {
    upstream.overrides.set(QUOTE_PATH, quote(change));
    const outcome = await callGetQuote();
    expect(outcome.isError).toBe(true);
    expect(outcome.text).toBe(
      `Aries answered, but not in the documented shape for get_quote (${problem}); report this to the gateway operators if it persists. Its answer: ${JSON.stringify(quote(change))}`,
    );
  });
});
