/**
 * Single-use authorization codes. A code remembers what it was issued for
 * (client, user, redirect URI, scopes, PKCE challenge) and which token family
 * it produced, so that a second use can revoke those tokens
 * (RFC 6749 §4.1.2: "If an authorization code is used more than once, the
 * authorization server MUST deny the request and SHOULD revoke all tokens
 * previously issued based on that authorization code").
 */
import type { AuthorizationRequest } from './authorization-sessions.js';
import { hashSecret, randomSecret } from './random-id.js';

export interface AuthorizationCode {
  readonly request: AuthorizationRequest;
  readonly userId: number;
  readonly expiresAt: number;
  usedAt: number | undefined;
  /** The token family the first exchange created. */
  familyId: string | undefined;
}

export type CodeLookup =
  | { readonly kind: 'ok'; readonly code: AuthorizationCode }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'expired'; readonly code: AuthorizationCode }
  | { readonly kind: 'reused'; readonly code: AuthorizationCode };

/** Used codes are remembered this long after expiry so that a reuse is recognised and revokes tokens. */
const USED_CODE_MEMORY_MS = 60 * 60 * 1000;

export class AuthorizationCodes {
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(private readonly ttlSeconds: number) {}

  issue(request: AuthorizationRequest, userId: number): string {
    this.prune();
    const code = randomSecret(32);
    this.codes.set(hashSecret(code), {
      request,
      userId,
      expiresAt: Date.now() + this.ttlSeconds * 1000,
      usedAt: undefined,
      familyId: undefined,
    });
    return code;
  }

  /** Looks a code up and marks it used; every later lookup answers `reused`. */
  redeem(code: string): CodeLookup {
    const entry = this.codes.get(hashSecret(code));
    if (!entry) return { kind: 'unknown' };
    if (entry.usedAt !== undefined) return { kind: 'reused', code: entry };
    entry.usedAt = Date.now();
    if (entry.expiresAt <= Date.now()) return { kind: 'expired', code: entry };
    return { kind: 'ok', code: entry };
  }

  private prune(): void {
    const horizon = Date.now() - USED_CODE_MEMORY_MS;
    for (const [key, entry] of this.codes) if (entry.expiresAt < horizon) this.codes.delete(key);
  }
}
