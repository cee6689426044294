/**
 * The session store failing in the middle of a refresh-token rotation
 * (`POST /token`, grant_type=refresh_token), one store operation at a time,
 * as a Redis that stops between two commands does. The client gets a 503
 * and, as OAuth clients do, sends the same refresh token again once the
 * store is back. That retry must work and the grant must survive: the
 * rotation either happened completely (the client got new tokens) or, from
 * the client's point of view, not at all. Reuse detection (OAuth 2.1
 * §4.3.1, RFC 9700 §4.14.2) must still revoke the grant when a refresh
 * token that was successfully rotated is presented again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../runtime/store/memory-store.js';
import { postForm, startSandbox, type RunningSandbox } from '../../testkit/harness.js';
import { FaultyStore } from './support/faulty-store.js';
import { connectUser, type GatewayUser } from './support/gateway-users.js';
import { callTool } from './support/mcp-wire.js';
import { startRobustGateway, type RobustGateway } from './support/robust-gateway.js';
import { SecretLedger } from './support/secret-ledger.js';

describe('the store failing in the middle of a refresh-token rotation', () => {
  const ledger = new SecretLedger();
  const store = new FaultyStore(new MemoryStore());
  let sandbox: RunningSandbox;
  let gateway: RobustGateway;

  beforeAll(async () => {
    sandbox = await startSandbox();
    gateway = await startRobustGateway({ sandboxUrl: sandbox.url, ledger, store });
  });

  afterAll(async () => {
    await gateway?.close();
    await store.close();
    await sandbox?.close();
  });

  const connect = (label: string) => connectUser({ sandboxUrl: sandbox.url, gatewayUrl: gateway.url, publicUrl: gateway.publicUrl, ledger, label });
  const refresh = (user: GatewayUser, refreshToken = user.refreshToken) =>
    postForm(`${gateway.url}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: user.clientId, client_secret: user.clientSecret });
  const works = async (accessToken: string, _user: GatewayUser) => {
    const answer = await callTool(gateway.mcpUrl, accessToken, 'list_accounts', {});
    return answer.status === 200 && answer.result?.isError !== true;
  };

  const failurePoints: [string, { op: Parameters<FaultyStore['failNext']>[0]; keyPrefix: string }][] = [
    ['reading the refresh token', { op: 'get', keyPrefix: 'rt:' }],
    ['reading the grant', { op: 'get', keyPrefix: 'grant:' }],
    ['claiming the refresh token', { op: 'setIfAbsent', keyPrefix: 'rt-used:' }],
    ['removing the old refresh token', { op: 'delete', keyPrefix: 'rt:' }],
    ['writing the new access token', { op: 'set', keyPrefix: 'at:' }],
    ['writing the new refresh token', { op: 'set', keyPrefix: 'rt:' }],
  ];

  it.each(failurePoints)('fails at %s: 503 or success, and the same refresh token then works (grant intact)', async (_point, { op, keyPrefix }) => {
    const user = await connect(`${op}-${keyPrefix}`);
    const original = user.refreshToken;
    store.failNext(op, keyPrefix);
    const first = await refresh(user);
    expect(store.fired, `the rotation never did ${op} ${keyPrefix}`).toBe(true);
    if (first.status === 200) {
      // The failure hit a step after the point of no return, and the rotation still completed.
      expect(await works(String(first.body['access_token']), user)).toBe(true);
      return;
    }
    expect({ status: first.status, body: first.body }).toEqual({
      status: 503,
      body: { error: 'temporarily_unavailable', error_description: 'The gateway cannot reach its session store; try again in a minute.' },
    });
    const retry = await refresh(user, original);
    expect({ status: retry.status, error: retry.body['error'] }).toEqual({ status: 200, error: undefined });
    expect(await works(String(retry.body['access_token']), user)).toBe(true);
    expect(await works(user.accessToken, user)).toBe(true);
  });

  it('a rotated refresh token presented again after its successor was used is still caught: the grant is revoked', async () => {
    const user = await connect('reuse');
    const first = await refresh(user);
    expect(first.status).toBe(200);
    const second = await refresh(user, String(first.body['refresh_token']));
    expect(second.status).toBe(200);
    const replay = await refresh(user);
    expect({ status: replay.status, error: replay.body['error'] }).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await works(String(second.body['access_token']), user)).toBe(false);
  });

  it('the claim reaches the store after the gateway gave up on it (a late Redis write): the retry gets the successor, the grant survives', async () => {
    const user = await connect('late-claim');
    store.writeThenFailNext('setIfAbsent', 'rt-used:');
    const first = await refresh(user);
    expect(store.fired).toBe(true);
    expect(first.status).toBe(503);
    const retry = await refresh(user);
    expect({ status: retry.status, error: retry.body['error'] }).toEqual({ status: 200, error: undefined });
    expect(await works(String(retry.body['access_token']), user)).toBe(true);
    expect((await refresh(user, String(retry.body['refresh_token']))).status).toBe(200);
  });

  it('no log line holds a password, secret, verifier or token', () => {
    expect(ledger.findIn(gateway.logs.lines)).toEqual([]);
  });
});
