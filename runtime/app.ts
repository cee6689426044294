/**
 * Assembles the gateway's Express application (no `listen`: `main.ts` and
 * tests do that).
 *
 * Routes: `POST /mcp` (+ `/mcp/`), `GET /healthz` (liveness), `GET /readyz`
 * (the store answers a ping and the tools are loaded), `GET /metrics` when
 * METRICS_TOKEN is set (and METRICS_PORT is not), and with `deps.oauth` the
 * OAuth proxy (metadata, /authorize, /auth/callback, /token, /revoke,
 * /register).
 * Every safety state (duplicate-order window, per-grant call limit and
 * concurrency slots, OAuth per-address limits, pending-authorization cap)
 * lives in the one store (`deps.oauth.store`, else a memory store owned
 * here), so replicas sharing Redis share them. Everything the app needs from outside comes in `config` and
 * `deps`: the generated tool modules, either the OAuth options or a grant
 * resolver (the seam tests fill directly) and, for tests, a log destination
 * and a clock. The one shared openapi-fetch client is created
 * here from `config.ariesApiBase`.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import type { Express, NextFunction, Request, Response } from 'express';
import express, { Router } from 'express';
import type { Client } from 'openapi-fetch';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import type { ToolModule } from './contract/tool-definition.js';
import { createLogger, type Logger } from './log.js';
import { createToolCaller } from './mcp/call-tool.js';
import { GuardrailChecker } from './guardrails/check-order.js';
import { DuplicateGuard } from './mcp/duplicate-guard.js';
import { GrantConcurrency } from './mcp/grant-concurrency.js';
import { DeferredMetrics, NO_METRICS, type GatewayMetrics } from './metrics/gateway-metrics.js';
import { InstrumentedStore } from './metrics/instrumented-store.js';
import { createMetricsHandler, type MetricsHandler } from './metrics/metrics-endpoint.js';
import { counterStoreFor } from './store/counter-store.js';
import { MemoryStore } from './store/memory-store.js';
import type { Store } from './store/store.js';
import { createEraDispatcher } from './mcp/era-dispatch.js';
import { createFastDispatcher } from './mcp/fast-dispatch.js';
import type { GrantResolver } from './mcp/grant.js';
import { createMcpEndpoint, createMcpRouter, reauthorizationResponse, writeJson } from './mcp/handler.js';
import { createServerFactory } from './mcp/server-factory.js';
import { createToolRegistry } from './mcp/tool-registry.js';
import { createAriesClient } from './upstream/aries-client.js';
import { mountOAuth, type OAuthOptions } from './auth/mount-oauth.js';
import { FixedWindowLimit } from './http/fixed-window.js';
import { createMcpFront } from './http/mcp-front.js';
import { securityHeaders } from './http/security-headers.js';

export const GATEWAY_VERSION = '0.1.0';

/** How long after `createApp` the SDK leg is built, so a request waiting at start-up is not held behind it. */
const SDK_WARM_UP_DELAY_MS = 25;

export interface AppDeps<Paths extends object> {
  /** Generated tool modules (`generated/index.ts` `tools`). */
  readonly tools: readonly ToolModule<Client<Paths>>[];
  /** The server instructions of the same registry (`generated/index.ts` `instructions`). */
  readonly instructions?: string;
  /** The OAuth proxy; its grant resolver then decides who is calling. */
  readonly oauth?: Omit<OAuthOptions, 'log'>;
  /** Who is calling and with which Aries token, when there is no OAuth proxy (tests). */
  readonly grants?: GrantResolver;
  /** The safety state's store when there is no OAuth proxy (tests, bench); with it, `oauth.store`. */
  readonly store?: Store;
  /** Log sink; stdout when absent. */
  readonly logDestination?: DestinationStream;
  /** Clock for the duplicate-order window and the per-grant call limit. */
  readonly now?: () => number;
}

export interface App {
  readonly express: Express;
  /**
   * What the HTTP server should serve: the `/mcp` front (`runtime/http/mcp-front.ts`) before Express when
   * `MCP_FAST_PATH` is on, else the Express app alone.
   */
  readonly listener: RequestListener;
  readonly log: Logger;
  readonly metrics: GatewayMetrics;
  /** Serves the metrics (with the METRICS_TOKEN check); `main.ts` mounts it on METRICS_PORT. */
  readonly metricsHandler: MetricsHandler;
  /**
   * Loads what start-up leaves for later (the SDK leg of `/mcp`: its Node adapter and undici's web classes). The app
   * calls it itself `SDK_WARM_UP_DELAY_MS` after `createApp`, by which time the caller listens; awaiting it is for
   * tests. Resolves after `close()` without loading anything.
   */
  warmUp(): Promise<void>;
  /** Aborts in-flight modern exchanges. */
  close(): Promise<void>;
}

