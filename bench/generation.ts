/**
 * Generation speed and memory, whole process: `node build/generate.mjs`
 * (what `npm run generate` runs: the precompiled generator, without npm's
 * own start) into a fresh, empty `--out` under `bench/.tmp/gen/`, and
 * `--check` against the committed `generated/`.
 *
 * - baseline: node doing nothing (`node -e 0`);
 * - Aries: `spec/aries.openapi.yaml` with `spec/tools.yaml`;
 * - GitHub: `@octokit/openapi`'s `api.github.com.json` with `--all` (every
 *   operation becomes a tool). Its last output is kept as
 *   `bench/.tmp/github/` for the GitHub cold start.
 * One warm-up run of the baseline and of Aries fills tsx's compile cache and
 * the page cache (the GitHub document is read once too). Wall time is taken
 * around the child; peak memory is its max RSS from `/usr/bin/time -f %M`
 * (or, without it, the last VmHWM read while it ran).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject } from '../runtime/json-object.js';
import { TMP_DIR } from './bundle.js';
import { NODE, readProcMemory, ROOT } from './child-process.js';
import { median, ratio } from './stats.js';

export const GITHUB_SPEC = 'node_modules/@octokit/openapi/generated/api.github.com.json';
export const GITHUB_OUT = join(TMP_DIR, 'github');
const TIME = '/usr/bin/time';

export interface GenerationOptions {
  readonly baselineRuns: number;
  readonly ariesRuns: number;
  readonly githubRuns: number;
}

export interface RunFigures {
  readonly medianMs: number;
  readonly runsMs: readonly number[];
  readonly peakMiB: number;
  /** median / baseline median. */
  readonly ratio: number;
}

export interface GenerationResult {
  readonly baseline: RunFigures;
  readonly aries: RunFigures;
  /** `npm run generate -- --check` against the committed generated/. */
  readonly ariesCheck: RunFigures;
  readonly github: RunFigures & { readonly tools: number };
}

interface Measured {
  readonly ms: number;
  readonly peakMiB: number;
}

/** Runs `node <args>` to completion; wall time and peak RSS. */
function timed(args: readonly string[]): Promise<Measured> {
  const useTime = existsSync(TIME);
  const memoryFile = join(TMP_DIR, `time-${process.pid}.txt`);
  const [command, commandArgs] = useTime ? [TIME, ['-f', '%M', '-o', memoryFile, NODE, ...args]] : [NODE, [...args]];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let polledPeakMiB = 0;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          if (child.pid !== undefined) polledPeakMiB = Math.max(polledPeakMiB, readProcMemory(child.pid).peakMiB || 0);
        }, 25);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (poll !== undefined) clearInterval(poll);
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${stderr}`));
        return;
      }
      const peakMiB = useTime ? Number(readFileSync(memoryFile, 'utf8').trim().split('\n').pop()) / 1024 : polledPeakMiB;
      resolve({ ms, peakMiB });
    });
  });
}

/** What `npm run generate` runs: the precompiled generator (`build/generate.mjs`). */
const GENERATE = 'build/generate.mjs';

function generateArgs(spec: string, out: string, all: boolean): string[] {
  return [GENERATE, '--spec', spec, '--out', out, '--quiet', ...(all ? ['--all'] : [])];
}

async function generateInto(name: string, spec: string, all: boolean): Promise<{ measured: Measured; out: string }> {
  const out = join(TMP_DIR, 'gen', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  return { measured: await timed(generateArgs(spec, out, all)), out };
}

function figures(runs: readonly Measured[], baselineMs: number): RunFigures {
  const medianMs = median(runs.map((run) => run.ms));
  return { medianMs, runsMs: runs.map((run) => Math.round(run.ms)), peakMiB: Math.max(...runs.map((run) => run.peakMiB)), ratio: ratio(medianMs, baselineMs) };
}

export async function measureGeneration(options: GenerationOptions): Promise<GenerationResult> {
  mkdirSync(TMP_DIR, { recursive: true });
  // Warm-up: tsx's compile cache, the page cache.
  await timed(['-e', '0']);
  await generateInto('aries-warmup', 'spec/aries.openapi.yaml', false);
  readFileSync(join(ROOT, GITHUB_SPEC));

  const baseline: Measured[] = [];
  for (let i = 0; i < options.baselineRuns; i++) baseline.push(await timed(['-e', '0']));
  const baselineMs = median(baseline.map((run) => run.ms));

  const aries: Measured[] = [];
  for (let i = 0; i < options.ariesRuns; i++) aries.push((await generateInto(`aries-${i}`, 'spec/aries.openapi.yaml', false)).measured);

  const ariesCheck: Measured[] = [];
  for (let i = 0; i < options.ariesRuns; i++) ariesCheck.push(await timed([GENERATE, '--check', '--quiet']));

  const github: Measured[] = [];
  let lastOut = '';
  for (let i = 0; i < options.githubRuns; i++) {
    if (lastOut !== '') rmSync(lastOut, { recursive: true, force: true });
    const run = await generateInto(`github-${i}`, GITHUB_SPEC, true);
    github.push(run.measured);
    lastOut = run.out;
  }
  rmSync(GITHUB_OUT, { recursive: true, force: true });
  renameSync(lastOut, GITHUB_OUT);
  rmSync(join(TMP_DIR, 'gen'), { recursive: true, force: true });
  rmSync(join(TMP_DIR, `time-${process.pid}.txt`), { force: true });
  const surface: unknown = JSON.parse(readFileSync(join(GITHUB_OUT, 'tool-surface.json'), 'utf8'));
  const toolCount = isJsonObject(surface) ? surface['toolCount'] : undefined;
  const tools = typeof toolCount === 'number' ? toolCount : Number.NaN;

  return {
    baseline: figures(baseline, baselineMs),
    aries: figures(aries, baselineMs),
    ariesCheck: figures(ariesCheck, baselineMs),
    github: { ...figures(github, baselineMs), tools },
  };
}
