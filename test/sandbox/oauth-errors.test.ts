/**
 * Every documented OAuth error, with the exact `error` codes: error pages for
 * an untrusted client or redirect URI (never a redirect), redirected errors
 * once the redirect URI is known-good, and token-endpoint errors (code reuse
 * revoking tokens, expiry, PKCE, client authentication). Also token expiry and
 * scope enforcement on the API, and the pages' security headers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  admin,
  authorizeUrl,
  callApi,
  createdClient,
  pkcePair,
  postToken,
  readForm,
  startSandbox,
  walkAuthorization,
  type RunningSandbox,
} from './sandbox-client.js';

const REDIRECT = 'https://app.example.com/oauth/callback';
let running: RunningSandbox;

afterEach(async () => {
  await running?.server.close();
});

async function setUp(options = {}) {
  running = await startSandbox(options);
  const created = await admin(running.url, 'POST', '/admin/clients', {
    name: 'Errors <script>',
    redirect_uris: [REDIRECT],
    scopes: ['account:information', 'market:information'],
  });
  return z.looseObject({ client_id: z.string(), client_secret: z.string() }).parse(created.body);
}

const demoUser = () => ({ email: running.sandbox.demo.email, password: running.sandbox.demo.password });

async function getPage(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

describe('authorization errors shown on a page', () => {
  it('redirect_uri_mismatch shows the registered and the received value, also for a trailing slash', async () => {
    const client = await setUp();
    for (const received of [`${REDIRECT}/`, 'https://evil.example.com/oauth/callback', 'http://app.example.com/oauth/callback']) {
      const page = await getPage(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: received, state: 's' }));
      expect(page.status).toBe(400);
      expect(page.headers.get('location')).toBeNull();
      expect(page.html).toContain('redirect_uri_mismatch');
      expect(page.html).toContain(REDIRECT);
      expect(page.html).toContain(received);
    }
    const slash = await getPage(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: `${REDIRECT}/` }));
    expect(slash.html).toContain('trailing slash');
  });

  it('invalid_client for an unknown client and for a deactivated one', async () => {
    const client = await setUp();
    const unknown = await getPage(authorizeUrl(running.url, { clientId: 'no-such-client', redirectUri: REDIRECT }));
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('invalid_client');
    expect(unknown.headers.get('location')).toBeNull();

    expect((await admin(running.url, 'POST', `/admin/clients/${client.client_id}/deactivate`)).status).toBe(200);
    const inactive = await getPage(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: REDIRECT }));
    expect(inactive.html).toContain('invalid_client');
    expect(inactive.html).toContain('inactive');
  });

  it('pages carry the security headers and escape every value', async () => {
    const client = await setUp();
    const page = await getPage(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: REDIRECT }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Errors &lt;script&gt;');
    expect(page.html).not.toContain('<script>');
    const evil = await getPage(authorizeUrl(running.url, { clientId: '"><script>alert(1)</script>', redirectUri: REDIRECT }));
    expect(evil.html).not.toContain('<script>alert');
    expect(evil.html).toContain('&lt;script&gt;');
  });

  it('refuses a cross-site form post', async () => {
    const client = await setUp();
    const page = await getPage(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: REDIRECT }));
    const form = readForm(page.html);
    const response = await fetch(new URL(form.action, running.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example.com' },
      body: new URLSearchParams({ ...form.fields, ...demoUser() }).toString(),
    });
    expect(response.status).toBe(403);
  });
});

describe('authorization errors redirected to the client', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['unknown scope', { scope: 'account:information read' }, 'invalid_scope'],
    ['no registered scope', { scope: 'order:execution' }, 'invalid_scope'],
    ['response_type token', { response_type: 'token' }, 'unsupported_response_type'],
    ['bad PKCE method', { code_challenge: 'a'.repeat(43), code_challenge_method: 'S512' }, 'invalid_request'],
    ['short code_challenge', { code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
  ];
  it('a public client without PKCE', async () => {
    running = await startSandbox();
    const client = z
      .looseObject({ client_id: z.string() })
      .parse(
        (await admin(running.url, 'POST', '/admin/clients', { name: 'Public', redirect_uris: [REDIRECT], scopes: ['market:information'], public: true })).body,
      );
    const response = await fetch(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: REDIRECT, state: 'p' }), { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('p');
  });

  it.each(cases)('%s', async (_name, extra, error) => {
    const client = await setUp();
    const response = await fetch(authorizeUrl(running.url, { clientId: client.client_id, redirectUri: REDIRECT, state: 'st' }, extra), { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('st');
  });
});

describe('token endpoint errors', () => {
  async function codeFor(clientId: string, challenge?: { challenge: string; method: string }) {
    const walk = await walkAuthorization(running.url, { clientId, redirectUri: REDIRECT, challenge }, demoUser());
    return walk.location.searchParams.get('code') ?? '';
  }

  it('a reused code is invalid_grant and revokes the tokens of the first exchange', async () => {
    const client = await setUp();
    const exchange = {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      code: await codeFor(client.client_id),
      redirect_uri: REDIRECT,
    };
    const first = await postToken(running.url, exchange);
    expect(first.status).toBe(200);
    const token = String(first.body.access_token);
    expect((await callApi(running.url, token, 'GET', '/v1/users/me/accounts')).status).toBe(200);
    const second = await postToken(running.url, exchange);
    expect(second).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    const after = await callApi(running.url, token, 'GET', '/v1/users/me/accounts');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(
      (
        await postToken(running.url, {
          grant_type: 'refresh_token',
          client_id: client.client_id,
          client_secret: client.client_secret,
          refresh_token: String(first.body.refresh_token),
        })
      ).body.error,
    ).toBe('invalid_grant');
  });

  it('an expired code is invalid_grant', async () => {
    const client = await setUp({ codeTtlSeconds: 0.05 });
    const code = await codeFor(client.client_id);
    await new Promise((resolve) => setTimeout(resolve, 80));
    const token = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      code,
      redirect_uri: REDIRECT,
    });
    expect(token).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'The authorization code has expired. Start the authorization again.' },
    });
  });

  it('PKCE: wrong, missing and unexpected verifiers are invalid_grant', async () => {
    const client = await setUp();
    const pkce = pkcePair('S256');
    const base = { grant_type: 'authorization_code', client_id: client.client_id, redirect_uri: REDIRECT };
    const wrong = await postToken(running.url, { ...base, code: await codeFor(client.client_id, pkce), code_verifier: pkcePair().verifier });
    expect(wrong).toMatchObject({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'PKCE verification failed: code_verifier does not match code_challenge.' },
    });
    const missing = await postToken(running.url, { ...base, code: await codeFor(client.client_id, pkce), client_secret: client.client_secret });
    expect(missing.body.error).toBe('invalid_grant');
    const unexpected = await postToken(running.url, {
      ...base,
      code: await codeFor(client.client_id),
      client_secret: client.client_secret,
      code_verifier: pkce.verifier,
    });
    expect(unexpected.body.error).toBe('invalid_grant');
  });

  it('redirect_uri must equal the one used; another client cannot redeem the code', async () => {
    const client = await setUp();
    const other = createdClient.parse(
      (await admin(running.url, 'POST', '/admin/clients', { name: 'Other', redirect_uris: [REDIRECT], scopes: ['account:information'] })).body,
    );
    const mismatch = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      code: await codeFor(client.client_id),
      redirect_uri: `${REDIRECT}/`,
    });
    expect(mismatch.body.error).toBe('invalid_grant');
    const stolen = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: other.client_id,
      client_secret: other.client_secret,
      code: await codeFor(client.client_id),
      redirect_uri: REDIRECT,
    });
    expect(stolen.body.error).toBe('invalid_grant');
  });

  it('client authentication: missing secret without PKCE, wrong secret, unknown and inactive clients are invalid_client (401)', async () => {
    const client = await setUp();
    const base = { grant_type: 'authorization_code', redirect_uri: REDIRECT };
    const noSecret = await postToken(running.url, { ...base, client_id: client.client_id, code: await codeFor(client.client_id) });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const wrongSecret = await postToken(running.url, { ...base, client_id: client.client_id, client_secret: 'nope', code: await codeFor(client.client_id) });
    expect(wrongSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const unknown = await postToken(running.url, { ...base, client_id: 'nobody', code: 'x' });
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const code = await codeFor(client.client_id);
    await admin(running.url, 'POST', `/admin/clients/${client.client_id}/deactivate`);
    const inactive = await postToken(running.url, { ...base, client_id: client.client_id, client_secret: client.client_secret, code });
    expect(inactive).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('missing fields are invalid_request; other grants are unsupported_grant_type', async () => {
    const client = await setUp();
    expect((await postToken(running.url, { client_id: client.client_id })).body.error).toBe('invalid_request');
    expect(
      (
        await postToken(running.url, {
          grant_type: 'authorization_code',
          client_id: client.client_id,
          client_secret: client.client_secret,
          redirect_uri: REDIRECT,
        })
      ).body.error,
    ).toBe('invalid_request');
    expect((await postToken(running.url, { grant_type: 'refresh_token', client_id: client.client_id })).body.error).toBe('invalid_request');
    expect((await postToken(running.url, { grant_type: 'password', client_id: client.client_id })).body).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await postToken(running.url, { grant_type: 'refresh_token', client_id: client.client_id, refresh_token: 'bogus' })).body.error).toBe(
      'invalid_grant',
    );
  });
});

describe('access tokens on the API', () => {
  it('expire (401 invalid_token), and a missing scope is 403', async () => {
    const client = await setUp({ accessTokenTtlSeconds: 0.8 });
    const walk = await walkAuthorization(running.url, { clientId: client.client_id, redirectUri: REDIRECT, scope: 'market:information' }, demoUser());
    const token = await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      code: walk.location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
    });
    const access = String(token.body.access_token);
    expect((await callApi(running.url, access, 'GET', '/v1/stocks/last-quote?ticker=AAPL')).status).toBe(200);
    const forbidden = await callApi(running.url, access, 'GET', '/v1/users/me/accounts');
    expect(forbidden).toMatchObject({ status: 403, body: { error: 'forbidden', message: 'missing scope account:information' } });
    await new Promise((resolve) => setTimeout(resolve, 850));
    const expired = await callApi(running.url, access, 'GET', '/v1/stocks/last-quote?ticker=AAPL');
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: 'unauthorized' });
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('no token and an unknown token are 401', async () => {
    await setUp();
    for (const token of [undefined, 'not-a-token']) {
      const response = await callApi(running.url, token, 'GET', '/v1/users/me');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });
});
