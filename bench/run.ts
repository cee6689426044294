/**
 * `npm run bench [-- --quick] [--only=a,b] [--soak-calls=N] [--profile] [--keep-tmp] [--peer]`
 *
 * Runs the measurements in this order, prints the report and writes
 * `bench/results/<timestamp>.json` and `bench/results/latest.json`:
 * 1. generation (`generation.ts`), which also leaves the GitHub tool set
 *    in `bench/.tmp/github/` for step 2;
 *    then generation scaling (`generation-scaling.ts`), in process;
 * 2. cold start (`cold-start.ts`), no other benchmark process running;
 * 3. the deployment (`stack.ts`): tool surface, the upstream transport under
 *    openapi-fetch (`upstream-transport.ts`), overhead (with the SDK-only
 *    reference and, with `--peer`, the peer proxy), throughput, soak against
 *    one gateway process, then its memory figures;
 * 4. with `--profile`, CPU profiles of that gateway (`profile-gateway.ts`);
 * 5. the per-call cost of the shared safety state, Redis store versus
 *    memory store (`safety-state.ts`), with a redis-server of its own.
 * Sections: generation, generation-scaling, cold-start, surface, upstream,
 * overhead, throughput, soak, safety-state.
 * Every child process and server is stopped at the end, also on failure or
 * Ctrl-C; `bench/.tmp/` is removed unless `--keep-tmp`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TMP_DIR } from './bundle.js';
import { NODE, ROOT, stopAll } from './child-process.js';
import { measureColdStart } from './cold-start.js';
import { GITHUB_OUT, measureGeneration } from './generation.js';
import { measureGenerationScaling } from './generation-scaling.js';
import { cpuShareSince, sampleCpu, type CpuShare } from './machine-load.js';
import { measureOverhead } from './overhead.js';
import { profileGateway } from './profile-gateway.js';
import { evaluateTargets, formatReport, type BenchResults, type MachineInfo } from './report.js';
import { measureSafetyState } from './safety-state.js';
import { measureSoak } from './soak.js';
import { startStack, type Stack } from './stack.js';
import { measureThroughput } from './throughput.js';
import { measureUpstreamTransport } from './upstream-transport.js';
import { measureSurface } from './tool-surface.js';

const SECTIONS = ['generation', 'generation-scaling', 'cold-start', 'surface', 'upstream', 'overhead', 'throughput', 'soak', 'safety-state'] as const;
type Section = (typeof SECTIONS)[number];

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'soak-calls': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'keep-tmp': { type: 'boolean', default: false },
    peer: { type: 'boolean', default: false },
  },
});

const only = new Set((args.only ?? SECTIONS.join(',')).split(',').map((name) => name.trim()));
const isSection = (name: string): name is Section => SECTIONS.some((section) => section === name);
for (const name of only) if (!isSection(name)) throw new Error(`--only: unknown section "${name}"; sections are ${SECTIONS.join(', ')}`);
const runs = (section: Section) => only.has(section);
const quick = args.quick;
const soakCalls = args['soak-calls'] !== undefined ? Number(args['soak-calls']) : quick ? 5_000 : 50_000;

const RESULTS_DIR = join(ROOT, 'bench', 'results');
const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
const cpuBySection: Record<string, CpuShare> = {};

function progress(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
}

async function section<T>(name: string, work: () => Promise<T>): Promise<T> {
  progress(`${name}...`);
  const before = sampleCpu();
  const result = await work();
  cpuBySection[name] = cpuShareSince(before);
  return result;
}

const t0 = performance.now();
const loadAverageStart = loadavg();
const results: { -readonly [K in keyof BenchResults]: BenchResults[K] } = {};
let stack: Stack | undefined;

process.once('SIGINT', () => {
  void stopAll().then(() => process.exit(130));
});

try {
  mkdirSync(TMP_DIR, { recursive: true });
  if (runs('generation')) {
    results.generation = await section('generation', () =>
      measureGeneration(
        quick ? { baselineRuns: 2, ariesRuns: 2, githubRuns: 1, peer: args.peer } : { baselineRuns: 5, ariesRuns: 5, githubRuns: 3, peer: args.peer },
      ),
    );
  }
  if (runs('generation-scaling')) {
    results.generationScaling = await section('generation scaling', () => measureGenerationScaling(quick ? [50, 100] : undefined));
  }
  if (runs('cold-start')) {
    const github = existsSync(join(GITHUB_OUT, 'index.ts'));
    if (!github) progress('cold start: no bench/.tmp/github (run the generation section too); skipping the GitHub surface');
    results.coldStart = await section('cold start', () => measureColdStart({ runs: quick ? 2 : 4, githubRuns: 1, mainRuns: quick ? 1 : 2, github }));
    const githubRow = results.coldStart.rows.find((row) => row.id === 'github-built');
    if (githubRow?.toolsListBody !== undefined) results.surface = { github: measureSurface(githubRow.toolsListBody) };
  }
  if (runs('surface') || runs('upstream') || runs('overhead') || runs('throughput') || runs('soak')) {
    stack = await section('start sandbox + gateway', () => startStack());
    const current = stack;
    results.surface = { ...results.surface, aries: measureSurface(current.toolsListBody) };
    results.memory = { idleRssMiB: current.idle.rssMiB };
    if (runs('upstream')) {
      results.upstream = await section('upstream transport', () =>
        measureUpstreamTransport(
          current.sandboxUrl,
          current.ariesToken,
          quick ? { warmup: 300, rounds: 3, calls: 300 } : { warmup: 1000, rounds: 6, calls: 1000 },
        ),
      );
    }
    if (runs('overhead')) {
      results.overhead = await section('overhead', () =>
        measureOverhead(
          current,
          quick
            ? { blocks: 3, block: 100, warmup: 100, sdkCalls: 200, peer: args.peer }
            : { blocks: 8, block: 100, warmup: 200, sdkCalls: 300, peer: args.peer },
        ),
      );
    }
    if (runs('throughput')) {
      results.throughput = await section('throughput', () =>
        measureThroughput(
          current,
          quick ? { concurrencies: [16, 64], rounds: 2, roundMs: 500, warmupMs: 500 } : { concurrencies: [16, 64], rounds: 5, roundMs: 1000, warmupMs: 1000 },
        ),
      );
      results.memory = { ...results.memory, loadedRssMiB: results.throughput.loaded.rssMiB };
    }
    if (runs('soak')) {
      results.soak = await section('soak', () =>
        measureSoak(current, {
          calls: soakCalls,
          warmupCalls: Math.round(soakCalls / 5),
          sampleEvery: Math.max(100, Math.round(soakCalls / 20)),
          concurrency: 16,
        }),
      );
    }
    if (args.profile)
      results.profile = await section('profile', () => profileGateway(current, RESULTS_DIR, stamp, { concurrency: 16, seconds: quick ? 3 : 8 }));
  }
  if (runs('safety-state')) {
    results.safetyState = await section('safety state', () =>
      measureSafetyState(quick ? { blocks: 4, block: 250, warmup: 250 } : { blocks: 10, block: 500, warmup: 1_000 }),
    );
  }
} finally {
  await stack?.close();
  await stopAll();
  if (!args['keep-tmp']) rmSync(TMP_DIR, { recursive: true, force: true });
}

const machine: MachineInfo = {
  startedAt: startedAt.toISOString(),
  seconds: (performance.now() - t0) / 1000,
  childNode: execFileSync(NODE, ['--version']).toString().trim(),
  benchNode: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown CPU',
  loadAverageStart,
  loadAverageEnd: loadavg(),
  cpu: cpuBySection,
};
const targets = evaluateTargets(results);
process.stdout.write(formatReport(results, machine, targets));

// The JSON keeps every figure, without the large tools/list bodies.
const coldStart = results.coldStart && { rows: results.coldStart.rows.map(({ toolsListBody: _body, ...row }) => row) };
const json = JSON.stringify(
  { machine, targets, results: { ...results, coldStart } },
  (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value),
  2,
);
mkdirSync(RESULTS_DIR, { recursive: true });
writeFileSync(join(RESULTS_DIR, `${stamp}.json`), json);
writeFileSync(join(RESULTS_DIR, 'latest.json'), json);
process.stdout.write(`\nresults: bench/results/${stamp}.json (also bench/results/latest.json)\n`);
