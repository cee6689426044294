/**
 * Cold start: from `spawn` to the first answered request, per start path.
 *
 * - gateway, Aries surface (`entries/gateway-process.ts`, static bench grant
 *   so no sign-in sits in between): spawn -> listening -> first `tools/list`
 *   answered.
 *   - built (the target): the entry built by `build/build.ts` `bundleEntry`,
 *     the function `npm run build` uses (one CommonJS bundle with the npm
 *     packages, started through the code-cache launcher). The warm-up start
 *     writes the code cache, as the build's priming start does for `dist/`;
 *     the measured starts use it;
 *   - built, first answer `initialize` (legacy handshake, what every real
 *     client sends first): it goes through the SDK leg, which start-up
 *     builds right after listening rather than before (`runtime/app.ts`
 *     warm-up), so this row shows what a client's first answer really costs;
 *   - built, no code cache (`GATEWAY_CODE_CACHE=off`): a first start;
 *   - `node --import tsx` (how `npm start` loads TypeScript), informational.
 * - gateway, GitHub surface (`bench/.tmp/github`, every GitHub REST
 *   operation as a tool, bundled to ESM and imported by the built gateway):
 *   how start-up scales with the number of tools. Needs `generation.ts`.
 * - `npm start` with no ARIES_* (`runtime/main.ts` -> `demo/main.ts`:
 *   embedded sandbox + OAuth gateway) via the tsx CLI, as the npm script
 *   runs it; `npm run serve` (the same `buildGateway` as `npm run build`,
 *   primed, into `bench/.tmp/dist`) in production (all ARIES_* set, on a
 *   closed loopback port: the production bundle with its code cache) and as
 *   the demo (no ARIES_*: the demo bundle, which uses no code cache):
 *   spawn -> first `/mcp` answer (the 401 challenge; a tools/list would need
 *   a sign-in).
 * - baselines: `node -e 0` and `node --import tsx -e 0` (start and exit).
 * One warm-up start per path (tsx's compile cache, page cache, the code
 * cache), then the median of `runs`. Idle RSS is read after the first answer.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { buildGateway, bundleEntry } from '../build/build.js';
import { bundle, TMP_DIR } from './bundle.js';
import { freePort, NODE, readProcMemory, ROOT, spawnNode, stopChild, TSX_IMPORT } from './child-process.js';
import { GITHUB_OUT } from './generation.js';
import { LoadClient, type PreparedRequest } from './load-client.js';
import { mcpResult, toolsList } from './mcp-requests.js';
import { median, ratio } from './stats.js';

export interface ColdStartOptions {
  readonly runs: number;
  readonly githubRuns: number;
  readonly mainRuns: number;
  /** Skip the GitHub surface (no generated GitHub tools available). */
  readonly github: boolean;
}

export interface StartFigures {
  readonly id: string;
  readonly label: string;
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  /** Against `node -e 0` for built paths, `node --import tsx -e 0` for tsx paths. */
  readonly ratio: number;
  readonly idleRssMiB?: number;
  readonly tools?: number;
  /** Bytes of the first tools/list answer. */
  readonly toolsListBytes?: number;
  readonly toolsListBody?: string;
}

export interface ColdStartResult {
  readonly rows: readonly StartFigures[];
}

async function exitTime(args: readonly string[]): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(NODE, [...args], { cwd: ROOT, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
  return performance.now() - started;
}

interface GatewayStart {
  readonly ms: number;
  readonly rssMiB: number;
  readonly tools: number;
  readonly body: string;
}

/** A legacy `initialize` (the handshake every client sends first; the protocol version current SDK clients offer). */
function initialize(mcpUrl: string): PreparedRequest {
  return {
    url: new URL(mcpUrl),
    method: 'POST',
    headers: { authorization: 'Bearer bench', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
    }),
  };
}

