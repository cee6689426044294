/**
 * The authorization-code flow end to end over HTTP: browser pages and JSON
 * backend, PKCE S256 and plain, client secret (JSON, form and HTTP Basic),
 * MFA, first-time-only consent, refresh rotation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { admin, callApi, pkcePair, postJson, postToken, startSandbox, walkAuthorization, type RunningSandbox } from './sandbox-client.js';

const REDIRECT = 'http://127.0.0.1:9999/callback';
let running: RunningSandbox;

beforeEach(async () => {
  running = await startSandbox();
});
afterEach(async () => {
  await running.server.close();
});

async function newClient(scopes: string[], isPublic = false) {
  const created = await admin(running.url, 'POST', '/admin/clients', { name: 'Test <App>', redirect_uris: [REDIRECT], scopes, public: isPublic });
  expect(created.status).toBe(201);
  return z.looseObject({ client_id: z.string(), client_secret: z.string().nullable() }).parse(created.body);
}

const demoUser = () => ({ email: running.sandbox.demo.email, password: running.sandbox.demo.password });

describe('authorization code flow', () => {
  it('public client with PKCE S256 through the pages, then the API', async () => {
    const client = await newClient(['account:information', 'market:information'], true);
    expect(client.client_secret).toBeNull();
    const pkce = pkcePair('S256');
    const walk = await walkAuthorization(
      running.url,
      { clientId: client.client_id, redirectUri: REDIRECT, scope: 'account:information market:information', state: 'xyz', challenge: pkce },
      demoUser(),
    );
    expect(walk.pages).toEqual(['sign-in', 'consent']);
    expect(walk.location.origin + walk.location.pathname).toBe(REDIRECT);
    expect(walk.location.searchParams.get('state')).toBe('xyz');
    const code = walk.location.searchParams.get('code') ?? '';

    const token = await postToken(
      running.url,
      { grant_type: 'authorization_code', client_id: client.client_id, code, redirect_uri: REDIRECT, code_verifier: pkce.verifier },
      'form',
    );
    expect(token.status).toBe(200);
    expect(token.headers.get('cache-control')).toBe('no-store');
    expect(token.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token_expires_in: 2592000,
      scope: 'account:information market:information',
    });

    const accounts = await callApi(running.url, String(token.body.access_token), 'GET', '/v1/users/me/accounts');
    expect(accounts.status).toBe(200);
    expect(z.looseObject({ accounts: z.array(z.unknown()) }).parse(accounts.body).accounts[0]).toMatchObject({
      sterling_account_id: 'TEST-ACCOUNT-001',
      status: 'OPEN',
      account_class: 'MARGIN',
      is_sim: true,
    });
  });

  it('PKCE plain through the JSON backend', async () => {
    const client = await newClient(['market:information'], true);
    const pkce = pkcePair('plain');
    const start = await postJson(running.url, '/v1/oauth2/authorize', {
      client_id: client.client_id,
      ...demoUser(),
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'market:information',
      state: 's1',
      code_challenge: pkce.challenge,
      code_challenge_method: 'plain',
    });
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ client_name: 'Test <App>', consent_required: true, is_mfa: false, scopes: ['market:information'] });
    const confirm = await postJson(running.url, '/v1/oauth2/authorize/confirm', { next_step_auth_id: start.body.next_step_auth_id });
    expect(confirm.body.redirect_uri).toBe(REDIRECT);
    const token = await postToken(running.url, {
      grant_type: 'code',
      client_id: client.client_id,
      code: String(confirm.body.code),
      redirect_uri: REDIRECT,
      code_verifier: pkce.verifier,
    });
    expect(token.status).toBe(200);
    expect(token.body.scope).toBe('market:information');
  });

  it('confidential client with a secret: JSON body, form body and HTTP Basic', async () => {
    const client = await newClient(['account:information']);
    for (const mode of ['json', 'form', 'basic'] as const) {
      const walk = await walkAuthorization(
        running.url,
        { clientId: client.client_id, redirectUri: REDIRECT, scope: 'account:information', state: mode },
        demoUser(),
      );
      const code = walk.location.searchParams.get('code') ?? '';
      const body = { grant_type: 'authorization_code', client_id: client.client_id, code, redirect_uri: REDIRECT };
      const token =
        mode === 'basic'
          ? await postToken(running.url, body, 'form', {
              authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`,
            })
          : await postToken(running.url, { ...body, client_secret: String(client.client_secret) }, mode);
      expect(token.status, mode).toBe(200);
    }
  });

  it('users with MFA pass the 6-digit step (pages and JSON)', async () => {
    await admin(running.url, 'POST', '/admin/users', { email: 'mfa@aries.test', password: 'pw-mfa', mfa: true });
    const client = await newClient(['account:information']);
    const walk = await walkAuthorization(
      running.url,
      { clientId: client.client_id, redirectUri: REDIRECT, scope: 'account:information' },
      { email: 'mfa@aries.test', password: 'pw-mfa' },
    );
    expect(walk.pages).toEqual(['sign-in', 'mfa', 'consent']);

    const start = await postJson(running.url, '/v1/oauth2/authorize', {
      client_id: client.client_id,
      email: 'mfa@aries.test',
      password: 'pw-mfa',
      redirect_uri: REDIRECT,
    });
    expect(start.body).toMatchObject({ is_mfa: true, consent_required: false });
    const early = await postJson(running.url, '/v1/oauth2/authorize/confirm', { next_step_auth_id: start.body.next_step_auth_id });
    expect(early.status).toBe(400);
    const wrong = await postJson(running.url, '/v1/oauth2/authorize/mfa', { next_step_auth_id: start.body.next_step_auth_id, verification_code: '000000' });
    expect(wrong.status).toBe(401);
    const mfa = await postJson(running.url, '/v1/oauth2/authorize/mfa', { next_step_auth_id: start.body.next_step_auth_id, verification_code: '123456' });
    expect(mfa.status).toBe(200);
    const confirm = await postJson(running.url, '/v1/oauth2/authorize/confirm', { next_step_auth_id: mfa.body.next_step_auth_id });
    expect(typeof confirm.body.code).toBe('string');
  });

  it('wrong credentials: 401 unauthorized from the backend, the form again on the page', async () => {
    const client = await newClient(['account:information']);
    const bad = await postJson(running.url, '/v1/oauth2/authorize', {
      client_id: client.client_id,
      email: 'demo@aries.test',
      password: 'nope',
      redirect_uri: REDIRECT,
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ error: 'unauthorized', message: 'Invalid email or password.' });
    await expect(
      walkAuthorization(running.url, { clientId: client.client_id, redirectUri: REDIRECT }, { email: 'demo@aries.test', password: 'nope' }),
    ).rejects.toThrow(/Invalid email or password/);
  });
});

describe('consent', () => {
  it('is shown only the first time for the same user, client and scopes; a new scope shows it again', async () => {
    const client = await newClient(['account:information', 'market:information', 'order:execution']);
    const params = { clientId: client.client_id, redirectUri: REDIRECT, scope: 'account:information market:information' };
    expect((await walkAuthorization(running.url, params, demoUser())).pages).toEqual(['sign-in', 'consent']);
    expect((await walkAuthorization(running.url, params, demoUser())).pages).toEqual(['sign-in']);
    expect((await walkAuthorization(running.url, { ...params, scope: 'market:information' }, demoUser())).pages).toEqual(['sign-in']);
    expect((await walkAuthorization(running.url, { ...params, scope: 'market:information order:execution' }, demoUser())).pages).toEqual([
      'sign-in',
      'consent',
    ]);
  });

  it('is per user: another user sees it for the same client', async () => {
    const client = await newClient(['account:information']);
    await admin(running.url, 'POST', '/admin/users', { email: 'two@aries.test', password: 'pw-two' });
    const params = { clientId: client.client_id, redirectUri: REDIRECT, scope: 'account:information' };
    await walkAuthorization(running.url, params, demoUser());
    expect((await walkAuthorization(running.url, params, { email: 'two@aries.test', password: 'pw-two' })).pages).toEqual(['sign-in', 'consent']);
  });

  it('Deny redirects with access_denied and the state, and records nothing', async () => {
    const client = await newClient(['account:information']);
    const params = { clientId: client.client_id, redirectUri: REDIRECT, scope: 'account:information', state: 'st-9' };
    const denied = await walkAuthorization(running.url, params, demoUser(), 'deny');
    expect(denied.location.searchParams.get('error')).toBe('access_denied');
    expect(denied.location.searchParams.get('state')).toBe('st-9');
    expect(denied.location.searchParams.get('code')).toBeNull();
    expect((await walkAuthorization(running.url, params, demoUser())).pages).toEqual(['sign-in', 'consent']);
  });

  it('grants the intersection of the requested and the registered scopes', async () => {
    const client = await newClient(['market:information']);
    const walk = await walkAuthorization(
      running.url,
      { clientId: client.client_id, redirectUri: REDIRECT, scope: 'market:information order:execution' },
      demoUser(),
    );
    const token = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: String(client.client_secret),
      code: walk.location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
    });
    expect(token.body.scope).toBe('market:information');
  });
});

describe('refresh tokens', () => {
  it('rotate: the new one works, the old one is invalid_grant', async () => {
    const client = await newClient(['account:information'], true);
    const pkce = pkcePair();
    const walk = await walkAuthorization(running.url, { clientId: client.client_id, redirectUri: REDIRECT, challenge: pkce }, demoUser());
    const first = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      code: walk.location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: pkce.verifier,
    });
    const refreshed = await postToken(running.url, {
      grant_type: 'refresh_token',
      client_id: client.client_id,
      refresh_token: String(first.body.refresh_token),
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(refreshed.body.scope).toBe('account:information');
    const reused = await postToken(running.url, { grant_type: 'refresh_token', client_id: client.client_id, refresh_token: String(first.body.refresh_token) });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const again = await postToken(
      running.url,
      { grant_type: 'refresh_token', client_id: client.client_id, refresh_token: String(refreshed.body.refresh_token) },
      'form',
    );
    expect(again.status).toBe(200);
    expect((await callApi(running.url, String(again.body.access_token), 'GET', '/v1/users/me/accounts')).status).toBe(200);
  });

  it('a family created with the secret needs the secret to refresh, and a wrong secret is invalid_client', async () => {
    const client = await newClient(['account:information']);
    const walk = await walkAuthorization(running.url, { clientId: client.client_id, redirectUri: REDIRECT }, demoUser());
    const first = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: String(client.client_secret),
      code: walk.location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
    });
    const refresh = { grant_type: 'refresh_token', client_id: client.client_id, refresh_token: String(first.body.refresh_token) };
    expect(await postToken(running.url, refresh)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(await postToken(running.url, { ...refresh, client_secret: 'wrong' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await postToken(running.url, { ...refresh, client_secret: String(client.client_secret) })).status).toBe(200);
  });
});
