/**
 * `npm run bench -- --profile`: CPU profiles of the gateway, written next to
 * the results and summarised in the report.
 * - steady state: the measured gateway process under `concurrency` Claude-
 *   style `get_quote` calls for `seconds` after 2 s of warm-up, profiled
 *   through the inspector (start-up excluded); each layer's share of the
 *   non-idle samples, times the CPU per call the process really used in
 *   that window (`/proc`): samples also land while the process waits for a
 *   core on a busy machine, so raw sample time would overstate the cost;
 * - start-up: one bundled Aries gateway start under `--cpu-prof`, exited
 *   right after its first `tools/list`; self time per package and the
 *   inclusive time of the tool registry (Ajv compilation) and of the
 *   heaviest imports.
 * Profiling slows the process down; these runs are not used for any figure.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, TMP_DIR } from './bundle.js';
import { readProcCpuMs, spawnNode, startProfile, stopProfile } from './child-process.js';
import { LoadClient, runForDuration } from './load-client.js';
import { claudeToolCall, toolsList } from './mcp-requests.js';
import { layerBreakdown, parseCpuProfile, summarizeProfile } from './profile-summary.js';
import type { Stack } from './stack.js';

export interface ProfileResult {
  readonly steadyFile: string;
  readonly calls: number;
  /** CPU the gateway used per call while profiled (`/proc`, includes profiler overhead). */
  readonly cpuMsPerCall: number;
  /** [layer, ms of CPU per call]. */
  readonly perCallMs: readonly (readonly [string, number])[];
  readonly startFile: string;
  readonly startTotalMs: number;
  readonly startByPackage: readonly (readonly [string, number])[];
  readonly startInclusive: readonly (readonly [string, number])[];
}

export async function profileGateway(stack: Stack, outDir: string, stamp: string, options: { concurrency: number; seconds: number }): Promise<ProfileResult> {
  mkdirSync(outDir, { recursive: true });
  const steadyFile = join(outDir, `${stamp}-gateway-steady.cpuprofile`);
  const client = new LoadClient(options.concurrency);
  const request = claudeToolCall(stack.mcpUrl, stack.mcpToken);
  await runForDuration(client, request, options.concurrency, 2000);
  await startProfile(stack.gateway);
  const cpuBefore = readProcCpuMs(stack.gateway.pid);
  const load = await runForDuration(client, request, options.concurrency, options.seconds * 1000);
  const cpuMsPerCall = (readProcCpuMs(stack.gateway.pid) - cpuBefore) / load.calls;
  await stopProfile(stack.gateway, steadyFile);
  client.close();
  const steady = parseCpuProfile(readFileSync(steadyFile, 'utf8'), steadyFile);
  const layers = layerBreakdown(steady).filter(([layer]) => layer !== 'idle');
  const sampled = layers.reduce((sum, [, ms]) => sum + ms, 0);
  const perCallMs = layers.map(([layer, ms]) => [layer, (ms / sampled) * cpuMsPerCall] as const);

  const profDir = join(TMP_DIR, 'start-profile');
  rmSync(profDir, { recursive: true, force: true });
  const gateway = await bundle('bench/entries/gateway-process.ts', 'gateway-process');
  const tools = await bundle('generated/index.ts', 'aries-tools');
  const child = await spawnNode(['--cpu-prof', `--cpu-prof-dir=${profDir}`, gateway], {
    env: { BENCH_ARIES_URL: 'http://127.0.0.1:9', BENCH_TOOLS: tools, BENCH_GRANT: 'static' },
  });
  const lister = new LoadClient(1);
  await lister.send(toolsList(`${String(child.ready['url'])}/mcp`, 'bench'));
  lister.close();
  await child.stop();
  const written = readdirSync(profDir).find((file) => file.endsWith('.cpuprofile'));
  if (written === undefined) throw new Error('the start-up profile was not written');
  const startFile = join(outDir, `${stamp}-gateway-start.cpuprofile`);
  renameSync(join(profDir, written), startFile);
  rmSync(profDir, { recursive: true, force: true });
  const start = summarizeProfile(parseCpuProfile(readFileSync(startFile, 'utf8'), startFile));
  // The tool registry (Ajv compilation) and the top-level evaluation (`:1`) of the heaviest imports.
  const interesting = /^(createToolRegistry |\(anonymous\) ~\/(simple-oauth2|joi|express|pino|ajv|ajv-formats|zod|@modelcontextprotocol\/[a-z]+)\/\S*:1$)/;
  return {
    steadyFile,
    calls: load.calls,
    cpuMsPerCall,
    perCallMs,
    startFile,
    startTotalMs: start.totalMs,
    startByPackage: start.byPackage.slice(0, 10),
    startInclusive: start.inclusive.filter(([name]) => interesting.test(name)).slice(0, 8),
  };
}
