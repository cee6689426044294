/**
 * The safety state in the store, through the whole gateway (fixture Aries):
 * - issue 12 finding 3 (second half): one grant's concurrent upstream calls
 *   are capped (CONCURRENT_CALLS_PER_GRANT); the rest wait briefly, then are
 *   refused with a tool error saying nothing was sent; two gateways sharing
 *   a store cap the grant once, not per gateway;
 * - issue 13: when the store cannot answer for the limits and the duplicate
 *   window, order tools are refused before anything reaches Aries, and
 *   read-only tools keep working (logged and counted in metrics).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORE_DOWN_ORDER_MESSAGE } from '../../../runtime/mcp/store-checks.js';
import { MemoryStore } from '../../../runtime/store/memory-store.js';
import { FaultyStore } from '../../robustness/support/faulty-store.js';
import { ALL_FIXTURE_SCOPES, fixtureTools } from '../../runtime/fixtures/fixture-tools.js';
import { startFixtureUpstream, type FixtureUpstream } from '../../runtime/fixtures/fixture-upstream.js';
import { startGateway, TestGrant, TestGrants, type TestGateway } from '../../support/test-gateway.js';
import { readJsonAs, toolCallAnswer } from '../../../testkit/json-body.js';

interface ToolResult {
  readonly isError?: boolean;
  readonly content: { readonly text: string }[];
}

let upstream: FixtureUpstream;
const gateways: TestGateway[] = [];

const grants = () =>
  new TestGrants()
    .add('alice', new TestGrant('grant-alice', ALL_FIXTURE_SCOPES, 'aries-alice'))
    .add('bob', new TestGrant('grant-bob', ALL_FIXTURE_SCOPES, 'aries-bob'));

async function gateway(env: Record<string, string>, store?: MemoryStore | FaultyStore): Promise<TestGateway> {
  const started = await startGateway({ tools: fixtureTools, grants: grants(), env: { ARIES_API_BASE: upstream.url, ...env }, store });
  gateways.push(started);
  return started;
}

async function call(target: TestGateway, token: string, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const response = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  expect(response.status).toBe(200);
  return (await readJsonAs(response, toolCallAnswer)).result;
}

const upstreamCalls = (token: string) => upstream.requests.filter((request) => request.authorization === `Bearer ${token}`).length;
const BUSY =
  /^Too many calls in progress on this connection \(limit 2 at a time\)\. Wait for the others to finish, then try again; nothing was sent to Aries\.$/;
const order = { account_id: 'ACC-1', symbol: 'MSFT', side: 'BUY', quantity: '37', order_type: 'LIMIT', limit_price: '401.25' };

beforeAll(async () => {
  upstream = await startFixtureUpstream();
});
afterEach(async () => {
  for (const started of gateways.splice(0)) await started.close();
});
afterAll(async () => {
  await upstream.close();
});

function resetUpstream(): void {
  upstream.reset();
  upstream.validTokens.add('aries-alice').add('aries-bob');
}

describe('finding 3: concurrent upstream calls per grant (CONCURRENT_CALLS_PER_GRANT)', () => {
  it('refuses the calls over the cap without sending them, and leaves another grant alone', async () => {
    resetUpstream();
    const target = await gateway({ CONCURRENT_CALLS_PER_GRANT: '2', CONCURRENT_CALLS_WAIT_MS: '0' });
    upstream.fail({ path: '/v1/accounts', delayMs: 400, times: 20 });
    const [mine, other] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => call(target, 'alice', 'list_accounts', {}))),
      Promise.all(Array.from({ length: 2 }, () => call(target, 'bob', 'list_accounts', {}))),
    ]);
    expect(mine.filter((result) => result.isError !== true)).toHaveLength(2);
    const refused = mine.filter((result) => result.isError === true);
    expect(refused).toHaveLength(3);
    for (const result of refused) expect(result.content[0].text).toMatch(BUSY);
    expect(upstreamCalls('aries-alice')).toBe(2);
    expect(other.map((result) => result.isError ?? false)).toEqual([false, false]);
  });

  it('queues briefly: with a wait, every call goes through, at most 2 at a time', async () => {
    resetUpstream();
    const target = await gateway({ CONCURRENT_CALLS_PER_GRANT: '2', CONCURRENT_CALLS_WAIT_MS: '5000' });
    upstream.fail({ path: '/v1/accounts', delayMs: 200, times: 20 });
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 4 }, () => call(target, 'alice', 'list_accounts', {})));
    expect(results.map((result) => result.isError ?? false)).toEqual([false, false, false, false]);
    // Two rounds of 200 ms at the least: four at once would take one.
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('two gateways sharing a store (replicas) cap the grant once, not per gateway', async () => {
    resetUpstream();
    const store = new MemoryStore();
    try {
      const [a, b] = [
        await gateway({ CONCURRENT_CALLS_PER_GRANT: '2', CONCURRENT_CALLS_WAIT_MS: '0' }, store),
        await gateway({ CONCURRENT_CALLS_PER_GRANT: '2', CONCURRENT_CALLS_WAIT_MS: '0' }, store),
      ];
      upstream.fail({ path: '/v1/accounts', delayMs: 400, times: 20 });
      const results = await Promise.all([a, b, a, b].map((target) => call(target, 'alice', 'list_accounts', {})));
      expect(results.filter((result) => result.isError !== true)).toHaveLength(2);
      expect(upstreamCalls('aries-alice')).toBe(2);
    } finally {
      await store.close();
    }
  });
});

describe('store unavailable for the safety state', () => {
  it('refuses order tools before anything reaches Aries; read-only tools keep working, logged and counted', async () => {
    resetUpstream();
    const store = new FaultyStore(new MemoryStore());
    const target = await gateway({ METRICS_TOKEN: 'metrics-secret-for-tests-0001' }, store);
    store.failKeys(['limit:', 'dup:', 'slot:']);
    for (const [name, args] of [
      ['place_order', order],
      ['cancel_order', { order_id: 'ORD-1' }],
    ] as const) {
      const result = await call(target, 'alice', name, args);
      expect(result.isError, name).toBe(true);
      expect(result.content[0].text, name).toBe(STORE_DOWN_ORDER_MESSAGE);
    }
    expect(STORE_DOWN_ORDER_MESSAGE).toBe('cannot check for a duplicate order right now; nothing was sent to Aries, try again');
    expect(upstream.requests).toHaveLength(0);

    const read = await call(target, 'alice', 'list_accounts', {});
    expect(read.isError).toBeFalsy();
    expect(upstream.requests).toHaveLength(1);
    expect(target.logs.text).toContain('store unavailable: read-only call not counted');
    const metrics = await (await fetch(`${target.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-for-tests-0001' } })).text();
    expect(metrics).toMatch(/^agw_tool_calls_total\{tool="place_order",outcome="refused_store_unavailable"\} 1$/m);
    expect(metrics).toMatch(/^agw_limit_unchecked_total\{limit="tool_calls"\} 1$/m);
    expect(metrics).toMatch(/^agw_store_errors_total\{operation="increment"\} [1-9]/m);

    store.failKeys([]);
    expect((await call(target, 'alice', 'place_order', order)).isError).toBeFalsy();
    expect(upstream.orders).toHaveLength(1);
  });
});
