/**
 * Two gateway replicas (two `createApp` instances on their own ports) behind
 * a round-robin load balancer, sharing a real `redis-server`. Both have the
 * load balancer's address as GATEWAY_PUBLIC_URL, as an operator configures
 * them: issuer, callback and token audience (`<public url>/mcp`) are one
 * for the whole fleet. The v1 SDK client only knows the public URL:
 * authorize on replica A, callback and token on B, tool calls spread over
 * both, refresh on either, one Aries refresh for the whole fleet. A replica
 * configured with its own address instead refuses the fleet's tokens (the
 * audience binding).
 * Skipped, with a message, when `redis-server` is not on PATH.
 */
import { randomUUID } from 'node:crypto';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../runtime/store/redis-store.js';
import { createAriesClient, startSandbox, TOOL_SCOPES, type RunningSandbox } from '../../testkit/harness.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../testkit/redis-server.js';
import { AppClientProvider } from './support/app-client-provider.js';
import { connectV1WithOAuth, rawToolsList, sandboxFaults } from './support/oauth-flow.js';
import { startRealGateway, type RealGateway } from './support/real-gateway.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('replicas.test.ts skipped: redis-server is not on PATH (install it with `apt-get install -y redis-server`)');

describe.skipIf(!HAVE_REDIS)('two replicas behind a load balancer, sharing Redis', () => {
  let redis: RedisProcess;
  let sandbox: RunningSandbox;
  let proxy: RoundRobinProxy;
  const stores: RedisStore[] = [];
  let a: RealGateway;
  let b: RealGateway;
  let clientId: string;
  let provider: AppClientProvider;
  let client: Client | undefined;
  const counter = { refreshes: 0 };
  const keyPrefix = `e2e-replicas:${randomUUID()}:`;

  const openStore = async () => {
    const store = await RedisStore.connect(redis.url, { keyPrefix });
    stores.push(store);
    return store;
  };
  const servedBy = (path: string) => proxy.served.filter((entry) => entry.path === path).map((entry) => entry.replica);
  const positions = () => client!.callTool({ name: 'get_positions', arguments: { account_id: sandbox.sandbox.demo.accountId } });

  beforeAll(async () => {
    [redis, sandbox, proxy] = await Promise.all([startRedis(), startSandbox(), startRoundRobinProxy()]);
    [a, b] = await Promise.all([
      startRealGateway({ sandboxUrl: sandbox.url, store: await openStore(), publicUrl: proxy.url, counter }),
      startRealGateway({ sandboxUrl: sandbox.url, store: await openStore(), publicUrl: proxy.url, counter }),
    ]);
    proxy.setReplicas({ A: a.url, B: b.url });
    ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${proxy.url}/auth/callback`], scopes: TOOL_SCOPES }));
    provider = new AppClientProvider(clientId);
  });
  afterAll(async () => {
    await client?.close();
    await a?.close();
    await b?.close();
    for (const store of stores) await store.close();
    await proxy?.close();
    await sandbox?.close();
    await redis?.stop();
  });

  it('authorize on A, callback and code exchange on B: the client connects through the public URL', async () => {
    proxy.pin('/authorize', 'A');
    proxy.pin('/auth/callback', 'B');
    proxy.pin('/token', 'B');
    try {
      ({ client } = await connectV1WithOAuth(`${proxy.url}/mcp`, provider, sandbox.sandbox.demo));
    } finally {
      proxy.unpin();
    }
    expect(servedBy('/authorize')).toEqual(['A']);
    // GET from Aries, then the POST of the connection page (the client may trade).
    expect(servedBy('/auth/callback')).toEqual(['B', 'B']);
    expect(servedBy('/token')).toEqual(['B']);
    // Each replica did its part (its own log), with the state in Redis in between.
    expect(a.logs.text).toContain('authorize: sent to Aries sign-in');
    expect(b.logs.text).toContain('callback: connection page shown');
    expect(b.logs.text).toContain('connect: guardrails chosen, code issued to the client');
    expect(b.logs.text).not.toContain('authorize: sent to Aries sign-in');
    expect(provider.saved?.access_token).toMatch(/^agw_at_/);
  });

  it('tool calls are answered by both replicas with the same token', async () => {
    const before = proxy.served.length;
    for (let i = 0; i < 4; i++) {
      const result = await positions();
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ positions: expect.any(Array) });
    }
    const mcpReplicas = proxy.served
      .slice(before)
      .filter((entry) => entry.path === '/mcp')
      .map((entry) => entry.replica);
    expect(new Set(mcpReplicas)).toEqual(new Set(['A', 'B']));
  });

  it('the SDK refreshes its gateway tokens on A, then on B; each rotation works on both replicas', async () => {
    for (const replica of ['A', 'B']) {
      const old = provider.saved!;
      proxy.pin('/token', replica);
      try {
        expect(await auth(provider, { serverUrl: `${proxy.url}/mcp` })).toBe('AUTHORIZED');
      } finally {
        proxy.unpin('/token');
      }
      expect(provider.saved!.access_token).not.toBe(old.access_token);
      expect(provider.saved!.refresh_token).not.toBe(old.refresh_token);
      // The old access token is no longer the caller's; the new one works on both replicas directly.
      for (const gateway of [a, b]) expect((await rawToolsList(`${gateway.url}/mcp`, provider.saved!.access_token)).status).toBe(200);
    }
    expect(servedBy('/token').slice(-2)).toEqual(['A', 'B']);
  });

  it('after Aries expires its tokens, concurrent calls through both replicas cause one Aries refresh', async () => {
    await sandboxFaults(sandbox.url, { expireTokens: true });
    const before = counter.refreshes;
    const results = await Promise.all(Array.from({ length: 8 }, () => positions()));
    expect(results.map((result) => result.isError ?? false)).toEqual(Array(8).fill(false));
    expect(counter.refreshes - before).toBe(1);
  });

  it("a replica whose GATEWAY_PUBLIC_URL is its own address refuses the fleet's token (audience is <public url>/mcp)", async () => {
    const stray = await startRealGateway({ sandboxUrl: sandbox.url, store: await openStore() });
    try {
      const token = provider.saved!.access_token;
      const refused = await rawToolsList(stray.mcpUrl, token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
      // The same token is fine on a correctly configured replica, whatever address it is reached at.
      expect((await rawToolsList(`${a.url}/mcp`, token)).status).toBe(200);
    } finally {
      await stray.close();
    }
  });
});
