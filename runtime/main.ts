/**
 * `npm start`: configuration, the embedded sandbox when no Aries is
 * configured, listen, graceful shutdown.
 *
 * Start-up problems (an invalid setting, a port in use) are one readable line
 * naming the variable and the fix, and exit code 1, never a stack trace.
 * SIGINT/SIGTERM stop accepting connections, let in-flight calls finish (up
 * to 10 s) and close the store.
 *
 * Production runs the same file precompiled: `npm run build` bundles it into
 * `dist/` (see `build/build.ts`), `npm run serve` starts that.
 */
import { createServer, type Server } from 'node:http';
import { instructions, oauthScopes, tools } from '../generated/index.js';
import type { createSandbox } from '../sandbox/app.js';
import { createApp } from './app.js';
import { loadOAuthConfig } from './auth/oauth-config.js';
import { ConfigError, loadConfig, readTrustProxy } from './config.js';
import { openStore } from './store/open-store.js';
import { startBanner, startMode } from './start-up.js';

const DRAIN_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`Aries MCP gateway: ${message}\n`);
  process.exit(1);
}

function listenError(error: NodeJS.ErrnoException, what: string, port: number, variable: string): string {
  if (error.code === 'EADDRINUSE') return `port ${port} (${what}) is already in use; stop the other process or set ${variable} to a free port`;
  if (error.code === 'EACCES') return `not allowed to listen on port ${port} (${what}); set ${variable} to a port above 1023`;
  return `cannot listen on port ${port} (${what}): ${error.message}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const env = process.env;
  const mode = startMode(env);
  const baseConfig = loadConfig(env);
  const trustProxy = readTrustProxy(env);
  const host = env.HOST?.trim() || '127.0.0.1';

  // 1. The embedded sandbox, registered with this gateway's callback.
  let sandboxUrl: string | undefined;
  let sandbox: ReturnType<typeof createSandbox> | undefined;
  let closeSandbox = async () => {};
  const publicUrl = env.GATEWAY_PUBLIC_URL?.trim() || `http://127.0.0.1:${baseConfig.port}`;
  if (mode.kind === 'sandbox') {
    // Imported here: serving real Aries never loads the sandbox (swagger-parser and its OpenAPI document).
    const { createSandbox } = await import('../sandbox/app.js');
    sandbox = createSandbox({ demoRedirectUris: [`${publicUrl.replace(/\/+$/, '')}/auth/callback`], demoEmail: env.SANDBOX_DEMO_EMAIL, demoPassword: env.SANDBOX_DEMO_PASSWORD });
    const listening = await sandbox.listen(mode.sandboxPort, '127.0.0.1').catch((error: NodeJS.ErrnoException) => fail(listenError(error, 'the embedded sandbox', mode.sandboxPort, 'SANDBOX_PORT')));
    sandboxUrl = listening.url;
    closeSandbox = () => listening.close();
  }

  // 2. Configuration that depends on where Aries is.
  const config = { ...baseConfig, ariesApiBase: sandboxUrl ?? baseConfig.ariesApiBase };
  const oauthConfig = loadOAuthConfig(env, { port: config.port, sandboxUrl });
  const store = await openStore({ redisUrl: oauthConfig.redisUrl });
  const scopes = [...new Set(tools.flatMap((tool) => tool.definition.scopes))].sort();
  const app = createApp(config, { tools, instructions, oauth: { config: oauthConfig, scopes, upstreamScopes: oauthScopes, store } });
  // Behind a load balancer, per-address rate limits must see the client, not the balancer (Express `trust proxy`).
  app.express.set('trust proxy', trustProxy);
  for (const warning of oauthConfig.warnings) app.log.warn(warning);

  // 3. Listen.
  const server = createServer(app.listener);
  await listen(server, config.port, host).catch((error: NodeJS.ErrnoException) => fail(listenError(error, 'the gateway', config.port, 'PORT')));
  // METRICS_PORT: /metrics on its own loopback listener, for a scraper on the same host or pod.
  let metricsServer: Server | undefined;
  if (config.metricsPort !== undefined) {
    const handler = app.metricsHandler;
    metricsServer = createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) return handler(req, res);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
    });
    await listen(metricsServer, config.metricsPort, '127.0.0.1').catch((error: NodeJS.ErrnoException) => fail(listenError(error, 'the metrics endpoint', config.metricsPort ?? 0, 'METRICS_PORT')));
  }
  const mcpUrl = `${oauthConfig.publicUrl}/mcp`;
  app.log.info({ mcpUrl, mode: mode.kind, aries: config.ariesApiBase }, 'gateway listening');
  process.stdout.write(
    startBanner({
      mcpUrl,
      mode,
      clientId: sandbox?.demo.clientId,
      email: sandbox?.demo.email,
      password: sandbox?.demo.password,
      clientCenter: sandboxUrl ? `${sandboxUrl}/client-center` : undefined,
    }),
  );

  // 4. Graceful shutdown: refuse new connections, drain, close.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => process.exit(0), DRAIN_MS).unref();
    metricsServer?.close();
    server.close(() => {
      void Promise.allSettled([app.close(), store.close(), closeSandbox()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
  fail(error instanceof Error ? error.message : String(error));
});
