/**
 * `npm run sandbox` (sandbox/main.ts) as a process: prints the start-up
 * information, stops on SIGTERM, and reports a port in use in one line.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { boundPort } from '../../build/free-port.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

function run(env: Record<string, string>, until?: RegExp) {
  const child = spawn(tsx, ['sandbox/main.ts'], { cwd: root, env: { ...process.env, SANDBOX_TICK_MS: '0', LOG_LEVEL: 'silent', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (until?.test(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe.concurrent('sandbox/main.ts', () => {
  it('prints Client Center, the demo credentials and client, and exits cleanly on SIGTERM', async () => {
    const result = await run({ SANDBOX_PORT: '0', SANDBOX_DEMO_EMAIL: 'e2e@aries.test', SANDBOX_DEMO_PASSWORD: 'e2e-pw' }, /Sign-in URL/);
    expect(result.stdout).toMatch(/Client Center\s+http:\/\/127\.0\.0\.1:\d+\/client-center/);
    expect(result.stdout).toContain('e2e@aries.test / e2e-pw');
    expect(result.stdout).toMatch(/Demo Client ID\s+[0-9a-f]{32}/);
    expect(result.stdout).toMatch(/Client Secret\s+\S{20,}/);
    expect(result.stdout).toMatch(/Sign-in URL\s+http:\/\/127\.0\.0\.1:\d+\/oauth2\/authorize\?response_type=code&client_id=/);
    expect(result.code).toBe(0);
  });

  it('reports a port in use in one line, without a stack trace', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = boundPort(blocker);
    try {
      const result = await run({ SANDBOX_PORT: String(port) });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`sandbox: port ${port} on 127.0.0.1 is already in use; stop the other process or set SANDBOX_PORT`);
    } finally {
      blocker.close();
    }
  });
});
