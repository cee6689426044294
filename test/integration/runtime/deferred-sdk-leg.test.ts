/**
 * Start-up leaves the SDK leg of `/mcp` for later (issue 15 item 4, cold
 * start): the SDK's Node adapter (`@modelcontextprotocol/node`, Hono's Node
 * server) is not evaluated by importing the runtime or by `createApp`, only
 * by the app's warm-up right after start (or the first request that needs
 * it), and everything still answers. Checked in a fresh process
 * (`fixtures/sdk-leg-probe.ts`), where nothing else could have loaded it.
 * No timings here: `npm run bench -- --only=cold-start` measures what this saves.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PROBE = 'test/runtime/fixtures/sdk-leg-probe.ts';

const probeStep = z.looseObject({ step: z.string(), adapter: z.boolean() });
type ProbeStep = z.infer<typeof probeStep>;

function runProbe(): Promise<ProbeStep[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROBE], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`the probe exited with ${code}:\n${stderr}`));
      else
        resolve(
          stdout
            .trim()
            .split('\n')
            .map((line) => probeStep.parse(JSON.parse(line))),
        );
    });
  });
}

describe('deferred SDK leg (fresh process)', () => {
  it('builds the app without the SDK Node adapter, loads it in the warm-up, and answers tools/list and initialize', { timeout: 60_000 }, async () => {
    const steps = await runProbe();
    expect(steps.map((step) => step.step)).toEqual(['imported', 'built', 'listed', 'warmed', 'initialized']);
    const [imported, built, listed, warmed, initialized] = steps;
    expect(imported).toMatchObject({ adapter: false });
    expect(built).toMatchObject({ adapter: false });
    // Whether the background warm-up had finished by then depends on timing; the answer does not.
    expect(listed).toMatchObject({ status: 200, quoteTool: true });
    expect(warmed).toMatchObject({ adapter: true });
    expect(initialized).toMatchObject({ adapter: true, status: 200, server: true });
  });
});
