/**
 * The refresh-token reuse grace window (OAUTH_REFRESH_REUSE_GRACE_SECONDS):
 * a client that retries a refresh after a lost answer, or two tabs that
 * refresh at once, must never disconnect the user. Inside the window the
 * rotated refresh token gets the same successor pair back; after it, or once
 * that successor has itself been rotated, or from another client, reuse still
 * revokes the grant (RFC 9700 §4.14.2). Run on the memory store and on a real
 * Redis, including two replicas on one Redis racing the same refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_ERRORS } from '../../../runtime/auth/token.js';
import { MemoryStore } from '../../../runtime/store/memory-store.js';
import { RedisStore } from '../../../runtime/store/redis-store.js';
import type { Store } from '../../../runtime/store/store.js';
import {
  authorizeThroughGateway,
  callMcp,
  createAriesClient,
  exchangeCode,
  postForm,
  startGateway,
  startSandbox,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../../testkit/redis-server.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('refresh-grace.test.ts: the Redis cases are skipped: redis-server is not on PATH (apt-get install -y redis-server)');

let offsetMs = 0;
const now = () => Date.now() + offsetMs;

interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

interface Fleet {
  readonly sandbox: RunningSandbox;
  readonly replicas: readonly RunningGateway[];
  readonly clientId: string;
}

async function startFleet(stores: readonly Store[], env: Record<string, string> = {}): Promise<Fleet> {
  const sandbox = await startSandbox();
  const first = await startGateway({ sandboxUrl: sandbox.url, store: stores[0], now, env });
  const rest = await Promise.all(stores.slice(1).map((store) => startGateway({ sandboxUrl: sandbox.url, store, now, env, publicUrl: first.publicUrl })));
  const { clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${first.publicUrl}/auth/callback`] });
  return { sandbox, replicas: [first, ...rest], clientId };
}

async function stopFleet(fleet: Fleet | undefined): Promise<void> {
  if (fleet === undefined) return;
  for (const replica of fleet.replicas) await replica.close();
  await fleet.sandbox.close();
}

async function connect(fleet: Fleet): Promise<Tokens> {
  const gateway = fleet.replicas[0];
  const back = await authorizeThroughGateway(gateway.url, { clientId: fleet.clientId }, fleet.sandbox.sandbox.demo, 'api');
  const res = await exchangeCode(gateway.url, back.searchParams.get('code')!, fleet.clientId);
  expect(res.status).toBe(200);
  return { accessToken: String(res.body['access_token']), refreshToken: String(res.body['refresh_token']) };
}

function refresh(fleet: Fleet, refreshToken: string, replica = 0, clientId = fleet.clientId) {
  return postForm(`${fleet.replicas[replica].url}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
}

function tokensOf(res: { body: Record<string, unknown> }): Tokens {
  return { accessToken: String(res.body['access_token']), refreshToken: String(res.body['refresh_token']) };
}

async function works(fleet: Fleet, accessToken: string): Promise<boolean> {
  return (await callMcp(fleet.replicas[0].url, accessToken)).status === 200;
}

function graceSuite(label: string, makeStores: () => Promise<Store[]>) {
  describe(`${label}: the reuse grace window`, () => {
    let fleet: Fleet;
    let stores: Store[];

    beforeAll(async () => {
      stores = await makeStores();
      fleet = await startFleet(stores);
    });
    afterAll(async () => {
      await stopFleet(fleet);
      for (const store of stores ?? []) await store.close();
    });

    it('two simultaneous refreshes with the same token both get the same successor pair, and the grant keeps working', async () => {
      const tokens = await connect(fleet);
      const answers = await Promise.all(
        fleet.replicas.flatMap((_, replica) => [refresh(fleet, tokens.refreshToken, replica), refresh(fleet, tokens.refreshToken, replica)]),
      );
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      const pairs = new Set(answers.map((answer) => JSON.stringify(tokensOf(answer))));
      expect(pairs.size).toBe(1);
      const successor = tokensOf(answers[0]);
      expect(successor.refreshToken).not.toBe(tokens.refreshToken);
      expect(await works(fleet, successor.accessToken)).toBe(true);
      const next = await refresh(fleet, successor.refreshToken, fleet.replicas.length - 1);
      expect(next.status).toBe(200);
      expect(await works(fleet, tokensOf(next).accessToken)).toBe(true);
    });

    it('a retry after a lost answer gets the same pair back, with the remaining lifetime', async () => {
      const tokens = await connect(fleet);
      const first = await refresh(fleet, tokens.refreshToken);
      offsetMs = 10_000;
      try {
        const retry = await refresh(fleet, tokens.refreshToken, fleet.replicas.length - 1);
        expect(retry.status).toBe(200);
        expect(tokensOf(retry)).toEqual(tokensOf(first));
        expect(Number(retry.body['expires_in'])).toBeLessThanOrEqual(86_390);
        expect(retry.body['scope']).toBe(first.body['scope']);
        expect(await works(fleet, tokensOf(retry).accessToken)).toBe(true);
      } finally {
        offsetMs = 0;
      }
    });

    it('reuse after the window revokes the grant', async () => {
      const tokens = await connect(fleet);
      const successor = tokensOf(await refresh(fleet, tokens.refreshToken));
      offsetMs = 31_000;
      try {
        const reuse = await refresh(fleet, tokens.refreshToken);
        expect({ status: reuse.status, body: reuse.body }).toEqual({
          status: 400,
          body: { error: 'invalid_grant', error_description: TOKEN_ERRORS.refreshReused },
        });
        expect(await works(fleet, successor.accessToken)).toBe(false);
      } finally {
        offsetMs = 0;
      }
    });

    it('reuse after the successor was rotated revokes the grant, even inside the window', async () => {
      const tokens = await connect(fleet);
      const successor = tokensOf(await refresh(fleet, tokens.refreshToken));
      const third = tokensOf(await refresh(fleet, successor.refreshToken));
      const reuse = await refresh(fleet, tokens.refreshToken);
      expect(reuse.body['error']).toBe('invalid_grant');
      expect(await works(fleet, third.accessToken)).toBe(false);
    });

    it('reuse by another client is not a retry: refused, and the grant is revoked', async () => {
      const tokens = await connect(fleet);
      const successor = tokensOf(await refresh(fleet, tokens.refreshToken));
      const stranger = await refresh(fleet, tokens.refreshToken, 0, 'someone-else');
      expect(stranger.body['error']).toBe('invalid_grant');
      expect(stranger.body['access_token']).toBeUndefined();
      expect(await works(fleet, successor.accessToken)).toBe(false);
    });
  });
}

graceSuite('memory store', async () => [new MemoryStore({ now })]);

describe.skipIf(!HAVE_REDIS)('on Redis', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  graceSuite('one replica on Redis', async () => [await RedisStore.connect(redis.url, { keyPrefix: 'grace-one:' })]);
  graceSuite('two replicas on one Redis', async () => [
    await RedisStore.connect(redis.url, { keyPrefix: 'grace-two:' }),
    await RedisStore.connect(redis.url, { keyPrefix: 'grace-two:' }),
  ]);
});

describe('OAUTH_REFRESH_REUSE_GRACE_SECONDS=0 turns the window off', () => {
  let fleet: Fleet;
  beforeAll(async () => {
    fleet = await startFleet([new MemoryStore({ now })], { OAUTH_REFRESH_REUSE_GRACE_SECONDS: '0' });
  });
  afterAll(() => stopFleet(fleet));

  it('an immediate second refresh with the same token is reuse: the grant is revoked', async () => {
    const tokens = await connect(fleet);
    const successor = tokensOf(await refresh(fleet, tokens.refreshToken));
    const again = await refresh(fleet, tokens.refreshToken);
    expect(again.body).toEqual({ error: 'invalid_grant', error_description: TOKEN_ERRORS.refreshReused });
    expect(await works(fleet, successor.accessToken)).toBe(false);
  });
});
