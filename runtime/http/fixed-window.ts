/**
 * Fixed one-minute windows counting events per key in the `Store`: the
 * mechanism behind the OAuth endpoints' per-address limits and `/mcp`'s
 * per-grant tool-call limit. With Redis every replica counts into the same
 * window, so a limit holds for the fleet, not per replica.
 *
 * `take(id)` counts one event with one atomic `Store.increment` on
 * `limit:<name>:<window index>:<id>` (TTL: the rest of the window) and says
 * whether it is within the limit, or how many seconds until the window ends.
 * Windows are aligned to the clock (index = now / 60 s), so replicas agree on
 * them without talking to each other.
 *
 * What it does not do: decide what happens when the store cannot count (it
 * throws `StoreUnavailableError`; callers fail open or closed), or bound
 * memory (give it a bounded `MemoryStore` in one process, see
 * `store/counter-store.ts`).
 */
import type { Store } from '../store/store.js';

const WINDOW_MS = 60_000;

export type WindowVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface FixedWindowLimitOptions {
  readonly store: Store;
  /** Part of the key: which limit this is (`calls`, `oauth:token`). */
  readonly name: string;
  readonly limitPerMinute: number;
  readonly now?: () => number;
}

export class FixedWindowLimit {
  readonly limitPerMinute: number;
  private readonly now: () => number;

  constructor(private readonly options: FixedWindowLimitOptions) {
    this.limitPerMinute = options.limitPerMinute;
    this.now = options.now ?? Date.now;
  }

  async take(id: string): Promise<WindowVerdict> {
    const time = this.now();
    const index = Math.floor(time / WINDOW_MS);
    const msLeft = (index + 1) * WINDOW_MS - time;
    const count = await this.options.store.increment(`limit:${this.options.name}:${index}:${id}`, (msLeft + 1000) / 1000);
    if (count <= this.options.limitPerMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
  }
}
