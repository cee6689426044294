/**
 * `GET|POST /authorize` (authorize.ts) on its own: which requests get a page
 * (the redirect URI is not trusted yet), which go back to the client with the
 * error, `state` and `iss`, and what a good request leaves behind (a pending
 * sign-in with its own state and PKCE pair, a browser-binding cookie, a
 * redirect to Aries with the forwarded scopes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, type ErrorPageCode } from '../../../../runtime/auth/pages/error-catalogue.js';
import { escapeHtml } from '../../../../runtime/auth/pages/html.js';
import { ARIES_AUTHORIZE, CLAUDE_CALLBACK, DEFAULT_SCOPES, PUBLIC_URL, startOAuthRoutes, type OAuthRoutes } from '../../../support/oauth-routes.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const VALID: Readonly<Record<string, string>> = {
  response_type: 'code',
  client_id: 'aries-client-1',
  redirect_uri: CLAUDE_CALLBACK,
  state: 'client-state-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  scope: 'market:information openid',
  resource: `${PUBLIC_URL}/mcp`,
};
const context = { callbackUrl: `${PUBLIC_URL}/auth/callback`, mcpUrl: `${PUBLIC_URL}/mcp` };

let routes: OAuthRoutes;
beforeAll(async () => {
  routes = await startOAuthRoutes();
});
afterAll(async () => {
  await routes?.close();
});

function withParams(change: Readonly<Record<string, string | undefined>>): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...VALID, ...change })) if (value !== undefined) params.set(name, value);
  return params;
}

async function authorize(change: Readonly<Record<string, string | undefined>> = {}, method: 'GET' | 'POST' = 'GET'): Promise<Response> {
  const params = withParams(change);
  if (method === 'POST') return fetch(`${routes.url}/authorize`, { method, redirect: 'manual', body: params });
  return fetch(`${routes.url}/authorize?${params}`, { redirect: 'manual' });
}

async function expectPage(res: Response, page: ErrorPageCode, status = 400): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(await res.text()).toContain(`<h1>${escapeHtml(describeError(page, context).title)}</h1>`);
}

function locationOf(res: Response): URL {
  const target = res.headers.get('location');
  if (target === null) throw new Error(`HTTP ${res.status} without Location`);
  return new URL(target);
}

describe('refused with a page, never a redirect (RFC 6749 §4.1.2.1)', () => {
  const pages: [string, { change: Record<string, string | undefined>; page: ErrorPageCode }][] = [
    ['no client_id', { change: { client_id: undefined }, page: 'missing_client_id' }],
    ['a hosted client metadata URL as client_id', { change: { client_id: 'https://app.example/client.json' }, page: 'hosted_client_id' }],
    ['a client_id with spaces', { change: { client_id: 'two words' }, page: 'invalid_request' }],
    ['no redirect_uri', { change: { redirect_uri: undefined }, page: 'invalid_request' }],
    ['a redirect_uri off the allowlist', { change: { redirect_uri: 'https://evil.example/cb' }, page: 'redirect_uri_not_allowed' }],
    ['a state over 512 bytes', { change: { state: 's'.repeat(513) }, page: 'invalid_request' }],
  ];
  it.each(pages)('%s', async (_name, { change, page }) => {
    await expectPage(await authorize(change), page);
  });
});

describe('refused back to the client with error, state and iss (RFC 9207 §2)', () => {
  const refusals: [string, { change: Record<string, string | undefined>; error: string; description: string }][] = [
    ['no response_type', { change: { response_type: undefined }, error: 'invalid_request', description: 'response_type is required and must be "code".' }],
    ['response_type token', { change: { response_type: 'token' }, error: 'unsupported_response_type', description: 'response_type must be "code".' }],
    ['no code_challenge', { change: { code_challenge: undefined }, error: 'invalid_request', description: 'code_challenge is required: use PKCE with S256.' }],
    [
      'plain PKCE',
      { change: { code_challenge_method: 'plain' }, error: 'invalid_request', description: 'code_challenge_method must be S256; plain is not supported.' },
    ],
    [
      'a short challenge',
      { change: { code_challenge: 'abc' }, error: 'invalid_request', description: 'code_challenge must be a 43-character base64url SHA-256 hash.' },
    ],
    [
      'another resource (RFC 8707)',
      {
        change: { resource: 'https://other.example/mcp' },
        error: 'invalid_target',
        description: `The resource must be ${PUBLIC_URL}/mcp: this gateway issues tokens only for its MCP endpoint.`,
      },
    ],
    ['a scope over 1024 characters', { change: { scope: 'a'.repeat(1025) }, error: 'invalid_scope', description: 'scope is longer than 1024 characters.' }],
    ['a scope with a quote', { change: { scope: 'market:information "x' }, error: 'invalid_scope', description: 'scope must be space-separated scope names.' }],
  ];
  it.each(refusals)('%s', async (_name, { change, error, description }) => {
    const res = await authorize(change);
    expect(res.status).toBe(302);
    const back = locationOf(res);
    expect(back.origin + back.pathname).toBe(CLAUDE_CALLBACK);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error, error_description: description, state: 'client-state-1', iss: PUBLIC_URL });
  });
});

describe('a good request', () => {
  const scopes: [string, { scope: string | undefined; forwarded: string }][] = [
    ['forwards the Aries scopes it names and drops the others', { scope: 'market:information openid claudeai', forwarded: 'market:information' }],
    ['asks for the tool scopes when it names none of Aries', { scope: 'openid offline_access', forwarded: DEFAULT_SCOPES.join(' ') }],
    ['asks for the tool scopes when it names no scope', { scope: undefined, forwarded: DEFAULT_SCOPES.join(' ') }],
  ];
  it.each(scopes)('%s', async (_name, { scope, forwarded }) => {
    const aries = locationOf(await authorize({ scope }));
    expect(aries.searchParams.get('scope')).toBe(forwarded);
  });

  it.each(['GET', 'POST'] as const)('%s: redirects to Aries with its own state and S256 challenge, and remembers the sign-in once', async (method) => {
    const res = await authorize({}, method);
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const aries = locationOf(res);
    expect(aries.origin + aries.pathname).toBe(ARIES_AUTHORIZE);
    expect(aries.searchParams.get('client_id')).toBe('aries-client-1');
    expect(aries.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/callback`);
    const state = aries.searchParams.get('state') ?? '';
    expect(state).toMatch(/^agw_st_/);
    expect(aries.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(aries.searchParams.get('code_challenge')).not.toBe(CHALLENGE);
    expect(res.headers.getSetCookie().join('\n')).toMatch(/^__Host-agw-signin-[0-9a-f]{16}=[^;]+; .*HttpOnly; Secure; SameSite=Lax/);
    expect(await routes.records.takePending(state)).toMatchObject({
      clientId: 'aries-client-1',
      redirectUri: CLAUDE_CALLBACK,
      clientState: 'client-state-1',
      codeChallenge: CHALLENGE,
      requestedScopes: ['market:information', 'openid'],
      scopes: ['market:information'],
      resource: `${PUBLIC_URL}/mcp`,
    });
    expect(await routes.records.takePending(state)).toBeUndefined();
  });
});

describe('too many sign-ins in progress', () => {
  it('answers the busy page with Retry-After once the pending cap is reached, before storing anything', async () => {
    const capped = await startOAuthRoutes({ pendingMax: 1 });
    try {
      const params = withParams({});
      expect((await fetch(`${capped.url}/authorize?${params}`, { redirect: 'manual' })).status).toBe(302);
      const busy = await fetch(`${capped.url}/authorize?${params}`, { redirect: 'manual' });
      await expectPage(busy, 'too_many_pending', 503);
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await capped.close();
    }
  });
});
