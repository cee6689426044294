/**
 * OAuthRecords on the memory store with a moving clock: what a user notices
 * when a sign-in, a code, a grant or a refresh token is used once, twice, late
 * or after a key change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../../runtime/auth/opaque-tokens.js';
import { CODE_TTL_SECONDS, OAuthRecords, PENDING_TTL_SECONDS, type CodeRecord, type GrantRecord } from '../../../../runtime/auth/oauth-records.js';
import { MemoryStore } from '../../../../runtime/store/memory-store.js';
import { Sealer } from '../../../../runtime/store/seal.js';
import type { AriesTokenSet } from '../../../../runtime/upstream/aries-oauth.js';

const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);
const AUDIENCE = 'https://mcp.aries.test/mcp';
const ARIES_TOKENS: AriesTokenSet = {
  accessToken: 'aries-at',
  refreshToken: 'aries-rt',
  expiresAt: 10_000_000,
  refreshExpiresAt: undefined,
  scopes: ['market:information'],
};

let now = 1_000_000;
// The store keeps its own clock, which stays put: the expiries tested here are the records' own checks, not
// the store's TTLs (which lag behind them on a replica with a slow clock or a store that rounds TTLs).
const newStore = () => new MemoryStore({ now: () => 1_000_000, sweepIntervalMs: 0 });
let store = newStore();

function records(options: { keys?: Buffer[]; graceSeconds?: number } = {}): OAuthRecords {
  return new OAuthRecords({
    store,
    sealer: new Sealer(options.keys ?? [KEY_A]),
    accessTokenTtlSeconds: 3600,
    refreshTokenTtlSeconds: 86_400,
    refreshReuseGraceSeconds: options.graceSeconds ?? 0,
    now: () => now,
  });
}

const pending = {
  clientId: 'client-1',
  redirectUri: 'https://claude.ai/api/mcp/auth_callback',
  clientState: 'client-state',
  codeChallenge: 'c'.repeat(43),
  requestedScopes: ['market:information'],
  scopes: ['market:information'],
  resource: AUDIENCE,
  ariesVerifier: 'aries-verifier-secret',
  browserBindingHash: 'b'.repeat(64),
};

const code: Omit<CodeRecord, 'expiresAt'> = {
  clientId: 'client-1',
  redirectUri: pending.redirectUri,
  codeChallenge: pending.codeChallenge,
  requestedScopes: pending.requestedScopes,
  scopes: pending.scopes,
  resource: AUDIENCE,
  ariesCode: 'aries-code-secret',
  ariesVerifier: 'aries-verifier-secret',
  grantId: 'grant-1',
};

async function grant(on: OAuthRecords, clientSecret?: string): Promise<GrantRecord> {
  return on.createGrant({
    grantId: 'grant-1',
    clientId: 'client-1',
    clientSecret,
    tokens: ARIES_TOKENS,
    scopes: ['market:information'],
    requestedScopes: ['market:information'],
    forwardedScopes: ['market:information'],
    scopesAssumed: false,
  });
}

afterEach(async () => {
  await store.close();
  now = 1_000_000;
  store = newStore();
});

describe('pending authorizations', () => {
  it('are taken once, with the Aries verifier opened, and sealed at rest', async () => {
    const on = records();
    await on.savePending('st-1', pending);
    expect(await store.get(`pending:${hashToken('st-1')}`)).not.toContain('aries-verifier-secret');
    expect(await on.takePending('st-1')).toMatchObject({ clientId: 'client-1', ariesVerifier: 'aries-verifier-secret', clientState: 'client-state' });
    expect(await on.takePending('st-1')).toBeUndefined();
  });

  const gone: [string, { state: string; laterMs: number; keys: Buffer[] }][] = [
    ['an unknown state', { state: 'st-other', laterMs: 0, keys: [KEY_A] }],
    ['a state past its 10 minutes', { state: 'st-1', laterMs: PENDING_TTL_SECONDS * 1000, keys: [KEY_A] }],
    ['a state sealed with a key no longer configured', { state: 'st-1', laterMs: 0, keys: [KEY_B] }],
  ];
  it.each(gone)('%s is not found', async (_name, { state, laterMs, keys }) => {
    await records().savePending('st-1', pending);
    now += laterMs;
    expect(await records({ keys }).takePending(state)).toBeUndefined();
  });
});

describe('gateway codes', () => {
  it('are found (opened) until claimed, claimed once, then reported as reused with their grant', async () => {
    const on = records();
    await on.saveCode('agw_ac_1', code);
    const found = await on.findCode('agw_ac_1');
    expect(found).toMatchObject({ kind: 'ok', record: { ariesCode: 'aries-code-secret', ariesVerifier: 'aries-verifier-secret', grantId: 'grant-1' } });
    if (found.kind !== 'ok') throw new Error('code not found');
    expect(await on.findCode('agw_ac_1')).toMatchObject({ kind: 'ok' });
    expect(await on.claimCode('agw_ac_1', found.record)).toBe(true);
    expect(await on.claimCode('agw_ac_1', found.record)).toBe(false);
    expect(await on.findCode('agw_ac_1')).toEqual({ kind: 'reused', grantId: 'grant-1' });
  });

  const outcomes: [string, { given: () => Promise<string>; want: string }][] = [
    ['a code never issued', { given: async () => 'agw_ac_nope', want: 'unknown' }],
    ['a code used after its 2 minutes', { given: async () => ((now += CODE_TTL_SECONDS * 1000), 'agw_ac_1'), want: 'expired' }],
  ];
  it.each(outcomes)('%s is %s', async (_name, { given, want }) => {
    const on = records();
    await on.saveCode('agw_ac_1', code);
    expect((await on.findCode(await given())).kind).toBe(want);
  });

  it('a code sealed with a key no longer configured is unknown, not opened', async () => {
    await records().saveCode('agw_ac_1', code);
    expect(await records({ keys: [KEY_B] }).findCode('agw_ac_1')).toEqual({ kind: 'unknown' });
  });
});

describe('grants', () => {
  it('keep the Aries tokens and the client secret sealed, and open them with a rotated key list', async () => {
    await grant(records(), 'client-secret-1');
    expect(JSON.stringify(await store.get('grant:grant-1'))).not.toMatch(/aries-at|aries-rt|client-secret-1/);
    expect(await records({ keys: [KEY_B, KEY_A] }).loadAriesGrant('grant-1')).toEqual({
      credentials: { clientId: 'client-1', clientSecret: 'client-secret-1' },
      tokens: ARIES_TOKENS,
    });
  });

  it('a grant whose key was dropped is revoked, so the client re-authorizes', async () => {
    await grant(records());
    expect(await records({ keys: [KEY_B] }).loadAriesGrant('grant-1')).toBeUndefined();
    expect(await records().loadGrant('grant-1')).toBeUndefined();
  });

  it('revocation ends the grant and a late token save does not bring it back', async () => {
    const on = records();
    await grant(on);
    await on.revokeGrant('grant-1');
    await on.saveAriesTokens('grant-1', { ...ARIES_TOKENS, accessToken: 'aries-at-2' });
    expect(await on.loadGrant('grant-1')).toBeUndefined();
    expect(await on.loadAriesGrant('grant-1')).toBeUndefined();
  });

  const secrets: [string, { created: string | undefined; given: string | undefined; want: boolean }][] = [
    ['public client, no secret', { created: undefined, given: undefined, want: true }],
    ['same secret', { created: 's3cret', given: 's3cret', want: true }],
    ['another secret', { created: 's3cret', given: 's3cret!', want: false }],
    ['secret left out', { created: 's3cret', given: undefined, want: false }],
  ];
  it.each(secrets)('client secret check: %s', async (_name, { created, given, want }) => {
    const on = records();
    expect(on.secretMatches(await grant(on, created), given)).toBe(want);
  });
});

describe('gateway tokens', () => {
  it('an access token works until it expires, for its grant and audience', async () => {
    const on = records();
    const issued = await on.issueTokens(await grant(on), ['market:information'], AUDIENCE);
    expect(issued.accessToken).toMatch(/^agw_at_/);
    expect(issued.refreshToken).toMatch(/^agw_rt_/);
    expect(await on.findAccessToken(issued.accessToken)).toMatchObject({
      grantId: 'grant-1',
      clientId: 'client-1',
      audience: AUDIENCE,
      scopes: ['market:information'],
    });
    now += 3600 * 1000;
    expect(await on.findAccessToken(issued.accessToken)).toBeUndefined();
    expect(await on.findAnyToken(issued.refreshToken)).toMatchObject({ grantId: 'grant-1' });
  });

  it('a refresh token rotates once; presenting it again is reuse naming the grant and its successor', async () => {
    const on = records();
    const first = await on.issueTokens(await grant(on), ['market:information'], AUDIENCE);
    const found = await on.findRefreshToken(first.refreshToken);
    if (found.kind !== 'ok') throw new Error(`refresh token not found: ${found.kind}`);
    const next = await on.issueTokens(await grant(on), ['market:information'], AUDIENCE);
    expect(await on.consumeRefreshToken(first.refreshToken, found.record, { ...next, scopes: ['market:information'] })).toBe(true);
    expect(await on.consumeRefreshToken(first.refreshToken, found.record, { ...next, scopes: ['market:information'] })).toBe(false);
    expect(await on.findRefreshToken(first.refreshToken)).toMatchObject({ kind: 'reused', grantId: 'grant-1', rotatedAt: now });
    expect((await on.findRefreshToken(next.refreshToken)).kind).toBe('ok');
  });

  const grace: [string, { graceSeconds: number; after: number; rotateSuccessor: boolean; revoke: boolean; want: 'successor' | 'none' }][] = [
    ['inside the window', { graceSeconds: 30, after: 10, rotateSuccessor: false, revoke: false, want: 'successor' }],
    ['after the window', { graceSeconds: 30, after: 31, rotateSuccessor: false, revoke: false, want: 'none' }],
    ['window turned off', { graceSeconds: 0, after: 0, rotateSuccessor: false, revoke: false, want: 'none' }],
    ['successor already rotated', { graceSeconds: 30, after: 1, rotateSuccessor: true, revoke: false, want: 'none' }],
    ['grant revoked', { graceSeconds: 30, after: 1, rotateSuccessor: false, revoke: true, want: 'none' }],
  ];
  it.each(grace)('a retried refresh %s', async (_name, { graceSeconds, after, rotateSuccessor, revoke, want }) => {
    const on = records({ graceSeconds });
    const first = await on.issueTokens(await grant(on), ['market:information'], AUDIENCE);
    const found = await on.findRefreshToken(first.refreshToken);
    if (found.kind !== 'ok') throw new Error('refresh token not found');
    const next = await on.issueTokens(await grant(on), ['market:information'], AUDIENCE);
    await on.consumeRefreshToken(first.refreshToken, found.record, { ...next, scopes: ['market:information'] });
    if (rotateSuccessor) {
      const third = await on.issueTokens(await grant(on), ['market:information'], AUDIENCE);
      const nextFound = await on.findRefreshToken(next.refreshToken);
      if (nextFound.kind !== 'ok') throw new Error('successor not found');
      await on.consumeRefreshToken(next.refreshToken, nextFound.record, { ...third, scopes: ['market:information'] });
    }
    if (revoke) await on.revokeGrant('grant-1');
    now += after * 1000;
    const marker = await on.rotationOf(first.refreshToken);
    if (marker === undefined) throw new Error('no rotation marker');
    const successor = await on.successorWithinGrace(marker);
    if (want === 'none') expect(successor).toBeUndefined();
    else expect(successor).toEqual({ accessToken: next.accessToken, refreshToken: next.refreshToken, expiresIn: 3600 - after, scopes: ['market:information'] });
  });
});
