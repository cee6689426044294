/**
 * tools/call end to end through the gateway against the fixture upstream:
 * validation, shaping, every upstream error class, the 401 refresh, trading
 * safety (no retries, unknown outcome, duplicate window) and log hygiene.
 */
import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALL_FIXTURE_SCOPES, fixtureTools, getPositions } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';
import { createOutputAjv } from '../../../runtime/mcp/ajv.js';
import { boundPort } from '../../../build/free-port.js';
import { z } from 'zod';

const TIMEOUT_MS = 400;
let upstream: FixtureUpstream;
let gateway: TestGateway;
let grants: TestGrants;
let now = 1_000_000;

interface CallOutcome {
  readonly status: number;
  readonly headers: Headers;
  readonly result?: { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: Record<string, unknown> };
}

type Era = 'legacy' | 'modern';

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** One stateless tools/call: legacy (2025-11-25 header) or modern (2026-07-28 envelope and headers). */
async function call(name: string, args: unknown, token = 'mcp-1', options: { signal?: AbortSignal; era?: Era } = {}): Promise<CallOutcome> {
  const modern = options.era === 'modern';
  const response = await fetch(gateway.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(modern ? { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name } : { 'mcp-protocol-version': '2025-11-25' }),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, ...(modern ? { _meta: MODERN_META } : {}) } }),
    signal: options.signal,
  });
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : undefined;
  return { status: response.status, headers: response.headers, result: body?.result };
}

const textOf = (outcome: CallOutcome): string => outcome.result?.content.map((block) => block.text).join('\n') ?? '';
const order = { account_id: 'ACC-1', symbol: 'MSFT', side: 'BUY', quantity: '37', order_type: 'LIMIT', limit_price: '401.25' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  upstream = await startFixtureUpstream();
  grants = new TestGrants();
  gateway = await startGateway({ tools: fixtureTools, grants, env: { ARIES_API_BASE: upstream.url, TOOL_TIMEOUT_MS: String(TIMEOUT_MS) }, now: () => now });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  upstream.reset();
  gateway.logs.clear();
  now += 3_600_000;
  grants.add('mcp-1', new TestGrant(`g-${now}`, ALL_FIXTURE_SCOPES, 'token-1'));
});

describe('arguments', () => {
  it('an unknown tool is a tool error', async () => {
    const outcome = await call('get_everything', {});
    expect(outcome.status).toBe(200);
    expect(outcome.result).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'Unknown tool "get_everything". Call tools/list to see the tools this connection can use.' }],
    });
  });

  it('lists every bad field and never calls Aries', async () => {
    const outcome = await call('place_order', { account_id: 'ACC-1', symbol: 'MSFT', side: 'HOLD', quantity: 10, order_type: 'LIMIT', foo: 1 });
    expect(textOf(outcome)).toBe(
      'Invalid arguments for place_order:\n- unknown argument "foo"\n- side: must be one of BUY, SELL, SELL_SHORT, BUY_TO_COVER\n- quantity: must be string',
    );
    expect(outcome.result?.isError).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });

  it('applies schema defaults', async () => {
    const outcome = await call('get_bars', { symbol: 'AAPL' });
    expect(z.array(z.unknown()).parse(outcome.result?.structuredContent?.['items']).length).toBe(100);
  });

  it('accepts a JSON string where an array is expected', async () => {
    const outcome = await call('place_order', { ...order, legs: '[{"symbol":"MSFT","ratio":1}]' });
    expect(outcome.result?.isError).toBeFalsy();
    expect(upstream.orders).toHaveLength(1);
  });

  it('parses jsonString routes before the call, and names the field when the JSON is bad', async () => {
    const good = await call('preview_order', { ...order, legs: '[{"symbol":"AAPL"},{"symbol":"MSFT"}]' });
    expect(good.result?.structuredContent).toEqual({ estimatedCost: '4000.00', legCount: 2 });
    expect(upstream.requests.at(-1)?.body).toMatchObject({ legs: [{ symbol: 'AAPL' }, { symbol: 'MSFT' }] });
    const bad = await call('preview_order', { ...order, legs: '[{"symbol":' });
    expect(textOf(bad)).toMatch(/^Invalid arguments for preview_order:\n- legs: must be valid JSON text \(/);
  });

  it('sends the request id and the Aries token upstream', async () => {
    const response = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer mcp-1', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-request-id': 'trace-42' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_accounts', arguments: {} } }),
    });
    expect(response.status).toBe(200);
    expect(upstream.requests[0]).toMatchObject({ authorization: 'Bearer token-1', requestId: 'trace-42' });
  });
});

