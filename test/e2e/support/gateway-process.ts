/**
 * `npm start` as a child process: `tsx runtime/main.ts` (the command behind
 * the `start` script; or another command, such as the built `node
 * dist/main.cjs`) with an environment cleaned of every gateway setting,
 * so the developer's shell cannot change what a test sees. Each child runs in
 * its own process group; `kill()` ends the whole group (tsx and its node
 * child) if a test left it running.
 */
import { expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GATEWAY_SETTING } from '../../../runtime/config.js';
export { freePort } from '../../../build/free-port.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GatewayProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with stdout once it matches, rejects if the process exits first or `timeoutMs` passes. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly exited: Promise<Exit>;
  /** SIGKILLs the process group if it is still running. */
  kill(): Promise<void>;
}

/** `command` defaults to `npm start`'s `tsx runtime/main.ts`; the build's test passes `node dist/main.cjs`. */
export function startGatewayProcess(env: Readonly<Record<string, string>>, command: readonly [string, ...string[]] = [TSX, 'runtime/main.ts']): GatewayProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !GATEWAY_SETTING.test(name)));
  const [file, ...args] = command;
  const child = spawn(file, args, { cwd: ROOT, env: { ...clean, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const listener of listeners) listener();
  });

  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout: (pattern, timeoutMs = 30_000) =>
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no ${pattern} on stdout within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), timeoutMs);
        const check = () => {
          if (pattern.test(stdout)) finish();
          else if (done) finish(new Error(`the gateway exited before printing ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`));
        };
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve(stdout);
        };
        listeners.add(check);
        check();
      }),
    kill: async () => {
      if (done || child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    },
  };
}

/** Whether something can listen on the port now (it was released). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export interface SandboxBanner {
  readonly stdout: string;
  readonly origin: string;
  readonly mcpUrl: string;
  /** The Client ID of the demo OAuth client the banner prints. */
  readonly clientId: string;
}

/** Waits for the embedded-sandbox banner of a gateway on `port`; asserts its ready line and reads the printed Client ID. */
export async function readSandboxBanner(gateway: GatewayProcess, port: number): Promise<SandboxBanner> {
  const stdout = await gateway.waitForStdout(/Connect the MCP Inspector[\s\S]*then "Connect"\)/, 45_000);
  const origin = `http://127.0.0.1:${port}`;
  const mcpUrl = `${origin}/mcp`;
  expect(stdout).toContain(`Aries MCP gateway ready: ${mcpUrl}`);
  const clientId = /Client ID\s+([0-9a-f]{32})\n/.exec(stdout)?.[1];
  expect(clientId, stdout).toBeDefined();
  return { stdout, origin, mcpUrl, clientId: clientId ?? '' };
}