/** `toolsModule` undefined: the entry's own (statically imported) Aries tools. `first`: the request whose answer ends the measurement. */
async function gatewayStart(
  args: readonly string[],
  toolsModule: string | undefined,
  env: Readonly<Record<string, string>> = {},
  first: 'tools/list' | 'initialize' = 'tools/list',
): Promise<GatewayStart> {
  const started = performance.now();
  const child = await spawnNode(args, {
    env: { BENCH_ARIES_URL: 'http://127.0.0.1:9', ...(toolsModule === undefined ? {} : { BENCH_TOOLS: toolsModule }), BENCH_GRANT: 'static', ...env },
    timeoutMs: 180_000,
  });
  const client = new LoadClient(1);
  try {
    const mcpUrl = `${String(child.ready['url'])}/mcp`;
    const answer = await client.send(first === 'initialize' ? initialize(mcpUrl) : toolsList(mcpUrl, 'bench'));
    const ms = performance.now() - started;
    const result = mcpResult(answer);
    if (first === 'initialize') {
      if (result?.['serverInfo'] === undefined) throw new Error(`initialize at start-up failed: HTTP ${answer.status}`);
      return { ms, rssMiB: readProcMemory(child.pid).rssMiB, tools: 0, body: answer.body };
    }
    const tools = result?.['tools'];
    if (!Array.isArray(tools)) throw new Error(`tools/list at start-up failed: HTTP ${answer.status}`);
    return { ms, rssMiB: readProcMemory(child.pid).rssMiB, tools: tools.length, body: answer.body };
  } finally {
    client.close();
    await child.stop();
  }
}

function answers(url: string, method: 'GET' | 'POST'): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { method, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(undefined));
    req.end(method === 'POST' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) : undefined);
  });
}

/** What `npm run serve` needs to serve real Aries: every Aries URL on a closed loopback port (nothing is contacted before a sign-in). */
function productionEnv(port: number): Record<string, string> {
  return {
    ARIES_API_BASE: 'http://127.0.0.1:9',
    ARIES_AUTHORIZE_URL: 'http://127.0.0.1:9/oauth2/authorize',
    ARIES_TOKEN_URL: 'http://127.0.0.1:9/v1/oauth2/token',
    GATEWAY_PUBLIC_URL: `http://127.0.0.1:${port}`,
    GATEWAY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
}

/** `runtime/main.ts` (or its build) on free ports, as the demo or (`production`) in front of real Aries: spawn -> first `/mcp` answer. */
async function mainStart(args: readonly string[], production = false): Promise<number> {
  const [port, sandboxPort] = [await freePort(), await freePort()];
  const started = performance.now();
  const mode = production ? productionEnv(port) : {};
  const child = spawn(NODE, [...args], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, PORT: String(port), SANDBOX_PORT: String(sandboxPort), LOG_LEVEL: 'info', ...mode },
  });
  const stopGroup = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await stopChild(child);
  };
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const status = await answers(`http://127.0.0.1:${port}/mcp`, 'POST');
      if (status !== undefined) return performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`${args.join(' ')}: no answer within 60 s`);
  } finally {
    await stopGroup();
  }
}

