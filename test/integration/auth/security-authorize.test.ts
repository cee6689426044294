/**
 * /authorize and /auth/callback against the real sandbox as Aries: what is
 * refused, how (page or redirect), and with which exact error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../../runtime/auth/pages/layout.js';
import {
  authorizeThroughGateway,
  authorizeUrl,
  CLIENT_REDIRECT,
  createAriesClient,
  exchangeCode,
  location,
  signInAtAries,
  startGateway,
  startSandbox,
  visit,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';

let sandbox: RunningSandbox;
let gateway: RunningGateway;
let clientId: string;
let demo: { email: string; password: string };

beforeAll(async () => {
  sandbox = await startSandbox();
  gateway = await startGateway({ sandboxUrl: sandbox.url });
  demo = sandbox.sandbox.demo;
  ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] }));
});
afterAll(async () => {
  await gateway?.close();
  await sandbox?.close();
});

async function expectPage(res: Response, status: number, ...texts: string[]): Promise<string> {
  expect(res.status).toBe(status);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const html = await res.text();
  for (const text of texts) expect(html).toContain(text);
  return html;
}

function expectClientRedirect(res: Response, want: Record<string, string>) {
  expect(res.status).toBe(302);
  const target = location(res);
  expect(target.origin + target.pathname).toBe(CLIENT_REDIRECT);
  expect(Object.fromEntries(target.searchParams)).toEqual(want);
}

describe('/authorize', () => {
  it('redirects to Aries with the gateway callback, its own state and its own S256 challenge', async () => {
    const res = await visit(authorizeUrl(gateway.url, { clientId, scope: 'account:information market:information', resource: `${gateway.publicUrl}/mcp` }));
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const aries = location(res);
    expect(aries.origin + aries.pathname).toBe(`${sandbox.url}/oauth2/authorize`);
    const params = Object.fromEntries(aries.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: `${gateway.publicUrl}/auth/callback`,
      scope: 'account:information market:information',
      code_challenge_method: 'S256',
    });
    expect(params['state']).toMatch(/^agw_st_[A-Za-z0-9_-]{43}$/);
    expect(params['code_challenge']).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params['code_challenge']).not.toBe(new URL(authorizeUrl(gateway.url, { clientId })).searchParams.get('code_challenge'));
  });

  it('asks for every tool scope when the client names none', async () => {
    const aries = location(await visit(authorizeUrl(gateway.url, { clientId })));
    expect(aries.searchParams.get('scope')).toBe('account:information market:information order:execution order:information position:information');
  });

  it('accepts the resource with one trailing slash (connector URL typed with a slash)', async () => {
    expect((await visit(authorizeUrl(gateway.url, { clientId, resource: `${gateway.publicUrl}/mcp/` }))).status).toBe(302);
  });

  it('a redirect URI off the allowlist gets a page, never a redirect, with the value escaped', async () => {
    const evil = 'https://evil.example/cb?<script>alert(1)</script>';
    const html = await expectPage(
      await visit(authorizeUrl(gateway.url, { clientId, redirectUri: evil })),
      400,
      'The app asked to return to an address the gateway does not allow',
      'OAUTH_EXTRA_REDIRECT_URIS',
    );
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('https://evil.example/cb?&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a missing client_id gets the page that explains where the Client ID comes from', async () => {
    const url = new URL(authorizeUrl(gateway.url, { clientId: 'x' }));
    url.searchParams.delete('client_id');
    await expectPage(
      await visit(url.href),
      400,
      'The connector has no Aries Client ID',
      'Generate Key',
      `${gateway.publicUrl}/auth/callback`,
      'enter your own OAuth client ID',
    );
  });

  it('a missing redirect_uri gets a page', async () => {
    const url = new URL(authorizeUrl(gateway.url, { clientId }));
    url.searchParams.delete('redirect_uri');
    await expectPage(await visit(url.href), 400, 'The sign-in request is incomplete');
  });

  const redirected: [string, { change: (url: URL) => void; error: string; description: string }][] = [
    [
      'plain PKCE',
      {
        change: (u) => u.searchParams.set('code_challenge_method', 'plain'),
        error: 'invalid_request',
        description: 'code_challenge_method must be S256; plain is not supported.',
      },
    ],
    [
      'no PKCE method',
      {
        change: (u) => u.searchParams.delete('code_challenge_method'),
        error: 'invalid_request',
        description: 'code_challenge_method must be S256; plain is not supported.',
      },
    ],
    [
      'no PKCE',
      { change: (u) => u.searchParams.delete('code_challenge'), error: 'invalid_request', description: 'code_challenge is required: use PKCE with S256.' },
    ],
    [
      'malformed challenge',
      {
        change: (u) => u.searchParams.set('code_challenge', 'short'),
        error: 'invalid_request',
        description: 'code_challenge must be a 43-character base64url SHA-256 hash.',
      },
    ],
    [
      'response_type token',
      { change: (u) => u.searchParams.set('response_type', 'token'), error: 'unsupported_response_type', description: 'response_type must be "code".' },
    ],
    [
      'another resource',
      {
        change: (u) => u.searchParams.set('resource', 'https://other.example/mcp'),
        error: 'invalid_target',
        description: 'The resource must be {mcp}: this gateway issues tokens only for its MCP endpoint.',
      },
    ],
    [
      'scope syntax',
      { change: (u) => u.searchParams.set('scope', 'bad"scope'), error: 'invalid_scope', description: 'scope must be space-separated scope names.' },
    ],
  ];
  it.each(redirected)('%s: redirected back to the client with error, state and iss', async (_name, { change, error, description }) => {
    const url = new URL(authorizeUrl(gateway.url, { clientId, state: 'st-9' }));
    change(url);
    expectClientRedirect(await visit(url.href), {
      error,
      error_description: description.replace('{mcp}', `${gateway.publicUrl}/mcp`),
      state: 'st-9',
      iss: gateway.publicUrl,
    });
  });
});

describe('/auth/callback', () => {
  async function ariesCallback(request: Parameters<typeof authorizeUrl>[1] = { clientId }, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
    const start = await visit(authorizeUrl(gateway.url, request));
    return signInAtAries(location(start).href, demo, decision);
  }
  const onGateway = (url: URL) => `${gateway.url}${url.pathname}${url.search}`;

  it('redirects to the client with its state, the gateway code and iss (RFC 9207)', async () => {
    const callback = await ariesCallback({ clientId, state: 'st-ok' });
    expect(callback.pathname).toBe('/auth/callback');
    const res = await visit(onGateway(callback));
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const back = location(res);
    expect(back.searchParams.get('state')).toBe('st-ok');
    expect(back.searchParams.get('iss')).toBe(gateway.publicUrl);
    expect(back.searchParams.get('code')).toMatch(/^agw_ac_/);
    expect(back.searchParams.get('code')).not.toBe(callback.searchParams.get('code'));
  });

  it('a tampered state gets the expired-sign-in page; the real one still completes', async () => {
    const callback = await ariesCallback();
    const tampered = new URL(callback);
    tampered.searchParams.set('state', `${callback.searchParams.get('state')!.slice(0, -1)}x`);
    await expectPage(
      await visit(onGateway(tampered)),
      400,
      'This sign-in has expired or was already completed',
      'Error code: <span class="code">invalid_request</span>',
    );
    expect((await visit(onGateway(callback))).status).toBe(302);
  });

  it('a reused state is refused (single use) and gets the page', async () => {
    const callback = await ariesCallback();
    expect((await visit(onGateway(callback))).status).toBe(302);
    await expectPage(await visit(onGateway(callback)), 400, 'This sign-in has expired or was already completed');
  });

  it('a missing state gets the page', async () => {
    await expectPage(await visit(`${gateway.url}/auth/callback?code=abc`), 400, 'This sign-in has expired or was already completed');
  });

  it('access_denied (Deny on the consent screen) goes straight back to the client with state and iss', async () => {
    const { clientId: fresh } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] });
    const callback = await ariesCallback({ clientId: fresh, state: 'st-deny' }, 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expectClientRedirect(await visit(onGateway(callback)), {
      error: 'access_denied',
      error_description:
        'The Aries permission screen was declined or closed, so Aries did not grant access. Go back to Claude (or your MCP app) and connect the Aries connector again. Sign in and click Allow on the Aries permission screen.',
      state: 'st-deny',
      iss: gateway.publicUrl,
    });
  });

  it('invalid_scope from Aries: a page saying to enable scopes, with the way back to the client', async () => {
    const { clientId: readOnly } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${gateway.publicUrl}/auth/callback`],
      scopes: ['market:information'],
    });
    const start = await visit(authorizeUrl(gateway.url, { clientId: readOnly, scope: 'order:execution', state: 'st-scope' }));
    const aries = await visit(location(start).href);
    expect(aries.status).toBe(302);
    const callback = location(aries);
    expect(callback.searchParams.get('error')).toBe('invalid_scope');
    const html = await expectPage(
      await visit(onGateway(callback)),
      400,
      'None of the requested permissions is enabled for your OAuth client',
      'Return to the app',
    );
    const link = /href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const back = new URL(link);
    expect(back.origin + back.pathname).toBe(CLIENT_REDIRECT);
    expect(back.searchParams.get('error')).toBe('invalid_scope');
    expect(back.searchParams.get('state')).toBe('st-scope');
    expect(back.searchParams.get('iss')).toBe(gateway.publicUrl);
  });

  it.each([
    ['redirect_uri_mismatch', 'Aries does not accept this gateway&#39;s callback address', 'exactly {callback} (same scheme and host, no trailing slash)'],
    ['invalid_client', 'Aries does not recognise this Client ID', 'is active'],
    ['some_new_error', 'Aries could not complete the sign-in', 'Aries answered with an error the gateway cannot explain'],
  ])('Aries error %s arriving without a known state: a page with the guidance', async (error, title, advice) => {
    await expectPage(
      await visit(`${gateway.url}/auth/callback?error=${error}&error_description=whatever`),
      400,
      title,
      advice.replace('{callback}', `${gateway.publicUrl}/auth/callback`),
    );
  });

  it('Aries invalid_client and redirect_uri_mismatch are shown on the Aries page (the gateway never sees them)', async () => {
    const unknownClient = await visit(location(await visit(authorizeUrl(gateway.url, { clientId: 'no-such-client' }))).href);
    expect(unknownClient.status).toBe(400);
    expect(await unknownClient.text()).toContain('invalid_client');
    const { clientId: wrongRedirect } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback/`] });
    const mismatch = await visit(location(await visit(authorizeUrl(gateway.url, { clientId: wrongRedirect }))).href);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('redirect_uri_mismatch');
  });

  it('the full browser leg works through the JSON backend too', async () => {
    const back = await authorizeThroughGateway(gateway.url, { clientId }, demo, 'api');
    const tokens = await exchangeCode(gateway.url, back.searchParams.get('code')!, clientId);
    expect(tokens.status).toBe(200);
  });
});
