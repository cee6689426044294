/**
 * simple-oauth2 as configured toward Aries (DESIGN §9): body authentication,
 * JSON by default, no `Basic id:undefined` for public clients, the refresh
 * token kept when Aries does not rotate it, and errors mapped.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { AriesOAuthError, createAriesOAuthClient } from '../../../../runtime/upstream/aries-oauth.js';
import { closeServer } from '../../../../testkit/harness.js';
import { boundPort } from '../../../../build/free-port.js';

interface Seen {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function fakeTokenEndpoint(answer: (seen: Seen) => { status: number; body: unknown }): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { headers: req.headers, body };
      seen.push(request);
      const { status, body: reply } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${boundPort(server)}/v1/oauth2/token`, seen };
}

const TOKENS = {
  access_token: 'at-1',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'rt-1',
  refresh_token_expires_in: 2592000,
  scope: 'account:information market:information',
};

describe('Aries OAuth client', () => {
  it('builds the authorize URL with the gateway callback, scopes, state and S256 challenge', () => {
    const client = createAriesOAuthClient({ authorizeUrl: 'https://app.aries.com/oauth2/authorize', tokenUrl: 'https://api.aries.com/v1/oauth2/token' });
    const url = new URL(
      client.authorizationUrl({
        clientId: 'cid',
        redirectUri: 'https://mcp.aries.com/auth/callback',
        scopes: ['a:b', 'c:d'],
        state: 'st',
        codeChallenge: 'ch',
      }),
    );
    expect(url.origin + url.pathname).toBe('https://app.aries.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'cid',
      redirect_uri: 'https://mcp.aries.com/auth/callback',
      scope: 'a:b c:d',
      state: 'st',
      code_challenge: 'ch',
      code_challenge_method: 'S256',
    });
  });

  it('public client: JSON body with client_id and code_verifier, no client_secret, no Basic header', async () => {
    const fake = await fakeTokenEndpoint(() => ({ status: 200, body: TOKENS }));
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url, now: () => 1_000 });
    const tokens = await client.exchangeCode(
      { clientId: 'cid' },
      { code: 'aries-code', redirectUri: 'https://gw/auth/callback', codeVerifier: 'v'.repeat(43) },
    );
    expect(fake.seen[0]!.headers.authorization).toBeUndefined();
    expect(fake.seen[0]!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(fake.seen[0]!.body)).toEqual({
      grant_type: 'authorization_code',
      code: 'aries-code',
      redirect_uri: 'https://gw/auth/callback',
      code_verifier: 'v'.repeat(43),
      client_id: 'cid',
    });
    expect(tokens).toEqual({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      expiresAt: 3_601_000,
      refreshExpiresAt: 2_592_001_000,
      scopes: ['account:information', 'market:information'],
    });
  });

  it('confidential client: the secret goes in the body (client_secret_post)', async () => {
    const fake = await fakeTokenEndpoint(() => ({ status: 200, body: TOKENS }));
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url });
    await client.exchangeCode(
      { clientId: 'cid', clientSecret: 's3cret' },
      { code: 'c', redirectUri: 'https://gw/auth/callback', codeVerifier: 'v'.repeat(43) },
    );
    expect(fake.seen[0]!.headers.authorization).toBeUndefined();
    expect(JSON.parse(fake.seen[0]!.body)).toMatchObject({ client_id: 'cid', client_secret: 's3cret' });
  });

  it('form body when configured', async () => {
    const fake = await fakeTokenEndpoint(() => ({ status: 200, body: TOKENS }));
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url, bodyFormat: 'form' });
    await client.refresh({ clientId: 'cid', clientSecret: 's' }, 'rt-0');
    expect(fake.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(fake.seen[0]!.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'rt-0',
      client_id: 'cid',
      client_secret: 's',
    });
  });

  it('refresh keeps the old refresh token when Aries does not rotate it', async () => {
    const fake = await fakeTokenEndpoint(() => ({ status: 200, body: { access_token: 'at-2', expires_in: 60 } }));
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url, now: () => 0 });
    const tokens = await client.refresh({ clientId: 'cid' }, 'rt-old');
    expect(JSON.parse(fake.seen[0]!.body)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-old', client_id: 'cid' });
    expect(tokens).toEqual({ accessToken: 'at-2', refreshToken: 'rt-old', expiresAt: 60_000, refreshExpiresAt: undefined, scopes: undefined });
  });

  it('refresh takes the rotated refresh token', async () => {
    const fake = await fakeTokenEndpoint(() => ({ status: 200, body: { ...TOKENS, refresh_token: 'rt-new' } }));
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url });
    expect((await client.refresh({ clientId: 'cid' }, 'rt-old')).refreshToken).toBe('rt-new');
  });

  it('maps an Aries OAuth error, keeping its text out of the message', async () => {
    const fake = await fakeTokenEndpoint(() => ({ status: 400, body: { error: 'invalid_grant', error_description: 'The authorization code has expired.' } }));
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url });
    const failure = await client.refresh({ clientId: 'cid' }, 'rt').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AriesOAuthError);
    expect(failure).toMatchObject({
      code: 'invalid_grant',
      status: 400,
      upstreamDescription: 'The authorization code has expired.',
      message: 'Aries token endpoint: invalid_grant (HTTP 400)',
    });
  });

  it('maps a response without an OAuth error to bad_response, and no access_token too', async () => {
    let reply: { status: number; body: unknown } = { status: 502, body: { message: 'bad gateway' } };
    const fake = await fakeTokenEndpoint(() => reply);
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: fake.url });
    await expect(client.refresh({ clientId: 'cid' }, 'rt')).rejects.toMatchObject({ code: 'bad_response', status: 502 });
    reply = { status: 200, body: { token_type: 'Bearer' } };
    await expect(client.refresh({ clientId: 'cid' }, 'rt')).rejects.toMatchObject({ code: 'bad_response', status: 200 });
  });

  it('maps a network failure to unreachable', async () => {
    const client = createAriesOAuthClient({ authorizeUrl: 'http://x/authorize', tokenUrl: 'http://127.0.0.1:1/v1/oauth2/token' });
    await expect(client.refresh({ clientId: 'cid' }, 'rt')).rejects.toMatchObject({ code: 'unreachable', status: undefined });
  });
});
