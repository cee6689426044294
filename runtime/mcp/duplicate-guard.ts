/**
 * Refuses probable duplicate orders.
 *
 * Rules:
 * - the key is grant + tool + the canonical JSON of the validated arguments
 *   (sorted keys, defaults applied, `confirm_duplicate` removed), hashed;
 * - `claim` reserves the key for the duration of the call, so two identical
 *   calls racing each other cannot both go through;
 * - `settle(key, true)` (success or unknown outcome) keeps the key for the
 *   window; `settle(key, false)` (Aries certainly did not act) releases it so
 *   a corrected retry is not blocked;
 * - a window of 0 disables the guard.
 * State is per process (in memory); replicas behind a load balancer each keep
 * their own window.
 */
import { createHash } from 'node:crypto';

export type Claim = 'claimed' | 'duplicate';

export class DuplicateGuard {
  /** key -> expiry time (ms); `Infinity` while the call is in flight. */
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.windowMs > 0;
  }

  /** Reserves `key`; `duplicate` when an identical call is in flight or settled within the window. */
  claim(key: string, override = false): Claim {
    this.prune();
    if (this.entries.has(key) && !override) return 'duplicate';
    this.entries.set(key, Number.POSITIVE_INFINITY);
    return 'claimed';
  }

  settle(key: string, armed: boolean): void {
    if (armed) this.entries.set(key, this.now() + this.windowMs);
    else this.entries.delete(key);
  }

  private prune(): void {
    const now = this.now();
    for (const [key, expiry] of this.entries) if (expiry <= now) this.entries.delete(key);
  }
}

export function duplicateKey(grantId: string, toolName: string, args: { readonly [name: string]: unknown }): string {
  return createHash('sha256').update(JSON.stringify([grantId, toolName, canonicalize(args)])).digest('base64url');
}

/** Objects with sorted keys, recursively, so `{a,b}` and `{b,a}` serialize alike. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonicalize(Reflect.get(value, key))]),
  );
}
