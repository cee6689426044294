/**
 * What replicas pay for sharing the safety state: the store work one tool
 * call does, timed against the memory store and against a real
 * `redis-server` on loopback, in the same run.
 *
 * Per call, as `call-tool.ts` does it (through `InstrumentedStore`, as
 * `app.ts` wires it):
 * - read-only tool: count the per-grant limit (`increment`), take a
 *   concurrency slot (`setIfAbsent`), give it back (`deleteIfEquals`);
 * - order: the same plus the duplicate window (`setIfAbsent` claim, then
 *   `set` for the window).
 * 1. Warm-up of every variant. 2. Interleaved blocks (memory read, Redis
 * read, memory order, Redis order) so other work on the machine hits all
 * alike. 3. p50/p99 per call in microseconds, and Redis / memory ratios.
 * Skipped, with the reason, when `redis-server` is not on PATH.
 */
import { randomUUID } from 'node:crypto';
import { FixedWindowLimit } from '../runtime/http/fixed-window.js';
import { duplicateKey, DuplicateGuard } from '../runtime/mcp/duplicate-guard.js';
import { GrantConcurrency } from '../runtime/mcp/grant-concurrency.js';
import { PromMetrics } from '../runtime/metrics/prom-metrics.js';
import { InstrumentedStore } from '../runtime/metrics/instrumented-store.js';
import { counterStoreFor } from '../runtime/store/counter-store.js';
import { MemoryStore } from '../runtime/store/memory-store.js';
import { RedisStore } from '../runtime/store/redis-store.js';
import type { Store } from '../runtime/store/store.js';
import { redisAvailable, startRedis } from '../testkit/redis-server.js';
import { ratio, summarizeLatencies, type LatencySummary } from './stats.js';

export interface SafetyStateOptions {
  readonly blocks: number;
  readonly block: number;
  readonly warmup: number;
}

export interface SafetyStateRow {
  readonly id: string;
  readonly label: string;
  /** Microseconds per call. */
  readonly latency: LatencySummary;
  /** p50 / the memory store's p50 for the same kind of call (NaN for memory rows). */
  readonly ratioP50: number;
  readonly ratioP99: number;
}

export type SafetyStateResult = { readonly skipped: string } | { readonly rows: readonly SafetyStateRow[] };

interface Mechanisms {
  readonly read: () => Promise<void>;
  readonly order: () => Promise<void>;
  close(): Promise<void>;
}

function mechanisms(raw: Store, grantId: string): Mechanisms {
  const metrics = new PromMetrics({ processMetrics: false, toolNames: new Set(['get_quote', 'place_order']) });
  const store = new InstrumentedStore(raw, metrics);
  const counters = counterStoreFor(raw);
  const counterStore = counters.store === raw ? store : new InstrumentedStore(counters.store, metrics);
  const limit = new FixedWindowLimit({ store: counterStore, name: 'calls', limitPerMinute: 1_000_000_000 });
  const concurrency = new GrantConcurrency({ store, limit: 4, waitMs: 2_000, slotTtlSeconds: 60 });
  const guard = new DuplicateGuard({ store, windowSeconds: 60, inFlightSeconds: 60 });
  let orders = 0;
  const read = async (): Promise<void> => {
    await limit.take(grantId);
    const release = await concurrency.acquire(grantId);
    if (release === undefined) throw new Error('no free slot in a sequential run');
    await release();
  };
  return {
    read,
    order: async () => {
      await limit.take(grantId);
      const claim = await guard.claim(duplicateKey(grantId, 'place_order', { symbol: 'MSFT', qty: String((orders += 1)) }));
      const release = await concurrency.acquire(grantId);
      if (release === undefined) throw new Error('no free slot in a sequential run');
      await release();
      await guard.settle(claim, true);
    },
    close: () => counters.close(),
  };
}

async function timeCalls(call: () => Promise<void>, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    into.push((performance.now() - started) * 1000);
  }
}

export async function measureSafetyState(options: SafetyStateOptions): Promise<SafetyStateResult> {
  if (!redisAvailable()) return { skipped: 'redis-server is not on PATH (apt-get install -y redis-server)' };
  const redis = await startRedis();
  const memoryStore = new MemoryStore();
  const redisStore = await RedisStore.connect(redis.url, { keyPrefix: `bench:${randomUUID()}:` });
  const memory = mechanisms(memoryStore, 'agw_gr_bench_memory');
  const shared = mechanisms(redisStore, 'agw_gr_bench_redis');
  const variants = [
    { id: 'memory-read', label: 'read-only tool, memory store', call: memory.read },
    { id: 'redis-read', label: 'read-only tool, Redis store', call: shared.read },
    { id: 'memory-order', label: 'order tool, memory store', call: memory.order },
    { id: 'redis-order', label: 'order tool, Redis store', call: shared.order },
  ];
  try {
    for (const variant of variants) await timeCalls(variant.call, options.warmup, []);
    const samples = new Map<string, number[]>(variants.map((variant) => [variant.id, []]));
    for (let round = 0; round < options.blocks; round++)
      for (const variant of variants) await timeCalls(variant.call, options.block, samples.get(variant.id) ?? []);
    const summary = (id: string) => summarizeLatencies(samples.get(id) ?? []);
    return {
      rows: variants.map((variant) => {
        const latency = summary(variant.id);
        const baseline = variant.id.startsWith('redis') ? summary(variant.id.replace('redis', 'memory')) : undefined;
        return {
          id: variant.id,
          label: variant.label,
          latency,
          ratioP50: baseline === undefined ? Number.NaN : ratio(latency.p50, baseline.p50),
          ratioP99: baseline === undefined ? Number.NaN : ratio(latency.p99, baseline.p99),
        };
      }),
    };
  } finally {
    await memory.close();
    await shared.close();
    await memoryStore.close();
    await redisStore.close();
    await redis.stop();
  }
}
