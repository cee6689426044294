/**
 * `GET /auth/callback` (callback.ts) on its own, after a real `/authorize`
 * on the same bare app: the gateway's one-time code for the browser that
 * started the sign-in, single use of the state, and for each thing Aries can
 * send back, the page the person sees and what reaches the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError, type ErrorPageCode } from '../../../../runtime/auth/pages/error-catalogue.js';
import { escapeHtml } from '../../../../runtime/auth/pages/html.js';
import { CLAUDE_CALLBACK, cookiesOf, PUBLIC_URL, startOAuthRoutes, type OAuthRoutes } from '../../../support/oauth-routes.js';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const context = { callbackUrl: `${PUBLIC_URL}/auth/callback`, mcpUrl: `${PUBLIC_URL}/mcp` };

let routes: OAuthRoutes;
beforeAll(async () => {
  routes = await startOAuthRoutes();
});
afterAll(async () => {
  await routes?.close();
});

/** Starts a sign-in at /authorize: the gateway state Aries will send back, and the browser's cookie. */
async function startSignIn(): Promise<{ state: string; cookie: string }> {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: 'aries-client-1',
    redirect_uri: CLAUDE_CALLBACK,
    state: 'client-state-1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    scope: 'market:information',
  });
  const res = await fetch(`${routes.url}/authorize?${params}`, { redirect: 'manual' });
  const state = new URL(res.headers.get('location') ?? '').searchParams.get('state');
  if (state === null) throw new Error(`/authorize answered HTTP ${res.status} without a state for Aries`);
  return { state, cookie: cookiesOf(res) };
}

async function callback(params: Readonly<Record<string, string>>, cookie?: string): Promise<Response> {
  return fetch(`${routes.url}/auth/callback?${new URLSearchParams(params)}`, { redirect: 'manual', headers: cookie === undefined ? {} : { cookie } });
}

async function expectPage(res: Response, page: ErrorPageCode, shownCode: string): Promise<string> {
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('cache-control')).toBe('no-store');
  const html = await res.text();
  expect(html).toContain(`<h1>${escapeHtml(describeError(page, context).title)}</h1>`);
  expect(html).toContain(`Error code: <span class="code">${shownCode}</span>`);
  return html;
}

/** The "Return to the app" link of a page, as the client will receive it. */
function returnLink(html: string): URL | undefined {
  const href = /<a class="button" href="([^"]+)"/.exec(html)?.[1];
  return href === undefined ? undefined : new URL(href.replaceAll('&amp;', '&'));
}

describe('Aries sent a code', () => {
  it('redirects the browser that started the sign-in to the client with the gateway code, state and iss; the code keeps the sign-in', async () => {
    const { state, cookie } = await startSignIn();
    const res = await callback({ state, code: 'aries-code-1' }, cookie);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe(CLAUDE_CALLBACK);
    expect(back.searchParams.get('state')).toBe('client-state-1');
    expect(back.searchParams.get('iss')).toBe(PUBLIC_URL);
    const code = back.searchParams.get('code') ?? '';
    expect(code).toMatch(/^agw_ac_/);
    expect(await routes.records.findCode(code)).toMatchObject({
      kind: 'ok',
      record: { clientId: 'aries-client-1', redirectUri: CLAUDE_CALLBACK, codeChallenge: CHALLENGE, ariesCode: 'aries-code-1', scopes: ['market:information'] },
    });
    // The binding cookie has done its job.
    expect(res.headers.getSetCookie().join('\n')).toMatch(/agw-signin-[0-9a-f]{16}=;/);
  });

  it('the same state a second time gets the expired-sign-in page (single use)', async () => {
    const { state, cookie } = await startSignIn();
    expect((await callback({ state, code: 'aries-code-1' }, cookie)).status).toBe(302);
    await expectPage(await callback({ state, code: 'aries-code-1' }, cookie), 'invalid_state', 'invalid_request');
  });

  it('another browser (no binding cookie) gets the other-browser page and nothing reaches the client (RFC 9700 §4.7)', async () => {
    const { state } = await startSignIn();
    const html = await expectPage(await callback({ state, code: 'aries-code-1' }), 'browser_mismatch', 'browser_mismatch');
    expect(returnLink(html)).toBeUndefined();
  });

  it('a binding cookie from another sign-in does not fit this one', async () => {
    const first = await startSignIn();
    const second = await startSignIn();
    await expectPage(await callback({ state: second.state, code: 'aries-code-1' }, first.cookie), 'browser_mismatch', 'browser_mismatch');
  });
});

describe('no sign-in of ours to finish', () => {
  const unknown: [string, { params: Record<string, string>; page: ErrorPageCode; shown: string }][] = [
    ['no state', { params: { code: 'aries-code-1' }, page: 'invalid_state', shown: 'invalid_request' }],
    ['a state never issued', { params: { state: 'agw_st_never', code: 'aries-code-1' }, page: 'invalid_state', shown: 'invalid_request' }],
    ['Aries invalid_client without a known state', { params: { error: 'invalid_client' }, page: 'invalid_client', shown: 'invalid_client' }],
    ['an unknown Aries error without a known state (never echoed)', { params: { error: '<b>made-up</b>' }, page: 'aries_error', shown: 'server_error' }],
  ];
  it.each(unknown)('%s', async (_name, { params, page, shown }) => {
    const html = await expectPage(await callback(params), page, shown);
    expect(html).not.toContain('made-up');
  });
});

describe('Aries sent an error for a sign-in of ours', () => {
  const errors: [string, { ariesError: string | undefined; page: ErrorPageCode; code: string }][] = [
    ['invalid_scope', { ariesError: 'invalid_scope', page: 'invalid_scope', code: 'invalid_scope' }],
    ['temporarily_unavailable', { ariesError: 'temporarily_unavailable', page: 'temporarily_unavailable', code: 'temporarily_unavailable' }],
    ['unauthorized_client (no page of its own)', { ariesError: 'unauthorized_client', page: 'aries_error', code: 'unauthorized_client' }],
    ['a code Aries does not define', { ariesError: 'made_up_error', page: 'aries_error', code: 'server_error' }],
    ['neither a code nor an error', { ariesError: undefined, page: 'server_error', code: 'server_error' }],
  ];
  it.each(errors)('%s: a page with a way back to the app carrying the error, state and iss', async (_name, { ariesError, page, code }) => {
    const { state, cookie } = await startSignIn();
    const html = await expectPage(await callback(ariesError === undefined ? { state } : { state, error: ariesError }, cookie), page, code);
    const back = returnLink(html);
    expect(back?.origin).toBe(new URL(CLAUDE_CALLBACK).origin);
    expect(back?.searchParams.get('error')).toBe(code);
    expect(back?.searchParams.get('state')).toBe('client-state-1');
    expect(back?.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(back?.searchParams.get('error_description')).toContain(describeError(page, context).whatHappened);
  });

  it('access_denied (the person clicked Deny) goes straight back to the client', async () => {
    const { state, cookie } = await startSignIn();
    const res = await callback({ state, error: 'access_denied', error_description: 'User denied' }, cookie);
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe(CLAUDE_CALLBACK);
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('client-state-1');
    expect(back.searchParams.get('iss')).toBe(PUBLIC_URL);
    expect(back.searchParams.get('code')).toBeNull();
  });
});
