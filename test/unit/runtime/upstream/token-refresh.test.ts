/**
 * Lazy Aries token refresh: the refresh window, single flight in one
 * process, the store lock across replicas, refresh-token keeping, dead grants.
 */
import { describe, expect, it } from 'vitest';
import { GrantRevokedError } from '../../../../runtime/mcp/grant.js';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';
import { AriesOAuthError, type AriesClientCredentials, type AriesOAuthClient, type AriesTokenSet } from '../../../../runtime/upstream/aries-oauth.js';
import { TokenRefresher, type AriesGrantSource } from '../../../../runtime/upstream/token-refresh.js';

class FakeGrants implements AriesGrantSource {
  tokens: AriesTokenSet | undefined;
  revoked = 0;
  constructor(tokens: AriesTokenSet) {
    this.tokens = tokens;
  }
  async loadAriesGrant() {
    return this.tokens === undefined ? undefined : { credentials: { clientId: 'cid' } as AriesClientCredentials, tokens: this.tokens };
  }
  async saveAriesTokens(_grantId: string, tokens: AriesTokenSet) {
    this.tokens = tokens;
  }
  async revokeGrant() {
    this.revoked += 1;
    this.tokens = undefined;
  }
}

class FakeAries implements AriesOAuthClient {
  calls: string[] = [];
  failWith: Error | undefined;
  delayMs = 20;
  constructor(private readonly now: () => number) {}
  authorizationUrl(): string {
    return '';
  }
  async exchangeCode(): Promise<AriesTokenSet> {
    throw new Error('not used');
  }
  async refresh(_credentials: AriesClientCredentials, refreshToken: string): Promise<AriesTokenSet> {
    this.calls.push(refreshToken);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith) throw this.failWith;
    const n = this.calls.length;
    return { accessToken: `at-${n}`, refreshToken: `rt-${n}`, expiresAt: this.now() + 3_600_000, refreshExpiresAt: undefined, scopes: undefined };
  }
}

function setup(expiresInMs: number, extra: Partial<AriesTokenSet> = {}) {
  const now = () => Date.now();
  const grants = new FakeGrants({
    accessToken: 'at-0',
    refreshToken: 'rt-0',
    expiresAt: now() + expiresInMs,
    refreshExpiresAt: undefined,
    scopes: ['a'],
    ...extra,
  });
  const aries = new FakeAries(now);
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const refresher = new TokenRefresher({ store, grants, aries, pollIntervalMs: 10 });
  return { grants, aries, store, refresher };
}

