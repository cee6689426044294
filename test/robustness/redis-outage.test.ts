/**
 * Redis outages during traffic, on a real `redis-server` (skipped with a
 * message when it is not installed). Four clients keep calling tools and
 * rotating their refresh tokens the whole time, through two outages:
 * 1. a stall: SIGSTOP for 3 s, then SIGCONT. The connection stays open and
 *    commands hang, so this exercises the store's command timeout. The stall
 *    begins between refresh-token rotations: a rotation whose claim
 *    (`SET rt-used NX`) is sent just before the stall times out at the
 *    gateway (503) but is applied by Redis when it resumes, so the client's
 *    retry looks like reuse and revokes the grant. That lost-reply window is
 *    inherent to rotation with reuse detection (RFC 9700 §4.14.2) and is
 *    reported, not hidden: `store-outage-mid-rotation.test.ts` covers every
 *    failure that can be answered correctly;
 * 2. a restart: SIGTERM, 1.5 s down, then a new `redis-server` on the same
 *    port and data directory. The server runs with an append-only file and
 *    `appendfsync always`, as a production Redis holding OAuth grants must
 *    (a Redis without persistence loses every grant on restart, and no
 *    gateway could recover from that), so this exercises ioredis'
 *    reconnection and shows that nothing the gateway wrote was lost.
 * During an outage every answer is a success, a 503 that says the session
 * store is unreachable (with Retry-After), or a tool result saying to try
 * again: never a 500 and never a 401 (which would make Claude drop the
 * connection). Once Redis answers again, every call succeeds, and every
 * token issued before the outages still works: all grants intact.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../runtime/store/redis-store.js';
import { startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { connectUser, refreshUser, type GatewayUser } from './support/gateway-users.js';
import { callTool } from './support/mcp-wire.js';
import { redisAvailable, startRestartableRedis, type RestartableRedis } from './support/restartable-redis.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';
import { readJsonObject } from '../../testkit/json-body.js';

const HAVE_REDIS = redisAvailable();
if (!HAVE_REDIS) console.warn('redis-outage.test.ts skipped: redis-server is not on PATH (install it with `apt-get install -y redis-server`)');

const USERS = 4;
type Phase = 'before' | 'stalled' | 'recovering' | 'after stall' | 'down' | 'after restart';
type Outcome = 'ok' | 'store unavailable (503)' | 'try again (tool result)' | 'bad';

interface Observation {
  /** The phase when the request was sent. */
  readonly phase: Phase;
  /** The phase when its answer came. */
  readonly ended: Phase;
  readonly what: string;
  readonly outcome: Outcome;
  readonly detail: string;
}

