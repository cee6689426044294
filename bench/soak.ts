/**
 * Soak: `calls` Claude-style `get_quote` calls through the same gateway
 * process that served the overhead and throughput runs, `concurrency` in
 * flight, in chunks of `sampleEvery`; after each chunk the gateway's RSS is
 * read from `/proc/<pid>/status`.
 *
 * Order: warm-up (`warmupCalls`: JIT, caches, V8 settling on its heap size
 * under this load), the live heap after a forced full GC, a second warm-up
 * of the same length so the heap regrows to its working size (a forced GC
 * shrinks it, and its regrowth would look like growth), then the measured
 * `calls`. Warm-up calls are not counted in `calls`.
 *
 * Figures: RSS at start (the idle figure from `stack.ts`), right before the
 * measured calls, and at the end; growth = end vs that post-warm-up figure.
 * A leak shows as growth that keeps going, so the slope over the second
 * half is reported too. The live heap after a full GC, after the warm-up and
 * at the end, separates a JavaScript leak (live heap grows) from heap sizing
 * and allocator effects (RSS moves, live heap does not). At post-warm-up and
 * at the end the V8 heap size is read without a GC, so RSS splits into V8
 * heap and everything outside it (code, malloc'd native memory, stacks).
 */
import { heapAfterGc, memoryUsage, readProcMemory, type HeapReport } from './child-process.js';
import { LoadClient, runCount } from './load-client.js';
import { claudeToolCall } from './mcp-requests.js';
import type { Stack } from './stack.js';

export interface SoakOptions {
  readonly calls: number;
  readonly warmupCalls: number;
  readonly sampleEvery: number;
  readonly concurrency: number;
}

export interface SoakResult {
  readonly calls: number;
  readonly errors: number;
  readonly seconds: number;
  readonly startRssMiB: number;
  readonly postWarmupRssMiB: number;
  /** Warm-up calls before the measured ones (both warm-ups together). */
  readonly postWarmupCalls: number;
  readonly endRssMiB: number;
  readonly peakRssMiB: number;
  /** (end - post-warm-up) / post-warm-up. */
  readonly growth: number;
  /** RSS change per 10,000 calls over the second half (least squares). */
  readonly secondHalfMiBPer10k: number;
  /** V8 heap size and live heap at post-warm-up and at the end, without a GC (RSS - heap size = memory outside the V8 heap). */
  readonly memoryPostWarmup: HeapReport;
  readonly memoryEnd: HeapReport;
  /** Heap after a full GC after the first warm-up. */
  readonly heapStart: HeapReport;
  readonly heapEnd: HeapReport;
  readonly samples: readonly { readonly calls: number; readonly rssMiB: number }[];
}

function slopePer10k(points: readonly { calls: number; rssMiB: number }[]): number {
  if (points.length < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.calls, 0) / points.length;
  const meanY = points.reduce((sum, point) => sum + point.rssMiB, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const point of points) {
    num += (point.calls - meanX) * (point.rssMiB - meanY);
    den += (point.calls - meanX) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 10_000;
}

export async function measureSoak(stack: Stack, options: SoakOptions): Promise<SoakResult> {
  const client = new LoadClient(options.concurrency);
  const request = claudeToolCall(stack.mcpUrl, stack.mcpToken);
  const samples: { calls: number; rssMiB: number }[] = [];
  let errors = 0;
  const warmup = async (count: number): Promise<void> => {
    if (count > 0) errors += (await runCount(client, request, options.concurrency, count)).errors;
  };
  let heapStart: HeapReport;
  let postWarmupRssMiB: number;
  let memoryPostWarmup: HeapReport;
  let done = 0;
  let started = performance.now();
  try {
    await warmup(options.warmupCalls);
    heapStart = await heapAfterGc(stack.gateway);
    await warmup(options.warmupCalls);
    postWarmupRssMiB = readProcMemory(stack.gateway.pid).rssMiB;
    memoryPostWarmup = await memoryUsage(stack.gateway);
    samples.push({ calls: 0, rssMiB: postWarmupRssMiB });
    started = performance.now();
    while (done < options.calls) {
      const chunk = Math.min(options.sampleEvery, options.calls - done);
      const result = await runCount(client, request, options.concurrency, chunk);
      done += result.calls;
      errors += result.errors;
      samples.push({ calls: done, rssMiB: readProcMemory(stack.gateway.pid).rssMiB });
    }
  } finally {
    client.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const end = readProcMemory(stack.gateway.pid);
  const memoryEnd = await memoryUsage(stack.gateway);
  const heapEnd = await heapAfterGc(stack.gateway);
  const half = samples.filter((sample) => sample.calls >= options.calls / 2);
  return {
    calls: done,
    errors,
    seconds,
    startRssMiB: stack.idle.rssMiB,
    postWarmupRssMiB,
    postWarmupCalls: 2 * options.warmupCalls,
    endRssMiB: end.rssMiB,
    peakRssMiB: end.peakMiB,
    growth: (end.rssMiB - postWarmupRssMiB) / postWarmupRssMiB,
    secondHalfMiBPer10k: slopePer10k(half),
    memoryPostWarmup,
    memoryEnd,
    heapStart,
    heapEnd,
    samples,
  };
}
