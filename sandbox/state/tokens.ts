/**
 * Opaque access and refresh tokens, stored as hashes. Tokens issued from one
 * authorization code form a family: refreshing rotates the refresh token
 * within the family, and revoking the family (code reuse) kills every token
 * in it. Access tokens are checked on every API call.
 */
import { hashSecret, randomSecret } from './random-id.js';

export interface TokenGrant {
  readonly familyId: string;
  readonly clientId: string;
  readonly userId: number;
  readonly scopes: readonly string[];
  /** The family was created with client-secret authentication, so refreshing needs the secret too. */
  readonly secretAuthenticated: boolean;
}

interface StoredToken {
  readonly grant: TokenGrant;
  expiresAt: number;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
}

export interface TokenLifetimes {
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
}

export class TokenStore {
  private readonly access = new Map<string, StoredToken>();
  private readonly refresh = new Map<string, StoredToken>();
  private readonly revokedFamilies = new Set<string>();

  constructor(private readonly lifetimes: TokenLifetimes) {}

  newFamilyId(): string {
    return randomSecret(12);
  }

  issue(grant: TokenGrant): IssuedTokens {
    this.prune();
    const now = Date.now();
    const accessToken = randomSecret(32);
    const refreshToken = randomSecret(32);
    const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = this.lifetimes;
    this.access.set(hashSecret(accessToken), { grant, expiresAt: now + accessTokenTtlSeconds * 1000 });
    this.refresh.set(hashSecret(refreshToken), { grant, expiresAt: now + refreshTokenTtlSeconds * 1000 });
    return {
      accessToken,
      refreshToken,
      expiresIn: Math.max(1, Math.round(accessTokenTtlSeconds)),
      refreshExpiresIn: Math.max(1, Math.round(refreshTokenTtlSeconds)),
    };
  }

  /** The grant behind a live access token, or undefined when unknown, expired or revoked. */
  verifyAccessToken(token: string): TokenGrant | undefined {
    return this.live(this.access, token);
  }

  /** Consumes a live refresh token (rotation: it never works twice). */
  takeRefreshToken(token: string): TokenGrant | undefined {
    const grant = this.live(this.refresh, token);
    if (grant) this.refresh.delete(hashSecret(token));
    return grant;
  }

  /** Looks at a refresh token without consuming it. */
  peekRefreshToken(token: string): TokenGrant | undefined {
    return this.live(this.refresh, token);
  }

  revokeFamily(familyId: string): void {
    this.revokedFamilies.add(familyId);
  }

  /** Fault injection: every access token issued so far expires now. */
  expireAllAccessTokens(): number {
    const now = Date.now();
    for (const token of this.access.values()) token.expiresAt = Math.min(token.expiresAt, now);
    return this.access.size;
  }

  private live(store: Map<string, StoredToken>, token: string): TokenGrant | undefined {
    const entry = store.get(hashSecret(token));
    if (!entry || entry.expiresAt <= Date.now() || this.revokedFamilies.has(entry.grant.familyId)) return undefined;
    return entry.grant;
  }

  private prune(): void {
    const now = Date.now();
    for (const store of [this.access, this.refresh]) {
      for (const [key, entry] of store) if (entry.expiresAt <= now) store.delete(key);
    }
  }
}