describe.skipIf(!HAVE_REDIS)('Redis stalls and restarts during traffic', () => {
  const ledger = new SecretLedger();
  let redis: RestartableRedis;
  let store: RedisStore;
  let sandbox: RunningSandbox;
  let gateway: RobustGateway;
  let users: GatewayUser[] = [];
  /** Each user's access token from before the outages. */
  let firstTokens: string[] = [];

  beforeAll(async () => {
    redis = await startRestartableRedis();
    store = await RedisStore.connect(redis.url, { keyPrefix: `robust:${randomUUID()}:`, commandTimeoutMs: 1_000 });
    sandbox = await startSandbox();
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, store });
    users = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, confidential: i % 2 === 0, label: `redis${i}` }),
      ),
    );
    firstTokens = users.map((user) => user.accessToken);
    // Warm up (first calls compile the tools' validators), so the short quiet phases measure steady traffic.
    for (const user of users) {
      await callTool(gateway.mcpUrl, user.accessToken, 'list_accounts', {});
      await callTool(gateway.mcpUrl, user.accessToken, 'get_balances', { account_id: user.accountId });
    }
  });

  afterAll(async () => {
    await gateway?.close();
    await store?.close();
    await sandbox?.close();
    await redis?.destroy();
  });

  it('answers 503 (never 500 or 401) while Redis is stalled or down, then recovers with every grant intact', async () => {
    const observations: Observation[] = [];
    let phase: Phase = 'before';
    let running = true;
    let holdRefreshes = false;
    let refreshesInFlight = 0;

    const classifyMcp = (status: number, text: string, resultText: string, isError: boolean | undefined, retryAfter: string | null): [Outcome, string] => {
      if (status === 200 && isError !== true) return ['ok', ''];
      if (status === 503 && text.includes('cannot reach its session store') && retryAfter !== null) return ['store unavailable (503)', ''];
      if (status === 200 && isError === true && resultText.startsWith('Renewing the Aries session failed for now. Try again in a moment'))
        return ['try again (tool result)', ''];
      return ['bad', `HTTP ${status} ${(resultText || text).slice(0, 200)}`];
    };

    const client = async (user: GatewayUser, index: number): Promise<void> => {
      for (let i = index; running; i++) {
        const at = phase;
        if (i % 4 === 3) {
          while (holdRefreshes) await new Promise((resolve) => setTimeout(resolve, 5));
          const before = user.refreshToken;
          refreshesInFlight += 1;
          const res = await fetch(`${gateway.url}/token`, {
            method: 'POST',
            body: new URLSearchParams({
              grant_type: 'refresh_token',
              refresh_token: before,
              client_id: user.clientId,
              ...(user.clientSecret === undefined ? {} : { client_secret: user.clientSecret }),
            }),
          });
          const body = await readJsonObject(res);
          refreshesInFlight -= 1;
          if (res.status === 200) {
            user.accessToken = String(body['access_token']);
            user.refreshToken = String(body['refresh_token']);
            ledger.remember('gateway access token', user.accessToken);
            ledger.remember('gateway refresh token', user.refreshToken);
            observations.push({ phase: at, ended: phase, what: 'token', outcome: 'ok', detail: '' });
          } else if (res.status === 503 && body['error'] === 'temporarily_unavailable' && res.headers.get('retry-after') !== null) {
            observations.push({ phase: at, ended: phase, what: 'token', outcome: 'store unavailable (503)', detail: '' });
          } else {
            observations.push({ phase: at, ended: phase, what: 'token', outcome: 'bad', detail: `HTTP ${res.status} ${JSON.stringify(body)}` });
          }
        } else {
          const name = i % 2 === 0 ? 'list_accounts' : 'get_balances';
          const answer = await callTool(gateway.mcpUrl, user.accessToken, name, name === 'list_accounts' ? {} : { account_id: user.accountId });
          const [outcome, detail] = classifyMcp(answer.status, answer.text, answer.resultText, answer.result?.isError, answer.headers.get('retry-after'));
          observations.push({ phase: at, ended: phase, what: name, outcome, detail });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    const waitUntilServing = async (): Promise<number> => {
      const started = Date.now();
      while (Date.now() - started < 20_000) {
        const answer = await callTool(gateway.mcpUrl, users[0].accessToken, 'list_accounts', {});
        if (answer.status === 200 && answer.result?.isError !== true) return Date.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the gateway did not recover within 20 s after Redis came back');
    };

    const traffic = Promise.all(users.map((user, index) => client(user, index)));
    await new Promise((resolve) => setTimeout(resolve, 600));

    // The stall starts while no refresh-token rotation is half done (see the file header); rotations start again at once.
    holdRefreshes = true;
    while (refreshesInFlight > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    phase = 'stalled';
    redis.pause();
    holdRefreshes = false;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    redis.resume();
    phase = 'recovering';
    const stallRecovery = await waitUntilServing();
    await new Promise((resolve) => setTimeout(resolve, 300));
    phase = 'after stall';
    await new Promise((resolve) => setTimeout(resolve, 600));

    phase = 'down';
    await redis.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.start();
    phase = 'recovering';
    const restartRecovery = await waitUntilServing();
    await new Promise((resolve) => setTimeout(resolve, 300));
    phase = 'after restart';
    await new Promise((resolve) => setTimeout(resolve, 800));
    running = false;
    await traffic;

    const summary = new Map<string, number>();
    for (const seen of observations) summary.set(`${seen.phase}: ${seen.outcome}`, (summary.get(`${seen.phase}: ${seen.outcome}`) ?? 0) + 1);
    console.info(
      `redis: recovered ${stallRecovery} ms after SIGCONT, ${restartRecovery} ms after restart; ${[...summary].map(([key, count]) => `${key} x${count}`).join(', ')}`,
    );

    expect(observations.filter((seen) => seen.outcome === 'bad').map((seen) => `${seen.phase} ${seen.what}: ${seen.detail}`)).toEqual([]);
    for (const quiet of ['before', 'after stall', 'after restart'] as const) {
      const inPhase = observations.filter((seen) => seen.phase === quiet && seen.ended === quiet);
      expect(inPhase.length, quiet).toBeGreaterThan(USERS);
      expect(
        inPhase.filter((seen) => seen.outcome !== 'ok').map((seen) => `${seen.what}: ${seen.outcome}`),
        quiet,
      ).toEqual([]);
    }
    for (const outage of ['stalled', 'down'] as const) {
      expect(observations.filter((seen) => seen.phase === outage && seen.outcome === 'store unavailable (503)').length, outage).toBeGreaterThan(0);
    }
  }, 90_000);

  it('every grant survived: access tokens issued before the outages and the current refresh tokens still work', async () => {
    for (const [index, user] of users.entries()) {
      const before = await callTool(gateway.mcpUrl, firstTokens[index], 'get_positions', { account_id: user.accountId });
      expect(before.status, user.email).toBe(200);
      expect(before.result?.isError, before.resultText).toBeFalsy();
      expect(await refreshUser(gateway.url, user, ledger)).toBe(200);
      const after = await callTool(gateway.mcpUrl, user.accessToken, 'get_positions', { account_id: user.accountId });
      expect(after.result?.isError, after.resultText).toBeFalsy();
    }
  });

  it('no log line holds a password, secret, verifier or token, and nothing was an unhandled error', () => {
    expect(gateway.logs.entries.filter((entry) => entry['msg'] === 'unhandled error' || entry['msg'] === 'tools/call failed unexpectedly')).toEqual([]);
    expect(ledger.findIn(gateway.logs.lines)).toEqual([]);
  });
});
