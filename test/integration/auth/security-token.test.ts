/**
 * /token, the bearer check and /revoke against the real sandbox as Aries.
 * Every refusal asserts the exact `error` and `error_description`, and that
 * nothing usable is left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../runtime/store/memory-store.js';
import { REVOKE_SECRET } from '../../../runtime/auth/revoke.js';
import { TOKEN_ERRORS } from '../../../runtime/auth/token.js';
import {
  authorizeThroughGateway,
  callMcp,
  createAriesClient,
  exchangeCode,
  postForm,
  startGateway,
  startSandbox,
  VERIFIER,
  type RunningGateway,
  type RunningSandbox,
} from '../../../testkit/harness.js';
import { awayFromMinuteBoundary } from '../../support/minute-window.js';
import { z } from 'zod';
import { readJsonAs } from '../../../testkit/json-body.js';

let sandbox: RunningSandbox;
let gateway: RunningGateway;
let other: RunningGateway;
let clientId: string;
let offsetMs = 0;
const now = () => Date.now() + offsetMs;

beforeAll(async () => {
  sandbox = await startSandbox();
  const store = new MemoryStore({ now });
  gateway = await startGateway({ sandboxUrl: sandbox.url, store, now });
  // A second gateway on another public URL sharing the store and key: its tokens have another audience.
  other = await startGateway({ sandboxUrl: sandbox.url, store, now });
  ({ clientId } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`, `${other.publicUrl}/auth/callback`] }));
});
afterAll(async () => {
  await gateway?.close();
  await other?.close();
  await sandbox?.close();
});

async function freshCode(target: RunningGateway = gateway, id = clientId): Promise<string> {
  const back = await authorizeThroughGateway(target.url, { clientId: id }, sandbox.sandbox.demo);
  return back.searchParams.get('code')!;
}

async function connect(target: RunningGateway = gateway): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await exchangeCode(target.url, await freshCode(target), clientId);
  expect(res.status).toBe(200);
  return { accessToken: String(res.body['access_token']), refreshToken: String(res.body['refresh_token']) };
}

function refresh(refreshToken: string, overrides: Record<string, string | undefined> = {}, target: RunningGateway = gateway) {
  return postForm(`${target.url}/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...overrides });
}

function expectOAuthError(res: { status: number; body: Record<string, unknown>; headers: Headers }, status: number, error: string, description: string) {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { error, error_description: description } });
  expect(res.headers.get('cache-control')).toBe('no-store');
}

async function expectUnusable(tokens: { accessToken: string; refreshToken: string }) {
  const mcp = await callMcp(gateway.url, tokens.accessToken);
  expect(mcp.status).toBe(401);
  expectOAuthError(await refresh(tokens.refreshToken), 400, 'invalid_grant', TOKEN_ERRORS.refreshUnknown);
}

describe('authorization_code', () => {
  it('issues opaque, prefixed gateway tokens (never the Aries token) that work at /mcp', async () => {
    const res = await exchangeCode(gateway.url, await freshCode(), clientId);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toMatchObject({
      token_type: 'Bearer',
      expires_in: 86_400,
      scope: 'account:information market:information order:execution order:information position:information',
    });
    expect(res.body['access_token']).toMatch(/^agw_at_[A-Za-z0-9_-]{43}$/);
    expect(res.body['refresh_token']).toMatch(/^agw_rt_[A-Za-z0-9_-]{43}$/);
    const mcp = await callMcp(gateway.url, String(res.body['access_token']));
    expect(mcp.status).toBe(200);
    expect(mcp.body['upstreamStatus']).toBe(200);
  });

  // Finding 8 (issue 12): a failed code exchange must not burn the code; the binding and PKCE are checked before the code is claimed.
  it.each([
    ['a wrong PKCE verifier', { code_verifier: `${VERIFIER}x` }, 400, 'invalid_grant', TOKEN_ERRORS.verifierMismatch],
    ['no PKCE verifier', { code_verifier: undefined }, 400, 'invalid_grant', TOKEN_ERRORS.verifierMissing],
    ['another client_id', { client_id: 'someone-else' }, 400, 'invalid_grant', TOKEN_ERRORS.codeOtherClient],
    ['another redirect_uri', { redirect_uri: 'http://127.0.0.1:9999/other' }, 400, 'invalid_grant', TOKEN_ERRORS.redirectMismatch],
    ['a resource that is not ours', { resource: 'https://other.example/mcp' }, 400, 'invalid_target', 'The resource must be {mcp}.'],
  ] as const)(
    'a failed code exchange does not burn the code: %s is refused, then the real client gets its tokens',
    async (_name, overrides, status, error, description) => {
      const code = await freshCode();
      expectOAuthError(await exchangeCode(gateway.url, code, clientId, overrides), status, error, description.replace('{mcp}', `${gateway.publicUrl}/mcp`));
      const real = await exchangeCode(gateway.url, code, clientId);
      expect(real.status).toBe(200);
      expect((await callMcp(gateway.url, String(real.body['access_token']))).status).toBe(200);
      expectOAuthError(await exchangeCode(gateway.url, code, clientId), 400, 'invalid_grant', TOKEN_ERRORS.codeReused);
    },
  );

  it('two exchanges of one code at once: one gets tokens, the other is a replay and revokes them', async () => {
    const code = await freshCode();
    const answers = await Promise.all([exchangeCode(gateway.url, code, clientId), exchangeCode(gateway.url, code, clientId)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    const winner = answers.find((answer) => answer.status === 200)!;
    expect((await callMcp(gateway.url, String(winner.body['access_token']))).status).toBe(401);
  });

  it('missing PKCE verifier: invalid_grant', async () => {
    expectOAuthError(
      await exchangeCode(gateway.url, await freshCode(), clientId, { code_verifier: undefined }),
      400,
      'invalid_grant',
      TOKEN_ERRORS.verifierMissing,
    );
  });

  it('reused gateway code: invalid_grant, and the tokens issued from it are revoked (RFC 6749 §4.1.2)', async () => {
    const code = await freshCode();
    const first = await exchangeCode(gateway.url, code, clientId);
    expect(first.status).toBe(200);
    const tokens = { accessToken: String(first.body['access_token']), refreshToken: String(first.body['refresh_token']) };
    expect((await callMcp(gateway.url, tokens.accessToken)).status).toBe(200);
    expectOAuthError(await exchangeCode(gateway.url, code, clientId), 400, 'invalid_grant', TOKEN_ERRORS.codeReused);
    await expectUnusable(tokens);
  });

  it('expired gateway code (after 2 minutes): invalid_grant', async () => {
    const code = await freshCode();
    offsetMs = 121_000;
    try {
      expectOAuthError(await exchangeCode(gateway.url, code, clientId), 400, 'invalid_grant', TOKEN_ERRORS.codeExpired);
    } finally {
      offsetMs = 0;
    }
  });

  it('unknown code: invalid_grant', async () => {
    expectOAuthError(await exchangeCode(gateway.url, 'agw_ac_made-up', clientId), 400, 'invalid_grant', TOKEN_ERRORS.codeUnknown);
  });

  it('mismatched redirect_uri: invalid_grant', async () => {
    expectOAuthError(
      await exchangeCode(gateway.url, await freshCode(), clientId, { redirect_uri: 'http://127.0.0.1:9999/other' }),
      400,
      'invalid_grant',
      TOKEN_ERRORS.redirectMismatch,
    );
  });

  it('code presented by another client_id: invalid_grant', async () => {
    expectOAuthError(await exchangeCode(gateway.url, await freshCode(), 'someone-else'), 400, 'invalid_grant', TOKEN_ERRORS.codeOtherClient);
  });

  it('resource at /token that is not ours: invalid_target', async () => {
    expectOAuthError(
      await exchangeCode(gateway.url, await freshCode(), clientId, { resource: 'https://other.example/mcp' }),
      400,
      'invalid_target',
      `The resource must be ${gateway.publicUrl}/mcp.`,
    );
  });

  it('a client Aries no longer accepts: invalid_client 401 with guidance', async () => {
    const { clientId: doomed } = await createAriesClient(sandbox.url, { redirect_uris: [`${gateway.publicUrl}/auth/callback`] });
    const code = await freshCode(gateway, doomed);
    await fetch(`${sandbox.url}/admin/clients/${doomed}/deactivate`, { method: 'POST' });
    expectOAuthError(
      await exchangeCode(gateway.url, code, doomed),
      401,
      'invalid_client',
      'Aries rejected the client: check the Client ID (and the client secret, if one was entered) and that the client is active in Client Center.',
    );
  });

  it('request errors: grant_type, client_id, code', async () => {
    expectOAuthError(await postForm(`${gateway.url}/token`, { client_id: clientId }), 400, 'invalid_request', 'grant_type is required.');
    expectOAuthError(
      await postForm(`${gateway.url}/token`, { grant_type: 'password', client_id: clientId }),
      400,
      'unsupported_grant_type',
      'grant_type must be authorization_code or refresh_token.',
    );
    expectOAuthError(await postForm(`${gateway.url}/token`, { grant_type: 'authorization_code', code: 'x' }), 400, 'invalid_request', 'client_id is required.');
    expectOAuthError(
      await postForm(`${gateway.url}/token`, { grant_type: 'authorization_code', client_id: clientId }),
      400,
      'invalid_request',
      'code is required.',
    );
    expectOAuthError(
      await postForm(`${gateway.url}/token`, { grant_type: 'authorization_code', client_id: clientId, code: 'a', 'code ': 'b' }),
      400,
      'invalid_grant',
      TOKEN_ERRORS.codeUnknown,
    );
    const repeated = await fetch(`${gateway.url}/token`, {
      method: 'POST',
      body: new URLSearchParams([
        ['grant_type', 'authorization_code'],
        ['client_id', clientId],
        ['code', 'a'],
        ['code', 'b'],
      ]),
    });
    expect(await repeated.json()).toEqual({ error: 'invalid_request', error_description: 'Parameter code must be sent once.' });
    const malformed = await fetch(`${gateway.url}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
    expect({ status: malformed.status, body: await malformed.json() }).toEqual({
      status: 400,
      body: { error: 'invalid_request', error_description: 'The request body is malformed.' },
    });
    const get = await fetch(`${gateway.url}/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('confidential client: the secret reaches Aries, and refresh then needs the same secret', async () => {
    const { clientId: confidential, clientSecret } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${gateway.publicUrl}/auth/callback`],
      public: false,
    });
    const code = await freshCode(gateway, confidential);
    const wrongSecret = await exchangeCode(gateway.url, code, confidential, { client_secret: 'wrong' });
    expect(wrongSecret.status).toBe(401);
    const tokens = await exchangeCode(gateway.url, await freshCode(gateway, confidential), confidential, { client_secret: clientSecret! });
    expect(tokens.status).toBe(200);
    const rt = String(tokens.body['refresh_token']);
    expectOAuthError(await refresh(rt, { client_id: confidential }), 401, 'invalid_client', TOKEN_ERRORS.refreshSecret);
    const basic = `Basic ${Buffer.from(`${confidential}:${clientSecret}`).toString('base64')}`;
    const rotated = await postForm(`${gateway.url}/token`, { grant_type: 'refresh_token', refresh_token: rt }, { authorization: basic });
    expect(rotated.status).toBe(200);
  });
});

describe('bearer check at /mcp', () => {
  it('no token: 401 with the resource_metadata challenge, never cached', async () => {
    const res = await callMcp(gateway.url, undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${gateway.publicUrl}/.well-known/oauth-protected-resource/mcp", scope="account:information market:information order:execution order:information position:information"`,
    );
  });

  it('an Aries token presented as a gateway token is unknown: 401', async () => {
    const { clientSecret, clientId: demoClient } = sandbox.sandbox.demo;
    const step = await readJsonAs(
      await fetch(`${sandbox.url}/v1/oauth2/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_id: demoClient,
          email: sandbox.sandbox.demo.email,
          password: sandbox.sandbox.demo.password,
          redirect_uri: sandbox.sandbox.demo.redirectUris[0],
          scope: 'account:information',
        }),
      }),
      z.looseObject({ next_step_auth_id: z.string() }),
    );
    const confirmed = await readJsonAs(
      await fetch(`${sandbox.url}/v1/oauth2/authorize/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(step),
      }),
      z.looseObject({ code: z.string(), redirect_uri: z.string() }),
    );
    const ariesTokens = await readJsonAs(
      await fetch(`${sandbox.url}/v1/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          code: confirmed.code,
          redirect_uri: confirmed.redirect_uri,
          client_id: demoClient,
          client_secret: clientSecret,
        }),
      }),
      z.looseObject({ access_token: z.string() }),
    );
    expect((await fetch(`${sandbox.url}/v1/users/me/accounts`, { headers: { authorization: `Bearer ${ariesTokens.access_token}` } })).status).toBe(200);
    const res = await callMcp(gateway.url, ariesTokens.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('a token minted for another audience is refused (RFC 8707)', async () => {
    const elsewhere = await connect(other);
    expect((await callMcp(other.url, elsewhere.accessToken)).status).toBe(200);
    expect((await callMcp(gateway.url, elsewhere.accessToken)).status).toBe(401);
    expectOAuthError(await refresh(elsewhere.refreshToken), 400, 'invalid_grant', TOKEN_ERRORS.refreshOtherAudience);
  });

  it('an expired gateway access token is refused; the refresh token still works', async () => {
    const tokens = await connect();
    offsetMs = 86_401_000;
    try {
      expect((await callMcp(gateway.url, tokens.accessToken)).status).toBe(401);
      const rotated = await refresh(tokens.refreshToken);
      expect(rotated.status).toBe(200);
    } finally {
      offsetMs = 0;
    }
  });

  it('malformed bearer values are simply unknown', async () => {
    for (const value of ['agw_at_', 'agw_at_" onmouseover', 'a'.repeat(5000)]) expect((await callMcp(gateway.url, value)).status).toBe(401);
  });
});

describe('refresh_token', () => {
  it('rotates: the old refresh token stops working; reusing it after the grace window revokes the whole grant', async () => {
    const tokens = await connect();
    const first = await refresh(tokens.refreshToken);
    expect(first.status).toBe(200);
    const next = { accessToken: String(first.body['access_token']), refreshToken: String(first.body['refresh_token']) };
    expect(next.refreshToken).not.toBe(tokens.refreshToken);
    expect((await callMcp(gateway.url, next.accessToken)).status).toBe(200);
    offsetMs = 31_000;
    try {
      expectOAuthError(await refresh(tokens.refreshToken), 400, 'invalid_grant', TOKEN_ERRORS.refreshReused);
    } finally {
      offsetMs = 0;
    }
    await expectUnusable(next);
    expect((await callMcp(gateway.url, tokens.accessToken)).status).toBe(401);
  });

  it('another client cannot use the refresh token', async () => {
    const tokens = await connect();
    expectOAuthError(await refresh(tokens.refreshToken, { client_id: 'someone-else' }), 400, 'invalid_grant', TOKEN_ERRORS.refreshOtherClient);
    expect((await refresh(tokens.refreshToken)).status).toBe(200);
  });

  it('scope may only narrow', async () => {
    const tokens = await connect();
    expectOAuthError(await refresh(tokens.refreshToken, { scope: 'user:management' }), 400, 'invalid_scope', TOKEN_ERRORS.scopeWidened);
    const narrowed = await refresh(tokens.refreshToken, { scope: 'market:information' });
    expect(narrowed.body['scope']).toBe('market:information');
    expect((await callMcp(gateway.url, String(narrowed.body['access_token']))).body['scopes']).toEqual(['market:information']);
  });

  it('unknown refresh token: invalid_grant', async () => {
    expectOAuthError(await refresh('agw_rt_unknown'), 400, 'invalid_grant', TOKEN_ERRORS.refreshUnknown);
  });
});

describe('revocation (RFC 7009)', () => {
  it.each(['accessToken', 'refreshToken'] as const)('revoking the %s ends the grant', async (which) => {
    const tokens = await connect();
    const res = await postForm(`${gateway.url}/revoke`, { token: tokens[which], client_id: clientId });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    await expectUnusable(tokens);
  });

  // Finding 8 (issue 12): a grant created with a client secret is revoked only with that secret (RFC 7009 §2.1).
  it('a confidential grant needs its client secret at /revoke', async () => {
    const { clientId: confidential, clientSecret } = await createAriesClient(sandbox.url, {
      redirect_uris: [`${gateway.publicUrl}/auth/callback`],
      public: false,
    });
    const issued = await exchangeCode(gateway.url, await freshCode(gateway, confidential), confidential, { client_secret: clientSecret! });
    expect(issued.status).toBe(200);
    const accessToken = String(issued.body['access_token']);
    const mcpUse = async () => (await callMcp(gateway.url, accessToken)).status;
    expectOAuthError(await postForm(`${gateway.url}/revoke`, { token: accessToken }), 401, 'invalid_client', REVOKE_SECRET);
    expectOAuthError(await postForm(`${gateway.url}/revoke`, { token: accessToken, client_id: confidential }), 401, 'invalid_client', REVOKE_SECRET);
    const wrongBasic = await postForm(
      `${gateway.url}/revoke`,
      { token: accessToken },
      { authorization: `Basic ${Buffer.from(`${confidential}:wrong-secret`).toString('base64')}` },
    );
    expectOAuthError(wrongBasic, 401, 'invalid_client', REVOKE_SECRET);
    expect(wrongBasic.headers.get('www-authenticate')).toBe('Basic realm="aries-mcp-gateway"');
    expect(await mcpUse()).toBe(200);
    expect((await postForm(`${gateway.url}/revoke`, { token: accessToken, client_id: confidential, client_secret: clientSecret! })).status).toBe(200);
    expect(await mcpUse()).toBe(401);
  });

  it('an unknown token is 200; a missing one is invalid_request; another client is refused', async () => {
    expect((await postForm(`${gateway.url}/revoke`, { token: 'agw_at_nothing', client_id: clientId })).status).toBe(200);
    expectOAuthError(await postForm(`${gateway.url}/revoke`, { client_id: clientId }), 400, 'invalid_request', 'token is required.');
    const tokens = await connect();
    expectOAuthError(
      await postForm(`${gateway.url}/revoke`, { token: tokens.accessToken, client_id: 'someone-else' }),
      400,
      'invalid_request',
      'The token was issued to another client.',
    );
    expect((await callMcp(gateway.url, tokens.accessToken)).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('100 quick token requests from one address are not rate-limited', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () =>
        postForm(`${gateway.url}/token`, { grant_type: 'refresh_token', refresh_token: 'agw_rt_nope', client_id: clientId }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([400]));
  });

  it('a configured limit answers 429 with Retry-After', async () => {
    await awayFromMinuteBoundary(5);
    const limited = await startGateway({ sandboxUrl: sandbox.url, env: { OAUTH_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof postForm>> | undefined;
      for (let i = 0; i < 4; i++) {
        last = await postForm(`${limited.url}/token`, { grant_type: 'refresh_token', refresh_token: 'agw_rt_nope', client_id: clientId });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([400, 400, 400, 429]);
      expect(last!.body['error']).toBe('too_many_requests');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
