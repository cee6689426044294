/**
 * Where the rate-limit counters live.
 *
 * - With a shared store (Redis) they live there, so limits hold for the
 *   whole fleet; Redis expires them (every counter has a TTL of at most a
 *   minute).
 * - With the one-process `MemoryStore` they get their own bounded memory
 *   store: per-address counters are keyed by whoever connects, so a flood of
 *   distinct addresses must evict the oldest counters, never grow memory
 *   without bound, and never push grants or codes out of the main store.
 */
import { MemoryStore } from './memory-store.js';
import type { Store } from './store.js';

/** Most counters one process keeps (about 150 bytes each). */
export const MAX_COUNTERS = 100_000;

export interface CounterStore {
  readonly store: Store;
  /** Closes the store only when it was created here. */
  close(): Promise<void>;
}

export function counterStoreFor(store: Store, now?: () => number): CounterStore {
  if (!(store instanceof MemoryStore)) return { store, close: async () => {} };
  const counters = new MemoryStore({ now, maxEntries: MAX_COUNTERS });
  return { store: counters, close: () => counters.close() };
}
