/**
 * SIGTERM drains: `npx tsx runtime/main.ts` (gateway + embedded sandbox, the
 * way `npm start` runs) on free ports; a user connects through the OAuth
 * proxy; a tool call is held in flight by a sandbox latency fault (set on
 * the sandbox's admin API); SIGTERM arrives while it is in flight.
 * SIGTERM goes to the process that runs main.ts, as a container runtime or
 * process manager signals the app: `npm exec` passes it to `sh -c tsx`,
 * which dies without passing it on, so a SIGTERM sent to npx itself would
 * leave the gateway running as an orphan (an npm/sh behaviour; run the
 * gateway under `tsx runtime/main.ts` or `node --import tsx ...` in
 * production). The test's process tree runs in its own process group, which
 * `afterAll` kills if anything is left. Then:
 * - a new TCP connection to the gateway port is refused at once;
 * - the in-flight call still completes successfully;
 * - the process exits with code 0;
 * - none of its JSON log lines holds a secret.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectUser, type GatewayUser } from './support/gateway-users.js';
import { callTool } from './support/mcp-wire.js';
import { SecretLedger } from './support/secret-ledger.js';
import { freePort } from '../../build/free-port.js';
import { readJsonObject } from '../../testkit/json-body.js';

const HOLD_MS = 2_500;

/** The deepest process under `root` whose command line runs runtime/main.ts (Linux /proc). */
function gatewayProcess(root: number): number {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // The process ended meanwhile.
    }
  }
  const depth = (pid: number): number => {
    let steps = 0;
    for (let current = pid; current !== root; current = parents.get(current) ?? 0) {
      if (current <= 1 || ++steps > 20) return -1;
    }
    return steps;
  };
  const candidates = [...commands].filter(([pid, command]) => command.includes('runtime/main.ts') && depth(pid) > 0);
  candidates.sort((a, b) => depth(b[0]) - depth(a[0]));
  if (candidates[0] === undefined) throw new Error(`no runtime/main.ts process under ${root}`);
  return candidates[0][0];
}

/** Resolves with the connection error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    socket.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve('connected');
    });
  });
}

describe('SIGTERM drains in-flight calls and refuses new connections', () => {
  const ledger = new SecretLedger();
  let child: ChildProcess;
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let stdout = '';
  let stderr = '';
  let port: number;
  let sandboxUrl: string;
  let user: GatewayUser;

  beforeAll(async () => {
    port = await freePort();
    const sandboxPort = await freePort();
    sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    child = spawn('npx', ['tsx', 'runtime/main.ts'], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: {
        ...process.env,
        PORT: String(port),
        SANDBOX_PORT: String(sandboxPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        TOOL_TIMEOUT_MS: '15000',
        REDIS_URL: '',
        GATEWAY_PUBLIC_URL: '',
        ARIES_API_BASE: '',
        ARIES_AUTHORIZE_URL: '',
        ARIES_TOKEN_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 45_000;
    while (!stdout.includes('Aries MCP gateway ready')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the gateway did not start:\n${stdout}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    user = await connectUser({ sandboxUrl, gatewayUrl: `http://127.0.0.1:${port}`, publicUrl: `http://127.0.0.1:${port}`, ledger, label: 'drain' });
  }, 60_000);

  afterAll(async () => {
    if (child?.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The whole group has exited already.
    }
    await exit;
  });

  it('the call in flight completes, a new connection is refused, and the process exits 0', async () => {
    const mcpUrl = `http://127.0.0.1:${port}/mcp`;
    expect((await callTool(mcpUrl, user.accessToken, 'list_accounts', {})).result?.isError).toBeFalsy();

    const fault = async (body: Record<string, unknown>) => {
      const res = await fetch(`${sandboxUrl}/admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return (await readJsonObject(res))['faults'];
    };
    await fault({ latencyMs: HOLD_MS, count: 1, pathPrefix: '/v1/accounts/' });
    const started = Date.now();
    const inFlight = callTool(mcpUrl, user.accessToken, 'get_positions', { account_id: user.accountId });
    // The fault is spent once the call has reached the sandbox: it is now held there.
    while ((await fault({})) !== null) {
      if (Date.now() - started > 5_000) throw new Error('the call never reached the sandbox');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    process.kill(gatewayProcess(child.pid ?? 0), 'SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await tryConnect(port)).toBe('ECONNREFUSED');

    const answer = await inFlight;
    expect(Date.now() - started).toBeGreaterThanOrEqual(HOLD_MS - 50);
    expect(answer.status).toBe(200);
    expect(answer.result?.isError, answer.resultText).toBeFalsy();
    expect(answer.result?.structuredContent).toMatchObject({ positions: expect.any(Array) });

    // tsx and npx exit with the gateway's own exit code.
    expect(await exit).toEqual({ code: 0, signal: null });
    expect(stdout).toContain('shutting down: draining in-flight requests');
  }, 60_000);

  it('no log line of the process holds a password, secret, verifier or token', () => {
    const lines = stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(3);
    expect(ledger.findIn([...lines, stderr])).toEqual([]);
  });
});