export function createApp<Paths extends object>(config: Config, deps: AppDeps<Paths>): App {
  const log = createLogger({ level: config.logLevel, destination: deps.logDestination });
  const registry = createToolRegistry(deps.tools, { duplicateWindowSeconds: config.duplicateWindowSeconds, instructions: deps.instructions });
  const now = deps.now ?? deps.oauth?.now;
  const metrics = createMetrics(config, deps.tools);
  const given = deps.oauth?.store ?? deps.store;
  const ownsStore = given === undefined;
  const rawStore: Store = given ?? new MemoryStore({ now });
  const instrumented = (inner: Store): Store => (metrics === NO_METRICS ? inner : new InstrumentedStore(inner, metrics));
  const store = instrumented(rawStore);
  const counters = counterStoreFor(rawStore, now);
  const counterStore = counters.store === rawStore ? store : instrumented(counters.store);
  // An in-flight claim or slot outlives the longest call (a 401 refresh and one retry), so a dead replica's frees itself.
  const inFlightSeconds = Math.ceil((2 * config.toolTimeoutMs) / 1000) + 30;
  const callLimit = new FixedWindowLimit({ store: counterStore, name: 'calls', limitPerMinute: config.toolCallsPerMinute, now });
  const aries = createAriesClient<Paths>(config.ariesApiBase);
  const callTool = createToolCaller({
    registry,
    client: aries.client,
    duplicates: new DuplicateGuard({ store, windowSeconds: config.duplicateWindowSeconds, inFlightSeconds }),
    callLimit,
    concurrency: new GrantConcurrency({ store, limit: config.concurrentCallsPerGrant, waitMs: config.concurrentCallsWaitMs, slotTtlSeconds: inFlightSeconds }),
    metrics,
    timeoutMs: config.toolTimeoutMs,
    budgetTokens: config.resultBudgetTokens,
    duplicateWindowSeconds: config.duplicateWindowSeconds,
    guardrails: new GuardrailChecker({ store, now: now ?? Date.now }),
  });
  const oauthRouter = Router();
  const oauth = deps.oauth
    ? mountOAuth(oauthRouter, {
        ...deps.oauth,
        tools: deps.tools.map((tool) => tool.definition),
        store,
        counterStore,
        log,
        pendingAuthorizationsMax: config.pendingAuthorizationsMax,
        onAnswer: (endpoint, status) => metrics.oauthAnswer(endpoint, status),
        onAriesRefresh: (outcome) => metrics.ariesRefresh(outcome),
      })
    : undefined;
  const grants = oauth?.grantResolver ?? deps.grants;
  if (grants === undefined) throw new Error('createApp needs deps.oauth or deps.grants');
  const served = { registry, callTool, version: GATEWAY_VERSION, toolsListTtlMs: 60_000 };
  const dispatcher = createEraDispatcher({
    buildServer: createServerFactory(served),
    fastPath: config.mcpFastPath ? createFastDispatcher({ ...served, reauthorizationResponse: () => reauthorizationResponse(grants) }) : undefined,
    maxBodyBytes: config.maxBodyBytes,
    onError: (error) => log.debug({ err: { name: error.name, message: error.message } }, 'MCP SDK reported an error'),
    onAdapterError: (error) => log.error({ err: error }, 'MCP adapter error'),
    reauthorizationResponse: () => reauthorizationResponse(grants),
  });

  // Right after start-up, off the path to listening, in one piece (about 20 ms: the SDK's Node adapter loads Node's fetch
  // implementation). Not on the very next turn: a request already waiting when the server starts listening (a first
  // `tools/list`) is answered first, since the fast path never needs the SDK leg; a first `initialize` builds it itself
  // if it comes before the timer (`bench/cold-start.ts` times the first answer to both). `unref`: it never keeps a
  // process alive on its own.
  const warmUp = (): Promise<void> => dispatcher.warmUp();
  setTimeout(() => {
    warmUp().catch((error: unknown) => log.error({ err: error }, 'MCP SDK leg failed to load'));
  }, SDK_WARM_UP_DELAY_MS).unref();

  const endpoint = createMcpEndpoint({ dispatcher, grants, allowedOrigins: config.allowedOrigins, maxBodyBytes: config.maxBodyBytes, log });
  const setSecurityHeaders = securityHeaders({ publicUrl: deps.oauth?.config.publicUrl });
  const answerUnhandled = (error: unknown, res: ServerResponse): void => {
    log.error({ err: error }, 'unhandled error');
    if (!res.headersSent) writeJson(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(setSecurityHeaders);
  // /mcp first: every tool call passes here, so it should not walk the OAuth routes' layers.
  app.use(createMcpRouter(endpoint, config.maxBodyBytes));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    const reason = deps.tools.length === 0 ? 'no tools are loaded' : await storeProblem(store);
    if (reason === undefined) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not_ready', reason });
  });
  const metricsHandler = createMetricsHandler(metrics, config.metricsToken);
  if (config.metricsToken !== undefined && config.metricsPort === undefined) app.get('/metrics', metricsHandler);
  app.use(oauthRouter);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', error_description: 'No such endpoint; the MCP endpoint is POST /mcp' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    answerUnhandled(error, res);
  });
  const listener: RequestListener = config.mcpFastPath
    ? createMcpFront(
        { endpoint, maxBodyBytes: config.maxBodyBytes, securityHeaders: (req, res) => setSecurityHeaders(req, res, () => {}), onError: answerUnhandled },
        app,
      )
    : app;
  return {
    express: app,
    listener,
    log,
    metrics,
    metricsHandler,
    warmUp,
    close: async () => {
      await dispatcher.close();
      await oauth?.close();
      await counters.close();
      if (ownsStore) await rawStore.close();
      aries.close();
    },
  };
}

/** prom-client only when /metrics is exposed: loading it costs start-up time, and nobody could read it otherwise. */
function createMetrics(config: Config, tools: readonly { readonly definition: { readonly name: string } }[]): GatewayMetrics {
  if (config.metricsToken === undefined && config.metricsPort === undefined) return NO_METRICS;
  const toolNames = new Set(tools.map((tool) => tool.definition.name));
  return new DeferredMetrics(import('./metrics/prom-metrics.js').then(({ PromMetrics }) => new PromMetrics({ processMetrics: true, toolNames })));
}

const READY_PING_MS = 1_000;

/** Why the store is not ready (no answer to a ping within READY_PING_MS), or `undefined`. */
async function storeProblem(store: Store): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the store did not answer a ping within ${READY_PING_MS} ms`), READY_PING_MS);
  });
  try {
    return await Promise.race([
      store.ping().then(
        () => undefined,
        (error: unknown) => `the store is unavailable: ${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'}`,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
