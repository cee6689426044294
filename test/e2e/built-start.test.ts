/**
 * The precompiled start path: `npm run build` (into a temporary folder with
 * `--out`, so a developer's `dist/` is left alone) and the built start file
 * run with plain `node`, as `npm run serve` does. It must behave as
 * `npm start` does: with no ARIES_* set it runs the demo bundle (embedded
 * sandbox and its OpenAPI document, gateway), which loads simple-oauth2 on
 * the first token exchange, tool validators on a tool's first call, ioredis
 * when REDIS_URL is set; with ARIES_* set the production bundle, whose code
 * cache the build primed (the demo leaves that cache alone: still one file
 * after two demo starts). That the production bundle holds no sandbox is
 * `test/build/production-bundle.test.ts`. No timings are asserted.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizeThroughGateway, exchangeCode } from '../../testkit/harness.js';
import { redisAvailable, startRedis, type RedisProcess } from '../../testkit/redis-server.js';
import { freePort, isPortFree, readSandboxBanner, startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { rawToolsList } from './support/oauth-flow.js';
import { readJsonAs, toolCallAnswer } from '../../testkit/json-body.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROCESS_TEST_MS = 90_000;
const outDir = mkdtempSync(join(tmpdir(), 'aries-gateway-build-'));
const startFile = join(outDir, 'main.cjs');
const started: GatewayProcess[] = [];
let buildOutput = '';

function run(command: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function startBuilt(env: Record<string, string>): GatewayProcess {
  const child = startGatewayProcess(env, [process.execPath, startFile]);
  started.push(child);
  return child;
}

async function callTool(
  mcpUrl: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<{ isError?: boolean; content: { text: string }[] }> {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  expect(response.status).toBe(200);
  return (await readJsonAs(response, toolCallAnswer)).result;
}

/** Start on the embedded sandbox, sign in as the banner says, list and call tools, SIGTERM. */
async function serveOnSandbox(extraEnv: Record<string, string> = {}): Promise<void> {
  const [port, sandboxPort] = await Promise.all([freePort(), freePort()]);
  const gateway = startBuilt({ PORT: String(port), SANDBOX_PORT: String(sandboxPort), ...extraEnv });
  const { origin, mcpUrl, clientId } = await readSandboxBanner(gateway, port);

  const challenge = await fetch(mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(challenge.status).toBe(401);
  expect(challenge.headers.get('www-authenticate')).toMatch(/^Bearer /);

  // The token exchange runs simple-oauth2, imported on first use inside the bundle.
  const back = await authorizeThroughGateway(origin, { clientId }, { email: 'demo@aries.test', password: 'demo-password' });
  const tokens = await exchangeCode(origin, back.searchParams.get('code')!, clientId);
  expect(tokens.status).toBe(200);
  const token = String(tokens.body['access_token']);
  const listed = await rawToolsList(mcpUrl, token);
  expect(listed.status).toBe(200);
  expect(await listed.text()).toContain('"name":"place_order"');

  // Validators compile on first use inside the bundle: bad arguments are refused, good ones reach the sandbox.
  const refused = await callTool(mcpUrl, token, 'get_quote', { symbol: 42, extra: true });
  expect(refused.isError).toBe(true);
  expect(refused.content[0]?.text).toMatch(/^Invalid arguments for get_quote:\n/);
  const quote = await callTool(mcpUrl, token, 'get_quote', { symbol: 'AAPL' });
  expect(quote.isError, quote.content[0]?.text).toBeFalsy();
  expect(quote.content[0]?.text).toContain('AAPL');

  gateway.child.kill('SIGTERM');
  expect(await gateway.exited).toEqual({ code: 0, signal: null });
  expect(gateway.stderr()).toBe('');
  expect(await isPortFree(port)).toBe(true);
  expect(await isPortFree(sandboxPort)).toBe(true);
}

beforeAll(async () => {
  const built = await run('npm', ['run', '--silent', 'build', '--', '--out', outDir]);
  buildOutput = built.output;
  if (built.code !== 0) throw new Error(`npm run build failed:\n${built.output}`);
}, PROCESS_TEST_MS);

afterAll(async () => {
  await Promise.all(started.map((child) => child.kill()));
  rmSync(outDir, { recursive: true, force: true });
});

describe('npm run build, then node <out>/main.cjs', () => {
  it('writes a self-contained start file, bundle, OpenAPI document and primed code cache', () => {
    expect(buildOutput).toContain(`built ${outDir}/`);
    expect(existsSync(startFile)).toBe(true);
    expect(existsSync(join(outDir, 'bundle', 'main.cjs'))).toBe(true);
    expect(existsSync(join(outDir, 'spec', 'aries.openapi.yaml'))).toBe(true);
    expect(readdirSync(join(outDir, '.code-cache')).filter((file) => file.endsWith('.bin'))).toHaveLength(1);
  });

  it('serves the embedded sandbox like npm start: banner, 401, sign-in, tools/list, tools/call; SIGTERM exits 0', { timeout: PROCESS_TEST_MS }, async () => {
    await serveOnSandbox();
    // Again: a second demo start works the same and writes no code cache of its own.
    await serveOnSandbox();
    expect(readdirSync(join(outDir, '.code-cache')).filter((file) => file.endsWith('.bin'))).toHaveLength(1);
  });

  it(
    'with every ARIES_* set runs the production bundle: real-Aries banner, 401, SIGTERM exits 0, one code cache file',
    { timeout: PROCESS_TEST_MS },
    async () => {
      const port = await freePort();
      const origin = `http://127.0.0.1:${port}`;
      const gateway = startBuilt({
        PORT: String(port),
        ARIES_API_BASE: 'http://127.0.0.1:9',
        ARIES_AUTHORIZE_URL: 'http://127.0.0.1:9/oauth2/authorize',
        ARIES_TOKEN_URL: 'http://127.0.0.1:9/v1/oauth2/token',
        GATEWAY_PUBLIC_URL: origin,
        GATEWAY_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      });
      const stdout = await gateway.waitForStdout(/Serving real Aries/, 45_000);
      expect(stdout).toContain(`Aries MCP gateway ready: ${origin}/mcp`);
      expect(stdout).not.toContain('embedded sandbox');
      const challenge = await fetch(`${origin}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(challenge.status).toBe(401);
      gateway.child.kill('SIGTERM');
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
      expect(gateway.stderr()).toBe('');
      // Still the one cache file the build primed (same bundle, same Node): the production start reads and writes only that.
      expect(readdirSync(join(outDir, '.code-cache')).filter((file) => file.endsWith('.bin'))).toHaveLength(1);
    },
  );

  it('a configuration error is still one line and exit code 1', { timeout: PROCESS_TEST_MS }, async () => {
    const gateway = startBuilt({ PORT: String(await freePort()), ARIES_API_BASE: 'https://api.aries.example' });
    expect(await gateway.exited).toEqual({ code: 1, signal: null });
    expect(gateway.stderr().trim()).toMatch(
      /^Aries MCP gateway: configuration error: ARIES_API_BASE is set but ARIES_AUTHORIZE_URL and ARIES_TOKEN_URL are not: /,
    );
    expect(gateway.stderr().trim().split('\n')).toHaveLength(1);
  });

  describe.skipIf(!redisAvailable())('with REDIS_URL', () => {
    let redis: RedisProcess;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it('keeps its state in Redis (ioredis, imported on demand inside the bundle)', { timeout: PROCESS_TEST_MS }, async () => {
      await serveOnSandbox({ REDIS_URL: redis.url });
    });
  });
});
