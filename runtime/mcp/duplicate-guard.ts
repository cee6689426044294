/**
 * Refuses probable duplicate orders, in the `Store`: with Redis, an order
 * repeated on another replica within the window is refused as well.
 *
 * Rules:
 * - the key is `dup:` + the hash of grant + tool + the canonical JSON of the
 *   validated arguments (sorted keys, defaults applied, `confirm_duplicate`
 *   removed); no argument value appears in clear;
 * - `claim` reserves the key for the duration of the call with an atomic
 *   set-if-absent (value: this call's owner id; TTL: `inFlightSeconds`, so a
 *   replica that dies mid-call frees it), so two identical calls racing each
 *   other on any replicas cannot both go through; an override
 *   (`confirm_duplicate: true`) claims unconditionally;
 * - `settle(claim, true)` (success or unknown outcome) keeps the key for the
 *   window; `settle(claim, false)` (Aries certainly did not act) releases it
 *   with compare-and-delete, so a corrected retry is not blocked and a later
 *   override's claim is never removed;
 * - a window of 0 disables the guard.
 * A store that cannot answer throws `StoreUnavailableError` from `claim`:
 * the caller must then refuse the order (fail closed).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Store } from '../store/store.js';

export type Claim = { readonly kind: 'claimed'; readonly key: string; readonly owner: string } | { readonly kind: 'duplicate' };

export interface DuplicateGuardOptions {
  readonly store: Store;
  readonly windowSeconds: number;
  /** How long an in-flight claim holds without being settled: longer than a call can take. */
  readonly inFlightSeconds: number;
}

export class DuplicateGuard {
  constructor(private readonly options: DuplicateGuardOptions) {}

  get enabled(): boolean {
    return this.options.windowSeconds > 0;
  }

  /** Reserves `key`; `duplicate` when an identical call is in flight or settled within the window. */
  async claim(key: string, override = false): Promise<Claim> {
    const owner = randomUUID();
    const storeKey = `dup:${key}`;
    if (override) await this.options.store.set(storeKey, owner, this.options.inFlightSeconds);
    else if (!(await this.options.store.setIfAbsent(storeKey, owner, this.options.inFlightSeconds))) return { kind: 'duplicate' };
    return { kind: 'claimed', key: storeKey, owner };
  }

  async settle(claim: Claim, armed: boolean): Promise<void> {
    if (claim.kind !== 'claimed') return;
    if (armed) await this.options.store.set(claim.key, 'settled', this.options.windowSeconds);
    else await this.options.store.deleteIfEquals(claim.key, claim.owner);
  }
}

export function duplicateKey(grantId: string, toolName: string, args: { readonly [name: string]: unknown }): string {
  return createHash('sha256')
    .update(JSON.stringify([grantId, toolName, canonicalize(args)]))
    .digest('base64url');
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