describe('results', () => {
  it.each(['legacy', 'modern'] as const)('wraps arrays and returns one compact text block (%s)', async (era) => {
    const outcome = await call('list_accounts', {}, 'mcp-1', { era });
    expect(outcome.result?.content).toEqual([{ type: 'text', text: '{"items":[{"id":"ACC-1","name":"Individual"}]}' }]);
    expect(outcome.result?.structuredContent).toEqual({ items: [{ id: 'ACC-1', name: 'Individual' }] });
    expect(outcome.result?.isError).toBeFalsy();
  });

  it('applies the projection', async () => {
    const outcome = await call('get_positions', { account_id: 'ACC-1' });
    expect(JSON.stringify(outcome.result?.structuredContent)).not.toContain('costBasis');
  });

  it('cuts over-budget results to schema-valid structuredContent, with the marker in the text', async () => {
    upstream.overrides.set('/v1/accounts/ACC-1/positions', {
      accountId: 'ACC-1',
      positions: Array.from({ length: 200 }, (_, i) => ({ symbol: `SYM${i}`, quantity: '1', marketValue: '10.00', costBasis: '9.00' })),
    });
    const outcome = await call('get_positions', { account_id: 'ACC-1' });
    const structured = outcome.result?.structuredContent ?? {};
    expect(createOutputAjv().compile(getPositions.definition.outputSchema)(structured)).toBe(true);
    expect(structured).not.toHaveProperty('_truncated');
    const text = JSON.parse(textOf(outcome));
    expect(text._truncated.reason).toBe('Result exceeded about 375 tokens; narrow the request (use limit/page/from/to or a more specific symbol).');
    expect(text._truncated.omittedItems + z.array(z.unknown()).parse(structured['positions']).length).toBe(200);
    expect(textOf(outcome).length).toBeLessThanOrEqual(1_500);
  });

  it('caps lists and keeps the marker in structuredContent when the schema allows it', async () => {
    const outcome = await call('get_bars', { symbol: 'AAPL', limit: 1_500 });
    const structured = z
      .looseObject({ items: z.array(z.unknown()), _truncated: z.looseObject({ omittedItems: z.number() }) })
      .parse(outcome.result?.structuredContent);
    expect(structured.items).toHaveLength(1_000);
    expect(structured._truncated.omittedItems).toBe(500);
  });

  it('refuses an answer that does not match the output schema', async () => {
    upstream.overrides.set('/v1/quotes', { data: 'not a list' });
    const outcome = await call('get_quote', { symbols: 'AAPL' });
    expect(textOf(outcome)).toBe(
      'Aries answered, but not in the documented shape for get_quote (data: must be array); report this to the gateway operators if it persists. Its answer: {"data":"not a list"}',
    );
  });
});

describe('upstream errors become tool errors', () => {
  it.each([
    [
      '400 field errors',
      { status: 400, body: { error: 'invalid request', codes: [{ field: 'symbols', description: 'unknown symbol ZZZZ' }] } },
      'Aries rejected the request as invalid (HTTP 400). Aries says: invalid request\nField errors:\n- symbols: unknown symbol ZZZZ\nFix the arguments and call get_quote again.',
    ],
    [
      '403 missing scope',
      { status: 403, body: { error: 'forbidden', message: 'scope market:information required' } },
      'get_quote needs the scope "market:information". Add it to your OAuth client in Aries Client Center',
    ],
    [
      '429 with Retry-After',
      { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '7' } },
      'Aries is rate-limiting requests (HTTP 429). Aries says: too_many_requests\nWait 7 seconds (Retry-After) before calling get_quote again.',
    ],
    ['500', { status: 500, text: 'Internal Server Error' }, 'Aries is having trouble (HTTP 500). Aries says: Internal Server Error\nTry again shortly.'],
    [
      '503 with a JSON body',
      { status: 503, body: { error: 'unavailable', message: 'maintenance' } },
      'Aries is having trouble (HTTP 503). Aries says: unavailable: maintenance\nTry again shortly.',
    ],
  ])('%s', async (_name, fault, text) => {
    upstream.fail({ path: '/v1/quotes', ...fault });
    const outcome = await call('get_quote', { symbols: 'ZZZZ' });
    expect(outcome.status).toBe(200);
    expect(outcome.result?.isError).toBe(true);
    expect(textOf(outcome)).toContain(text);
  });

  it('404 from Aries', async () => {
    const outcome = await call('get_positions', { account_id: 'ACC-9' });
    expect(textOf(outcome)).toBe(
      'Aries found nothing for this request (HTTP 404). Aries says: not_found: Account ACC-9 not found\nCheck the identifiers you passed (account id, order id, symbol); list_accounts and list_open_orders look them up.',
    );
  });

  it('a timeout', async () => {
    upstream.fail({ path: '/v1/quotes', delayMs: TIMEOUT_MS + 400 });
    const outcome = await call('get_quote', { symbols: 'AAPL' });
    expect(textOf(outcome)).toBe('Aries did not answer within 0.4 seconds.\nTry again shortly, or narrow the request.');
  });

  it('a connection reset', async () => {
    upstream.fail({ path: '/v1/quotes', reset: true });
    const outcome = await call('get_quote', { symbols: 'AAPL' });
    expect(textOf(outcome)).toMatch(
      /^Could not reach Aries \((ECONNRESET|UND_ERR_SOCKET|fetch failed)\)\. The connection failed before Aries answered\.\nTry again shortly\.$/,
    );
  });

  it('a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = boundPort(closed);
    await new Promise((resolve) => closed.close(resolve));
    const down = await startGateway({ tools: fixtureTools, grants, env: { ARIES_API_BASE: `http://127.0.0.1:${port}` } });
    try {
      const response = await fetch(down.mcpUrl, {
        method: 'POST',
        headers: { authorization: 'Bearer mcp-1', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'place_order', arguments: order } }),
      });
      expect((await response.json()).result.content[0].text).toBe('Could not reach Aries (ECONNREFUSED).\nNothing was sent; try again shortly.');
    } finally {
      await down.close();
    }
  });

  it.each(['legacy', 'modern'] as const)('a cancelled MCP request cancels the upstream call (%s)', async (era) => {
    upstream.fail({ path: '/v1/quotes', delayMs: 300 });
    const abort = new AbortController();
    const pending = call('get_quote', { symbols: 'AAPL' }, 'mcp-1', { signal: abort.signal, era }).catch((error: unknown) => error);
    await sleep(100);
    abort.abort();
    expect(await pending).toBeInstanceOf(Error);
    await sleep(50);
    expect(gateway.logs.entries.find((entry) => entry['msg'] === 'tool call')).toMatchObject({
      tool: 'get_quote',
      upstreamError: 'cancelled',
      outcome: 'upstream_error',
    });
  });
});