async function repeat<T>(runs: number, warmup: boolean, once: () => Promise<T>): Promise<T[]> {
  if (warmup) await once();
  const results: T[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return results;
}

/** Throws unless a code cache for `bundleHash` exists in `outDir/.code-cache` (so a "built" row really measured the cached path). */
function expectCodeCache(outDir: string, bundleHash: string): void {
  const dir = join(outDir, '.code-cache');
  if (!existsSync(dir) || !readdirSync(dir).some((file) => file.includes(bundleHash) && file.endsWith('.bin'))) {
    throw new Error(`no code cache in ${dir} after the warm-up start: the built rows would measure a first start`);
  }
}

export async function measureColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const builtDir = join(TMP_DIR, 'built');
  const gateway = await bundleEntry({ entry: 'bench/entries/gateway-process.ts', outDir: join(builtDir, 'gateway-process'), name: 'gateway-process' });
  const dist = await buildGateway({ outDir: join(builtDir, 'dist') });

  const nodeRuns = await repeat(options.runs, true, () => exitTime(['-e', '0']));
  const tsxRuns = await repeat(options.runs, true, () => exitTime([...TSX_IMPORT, '-e', '0']));
  const nodeMs = median(nodeRuns);
  const tsxMs = median(tsxRuns);
  const rows: StartFigures[] = [
    { id: 'node', label: 'baseline: node -e 0', medianMs: nodeMs, runsMs: nodeRuns.map(Math.round), ratio: 1 },
    { id: 'tsx', label: 'baseline: node --import tsx -e 0', medianMs: tsxMs, runsMs: tsxRuns.map(Math.round), ratio: 1 },
  ];
  const gatewayRow = (id: string, label: string, runs: GatewayStart[], baselineMs: number): StartFigures => {
    const medianMs = median(runs.map((run) => run.ms));
    return {
      id,
      label,
      medianMs,
      runsMs: runs.map((run) => Math.round(run.ms)),
      ratio: ratio(medianMs, baselineMs),
      idleRssMiB: median(runs.map((run) => run.rssMiB)),
      tools: runs[0]?.tools,
      toolsListBytes: Buffer.byteLength(runs[0]?.body ?? ''),
      toolsListBody: runs[0]?.body,
    };
  };

  // The warm-up start writes the code cache (SIGTERM -> exit 0), as `npm run build`'s priming start does.
  const ariesBuilt = await repeat(options.runs, true, () => gatewayStart([gateway.startFile], undefined));
  expectCodeCache(gateway.outDir, gateway.bundleHash);
  rows.push(gatewayRow('aries-built', 'gateway, Aries tools, built (npm run build: bundle + code cache)', ariesBuilt, nodeMs));
  const ariesInitialize = await repeat(options.runs, true, () => gatewayStart([gateway.startFile], undefined, {}, 'initialize'));
  rows.push({
    ...gatewayRow('aries-built-initialize', 'gateway, Aries tools, built, first answer a legacy initialize (what clients send first)', ariesInitialize, nodeMs),
    tools: undefined,
    toolsListBytes: undefined,
    toolsListBody: undefined,
  });
  const ariesNoCache = await repeat(options.runs, true, () => gatewayStart([gateway.startFile], undefined, { GATEWAY_CODE_CACHE: 'off' }));
  rows.push(gatewayRow('aries-built-no-cache', 'gateway, Aries tools, built, no code cache (a first start)', ariesNoCache, nodeMs));
  const ariesTsx = await repeat(options.runs, true, () => gatewayStart([...TSX_IMPORT, 'bench/entries/gateway-process.ts'], undefined));
  rows.push(gatewayRow('aries-tsx', 'gateway, Aries tools, node --import tsx', ariesTsx, tsxMs));

  if (options.github) {
    const githubTools = await bundle(join(GITHUB_OUT, 'index.ts'), 'github-tools', true);
    const github = await repeat(options.githubRuns, false, () => gatewayStart([gateway.startFile], githubTools));
    rows.push(gatewayRow('github-built', 'gateway, GitHub --all tools, built (tools required as a CommonJS bundle)', github, nodeMs));
  }

  const tsxCli = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const npmStart = await repeat(options.mainRuns, true, () => mainStart([tsxCli, 'runtime/main.ts']));
  rows.push({
    id: 'main-tsx',
    label: 'npm start, demo (tsx CLI runtime/main.ts) to first /mcp answer',
    medianMs: median(npmStart),
    runsMs: npmStart.map(Math.round),
    ratio: ratio(median(npmStart), tsxMs),
  });
  const serve = await repeat(options.mainRuns, true, () => mainStart([dist.startFile], true));
  rows.push({
    id: 'main-built',
    label: 'npm run serve, production (built production entry + code cache) to first /mcp answer',
    medianMs: median(serve),
    runsMs: serve.map(Math.round),
    ratio: ratio(median(serve), nodeMs),
  });
  const demo = await repeat(options.mainRuns, true, () => mainStart([dist.startFile]));
  rows.push({
    id: 'demo-built',
    label: 'npm run serve, demo (built demo entry, no code cache) to first /mcp answer',
    medianMs: median(demo),
    runsMs: demo.map(Math.round),
    ratio: ratio(median(demo), nodeMs),
  });
  return { rows };
}
