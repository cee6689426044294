/**
 * Redis: the store contract on a real `redis-server`, fail-fast outages
 * (`StoreUnavailableError`, 503 at the HTTP layer), and two gateway replicas
 * sharing one Redis: authorize on one, callback and token on the other,
 * refresh on either, one Aries refresh across both.
 * Skipped, with a message, when `redis-server` is not installed
 * (`apt-get install -y redis-server`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../../runtime/store/redis-store.js';
import { StoreUnavailableError } from '../../../runtime/store/store.js';
import {
  authorizeUrl,
  callMcp,
  createAriesClient,
  exchangeCode,
  location,
  postForm,
  rebase,
  requestWithBearer,
  signInAtAries,
  startGateway,
  startSandbox,
  visit,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';
import { counting } from '../../support/sdk-provider.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../../testkit/redis-server.js';
import { describeStoreContract } from '../../support/store-contract.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('redis.test.ts skipped: redis-server is not on PATH (install it with `apt-get install -y redis-server`)');

describe.skipIf(!HAVE_REDIS)('Redis', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describeStoreContract(
    'RedisStore',
    async () => ({
      store: await RedisStore.connect(redis.url, { keyPrefix: `test:${randomUUID()}:` }),
      advance: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
    }),
    async ({ store }) => store.close(),
  );

  describe('outages', () => {
    it('an unreachable REDIS_URL is a StoreUnavailableError that names REDIS_URL', async () => {
      const failure = await RedisStore.connect('redis://127.0.0.1:1').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect(failure instanceof Error ? failure.message : failure).toMatch(
        /^Cannot reach Redis at REDIS_URL \(redis:\/\/127\.0\.0\.1:1\): .+\. Start Redis or fix REDIS_URL\.$/,
      );
    });

    it('Redis going down fails fast with StoreUnavailableError, and /token answers 503', async () => {
      const doomed = await startRedis();
      const store = await RedisStore.connect(doomed.url);
      const sandbox = await startSandbox();
      const gateway = await startGateway({ sandboxUrl: sandbox.url, store });
      try {
        await store.set('k', 'v', 60);
        await doomed.stop();
        const started = Date.now();
        await expect(store.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(Date.now() - started).toBeLessThan(3000);
        const res = await postForm(`${gateway.url}/token`, { grant_type: 'refresh_token', refresh_token: 'agw_rt_x', client_id: 'c' });
        expect({ status: res.status, body: res.body }).toEqual({
          status: 503,
          body: { error: 'temporarily_unavailable', error_description: 'The gateway cannot reach its session store; try again in a minute.' },
        });
        await expect(gateway.oauth.grantResolver.resolve(requestWithBearer('agw_at_x'))).rejects.toBeInstanceOf(StoreUnavailableError);
      } finally {
        await gateway.close();
        await store.close();
        await sandbox.close();
      }
    });
  });

  describe('two gateway replicas sharing Redis', () => {
    let sandbox: RunningSandbox;
    let a: RunningGateway;
    let b: RunningGateway;
    let stores: RedisStore[] = [];
    let clientId: string;
    const counter = { refreshes: 0 };
    beforeAll(async () => {
      sandbox = await startSandbox();
      const prefix = `replicas:${randomUUID()}:`;
      stores = [await RedisStore.connect(redis.url, { keyPrefix: prefix }), await RedisStore.connect(redis.url, { keyPrefix: prefix })];
      a = await startGateway({ sandboxUrl: sandbox.url, store: stores[0], wrapAries: counting(counter) });
      // Both replicas sit behind one public URL (A's address plays the load balancer).
      b = await startGateway({ sandboxUrl: sandbox.url, store: stores[1], wrapAries: counting(counter), publicUrl: a.publicUrl });
      ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${a.publicUrl}/auth/callback`] }));
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      for (const store of stores) await store.close();
      await sandbox?.close();
    });

    it('authorize on one, callback and token on the other, refresh on either', async () => {
      const toAries = await visit(authorizeUrl(a.url, { clientId, state: 'rep-1' }));
      const callback = await signInAtAries(location(toAries).href, sandbox.sandbox.demo);
      const back = location(await visit(rebase(callback, b.url)));
      expect(back.searchParams.get('state')).toBe('rep-1');
      const tokens = await exchangeCode(b.url, back.searchParams.get('code')!, clientId);
      expect(tokens.status).toBe(200);
      const accessToken = String(tokens.body['access_token']);
      expect((await callMcp(a.url, accessToken)).status).toBe(200);
      expect((await callMcp(b.url, accessToken)).status).toBe(200);

      const onA = await postForm(`${a.url}/token`, { grant_type: 'refresh_token', refresh_token: String(tokens.body['refresh_token']), client_id: clientId });
      expect(onA.status).toBe(200);
      const onB = await postForm(`${b.url}/token`, { grant_type: 'refresh_token', refresh_token: String(onA.body['refresh_token']), client_id: clientId });
      expect(onB.status).toBe(200);
      expect((await callMcp(a.url, String(onB.body['access_token']))).status).toBe(200);

      // Reusing the first rotated refresh token on the other replica revokes the grant everywhere.
      const reuse = await postForm(`${b.url}/token`, { grant_type: 'refresh_token', refresh_token: String(tokens.body['refresh_token']), client_id: clientId });
      expect(reuse.body['error']).toBe('invalid_grant');
      expect((await callMcp(a.url, String(onB.body['access_token']))).status).toBe(401);
    });

    it('a code redeemed on one replica is spent on the other', async () => {
      const toAries = await visit(authorizeUrl(a.url, { clientId }));
      const callback = await signInAtAries(location(toAries).href, sandbox.sandbox.demo);
      const code = location(await visit(rebase(callback, a.url))).searchParams.get('code')!;
      expect((await exchangeCode(a.url, code, clientId)).status).toBe(200);
      expect((await exchangeCode(b.url, code, clientId)).body['error']).toBe('invalid_grant');
    });

    it('concurrent calls on both replicas after the Aries token expired cause one Aries refresh', async () => {
      const toAries = await visit(authorizeUrl(a.url, { clientId }));
      const callback = await signInAtAries(location(toAries).href, sandbox.sandbox.demo);
      const code = location(await visit(rebase(callback, b.url))).searchParams.get('code')!;
      const accessToken = String((await exchangeCode(a.url, code, clientId)).body['access_token']);
      await fetch(`${sandbox.url}/admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expireTokens: true }),
      });
      const before = counter.refreshes;
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => callMcp(i % 2 === 0 ? a.url : b.url, accessToken)));
      expect(results.map((r) => r.body['upstreamStatus'])).toEqual(Array(16).fill(200));
      expect(counter.refreshes - before).toBe(1);
    });
  });
});