describe('Aries 401', () => {
  it('refreshes the Aries token once and retries once', async () => {
    const grant = new TestGrant('g-refresh', ALL_FIXTURE_SCOPES, 'expired-token', 'token-1');
    grants.add('mcp-refresh', grant);
    const outcome = await call('list_accounts', {}, 'mcp-refresh');
    expect(outcome.result?.structuredContent).toEqual({ items: [{ id: 'ACC-1', name: 'Individual' }] });
    expect(grant.refreshes).toBe(1);
    expect(upstream.requests.map((request) => request.authorization)).toEqual(['Bearer expired-token', 'Bearer token-1']);
  });

  it('retries a destructive call after a 401 too (Aries refused it before acting)', async () => {
    grants.add('mcp-refresh', new TestGrant('g-refresh-order', ALL_FIXTURE_SCOPES, 'expired-token', 'token-1'));
    const outcome = await call('place_order', order, 'mcp-refresh');
    expect(outcome.result?.structuredContent).toMatchObject({ symbol: 'MSFT', status: 'OPEN' });
    expect(upstream.orders).toHaveLength(1);
  });

  it.each(['legacy', 'modern'] as const)(
    'answers HTTP 401 with WWW-Authenticate and revokes the grant when Aries still refuses after the refresh (%s)',
    async (era) => {
      const grant = new TestGrant('g-dead', ALL_FIXTURE_SCOPES, 'expired-token', 'still-expired');
      grants.add('mcp-dead', grant);
      const outcome = await call('list_accounts', {}, 'mcp-dead', { era });
      expect(outcome.status).toBe(401);
      expect(outcome.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", error_description="The Aries authorization has expired or was revoked; sign in again"',
      );
      expect(upstream.requests).toHaveLength(2);
      expect(grant.revoked, 'the grant is ended, so the client re-authorizes instead of looping on refresh').toBe(true);
    },
  );

  it('a fresh token that expired or was renewed again before the retry is "try again": no revocation, no 401', async () => {
    class RenewedMeanwhile extends TestGrant {
      override async isStale(): Promise<boolean> {
        return true;
      }
    }
    const grant = new RenewedMeanwhile('g-raced', ALL_FIXTURE_SCOPES, 'expired-token', 'still-expired');
    grants.add('mcp-raced', grant);
    const outcome = await call('list_accounts', {}, 'mcp-raced');
    expect(outcome.status).toBe(200);
    expect(outcome.result).toEqual({
      isError: true,
      content: [
        {
          type: 'text',
          text: 'Aries refused the session token just as it was renewed (it expired or was renewed again meanwhile); nothing was done. Try again.',
        },
      ],
    });
    expect(grant.revoked).toBe(false);
  });

  it('answers HTTP 401 when the grant cannot be refreshed at all', async () => {
    const grant = new TestGrant('g-revoked', ALL_FIXTURE_SCOPES, 'expired-token');
    grant.revoked = true;
    grants.add('mcp-revoked', grant);
    const outcome = await call('list_accounts', {}, 'mcp-revoked');
    expect(outcome.status).toBe(401);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('trading safety', () => {
  it('never retries a destructive call, and a 5xx leaves the order status unknown', async () => {
    upstream.fail({ path: '/v1/orders', status: 502, text: 'Bad Gateway' });
    const outcome = await call('place_order', order);
    expect(textOf(outcome)).toContain('The status of this place_order request is UNKNOWN');
    expect(upstream.requests.filter((request) => request.path === '/v1/orders')).toHaveLength(1);
  });

  it('a placement timeout says UNKNOWN, the order exists exactly once, and an identical retry is refused', async () => {
    upstream.fail({ path: '/v1/orders', delayMs: TIMEOUT_MS + 300 });
    const outcome = await call('place_order', order);
    expect(textOf(outcome)).toBe(
      'Aries did not answer within 0.4 seconds.\nThe status of this place_order request is UNKNOWN: Aries may have accepted it. Do not repeat it blindly: first check list_open_orders to see whether it went through, then retry only if it is not there.',
    );
    await sleep(500);
    expect(upstream.orders).toHaveLength(1);
    const retry = await call('place_order', order);
    expect(textOf(retry)).toContain('Refused as a probable duplicate');
    expect(upstream.orders).toHaveLength(1);
    const open = await call('list_open_orders', { account_id: 'ACC-1' });
    expect(open.result?.structuredContent?.['items']).toHaveLength(1);
  });

  it('refuses an identical placement within the window unless confirm_duplicate is true', async () => {
    expect((await call('place_order', order)).result?.isError).toBeFalsy();
    const second = await call('place_order', { ...order, limit_price: '401.25' });
    expect(textOf(second)).toBe(
      'Refused as a probable duplicate: an identical place_order call was made from this connection less than 60 seconds ago, or is still in progress. Check list_open_orders to see the first one. If you really intend a second, separate order, call place_order again with the same arguments and confirm_duplicate: true.',
    );
    expect(upstream.orders).toHaveLength(1);
    const confirmed = await call('place_order', { ...order, confirm_duplicate: true });
    expect(confirmed.result?.isError).toBeFalsy();
    expect(upstream.orders).toHaveLength(2);
    expect(upstream.requests.at(-1)?.body).not.toHaveProperty('confirm_duplicate');
  });

  it('allows the same order again after the window', async () => {
    await call('place_order', order);
    now += 61_000;
    expect((await call('place_order', order)).result?.isError).toBeFalsy();
    expect(upstream.orders).toHaveLength(2);
  });

  it('does not count a different order, or the same order from another grant, as a duplicate', async () => {
    await call('place_order', order);
    expect((await call('place_order', { ...order, quantity: '38' })).result?.isError).toBeFalsy();
    grants.add('mcp-2', new TestGrant('other-grant', ALL_FIXTURE_SCOPES, 'token-1'));
    expect((await call('place_order', order, 'mcp-2')).result?.isError).toBeFalsy();
    expect(upstream.orders).toHaveLength(3);
  });

  it('a placement Aries rejected does not block the retry', async () => {
    upstream.fail({ path: '/v1/orders', status: 429, body: { error: 'slow down' }, headers: { 'retry-after': '1' } });
    expect(textOf(await call('place_order', order))).toContain('HTTP 429');
    expect((await call('place_order', order)).result?.isError).toBeFalsy();
    expect(upstream.orders).toHaveLength(1);
  });

  it('cancel_order (destructive but idempotent) has no duplicate window', async () => {
    const placed = await call('place_order', order);
    const orderId = String(placed.result?.structuredContent?.['orderId']);
    expect((await call('cancel_order', { order_id: orderId })).result?.structuredContent).toMatchObject({ status: 'CANCELLED' });
    expect((await call('cancel_order', { order_id: orderId })).result?.isError).toBeFalsy();
  });
});

describe('logs', () => {
  it('one line per call with tool, symbol, side, status, latency and outcome; no amounts, accounts or tokens', async () => {
    await call('place_order', order);
    await call('get_positions', { account_id: 'ACC-1' });
    const line = gateway.logs.entries.find((entry) => entry['msg'] === 'tool call' && entry['tool'] === 'place_order');
    expect(line).toMatchObject({ tool: 'place_order', symbol: 'MSFT', side: 'BUY', upstreamStatus: 200, outcome: 'ok' });
    expect(typeof line?.['latencyMs']).toBe('number');
    expect(typeof line?.['requestId']).toBe('string');
    const text = gateway.logs.text;
    for (const secret of ['ACC-1', '401.25', '"37"', 'token-1', 'mcp-1', 'Bearer']) expect(text).not.toContain(secret);
  });
});
