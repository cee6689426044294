/**
 * The bearer path reuses the Aries token it opened from a grant's sealed set
 * (`runtime/auth/opened-token-cache.ts`, used by `bearer.ts`) and never lets
 * that reuse outlive a revocation, an expiry or a refresh: revocation and
 * expiry of the gateway token take effect at the next request on this
 * replica and on every other one (the bearer records are read every time),
 * and a refresh anywhere changes the sealed text the reuse is keyed by.
 */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { GatewayGrantResolver } from '../../../../runtime/auth/bearer.js';
import { gatewayEndpoints } from '../../../../runtime/auth/endpoints.js';
import { OAuthRecords } from '../../../../runtime/auth/oauth-records.js';
import { OpenedTokenCache } from '../../../../runtime/auth/opened-token-cache.js';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';
import { Sealer } from '../../../../runtime/store/seal.js';
import type { AriesClientCredentials, AriesOAuthClient, AriesTokenSet } from '../../../../runtime/upstream/aries-oauth.js';
import { TokenRefresher } from '../../../../runtime/upstream/token-refresh.js';

const ACCESS_TTL_SECONDS = 600;
// Shorter than the gateway token, so the refresh window is reached while the gateway token still lives.
const ARIES_TTL_MS = 300_000;
const endpoints = gatewayEndpoints('http://127.0.0.1:9');

/** Counts decryptions: the work the reuse saves. */
class CountingSealer extends Sealer {
  opens = 0;
  override open(sealed: string, context: string): string {
    this.opens++;
    return super.open(sealed, context);
  }
}

class FakeAries implements AriesOAuthClient {
  refreshes = 0;
  constructor(private readonly now: () => number) {}
  authorizationUrl(): string {
    return '';
  }
  async exchangeCode(): Promise<AriesTokenSet> {
    throw new Error('not used');
  }
  async refresh(_credentials: AriesClientCredentials, _refreshToken: string): Promise<AriesTokenSet> {
    this.refreshes++;
    return {
      accessToken: `aries-refreshed-${this.refreshes}`,
      refreshToken: `rt-${this.refreshes}`,
      expiresAt: this.now() + ARIES_TTL_MS,
      refreshExpiresAt: undefined,
      scopes: undefined,
    };
  }
}

/** One gateway replica: its own records object, refresher and resolver over the shared store. */
function replica(store: MemoryStore, sealer: Sealer, now: () => number) {
  const records = new OAuthRecords({
    store,
    sealer,
    accessTokenTtlSeconds: ACCESS_TTL_SECONDS,
    refreshTokenTtlSeconds: 86_400,
    refreshReuseGraceSeconds: 0,
    now,
  });
  const aries = new FakeAries(now);
  const refresher = new TokenRefresher({ store, grants: records, aries, now });
  const resolver = new GatewayGrantResolver({ endpoints, records, refresher, scopes: ['account:information'] });
  return { records, aries, resolver };
}

function bearerRequest(token: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = { authorization: `Bearer ${token}` };
  return req;
}

let clock: number;
const now = (): number => clock;
let store: MemoryStore;
let sealer: CountingSealer;
let one: ReturnType<typeof replica>;
let two: ReturnType<typeof replica>;
let token: string;

beforeEach(async () => {
  clock = 1_700_000_000_000;
  store = new MemoryStore({ now, sweepIntervalMs: 0 });
  sealer = new CountingSealer([Buffer.alloc(32, 3)]);
  one = replica(store, sealer, now);
  two = replica(store, sealer, now);
  const grant = await one.records.createGrant({
    grantId: 'grant-1',
    clientId: 'client-1',
    clientSecret: undefined,
    tokens: { accessToken: 'aries-0', refreshToken: 'rt-0', expiresAt: clock + ARIES_TTL_MS, refreshExpiresAt: undefined, scopes: ['account:information'] },
    scopes: ['account:information'],
    requestedScopes: [],
    forwardedScopes: [],
    scopesAssumed: false,
  });
  token = (await one.records.issueTokens(grant, ['account:information'], endpoints.mcpUrl)).accessToken;
});

async function ariesTokenVia(resolver: GatewayGrantResolver): Promise<string | undefined> {
  const grant = await resolver.resolve(bearerRequest(token));
  return grant === undefined ? undefined : grant.accessToken();
}

describe('the bearer path reuses an opened Aries token only while it is provably current', () => {
  it('opens the sealed token set once for repeated calls on the same grant', async () => {
    expect(await ariesTokenVia(one.resolver)).toBe('aries-0');
    const opensAfterFirst = sealer.opens;
    for (let i = 0; i < 5; i++) expect(await ariesTokenVia(one.resolver)).toBe('aries-0');
    expect(sealer.opens).toBe(opensAfterFirst);
  });

  it.each([
    ['the grant is revoked on this replica', async () => one.records.revokeGrant('grant-1')],
    ['the grant is revoked on another replica', async () => two.records.revokeGrant('grant-1')],
    ['the gateway access token expires', async () => void (clock += ACCESS_TTL_SECONDS * 1000 + 1)],
  ])('stops at the very next request when %s', async (_name, change) => {
    expect(await ariesTokenVia(one.resolver)).toBe('aries-0');
    await change();
    expect(await one.resolver.resolve(bearerRequest(token))).toBeUndefined();
  });

  it('uses the token another replica refreshed at the next request', async () => {
    expect(await ariesTokenVia(one.resolver)).toBe('aries-0');
    const onTwo = await two.resolver.resolve(bearerRequest(token));
    expect(await onTwo?.refreshAccessToken()).toBe('aries-refreshed-1');
    expect(await ariesTokenVia(one.resolver)).toBe('aries-refreshed-1');
  });

  it('refreshes rather than reuse a token that entered the refresh window', async () => {
    expect(await ariesTokenVia(one.resolver)).toBe('aries-0');
    clock += ARIES_TTL_MS - 30_000;
    expect(await ariesTokenVia(one.resolver)).toBe('aries-refreshed-1');
    expect(one.aries.refreshes).toBe(1);
  });

  it('forgets the reused token after Aries rejected it', async () => {
    const grant = await one.resolver.resolve(bearerRequest(token));
    expect(await grant?.accessToken()).toBe('aries-0');
    expect(await grant?.refreshAccessToken()).toBe('aries-refreshed-1');
    expect(await ariesTokenVia(one.resolver)).toBe('aries-refreshed-1');
  });
});

describe('OpenedTokenCache', () => {
  it('is keyed by the exact sealed text and bounded, dropping the least recently used grant', () => {
    const cache = new OpenedTokenCache(2);
    const token = (name: string) => ({ accessToken: name, expiresAt: 1 });
    cache.set('a', 'sealed-a', token('A'));
    cache.set('b', 'sealed-b', token('B'));
    expect(cache.get('a', 'sealed-a-resealed')).toBeUndefined();
    cache.set('a', 'sealed-a', token('A'));
    expect(cache.get('b', 'sealed-b')?.accessToken).toBe('B');
    cache.set('c', 'sealed-c', token('C'));
    expect(cache.size).toBe(2);
    expect(cache.get('a', 'sealed-a')).toBeUndefined();
    expect(cache.get('b', 'sealed-b')?.accessToken).toBe('B');
    expect(cache.get('c', 'sealed-c')?.accessToken).toBe('C');
  });
});
