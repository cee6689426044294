/**
 * Caps the upstream calls one grant has in flight at once, across replicas
 * (issue 12 finding 3: one request could fan out to hundreds of concurrent
 * Aries calls).
 *
 * A grant has `limit` slots, `slot:<grant id>:<n>` in the `Store`. A call
 * takes a free slot with an atomic set-if-absent (value: its owner id; TTL:
 * `slotTtlSeconds`, longer than a call can take, so a replica that dies
 * mid-call frees its slots) and gives it back with compare-and-delete. When
 * every slot is busy, the call waits briefly (polling, up to `waitMs`) and
 * is then refused.
 * What it does not do: count calls over time (`http/fixed-window.ts`) or
 * decide what a store outage means for a tool (the caller does).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../store/store.js';

export interface GrantConcurrencyOptions {
  readonly store: Store;
  readonly limit: number;
  readonly waitMs: number;
  readonly slotTtlSeconds: number;
}

/** Gives the slot back; never throws (a slot that cannot be released expires with its TTL). */
export type ReleaseSlot = () => Promise<void>;

const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 100;

export class GrantConcurrency {
  constructor(private readonly options: GrantConcurrencyOptions) {}

  get limit(): number {
    return this.options.limit;
  }

  /** A slot's release function, or `undefined` when every slot stayed busy for `waitMs`. Throws `StoreUnavailableError`. */
  async acquire(grantId: string, signal?: AbortSignal): Promise<ReleaseSlot | undefined> {
    const owner = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    let pause = FIRST_POLL_MS;
    for (;;) {
      // Start at a random slot so concurrent callers do not all try slot 0 first.
      const first = Math.floor(Math.random() * this.options.limit);
      for (let i = 0; i < this.options.limit; i++) {
        const key = `slot:${grantId}:${(first + i) % this.options.limit}`;
        if (await this.options.store.setIfAbsent(key, owner, this.options.slotTtlSeconds)) {
          return async () => {
            await this.options.store.deleteIfEquals(key, owner).catch(() => false);
          };
        }
      }
      if (Date.now() + pause > deadline || signal?.aborted === true) return undefined;
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, MAX_POLL_MS);
    }
  }
}
