/**
 * Runs the gateway as a process from typed settings: both entries
 * (`production-main.ts`, `demo/main.ts`) end here. Opens the store, builds
 * the app, listens (and on METRICS_PORT), prints the start banner, and on
 * SIGINT/SIGTERM stops accepting connections, lets in-flight calls finish
 * (up to 10 s) and closes the store and whatever the entry started.
 *
 * Start-up problems (an invalid setting, a port in use) are one readable line
 * naming the variable and the fix, and exit code 1, never a stack trace.
 * This module reads no environment and knows nothing of the sandbox.
 */
import { createServer, type Server } from 'node:http';
import { instructions, oauthScopes, tools } from '../generated/index.js';
import { createApp } from './app.js';
import { ConfigError, type Settings } from './config.js';
import { openStore } from './store/open-store.js';
import { startBanner, type SandboxBannerInfo } from './start-up.js';

const DRAIN_MS = 10_000;

export interface ServeOptions {
  readonly settings: Settings;
  /** Logged as warnings once the logger exists. */
  readonly warnings: readonly string[];
  /** Start-up log field `mode`. */
  readonly mode: 'sandbox' | 'aries';
  /** The demo's sign-in details for the banner. */
  readonly sandbox?: SandboxBannerInfo;
  /** Closed at shutdown after the gateway (the demo's sandbox). */
  readonly closeAlso?: () => Promise<void>;
}

export function fail(message: string): never {
  process.stderr.write(`Aries MCP gateway: ${message}\n`);
  process.exit(1);
}

/** Runs an entry's `main`, turning what it throws into `fail`'s one line. */
export function runEntry(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof ConfigError) fail(`configuration error: ${error.message}`);
    fail(error instanceof Error ? error.message : String(error));
  });
}

export function listenError(error: NodeJS.ErrnoException, what: string, port: number, variable: string): string {
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

export async function serveGateway(options: ServeOptions): Promise<void> {
  const { settings } = options;
  const store = await openStore({ redisUrl: settings.redisUrl });
  const scopes = [...new Set(tools.flatMap((tool) => tool.definition.scopes))].sort();
  const app = createApp(settings, {
    tools,
    instructions,
    oauth: { config: { ...settings, warnings: options.warnings }, scopes, upstreamScopes: oauthScopes, store },
  });
  // Behind a load balancer, per-address rate limits must see the client, not the balancer (Express `trust proxy`).
  app.express.set('trust proxy', settings.trustProxy);
  for (const warning of options.warnings) app.log.warn(warning);

  const server = createServer(app.listener);
  await listen(server, settings.port, settings.host).catch((error: NodeJS.ErrnoException) => fail(listenError(error, 'the gateway', settings.port, 'PORT')));
  // METRICS_PORT: /metrics on its own loopback listener, for a scraper on the same host or pod.
  let metricsServer: Server | undefined;
  const metricsPort = settings.metricsPort;
  if (metricsPort !== undefined) {
    const handler = app.metricsHandler;
    metricsServer = createServer((req, res) => {
      if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) return handler(req, res);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Only GET /metrics is served here.\n');
    });
    await listen(metricsServer, metricsPort, '127.0.0.1').catch((error: NodeJS.ErrnoException) =>
      fail(listenError(error, 'the metrics endpoint', metricsPort, 'METRICS_PORT')),
    );
  }
  const mcpUrl = `${settings.publicUrl}/mcp`;
  app.log.info({ mcpUrl, mode: options.mode, aries: settings.ariesApiBase }, 'gateway listening');
  process.stdout.write(startBanner({ mcpUrl, sandbox: options.sandbox }));

  // Graceful shutdown: refuse new connections, drain, close.
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    setTimeout(() => process.exit(0), DRAIN_MS).unref();
    metricsServer?.close();
    server.close(() => {
      // Not awaited: allSettled never rejects, and the process exits when it settles.
      void Promise.allSettled([app.close(), store.close(), options.closeAlso?.()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
