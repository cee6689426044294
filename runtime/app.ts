/**
 * Assembles the gateway's Express application (no `listen`: `main.ts` and
 * tests do that).
 *
 * Routes: `POST /mcp` (+ `/mcp/`), `GET /healthz`, and with `deps.oauth` the
 * OAuth proxy (metadata, /authorize, /auth/callback, /token, /revoke,
 * /register). Everything the app needs from outside comes in `config` and
 * `deps`: the generated tool modules, either the OAuth options or a grant
 * resolver (the seam tests fill directly) and, for tests, a log destination
 * and a clock. The one shared openapi-fetch client is created
 * here from `config.ariesApiBase`.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import express, { Router } from 'express';
import type { Client } from 'openapi-fetch';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import type { ToolModule } from './contract/tool-definition.js';
import { createLogger, type Logger } from './log.js';
import { createToolCaller } from './mcp/call-tool.js';
import { DuplicateGuard } from './mcp/duplicate-guard.js';
import { createEraDispatcher } from './mcp/era-dispatch.js';
import { createFastDispatcher } from './mcp/fast-dispatch.js';
import type { GrantResolver } from './mcp/grant.js';
import { createMcpRouter, reauthorizationResponse } from './mcp/handler.js';
import { createServerFactory } from './mcp/server-factory.js';
import { createToolRegistry } from './mcp/tool-registry.js';
import { createAriesClient } from './upstream/aries-client.js';
import { mountOAuth, type OAuthOptions } from './auth/mount-oauth.js';
import { FixedWindowCounter } from './http/fixed-window.js';
import { securityHeaders } from './http/security-headers.js';

export const GATEWAY_VERSION = '0.1.0';

export interface AppDeps<Paths extends {}> {
  /** Generated tool modules (`generated/index.ts` `tools`). */
  readonly tools: readonly ToolModule<Client<Paths>>[];
  /** The OAuth proxy; its grant resolver then decides who is calling. */
  readonly oauth?: Omit<OAuthOptions, 'log'>;
  /** Who is calling and with which Aries token, when there is no OAuth proxy (tests). */
  readonly grants?: GrantResolver;
  /** Log sink; stdout when absent. */
  readonly logDestination?: DestinationStream;
  /** Clock for the duplicate-order window and the per-grant call limit. */
  readonly now?: () => number;
}

export interface App {
  readonly express: Express;
  readonly log: Logger;
  /** Aborts in-flight modern exchanges. */
  close(): Promise<void>;
}

export function createApp<Paths extends {}>(config: Config, deps: AppDeps<Paths>): App {
  const log = createLogger({ level: config.logLevel, destination: deps.logDestination });
  const registry = createToolRegistry(deps.tools, { duplicateWindowSeconds: config.duplicateWindowSeconds });
  const callLimit = new FixedWindowCounter(config.toolCallsPerMinute, deps.now);
  const aries = createAriesClient<Paths>(config.ariesApiBase);
  const callTool = createToolCaller({
    registry,
    client: aries.client,
    duplicates: new DuplicateGuard(config.duplicateWindowSeconds * 1000, deps.now),
    callLimit,
    timeoutMs: config.toolTimeoutMs,
    budgetChars: config.resultBudgetChars,
    duplicateWindowSeconds: config.duplicateWindowSeconds,
  });
  const oauthRouter = Router();
  const oauth = deps.oauth ? mountOAuth(oauthRouter, { ...deps.oauth, log }) : undefined;
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

  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders({ publicUrl: deps.oauth?.config.publicUrl }));
  // /mcp first: every tool call passes here, so it should not walk the OAuth routes' layers.
  app.use(createMcpRouter({ dispatcher, grants, allowedOrigins: config.allowedOrigins, maxBodyBytes: config.maxBodyBytes, log }));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(oauthRouter);
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not_found', error_description: 'No such endpoint; the MCP endpoint is POST /mcp' });
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    log.error({ err: error }, 'unhandled error');
    if (!res.headersSent) res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
  });
  return {
    express: app,
    log,
    close: async () => {
      callLimit.close();
      await dispatcher.close();
      await oauth?.close();
      aries.close();
    },
  };
}
