/**
 * Mounts the OAuth proxy on the gateway's Express app and returns the
 * `GrantResolver` the `/mcp` endpoint uses.
 *
 * Routes (all at the root of the public origin):
 *   GET  /.well-known/oauth-protected-resource[/mcp]   RFC 9728
 *   GET  /.well-known/oauth-authorization-server       RFC 8414
 *   GET|POST /authorize          -> Aries sign-in
 *   GET  /auth/callback          <- Aries (redirect URI in Client Center)
 *   POST /auth/callback          <- the connection page (trading guardrails)
 *   POST /token                  authorization_code, refresh_token
 *   POST /revoke                 RFC 7009
 *   POST /register               400 invalid_client_metadata (no DCR)
 * Each OAuth endpoint has its own per-address limit (`rate-limit.ts`),
 * counted in the store; GET and POST /authorize share one. Pending
 * authorizations have a global cap (`pending-cap.ts`).
 * What it does not do: serve `/mcp`, set `trust proxy`, or open the Redis
 * connection (pass `store`; see `openStore`).
 */
import express, { Router, type IRouter, type NextFunction, type Request, type Response } from 'express';
import { pino, type Logger } from 'pino';
import type { OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { MemoryStore } from '../store/memory-store.js';
import { Sealer } from '../store/seal.js';
import type { Store } from '../store/store.js';
import { createAriesOAuthClient, type AriesOAuthClient } from '../upstream/aries-oauth.js';
import { TokenRefresher, type AriesRefreshOutcome } from '../upstream/token-refresh.js';
import { handleAuthorize } from './authorize.js';
import { createTokenVerifier, GatewayGrantResolver } from './bearer.js';
import { handleCallback } from './callback.js';
import { handleConnect, type ConnectionPageDeps } from './connect.js';
import { ConnectionRecords } from './connection-records.js';
import type { ToolDefinition } from '../contract/tool-definition.js';
import { guardrailPolicy } from '../guardrails/guardrails.js';
import { allowCors } from './cors.js';
import { gatewayEndpoints, type GatewayEndpoints } from './endpoints.js';
import { createMetadataRouter } from './metadata.js';
import type { OAuthConfig } from './oauth-config.js';
import { OAuthError, sendOAuthError, toOAuthError } from './oauth-error.js';
import { OAuthRecords } from './oauth-records.js';
import { sendErrorPage } from './pages/error-page.js';
import { counterStoreFor } from '../store/counter-store.js';
import { PendingCap } from './pending-cap.js';
import { createRateLimiter } from './rate-limit.js';
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
  /** Where the per-address counters live; default `counterStoreFor(store)`. */
  readonly counterStore?: Store;
  /** Most pending authorizations (across replicas sharing the store). Default 10 000. */
  readonly pendingAuthorizationsMax?: number;
  /** Observes each OAuth answer (metrics): endpoint path and HTTP status. */
  readonly onAnswer?: (endpoint: string, status: number) => void;
  /** Observes each Aries refresh (metrics). */
  readonly onAriesRefresh?: (outcome: AriesRefreshOutcome) => void;
  /** The tool definitions: those declaring trading guardrails make the connection page appear for connections that can trade. */
  readonly tools?: readonly ToolDefinition[];
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
  const sealer = new Sealer(config.encryptionKeys);
  const records = new OAuthRecords({
    store,
    sealer,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
    refreshReuseGraceSeconds: config.refreshReuseGraceSeconds,
    now,
  });
  const policy = guardrailPolicy(options.tools ?? []);
  const connection: ConnectionPageDeps | undefined =
    policy === undefined
      ? undefined
      : {
          policy,
          connections: new ConnectionRecords({ store, sealer, now }),
          abilities: (scopes) => (options.tools ?? []).filter((tool) => tool.scopes.every((scope) => scopes.includes(scope))).map((tool) => tool.title),
        };
  const refresher = new TokenRefresher({
    store,
    grants: records,
    aries,
    now,
    refreshWindowSeconds: options.refreshWindowSeconds,
    onRefresh: options.onAriesRefresh,
  });

  const counters = options.counterStore === undefined ? counterStoreFor(store, now) : { store: options.counterStore, close: async () => {} };
  const counterStore = counters.store;
  const pageContext = { callbackUrl: endpoints.callbackUrl, mcpUrl: endpoints.mcpUrl };
  const limit = (kind: 'json' | 'page', name: string) =>
    createRateLimiter({
      store: counterStore,
      name,
      limitPerMinute: config.rateLimitPerMinute,
      now,
      onLimited: (_req, res, retryAfter) => {
        res.set('Retry-After', String(retryAfter));
        if (kind === 'page') sendErrorPage(res, { code: 'temporarily_unavailable', context: pageContext, status: 429 });
        else
          sendOAuthError(res, new OAuthError('too_many_requests', `Too many requests from this address; retry after ${retryAfter} seconds.`, { status: 429 }));
      },
      onUnavailable: (_req, res, error) => {
        log.warn({ err: { name: error.name, message: error.message }, limit: name }, 'OAuth rate limit could not be counted: store unavailable');
        // Same answer as any other store outage on these endpoints (`toOAuthError`).
        res.set('Retry-After', '30');
        if (kind === 'page') sendErrorPage(res, { code: 'temporarily_unavailable', context: pageContext, status: 503 });
        else sendOAuthError(res, toOAuthError(error));
      },
    });
  const form = express.urlencoded({ extended: false, limit: BODY_LIMIT });
  const json = express.json({ limit: BODY_LIMIT });
  const postOnly = (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'POST') return next();
    res.set('Allow', 'POST');
    sendOAuthError(res, new OAuthError('invalid_request', 'Use POST.', { status: 405 }));
  };

  const router = Router();
  const onAnswer = options.onAnswer;
  if (onAnswer !== undefined) {
    router.use(['/authorize', '/auth/callback', '/token', '/revoke', '/register'], (req: Request, res: Response, next: NextFunction) => {
      // The matched mount path, one of the five above (routing is case-insensitive); read now, Express resets it after `next`.
      const endpoint = req.baseUrl.toLowerCase();
      res.once('finish', () => onAnswer(endpoint, res.statusCode));
      next();
    });
  }
  router.use(createMetadataRouter(endpoints, options.scopes));
  const pendingCap = new PendingCap({ store, max: options.pendingAuthorizationsMax ?? 10_000, now });
  const authorize = handleAuthorize({
    endpoints,
    records,
    aries,
    extraRedirectUris: config.extraRedirectUris,
    defaultScopes: options.scopes,
    upstreamScopes: options.upstreamScopes ?? options.scopes,
    log,
    pendingCap,
  });
  // One limiter, one counter, for both methods: a client switching between GET and POST gets the limit once, not twice.
  const authorizeLimit = limit('page', 'authorize');
  router.get('/authorize', authorizeLimit, authorize);
  router.post('/authorize', authorizeLimit, form, authorize);
  const callbackLimit = limit('page', 'callback');
  router.get('/auth/callback', callbackLimit, handleCallback({ endpoints, records, log, connection }));
  if (connection !== undefined) router.post('/auth/callback', callbackLimit, form, handleConnect({ ...connection, endpoints, records, log }));
  router.all('/token', allowCors(['POST']), postOnly, limit('json', 'token'), form, json, handleToken({ endpoints, records, aries, log }));
  router.all('/revoke', allowCors(['POST']), postOnly, limit('json', 'revoke'), form, json, handleRevoke({ records, log }));
  router.all('/register', allowCors(['POST']), postOnly, limit('json', 'register'), handleRegister(endpoints));
  // Body-parser failures on the OAuth endpoints are OAuth errors, not HTML 400s.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = typeof error === 'object' && error !== null ? Reflect.get(error, 'status') : undefined;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      sendOAuthError(
        res,
        new OAuthError('invalid_request', status === 413 ? 'The request body is too large.' : 'The request body is malformed.', {
          status: status === 413 ? 413 : 400,
        }),
      );
      return;
    }
    log.error({ err: error, path: req.path }, 'OAuth endpoint failed');
    sendOAuthError(res, new OAuthError('server_error', 'The gateway hit an unexpected error; try again.', { status: 500 }));
  });
  app.use(router);

  return {
    grantResolver: new GatewayGrantResolver({ endpoints, records, refresher, scopes: options.scopes, guardrailPolicy: policy }),
    tokenVerifier: createTokenVerifier({ endpoints, records }),
    endpoints,
    aries,
    async close() {
      await counters.close();
      if (ownsStore) await store.close();
    },
  };
}
