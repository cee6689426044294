/**
 * The default store: one process, entries in a Map.
 *
 * Expiry is lazy (an expired entry is dropped when read) plus a periodic
 * sweep so unread entries do not pile up; the sweep timer is `unref`'d and
 * never keeps the process alive. Every operation is synchronous inside, so
 * `take`, `setIfAbsent`, `increment`, `addWithin` and `deleteIfEquals` are atomic in one
 * event loop.
 *
 * With `maxEntries` it is bounded: writing a new key beyond the bound evicts
 * the least recently written keys first (every write moves its key to the
 * end of the Map's order), so a flood of distinct keys (rate-limit counters
 * of many addresses) pushes out the flood's own one-off entries, not the
 * counter of a client that keeps sending, and never clears everything.
 *
 * Not for several replicas: use `RedisStore` there.
 */
import { assertAmount, assertTtl, type Store } from './store.js';

export interface MemoryStoreOptions {
  /** Clock in milliseconds; tests move it forward. Default `Date.now`. */
  readonly now?: () => number;
  /** How often expired entries are swept; 0 turns the sweep off. Default 60 000. */
  readonly sweepIntervalMs?: number;
  /** Most keys kept; past it the least recently written keys are evicted. Default: unbounded. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

export class MemoryStore implements Store {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout | undefined;
  private readonly maxEntries: number;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.sweeper = setInterval(() => this.sweep(), interval);
      this.sweeper.unref();
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    assertTtl(ttlSeconds);
    this.write(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async take(key: string): Promise<string | undefined> {
    const entry = this.live(key);
    this.entries.delete(key);
    return entry?.value;
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    assertTtl(ttlSeconds);
    if (this.live(key) !== undefined) return false;
    this.write(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return true;
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    assertTtl(ttlSeconds);
    const entry = this.live(key);
    const count = (entry === undefined ? 0 : Number(entry.value)) + 1;
    if (!Number.isSafeInteger(count)) throw new RangeError(`${key} does not hold a counter`);
    this.write(key, { value: String(count), expiresAt: entry?.expiresAt ?? this.now() + ttlSeconds * 1000 });
    return count;
  }

  async addWithin(key: string, amount: number, ceiling: number, ttlSeconds: number): Promise<{ added: boolean; total: number }> {
    assertTtl(ttlSeconds);
    assertAmount(amount, ceiling);
    const entry = this.live(key);
    const current = entry === undefined ? 0 : Number(entry.value);
    if (!Number.isSafeInteger(current)) throw new RangeError(`${key} does not hold a total`);
    if (amount > 0 && current + amount > ceiling) return { added: false, total: current };
    const total = current + amount;
    this.write(key, { value: String(total), expiresAt: entry?.expiresAt ?? this.now() + ttlSeconds * 1000 });
    return { added: true, total };
  }

  async deleteIfEquals(key: string, expected: string): Promise<boolean> {
    if (this.live(key)?.value !== expected) return false;
    this.entries.delete(key);
    return true;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.entries.clear();
  }

  /** Number of live entries (tests). */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  /** Writes `key` as the most recent entry; a new key past `maxEntries` evicts the least recently written first. */
  private write(key: string, entry: Entry): void {
    if (!this.entries.delete(key)) {
      for (const oldest of this.entries.keys()) {
        if (this.entries.size < this.maxEntries) break;
        this.entries.delete(oldest);
      }
    }
    this.entries.set(key, entry);
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
