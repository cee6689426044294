/**
 * Fixed one-minute windows counting events per key, in one process: the
 * counter behind the OAuth endpoints' per-address limits and `/mcp`'s
 * per-grant tool-call limit.
 *
 * `take(key)` counts one event and says whether it is within the limit, or
 * how many seconds until the key's window ends. Old windows are swept by an
 * unref'd timer; past `MAX_TRACKED` keys everything is forgotten at once (a
 * flood of distinct keys must not grow memory without bound).
 */
const WINDOW_MS = 60_000;
const MAX_TRACKED = 100_000;

export type WindowVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export class FixedWindowCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.sweep(), WINDOW_MS);
    this.sweeper.unref();
  }

  take(key: string): WindowVerdict {
    const time = this.now();
    let window = this.windows.get(key);
    if (window === undefined || time - window.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.windows.clear();
      window = { start: time, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limitPerMinute) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + WINDOW_MS - time) / 1000)) };
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const cutoff = this.now() - WINDOW_MS;
    for (const [key, window] of this.windows) if (window.start <= cutoff) this.windows.delete(key);
  }
}
