/**
 * Remembers, per grant, the Aries access token last opened from the grant's
 * sealed token set, so a tool call does not read the grant from the store a
 * second time and decrypt it (AES-GCM) and parse it again after the bearer
 * check has just read it.
 *
 * An entry is keyed by the grant id and valid only for the exact sealed text
 * it was opened from: the caller presents the sealed text of the grant record
 * it read for this very request (`bearer.ts`), so a refresh by any replica
 * (which seals a new text) or a revocation (which the bearer check sees first:
 * the grant no longer loads) takes effect at once; nothing here can be stale.
 * The token's own expiry is checked by the caller against the refresh window
 * (`TokenRefresher.isUsable`). Bounded: the least recently used grant is
 * dropped beyond `maxEntries`. It never holds a gateway token, a refresh
 * token or a client secret, only Aries access tokens the process uses anyway.
 *
 * What it does not do: decide anything about validity, read the store, or
 * refresh.
 */

export interface OpenedToken {
  readonly accessToken: string;
  /** Epoch milliseconds (the Aries token's expiry). */
  readonly expiresAt: number;
}

interface Entry extends OpenedToken {
  readonly sealed: string;
}

export const DEFAULT_OPENED_TOKENS_MAX = 10_000;

export class OpenedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxEntries: number = DEFAULT_OPENED_TOKENS_MAX) {}

  /** The token opened from exactly `sealed` for `grantId`, if remembered. */
  get(grantId: string, sealed: string): OpenedToken | undefined {
    const entry = this.entries.get(grantId);
    if (entry === undefined) return undefined;
    if (entry.sealed !== sealed) {
      this.entries.delete(grantId);
      return undefined;
    }
    // Least recently used order: Map iteration follows insertion.
    this.entries.delete(grantId);
    this.entries.set(grantId, entry);
    return entry;
  }

  set(grantId: string, sealed: string, token: OpenedToken): void {
    this.entries.delete(grantId);
    this.entries.set(grantId, { sealed, accessToken: token.accessToken, expiresAt: token.expiresAt });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  forget(grantId: string): void {
    this.entries.delete(grantId);
  }

  get size(): number {
    return this.entries.size;
  }
}
