/**
 * Mounts the OAuth proxy on the gateway's Express app and returns the
 * `GrantResolver` the `/mcp` endpoint uses.
 *
 * Routes (all at the root of the public origin):
 *   GET  /.well-known/oauth-protected-resource[/mcp]   RFC 9728
 *   GET  /.well-known/oauth-authorization-server       RFC 8414
 *   GET|POST /authorize          -> Aries sign-in
 *   GET  /auth/callback          <- Aries (redirect URI in Client Center)
 *   POST /token                  authorization_code, refresh_token
 *   POST /revoke                 RFC 7009
 *   POST /register               400 invalid_client_metadata (no DCR)
 * Each OAuth endpoint has its own per-address limit (`rate-limit.ts`).
 * What it does not do: serve `/mcp`, set `trust proxy`, or open the Redis
 * connection (pass `store`; see `openStore`).
 */
import express, { Router, type IRouter, type NextFunction, type Request, type Response } from 'express';
import { pino, type Logger } from 'pino';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/sdk/server/auth/provider.js';
import { MemoryStore } from '../store/memory-store.js';
import { Sealer } from '../store/seal.js';
import type { Store } from '../store/store.js';
import { createAriesOAuthClient, type AriesOAuthClient } from '../upstream/aries-oauth.js';
import { TokenRefresher } from '../upstream/token-refresh.js';
import { handleAuthorize } from './authorize.js';
import { createTokenVerifier, GatewayGrantResolver } from './bearer.js';
import { handleCallback } from './callback.js';
import { allowCors } from './cors.js';
import { gatewayEndpoints, type GatewayEndpoints } from './endpoints.js';
import { createMetadataRouter } from './metadata.js';
import type { OAuthConfig } from './oauth-config.js';
import { OAuthError, sendOAuthError } from './oauth-error.js';
import { OAuthRecords } from './oauth-records.js';
import { sendErrorPage } from './pages/error-page.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { handleRegister } from './register.js';
import { handleRevoke } from './revoke.js';
import { handleToken } from './token.js';

export interface OAuthOptions {
  /** From `loadOAuthConfig`. */
  readonly config: OAuthConfig;
  /** Every Aries scope the tools use: advertised in metadata and challenges, and requested when a client names none. */
  readonly scopes: readonly string[];
  /** Every scope Aries defines (`generated/index.ts` `oauthScopes`): requested scopes outside it are not forwarded. Default: `scopes`. */
  readonly upstreamScopes?: readonly string[];
  /** Shared state; default a `MemoryStore` owned (and closed) by this mount. */
  readonly store?: Store;
  /** Default: silent. */
  readonly log?: Logger;
  /** Clock in ms (tests). */
  readonly now?: () => number;
  /** Replaces the simple-oauth2 client toward Aries (tests count or fake calls). */
  readonly aries?: AriesOAuthClient;
  /** Aries tokens expiring within this many seconds are refreshed before use. Default 60. */
  readonly refreshWindowSeconds?: number;
}

export interface MountedOAuth {
  readonly grantResolver: GatewayGrantResolver;
  /** The same check for the SDK's `requireBearerAuth`. */
  readonly tokenVerifier: OAuthTokenVerifier;
  readonly endpoints: GatewayEndpoints;
  readonly aries: AriesOAuthClient;
  /** Stops timers; closes the store only when this mount created it. */
  close(): Promise<void>;
}

const BODY_LIMIT = '16kb';

export function mountOAuth(app: IRouter, options: OAuthOptions): MountedOAuth {
  const { config } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? pino({ level: 'silent' });
  const ownsStore = options.store === undefined;
  const store = options.store ?? new MemoryStore({ now });
  const endpoints = gatewayEndpoints(config.publicUrl);
  const aries =
    options.aries ??
    createAriesOAuthClient({ authorizeUrl: config.ariesAuthorizeUrl, tokenUrl: config.ariesTokenUrl, bodyFormat: config.ariesTokenBodyFormat, now });
  const records = new OAuthRecords({
    store,
    sealer: new Sealer(config.encryptionKeys),
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    refreshReuseGraceSeconds: config.refreshReuseGraceSeconds,
    now,
  });
  const refresher = new TokenRefresher({ store, grants: records, aries, now, refreshWindowSeconds: options.refreshWindowSeconds });

  const limiters: RateLimiter[] = [];
  const limit = (kind: 'json' | 'page') => {
    const limiter = createRateLimiter({
      limitPerMinute: config.rateLimitPerMinute,
      now,
      onLimited: (_req, res, retryAfter) => {
        res.set('Retry-After', String(retryAfter));
        if (kind === 'page') sendErrorPage(res, { code: 'temporarily_unavailable', context: { callbackUrl: endpoints.callbackUrl, mcpUrl: endpoints.mcpUrl }, status: 429 });
        else sendOAuthError(res, new OAuthError('too_many_requests', `Too many requests from this address; retry after ${retryAfter} seconds.`, { status: 429 }));
      },
    });
    limiters.push(limiter);
    return limiter;
  };
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT });
  const json = express.json({ limit: BODY_LIMIT });
  const postOnly = (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST') return next();
    res.set('Allow', 'POST');
    sendOAuthError(res, new OAuthError('invalid_request', 'Use POST.', { status: 405 }));
  };

  const router = Router();
  router.use(createMetadataRouter(endpoints, options.scopes));
  const authorize = handleAuthorize({ endpoints, records, aries, extraRedirectUris: config.extraRedirectUris, defaultScopes: options.scopes, upstreamScopes: options.upstreamScopes ?? options.scopes, log });
  router.get('/authorize', limit('page'), authorize);
  router.post('/authorize', limit('page'), form, authorize);
  router.get('/auth/callback', limit('page'), handleCallback({ endpoints, records, log }));
  router.all('/token', allowCors(['POST']), postOnly, limit('json'), form, json, handleToken({ endpoints, records, aries, log }));
  router.all('/revoke', allowCors(['POST']), postOnly, limit('json'), form, json, handleRevoke({ records, log }));
  router.all('/register', allowCors(['POST']), postOnly, limit('json'), handleRegister(endpoints));
  // Body-parser failures on the OAuth endpoints are OAuth errors, not HTML 400s.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = typeof error === 'object' && error !== null ? Reflect.get(error, 'status') : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendOAuthError(res, new OAuthError('invalid_request', status === 413 ? 'The request body is too large.' : 'The request body is malformed.', { status: status === 413 ? 413 : 400 }));
      return;
    }
    log.error({ err: error, path: req.path }, 'OAuth endpoint failed');
    sendOAuthError(res, new OAuthError('server_error', 'The gateway hit an unexpected error; try again.', { status: 500 }));
  });
  app.use(router);

  return {
    grantResolver: new GatewayGrantResolver({ endpoints, records, refresher, scopes: options.scopes }),
    tokenVerifier: createTokenVerifier({ endpoints, records }),
    endpoints,
    aries,
    async close() {
      for (const limiter of limiters) limiter.close();
      if (ownsStore) await store.close();
    },
  };
}