describe('TokenRefresher', () => {
  it('hands out the stored token while it is valid for more than 60 s', async () => {
    const { refresher, aries } = setup(120_000);
    expect(await refresher.accessToken('g')).toBe('at-0');
    expect(aries.calls).toEqual([]);
  });

  it('refreshes a token expiring within 60 s before use, keeping the scopes', async () => {
    const { refresher, aries, grants } = setup(59_000);
    expect(await refresher.accessToken('g')).toBe('at-1');
    expect(aries.calls).toEqual(['rt-0']);
    expect(grants.tokens).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1', scopes: ['a'] });
  });

  it('concurrent callers in one process cause one refresh', async () => {
    const { refresher, aries } = setup(-1_000);
    const tokens = await Promise.all(Array.from({ length: 25 }, () => refresher.accessToken('g')));
    expect(new Set(tokens)).toEqual(new Set(['at-1']));
    expect(aries.calls).toHaveLength(1);
  });

  it('two replicas sharing the store cause one refresh (store lock)', async () => {
    const { grants, aries, store } = setup(-1_000);
    const a = new TokenRefresher({ store, grants, aries, pollIntervalMs: 5 });
    const b = new TokenRefresher({ store, grants, aries, pollIntervalMs: 5 });
    const tokens = await Promise.all([...Array.from({ length: 10 }, () => a.accessToken('g')), ...Array.from({ length: 10 }, () => b.accessToken('g'))]);
    expect(new Set(tokens)).toEqual(new Set(['at-1']));
    expect(aries.calls).toHaveLength(1);
    expect(await store.get('lock:refresh:g')).toBeUndefined();
  });

  it('a replica whose lock expired during a slow Aries refresh neither deletes the lock another replica took nor overwrites its newer tokens', async () => {
    const { grants, aries, store } = setup(-1_000);
    aries.delayMs = 300;
    const replica1 = new TokenRefresher({ store, grants, aries, lockTtlSeconds: 0.1, pollIntervalMs: 5 });
    const pending = replica1.accessToken('g');
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Replica 2: replica 1's lock has expired, it takes the lock and saves its own refreshed tokens.
    expect(await store.setIfAbsent('lock:refresh:g', 'replica-2', 60)).toBe(true);
    const newer: AriesTokenSet = {
      accessToken: 'at-replica-2',
      refreshToken: 'rt-replica-2',
      expiresAt: Date.now() + 3_600_000,
      refreshExpiresAt: undefined,
      scopes: ['a'],
    };
    grants.tokens = newer;
    expect(await pending).toBe('at-replica-2');
    expect(aries.calls).toEqual(['rt-0']);
    expect(grants.tokens).toEqual(newer);
    expect(await store.get('lock:refresh:g')).toBe('replica-2');
  });

  it('after an upstream 401, refreshes once even for many callers holding the same rejected token', async () => {
    const { refresher, aries } = setup(3_600_000);
    const rejected = await refresher.accessToken('g');
    const fresh = await Promise.all(Array.from({ length: 10 }, () => refresher.refreshAfterRejection('g', rejected)));
    expect(new Set(fresh)).toEqual(new Set(['at-1']));
    // A late caller with the old token gets the new one without another refresh.
    expect(await refresher.refreshAfterRejection('g', rejected)).toBe('at-1');
    expect(aries.calls).toHaveLength(1);
  });

  it.each(['invalid_grant', 'invalid_client', 'unauthorized_client'])('Aries %s on refresh ends the grant (GrantRevokedError)', async (code) => {
    const { refresher, aries, grants } = setup(-1_000);
    aries.failWith = new AriesOAuthError(code, 400, 'refresh token revoked');
    await expect(refresher.accessToken('g')).rejects.toBeInstanceOf(GrantRevokedError);
    expect(grants.revoked).toBe(1);
    await expect(refresher.accessToken('g')).rejects.toBeInstanceOf(GrantRevokedError);
  });

  it('network trouble is transient: a plain Error, the grant stays', async () => {
    const { refresher, aries, grants } = setup(-1_000);
    aries.failWith = new AriesOAuthError('unreachable', undefined, 'ECONNREFUSED');
    const failure = await refresher.accessToken('g').catch((error: unknown) => error);
    expect(failure).not.toBeInstanceOf(GrantRevokedError);
    expect(failure instanceof Error ? failure.message : failure).toBe('Could not refresh the Aries access token; try again');
    expect(grants.revoked).toBe(0);
    aries.failWith = undefined;
    expect(await refresher.accessToken('g')).toBe('at-2');
  });

  it('without a refresh token: the token is used until it expires, then the grant ends', async () => {
    const valid = setup(30_000, { refreshToken: undefined });
    expect(await valid.refresher.accessToken('g')).toBe('at-0');
    const expired = setup(-1, { refreshToken: undefined });
    await expect(expired.refresher.accessToken('g')).rejects.toBeInstanceOf(GrantRevokedError);
    expect(expired.aries.calls).toEqual([]);
  });

  it('a missing grant is GrantRevokedError', async () => {
    const { refresher, grants } = setup(3_600_000);
    grants.tokens = undefined;
    await expect(refresher.accessToken('g')).rejects.toThrow(GrantRevokedError);
  });
});
