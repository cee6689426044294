/**
 * The browser legs of the OAuth proxy (`authorize.ts`, `callback.ts`) on a
 * bare Express app at 127.0.0.1:0: the real records on a memory store, the
 * real pending cap, and a fake Aries that only builds its sign-in URL. What a
 * route answers here is its own answer, without the rest of the gateway (rate
 * limits, metadata, security headers, the connection page).
 * Not for the code exchange: `/token` is not mounted.
 */
import type { Server } from 'node:http';
import express from 'express';
import { pino } from 'pino';
import { handleAuthorize } from '../../runtime/auth/authorize.js';
import { handleCallback } from '../../runtime/auth/callback.js';
import { gatewayEndpoints, type GatewayEndpoints } from '../../runtime/auth/endpoints.js';
import { OAuthRecords } from '../../runtime/auth/oauth-records.js';
import { PendingCap } from '../../runtime/auth/pending-cap.js';
import { MemoryStore } from '../../runtime/store/memory-store.js';
import { Sealer } from '../../runtime/store/seal.js';
import type { AriesOAuthClient } from '../../runtime/upstream/aries-oauth.js';
import { closeServer } from '../../testkit/harness.js';

export const PUBLIC_URL = 'https://mcp.aries.test';
export const ARIES_AUTHORIZE = 'https://aries.test/oauth2/authorize';
export const CLAUDE_CALLBACK = 'https://claude.ai/api/mcp/auth_callback';
export const DEFAULT_SCOPES = ['account:information', 'market:information'];
export const ARIES_SCOPES = ['account:information', 'market:information', 'order:execution'];

export interface OAuthRoutes {
  readonly url: string;
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  close(): Promise<void>;
}

/** Aries as far as /authorize needs it: the sign-in URL. A token call is a test bug. */
const fakeAries: AriesOAuthClient = {
  authorizationUrl: ({ clientId, redirectUri, scopes, state, codeChallenge }) => {
    const url = new URL(ARIES_AUTHORIZE);
    for (const [name, value] of Object.entries({
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: scopes.join(' '),
      state,
      code_challenge: codeChallenge,
    }))
      url.searchParams.set(name, value);
    return url.href;
  },
  exchangeCode: () => Promise.reject(new Error('the browser legs never call Aries /token')),
  refresh: () => Promise.reject(new Error('the browser legs never call Aries /token')),
};

export async function startOAuthRoutes(options: { readonly pendingMax?: number } = {}): Promise<OAuthRoutes> {
  const store = new MemoryStore({ sweepIntervalMs: 0 });
  const endpoints = gatewayEndpoints(PUBLIC_URL);
  const records = new OAuthRecords({
    store,
    sealer: new Sealer([Buffer.alloc(32, 9)]),
    accessTokenTtlSeconds: 3600,
    refreshTokenTtlSeconds: 86_400,
    refreshReuseGraceSeconds: 0,
    now: Date.now,
  });
  const log = pino({ level: 'silent' });
  const authorize = handleAuthorize({
    endpoints,
    records,
    aries: fakeAries,
    extraRedirectUris: [],
    defaultScopes: DEFAULT_SCOPES,
    upstreamScopes: ARIES_SCOPES,
    log,
    pendingCap: new PendingCap({ store, max: options.pendingMax ?? 100 }),
  });
  const app = express();
  app.get('/authorize', authorize);
  app.post('/authorize', express.urlencoded({ extended: false }), authorize);
  app.get('/auth/callback', handleCallback({ endpoints, records, log }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the route app is not listening on a TCP port');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}`,
    endpoints,
    records,
    close: async () => {
      await closeServer(server);
      await store.close();
    },
  };
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}
