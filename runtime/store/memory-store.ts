/**
 * The default store: one process, entries in a Map.
 *
 * Expiry is lazy (an expired entry is dropped when read) plus a periodic
 * sweep so unread entries do not pile up; the sweep timer is `unref`'d and
 * never keeps the process alive. Every operation is synchronous inside, so
 * `take` and `setIfAbsent` are atomic in one event loop.
 *
 * Not for several replicas: use `RedisStore` there.
 */
import { assertTtl, type Store } from './store.js';

export interface MemoryStoreOptions {
  /** Clock in milliseconds; tests move it forward. Default `Date.now`. */
  readonly now?: () => number;
  /** How often expired entries are swept; 0 turns the sweep off. Default 60 000. */
  readonly sweepIntervalMs?: number;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

export class MemoryStore implements Store {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? Date.now;
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
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
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
    this.entries.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    return true;
  }

  async close(): Promise<void> {
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.entries.clear();
  }

  /** Number of live entries (tests). */
  get size(): number {
    this.sweep();
    return this.entries.size;
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
