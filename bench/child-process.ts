/**
 * Child processes for the out-of-process measurements: spawn a Node entry,
 * wait for its one-line JSON "ready" message on stderr, read its memory from
 * `/proc/<pid>/status`, ask it (over IPC) for a post-GC heap figure, and stop
 * it. Every child the benchmark starts is tracked here so `stopAll` can end
 * exactly those processes (by pid) if a measurement fails half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
export { freePort } from '../build/free-port.js';
import { isJsonObject } from '../runtime/json-object.js';

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

/**
 * The Node binary every child runs on: BENCH_NODE, else the one running the
 * benchmark (the machine's Node under `npm run bench`).
 */
export const NODE = process.env.BENCH_NODE ?? process.execPath;

/** `node --import tsx` resolved from the project root (works for a child started in any folder). */
export const TSX_IMPORT = ['--import', 'tsx'];

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Milliseconds from `spawn` until the ready line arrived. */
  readonly readyMs: number;
  /** The ready line, parsed. */
  readonly ready: Record<string, unknown>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

export interface SpawnOptions {
  readonly env?: Readonly<Record<string, string>>;
  /** Open an IPC channel (for `heapAfterGc`). */
  readonly ipc?: boolean;
  /** Give up after this many ms. Default 30000. */
  readonly timeoutMs?: number;
}

/** Starts `node <args>` in the project root and resolves once it printed a JSON line with `"ready": true` to stderr. */
export function spawnNode(args: readonly string[], options: SpawnOptions = {}): Promise<Child> {
  const started = performance.now();
  const child = spawn(NODE, [...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'ignore', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`${args.join(' ')}: no ready line within ${options.timeoutMs ?? 30_000} ms`)), options.timeoutMs ?? 30_000);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${code} before it was ready:\n${buffered.slice(-2000)}`)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (settled) return;
      buffered += chunk;
      for (const line of buffered.split('\n')) {
        if (!line.startsWith('{')) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        if (!isJsonObject(parsed) || parsed['ready'] !== true) continue;
        settled = true;
        clearTimeout(timer);
        const readyMs = performance.now() - started;
        resolve({ process: child, pid: child.pid ?? -1, readyMs, ready: parsed, stop: () => stopChild(child) });
        return;
      }
    });
  });
}

/** SIGTERM, then SIGKILL after 3 s; resolves when the process is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops every child this module started that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stopChild));
}

/** CPU time (user + system) a process has used so far, in ms (10 ms resolution). */
export function readProcCpuMs(pid: number): number {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // proc(5): utime and stime are fields 14 and 15, in clock ticks (USER_HZ = 100).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface ProcMemory {
  /** Resident set size now, in MiB. */
  readonly rssMiB: number;
  /** Peak resident set size so far (VmHWM), in MiB. */
  readonly peakMiB: number;
}

export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

export interface HeapReport {
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  readonly externalMiB: number;
  readonly arrayBuffersMiB: number;
  readonly rssMiB: number;
  /** False when the child lacks `--expose-gc` (the heap figure then includes garbage). */
  readonly collected: boolean;
}

/** The child's heap answer: every figure a number (the child reports them all or sends something else). */
function isHeapReport(answer: Record<string, unknown>): answer is Record<string, unknown> & HeapReport {
  const figures = ['heapUsedMiB', 'heapTotalMiB', 'externalMiB', 'arrayBuffersMiB', 'rssMiB'];
  return figures.every((name) => typeof answer[name] === 'number') && typeof answer['collected'] === 'boolean';
}

/** Sends `message` over the child's IPC channel and resolves with the first answer `accept` takes. */
function ask<T>(
  child: Child,
  message: string | { profileStopTo: string },
  accept: (answer: Record<string, unknown>) => answer is Record<string, unknown> & T,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.process.off('message', onMessage);
      reject(new Error(`no answer to ${JSON.stringify(message)} within 30 s`));
    }, 30_000);
    const onMessage = (answer: unknown): void => {
      if (!isJsonObject(answer) || !accept(answer)) return;
      clearTimeout(timer);
      child.process.off('message', onMessage);
      resolve(answer);
    };
    child.process.on('message', onMessage);
    child.process.send?.(message);
  });
}

/** Asks a child started with `ipc` (and `--expose-gc`) to collect garbage and report its heap. */
export function heapAfterGc(child: Child): Promise<HeapReport> {
  return ask(child, 'heap', isHeapReport);
}

/** The child's `process.memoryUsage()` as it is (no GC). */
export function memoryUsage(child: Child): Promise<HeapReport> {
  return ask(child, 'memory', isHeapReport);
}

/** Starts a CPU profile in a gateway child (`entries/gateway-process.ts`). */
export async function startProfile(child: Child): Promise<void> {
  await ask(child, 'profile-start', (answer): answer is Record<string, unknown> => 'profiling' in answer);
}

/** Stops the child's CPU profile and writes it to `file`. */
export async function stopProfile(child: Child, file: string): Promise<void> {
  await ask(child, { profileStopTo: file }, (answer): answer is Record<string, unknown> => 'profile' in answer);
}
