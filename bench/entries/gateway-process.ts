/**
 * Bench-only entry: the gateway (`createApp`, as `runtime/main.ts` builds
 * it) on 127.0.0.1:0 in front of an Aries given by URL, printing one JSON
 * ready line (`{"ready":true,"url":...}`) to stderr once it listens. Logs go
 * to stdout at LOG_LEVEL (the parent sends stdout to /dev/null, so log
 * formatting is paid as in production).
 *
 * Environment:
 * - BENCH_ARIES_URL: the Aries base (a sandbox); its OAuth endpoints are used too;
 * - BENCH_TOOLS: another tool module to serve (a generated GitHub surface,
 *   or a bundled `.mjs` of one); unset: the Aries tools of `generated/`,
 *   imported statically so a build of this entry contains them as
 *   `npm run build` contains them for `runtime/main.ts`;
 * - BENCH_GRANT: `oauth` (the real OAuth proxy with an in-memory store; the
 *   parent signs in through it) or `static` (bearer `bench` maps to one grant
 *   holding BENCH_ARIES_TOKEN and every scope the tools use: cold start
 *   measures the first `tools/list` without a sign-in in between).
 * With an IPC channel: `heap` answers `process.memoryUsage()` in MiB after
 * a full GC (needs `--expose-gc`), `memory` the same without a GC; `profile-start` and `{ profileStopTo: file }`
 * record a V8 CPU profile of the window between them (steady state only,
 * unlike `--cpu-prof`, which also records start-up).
 * No top-level await: the cold start measures this entry built to CommonJS
 * by `build/build.ts`, exactly as the product is built.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Session } from 'node:inspector';
import { boundPort } from '../../build/free-port.js';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from '../../runtime/app.js';
import { loadOAuthConfig } from '../../runtime/auth/oauth-config.js';
import { loadConfig } from '../../runtime/config.js';
import { tools as ariesTools } from '../../generated/index.js';
import { GrantRevokedError, type GrantResolver } from '../../runtime/mcp/grant.js';

const env = process.env;
const ariesUrl = env.BENCH_ARIES_URL ?? 'http://127.0.0.1:4010';
const toolsPath = env.BENCH_TOOLS;
const mode = env.BENCH_GRANT === 'static' ? 'static' : 'oauth';

async function loadTools(): Promise<typeof ariesTools> {
  if (toolsPath === undefined) return ariesTools;
  const file = isAbsolute(toolsPath) ? toolsPath : resolve(toolsPath);
  // A `.cjs` bundle is required: the built gateway runs in a vm.Script, where Node 20 has no import().
  const toolsModule: unknown = file.endsWith('.cjs') ? createRequire(file)(file) : await import(pathToFileURL(file).href);
  const exported = typeof toolsModule === 'object' && toolsModule !== null ? Reflect.get(toolsModule, 'tools') : undefined;
  if (!Array.isArray(exported)) throw new Error(`${toolsPath} does not export a "tools" array`);
  return exported;
}

function staticGrants(scopes: readonly string[]): GrantResolver {
  const grant = {
    grantId: 'bench-grant',
    scopes,
    accessToken: async () => env.BENCH_ARIES_TOKEN ?? '',
    refreshAccessToken: async (): Promise<string> => {
      throw new GrantRevokedError('the bench grant cannot be refreshed');
    },
    isStale: async () => false,
    revoke: async () => {},
  };
  return { resolve: async (req) => (req.headers.authorization === 'Bearer bench' ? grant : undefined) };
}

async function start(): Promise<{ server: Server; app: App }> {
  const tools = await loadTools();
  const scopes = [...new Set(tools.flatMap((tool) => tool.definition.scopes))].sort();
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${boundPort(server)}`;
  // One bench grant stands for many users: it makes tens of thousands of calls a minute and has 16 or 64 in flight, so
  // the per-grant limits (TOOL_CALLS_PER_MINUTE, CONCURRENT_CALLS_PER_GRANT: 4 at a time by default, the rest queued or
  // refused) are lifted. Their store checks still run on every call; only the waiting and refusing are taken out.
  const settings = {
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    TOOL_CALLS_PER_MINUTE: '1000000',
    CONCURRENT_CALLS_PER_GRANT: '1000',
    ARIES_API_BASE: ariesUrl,
    GATEWAY_PUBLIC_URL: url,
    GATEWAY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  const config = loadConfig(settings);
  const app =
    mode === 'oauth'
      ? createApp(config, { tools, oauth: { config: loadOAuthConfig(settings, { port: 0, sandboxUrl: ariesUrl }), scopes } })
      : createApp(config, { tools, grants: staticGrants(scopes) });
  server.on('request', app.listener);
  process.stderr.write(`${JSON.stringify({ ready: true, url, tools: tools.length, mode })}\n`);
  return { server, app };
}

const started = start();
started.catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

// The parent's control channel: heap figures, and a CPU profile of just the window it asks for.
const inspector = new Session();
process.on('message', (message) => {
  if (message === 'heap' || message === 'memory') {
    const collect = (globalThis as { gc?: () => void }).gc;
    // Twice: the first collection leaves objects that only the second finds unreachable (weak references, finalizers).
    if (message === 'heap') for (let i = 0; i < 2; i++) collect?.();
    const usage = process.memoryUsage();
    const mib = (bytes: number) => bytes / 2 ** 20;
    process.send?.({
      heapUsedMiB: mib(usage.heapUsed),
      heapTotalMiB: mib(usage.heapTotal),
      externalMiB: mib(usage.external),
      arrayBuffersMiB: mib(usage.arrayBuffers),
      rssMiB: mib(usage.rss),
      collected: message === 'heap' && collect !== undefined,
    });
  } else if (message === 'profile-start') {
    inspector.connect();
    inspector.post('Profiler.enable', () => inspector.post('Profiler.start', () => process.send?.({ profiling: true })));
  } else if (typeof message === 'object' && message !== null && 'profileStopTo' in message) {
    const file = String(message.profileStopTo);
    inspector.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(file, JSON.stringify(result.profile));
      inspector.disconnect();
      process.send?.({ profile: error === null ? file : undefined });
    });
  }
});
process.once('SIGTERM', () => {
  void started.then(({ server, app }) => {
    server.closeAllConnections();
    server.close(() => void app.close().then(() => process.exit(0)));
  });
});
