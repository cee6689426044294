/**
 * Issue 13: two gateway replicas on one real `redis-server` share every
 * safety state. A client alternates between them:
 * - the same place_order sent to replica A, then within the window to B, is
 *   refused the second time and accepted with `confirm_duplicate: true`; the
 *   sandbox's order book shows exactly the orders that were meant;
 * - a grant calling through both replicas is limited at TOOL_CALLS_PER_MINUTE
 *   in total, and the OAuth per-address limit and the per-grant concurrency
 *   cap likewise;
 * - a refresh lock taken by replica 1 that expired is not deleted by
 *   replica 1 after replica 2 took it, and replica 1 keeps replica 2's
 *   tokens.
 * Skipped, with a message, when `redis-server` is not on PATH.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../runtime/store/redis-store.js';
import type { AriesClientCredentials, AriesOAuthClient, AriesTokenSet } from '../../runtime/upstream/aries-oauth.js';
import { TokenRefresher } from '../../runtime/upstream/token-refresh.js';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../testkit/redis-server.js';
import { limitBuy } from '../robustness/support/call-mix.js';
import { connectUser, type GatewayUser } from '../robustness/support/gateway-users.js';
import { callTool } from '../robustness/support/mcp-wire.js';
import { startRobustGateway, type RobustGateway } from '../robustness/support/robust-gateway.js';
import { SecretLedger } from '../robustness/support/secret-ledger.js';
import { awayFromMinuteBoundary } from '../support/minute-window.js';
import { z } from 'zod';
import { readJsonAs } from '../../testkit/json-body.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('replica-safety.test.ts skipped: redis-server is not on PATH (install it with `apt-get install -y redis-server`)');

const CALL_LIMIT = 10;
const OAUTH_LIMIT = 8;

describe.skipIf(!HAVE_REDIS)('two replicas sharing Redis share the safety state', () => {
  const ledger = new SecretLedger();
  const keyPrefix = `replica-safety:${randomUUID()}:`;
  const stores: RedisStore[] = [];
  let redis: RedisProcess;
  let sandbox: RunningSandbox;
  let a: RobustGateway;
  let b: RobustGateway;
  let orderUser: GatewayUser;
  let limitUser: GatewayUser;

  const openStore = async () => {
    const store = await RedisStore.connect(redis.url, { keyPrefix });
    stores.push(store);
    return store;
  };
  const ordersIn = async (accountId: string) =>
    (await readJsonAs(await fetch(`${sandbox.url}/admin/orders?account_id=${encodeURIComponent(accountId)}`), z.looseObject({ orders: z.array(z.unknown()) })))
      .orders;

  beforeAll(async () => {
    [redis, sandbox] = await Promise.all([startRedis(), startSandbox()]);
    const env = {
      TOOL_CALLS_PER_MINUTE: String(CALL_LIMIT),
      OAUTH_RATE_LIMIT_PER_MINUTE: String(OAUTH_LIMIT),
      CONCURRENT_CALLS_PER_GRANT: '2',
      CONCURRENT_CALLS_WAIT_MS: '0',
    };
    a = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, store: await openStore(), env });
    b = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, store: await openStore(), env, publicUrl: a.publicUrl });
    await fetch(`${sandbox.url}/admin/market/prices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ MSFT: '420.00' }),
    });
    orderUser = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: a.url, publicUrl: a.publicUrl, ledger, label: 'orders' });
    limitUser = await connectUser({ sandboxUrl: sandbox.url, gatewayUrl: b.url, publicUrl: a.publicUrl, ledger, label: 'limits' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const store of stores) await store.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it('the same place_order on A, then on B within the window, is refused on B; confirm_duplicate places a second order', async () => {
    const args = limitBuy(orderUser.accountId, 7, 3);
    const first = await callTool(a.mcpUrl, orderUser.accessToken, 'place_order', args);
    expect(first.result?.isError, first.resultText).toBeFalsy();
    const again = await callTool(b.mcpUrl, orderUser.accessToken, 'place_order', args);
    expect(again.result?.isError).toBe(true);
    expect(again.resultText).toMatch(/^Refused as a probable duplicate: an identical place_order call was made from this connection less than 60 seconds ago/);
    expect(await ordersIn(orderUser.accountId)).toHaveLength(1);

    const meant = await callTool(b.mcpUrl, orderUser.accessToken, 'place_order', { ...args, confirm_duplicate: true });
    expect(meant.result?.isError, meant.resultText).toBeFalsy();
    expect(await ordersIn(orderUser.accountId)).toHaveLength(2);
  });

  it('a grant has 2 calls in flight across both replicas, not 2 per replica', async () => {
    await fetch(`${sandbox.url}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 600, count: 10, pathPrefix: '/v1/accounts' }),
    });
    try {
      const answers = await Promise.all([a, b, a, b].map((replica) => callTool(replica.mcpUrl, orderUser.accessToken, 'list_accounts', {})));
      expect(answers.filter((answer) => answer.result?.isError !== true)).toHaveLength(2);
      for (const refused of answers.filter((answer) => answer.result?.isError === true))
        expect(refused.resultText).toMatch(/^Too many calls in progress on this connection \(limit 2 at a time\)/);
    } finally {
      await fetch(`${sandbox.url}/admin/faults`, { method: 'DELETE' });
    }
  });

  it(`a grant calling through both replicas gets ${CALL_LIMIT} calls per minute in total, not per replica`, async () => {
    await awayFromMinuteBoundary();
    const outcomes: string[] = [];
    for (let i = 0; i < CALL_LIMIT + 4; i++) {
      const answer = await callTool((i % 2 === 0 ? a : b).mcpUrl, limitUser.accessToken, 'list_accounts', {});
      outcomes.push(answer.result?.isError === true ? answer.resultText.split(' (')[0] : 'ok');
    }
    expect(outcomes).toEqual([...Array(CALL_LIMIT).fill('ok'), ...Array(4).fill('Too many tool calls on this connection')]);
  });

  it(`the OAuth per-address limit (${OAUTH_LIMIT} per minute) holds across both replicas`, async () => {
    await awayFromMinuteBoundary();
    const statuses: number[] = [];
    for (let i = 0; i < OAUTH_LIMIT + 4; i++) statuses.push((await fetch(`${(i % 2 === 0 ? a : b).url}/register`, { method: 'POST' })).status);
    expect(statuses).toEqual([...Array(OAUTH_LIMIT).fill(400), ...Array(4).fill(429)]);
  });

  it("a refresh lock taken by replica 1 and expired is not deleted by replica 1 after replica 2 took it; replica 2's tokens stay", async () => {
    const store = await openStore();
    const stale: AriesTokenSet = { accessToken: 'at-old', refreshToken: 'rt-old', expiresAt: Date.now() - 1_000, refreshExpiresAt: undefined, scopes: ['a'] };
    let saved = stale;
    const grants = {
      loadAriesGrant: async () => ({ credentials: { clientId: 'cid' } as AriesClientCredentials, tokens: saved }),
      saveAriesTokens: async (_grantId: string, tokens: AriesTokenSet) => void (saved = tokens),
      revokeGrant: async () => {},
    };
    const slowAries: AriesOAuthClient = {
      authorizationUrl: () => '',
      exchangeCode: async () => stale,
      refresh: async () => {
        await new Promise((resolve) => setTimeout(resolve, 600));
        return { ...stale, accessToken: 'at-replica-1', refreshToken: 'rt-replica-1', expiresAt: Date.now() + 3_600_000 };
      },
    };
    const replica1 = new TokenRefresher({ store, grants, aries: slowAries, lockTtlSeconds: 0.2 });
    const refreshing = replica1.accessToken('grant-lock');
    await new Promise((resolve) => setTimeout(resolve, 350));
    // Replica 2 finds the expired lock free, takes it, and saves newer tokens while replica 1 still waits for Aries.
    expect(await store.setIfAbsent('lock:refresh:grant-lock', 'replica-2', 30)).toBe(true);
    saved = { ...stale, accessToken: 'at-replica-2', refreshToken: 'rt-replica-2', expiresAt: Date.now() + 3_600_000 };
    expect(await refreshing).toBe('at-replica-2');
    expect(saved.accessToken).toBe('at-replica-2');
    expect(await store.get('lock:refresh:grant-lock')).toBe('replica-2');
  });

  it('no log line of either replica holds a secret', () => {
    expect(ledger.findIn([...a.logs.lines, ...b.logs.lines])).toEqual([]);
  });
});
