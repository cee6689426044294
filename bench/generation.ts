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
 * - peer (with `--peer`): `openapi-mcp-generator` 4.x on the same GitHub
 *   document, run alternately with ours so both see the same machine load;
 *   installed on first use with `npm install --no-save --no-package-lock
 *   --prefix bench/.tmp/peer-generator` (never into node_modules), and
 *   reported as "not measured" without `--peer`.
 * Time per operation (median / tools) is reported for each spec.
 * One warm-up run of the baseline and of Aries fills tsx's compile cache and
 * the page cache (the GitHub document is read once too). Wall time is taken
 * around the child; peak memory is its max RSS from `/usr/bin/time -f %M`
 * (or, without it, the last VmHWM read while it ran).
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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
  /** Also run the peer generator on the GitHub document (installs it on first use). */
  readonly peer?: boolean;
}

/** The peer generator the issue compares against, pinned to its major. */
export const PEER_GENERATOR = 'openapi-mcp-generator@^4';
const PEER_PREFIX = join(TMP_DIR, 'peer-generator');
const PEER_BIN = join(PEER_PREFIX, 'node_modules', 'openapi-mcp-generator', 'bin', 'openapi-mcp-generator.js');

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
  /** `openapi-mcp-generator` on the same document, run alternately with `github`; absent without `--peer`. */
  readonly peer?: RunFigures & { readonly version: string };
  /** Aries tools generated (time per operation is median / tools). */
  readonly ariesTools: number;
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
  // Beside GITHUB_OUT, at its depth: the emitted modules import the runtime by a relative path computed from --out,
  // so the last run still resolves once renamed to GITHUB_OUT (the cold start bundles it).
  const out = join(TMP_DIR, `gen-${name}`);
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

  const peerVersion = options.peer ? await installPeer() : undefined;
  const github: Measured[] = [];
  const peer: Measured[] = [];
  let lastOut = '';
  for (let i = 0; i < options.githubRuns; i++) {
    if (lastOut !== '') rmSync(lastOut, { recursive: true, force: true });
    const run = await generateInto(`github-${i}`, GITHUB_SPEC, true);
    github.push(run.measured);
    lastOut = run.out;
    if (peerVersion !== undefined) peer.push(await peerInto(`peer-${i}`));
  }
  rmSync(GITHUB_OUT, { recursive: true, force: true });
  renameSync(lastOut, GITHUB_OUT);
  rmSync(join(TMP_DIR, 'gen'), { recursive: true, force: true });
  for (const entry of readdirSync(TMP_DIR)) if (entry.startsWith('gen-')) rmSync(join(TMP_DIR, entry), { recursive: true, force: true });
  rmSync(join(TMP_DIR, `time-${process.pid}.txt`), { force: true });
  const tools = toolCount(join(GITHUB_OUT, 'tool-surface.json'));

  return {
    baseline: figures(baseline, baselineMs),
    aries: figures(aries, baselineMs),
    ariesCheck: figures(ariesCheck, baselineMs),
    github: { ...figures(github, baselineMs), tools },
    ...(peerVersion !== undefined ? { peer: { ...figures(peer, baselineMs), version: peerVersion } } : {}),
    ariesTools: toolCount(join(ROOT, 'generated', 'tool-surface.json')),
  };
}

function toolCount(surfaceFile: string): number {
  const surface: unknown = JSON.parse(readFileSync(surfaceFile, 'utf8'));
  const count = typeof surface === 'object' && surface !== null && 'toolCount' in surface ? surface.toolCount : undefined;
  return typeof count === 'number' ? count : Number.NaN;
}

/** Installs the peer generator into its own prefix once; returns its version. */
async function installPeer(): Promise<string> {
  if (!existsSync(PEER_BIN)) {
    mkdirSync(PEER_PREFIX, { recursive: true });
    await promisify(execFile)('npm', ['install', '--no-save', '--no-package-lock', '--prefix', PEER_PREFIX, PEER_GENERATOR], { cwd: ROOT, timeout: 300_000 });
  }
  const manifest: unknown = JSON.parse(readFileSync(join(PEER_PREFIX, 'node_modules', 'openapi-mcp-generator', 'package.json'), 'utf8'));
  const version = typeof manifest === 'object' && manifest !== null && 'version' in manifest ? manifest.version : undefined;
  return typeof version === 'string' ? version : 'unknown';
}

/** The peer generator on the GitHub document into a fresh directory (it writes a whole server project). */
async function peerInto(name: string): Promise<Measured> {
  const out = join(TMP_DIR, 'gen', name);
  rmSync(out, { recursive: true, force: true });
  const measured = await timed([PEER_BIN, '--input', GITHUB_SPEC, '--output', out, '--force']);
  rmSync(out, { recursive: true, force: true });
  return measured;
}
