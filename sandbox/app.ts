/**
 * A faithful local Aries: Client Center, the OAuth2 authorization server
 * (browser sign-in/consent pages, their JSON backend, the token endpoint),
 * the stateful trading API implementing `spec/aries.openapi.yaml`, and an
 * admin API for tests. `createSandbox` builds it without listening; `listen`
 * binds it (127.0.0.1 by default) and starts the market clock.
 * It shares nothing with `runtime/` except the spec file.
 */
import type { Server as HttpServer } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createAdminRouter } from './admin/admin-router.js';
import { createApiRouter } from './api/api-router.js';
import { INVALID_REQUEST_ANSWERS, OPERATION_HANDLERS } from './api/operation-handlers.js';
import { createOAuthRouter } from './oauth/oauth-router.js';
import { KNOWN_SCOPES } from './oauth/scopes.js';
import { loadApiSpec, type ApiSpec } from './openapi/load-api-spec.js';
import { resolveSandboxOptions, type SandboxConfig, type SandboxOptions } from './options.js';
import { createSandboxState, enrollUser, type SandboxState } from './state/sandbox-state.js';

export type { SandboxOptions } from './options.js';

export interface SandboxDemo {
  readonly email: string;
  readonly password: string;
  readonly userId: number;
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

export interface ListeningSandbox {
  /** `http://127.0.0.1:<port>` (the bound address, not `publicUrl`). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface Sandbox {
  readonly app: Express;
  readonly state: SandboxState;
  readonly demo: SandboxDemo;
  readonly config: SandboxConfig;
  /** Resolves once the OpenAPI document is loaded (rejects if it cannot be). */
  readonly ready: Promise<ApiSpec>;
  listen(port?: number, host?: string): Promise<ListeningSandbox>;
}

export const DEFAULT_SANDBOX_PORT = 4010;

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const config = resolveSandboxOptions(options);
  const state = createSandboxState(config);
  const demo = seedDemo(state, config);
  const ready = loadApiSpec(config.specPath);
  ready.catch(() => undefined);

  const app = express();
  app.disable('x-powered-by');
  app.use(createAdminRouter(state));
  app.use(createOAuthRouter(state, config.publicUrl));
  app.use(createApiRouter({ state, spec: ready, handlers: OPERATION_HANDLERS, invalidRequestAnswers: INVALID_REQUEST_ANSWERS, logger: config.logger }));
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
    if (status === 400 || status === 413 || status === 415) {
      const message = 'The request body could not be read (malformed or too large).';
      res
        .status(status)
        .json(req.path.startsWith('/v1/oauth2/') ? { error: 'invalid_request', error_description: message } : { error: 'invalid request', message });
      return;
    }
    config.logger.error({ err: error }, 'sandbox: unhandled error');
    res.status(500).json({ error: 'internal_error', message: 'The sandbox failed to handle this request.' });
  });

  let servers = 0;
  const listen = async (port = DEFAULT_SANDBOX_PORT, host = '127.0.0.1'): Promise<ListeningSandbox> => {
    await ready;
    const server = await new Promise<HttpServer>((resolve, reject) => {
      const s = app.listen(port, host);
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
    servers += 1;
    state.market.start(config.tickIntervalMs);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error(`sandbox: expected a TCP address, got ${String(address)}`);
    const bound = address.port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
    config.logger.info({ url }, 'sandbox listening');
    let closed: Promise<void> | undefined;
    return {
      url,
      port: bound,
      close: () => {
        closed ??= new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
          servers -= 1;
          if (servers === 0) state.market.stop();
        });
        return closed;
      },
    };
  };

  return { app, state, demo, config, ready, listen };
}

/** The demo user (with account TEST-ACCOUNT-001) and a confidential demo client with every scope. */
function seedDemo(state: SandboxState, config: SandboxConfig): SandboxDemo {
  const { user, account } = enrollUser(state, { email: config.demoEmail, password: config.demoPassword });
  const { client, clientSecret } = state.clients.register({
    name: 'Aries MCP (demo)',
    redirectUris: config.demoRedirectUris,
    scopes: KNOWN_SCOPES,
    clientId: config.demoClientId,
    clientSecret: config.demoClientSecret,
  });
  return {
    email: user.email,
    password: config.demoPassword,
    userId: user.id,
    accountId: account.id,
    clientId: client.clientId,
    clientSecret: clientSecret ?? '',
    redirectUris: client.redirectUris,
    scopes: client.scopes,
  };
}
