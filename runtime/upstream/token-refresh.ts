/**
 * Keeps each grant's Aries access token usable, refreshing it lazily:
 * - `accessToken(grantId)`: the stored token, refreshed first when it
 *   expires within the refresh window (default 60 s);
 * - `refreshAfterRejection(grantId, rejected)`: after Aries answered 401 to
 *   `rejected`; refreshes unless the stored token already differs (someone
 *   else refreshed meanwhile).
 *
 * One refresh per grant at a time, everywhere:
 * 1. in this process, concurrent callers share one in-flight promise;
 * 2. across replicas, a store lock (`lock:refresh:<grantId>`, TTL) guards
 *    the Aries call; a replica that finds it taken polls the grant until the
 *    token changes or the lock frees;
 * 3. after taking the lock the grant is read again, so a refresh another
 *    replica just finished is used instead of repeated (Aries rotates refresh
 *    tokens: a second refresh with the old one would fail);
 * 4. the lock is owner-checked: released with compare-and-delete, so a
 *    replica whose lock expired (a slow Aries) never deletes the lock another
 *    replica took since; and before saving, a replica that no longer holds
 *    the lock reads the grant again and keeps the tokens another replica
 *    saved meanwhile instead of overwriting them with its own.
 * A grant Aries no longer accepts (`invalid_grant`, `invalid_client`,
 * `unauthorized_client`) is marked dead and reported as `GrantRevokedError`;
 * network trouble is a plain, transient `Error`.
 */
import { randomUUID } from 'node:crypto';
import { GrantRevokedError } from '../mcp/grant.js';
import type { Store } from '../store/store.js';
import { AriesOAuthError, type AriesClientCredentials, type AriesOAuthClient, type AriesTokenSet } from './aries-oauth.js';

/** What the refresher needs from the grant storage (implemented by the OAuth records). */
export interface AriesGrantSource {
  /** The grant's Aries tokens and client credentials, or undefined when the grant is gone or revoked. */
  loadAriesGrant(grantId: string): Promise<{ readonly credentials: AriesClientCredentials; readonly tokens: AriesTokenSet } | undefined>;
  saveAriesTokens(grantId: string, tokens: AriesTokenSet): Promise<void>;
  /** Aries refused the grant for good: end it. */
  revokeGrant(grantId: string): Promise<void>;
}

export interface TokenRefresherOptions {
  readonly store: Store;
  readonly grants: AriesGrantSource;
  readonly aries: AriesOAuthClient;
  readonly now?: () => number;
  /** Refresh tokens expiring within this many seconds before use. Default 60. */
  readonly refreshWindowSeconds?: number;
  /** Cross-replica lock lifetime; longer than an Aries token call can take. Default 30. */
  readonly lockTtlSeconds?: number;
  /** How often a replica waiting for another one's refresh looks again. Default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Observes each Aries refresh call's outcome (metrics). */
  readonly onRefresh?: (outcome: AriesRefreshOutcome) => void;
}

/** `superseded`: Aries answered, but another replica saved newer tokens meanwhile (this replica's lock had expired). */
export type AriesRefreshOutcome = 'refreshed' | 'superseded' | 'revoked' | 'failed';

const DEAD_GRANT_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

export class TokenRefresher {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly now: () => number;
  private readonly windowMs: number;
  private readonly lockTtlSeconds: number;
  private readonly pollMs: number;

  constructor(private readonly options: TokenRefresherOptions) {
    this.now = options.now ?? Date.now;
    this.windowMs = (options.refreshWindowSeconds ?? 60) * 1000;
    this.lockTtlSeconds = options.lockTtlSeconds ?? 30;
    this.pollMs = options.pollIntervalMs ?? 100;
  }

  async accessToken(grantId: string): Promise<string> {
    return (await this.currentAccessToken(grantId)).accessToken;
  }

  /**
   * The grant's usable Aries access token, with its expiry when it is the stored token read just now (not the result
   * of a refresh): a caller may reuse such a token while `isUsable(expiresAt)` holds (`opened-token-cache.ts`).
   */
  async currentAccessToken(grantId: string): Promise<{ readonly accessToken: string; readonly expiresAt?: number }> {
    const grant = await this.load(grantId);
    if (!this.expiring(grant.tokens)) return { accessToken: grant.tokens.accessToken, expiresAt: grant.tokens.expiresAt };
    return { accessToken: await this.singleFlight(grantId, (tokens) => this.expiring(tokens)) };
  }

  /** Whether a token expiring at `expiresAt` is still outside the refresh window (usable without refreshing first). */
  isUsable(expiresAt: number): boolean {
    return expiresAt - this.now() > this.windowMs;
  }

  async refreshAfterRejection(grantId: string, rejected: string | undefined): Promise<string> {
    return this.singleFlight(grantId, (tokens) => rejected === undefined || tokens.accessToken === rejected || this.expiring(tokens));
  }

  /** Whether `token` is still the grant's stored Aries token and has not expired (a revoked grant has no current token). */
  async isCurrent(grantId: string, token: string): Promise<boolean> {
    const grant = await this.options.grants.loadAriesGrant(grantId);
    return grant !== undefined && grant.tokens.accessToken === token && grant.tokens.expiresAt > this.now();
  }

  private expiring(tokens: AriesTokenSet): boolean {
    return tokens.expiresAt - this.now() <= this.windowMs;
  }

  private async load(grantId: string) {
    const grant = await this.options.grants.loadAriesGrant(grantId);
    if (grant === undefined) throw new GrantRevokedError('The grant was revoked or has expired');
    return grant;
  }

  private singleFlight(grantId: string, stale: (tokens: AriesTokenSet) => boolean): Promise<string> {
    const running = this.inflight.get(grantId);
    if (running !== undefined) return running;
    const flight = this.refreshUnderLock(grantId, stale).finally(() => this.inflight.delete(grantId));
    this.inflight.set(grantId, flight);
    return flight;
  }

  private async refreshUnderLock(grantId: string, stale: (tokens: AriesTokenSet) => boolean): Promise<string> {
    const lockKey = `lock:refresh:${grantId}`;
    const deadline = this.now() + (this.lockTtlSeconds + 5) * 1000;
    while (this.now() < deadline) {
      const current = await this.load(grantId);
      if (!stale(current.tokens)) return current.tokens.accessToken;
      const owner = randomUUID();
      if (await this.options.store.setIfAbsent(lockKey, owner, this.lockTtlSeconds)) {
        try {
          const locked = await this.load(grantId);
          if (!stale(locked.tokens)) return locked.tokens.accessToken;
          return await this.refreshNow(grantId, locked.credentials, locked.tokens, async () => (await this.options.store.get(lockKey)) === owner);
        } finally {
          await this.options.store.deleteIfEquals(lockKey, owner);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    throw new Error('Timed out waiting for another gateway replica to refresh the Aries token');
  }

  private async refreshNow(grantId: string, credentials: AriesClientCredentials, tokens: AriesTokenSet, stillLocked: () => Promise<boolean>): Promise<string> {
    const refreshExpired = tokens.refreshExpiresAt !== undefined && tokens.refreshExpiresAt <= this.now();
    if (tokens.refreshToken === undefined || refreshExpired) {
      if (tokens.expiresAt > this.now() && !refreshExpired) return tokens.accessToken;
      await this.options.grants.revokeGrant(grantId);
      throw new GrantRevokedError('The Aries authorization has expired and cannot be refreshed');
    }
    let fresh: AriesTokenSet;
    try {
      fresh = await this.options.aries.refresh(credentials, tokens.refreshToken);
    } catch (error) {
      if (error instanceof AriesOAuthError && DEAD_GRANT_ERRORS.has(error.code)) {
        this.options.onRefresh?.('revoked');
        await this.options.grants.revokeGrant(grantId);
        throw new GrantRevokedError(`Aries refused to refresh the grant (${error.code})`, { cause: error });
      }
      this.options.onRefresh?.('failed');
      throw new Error('Could not refresh the Aries access token; try again', { cause: error });
    }
    if (!(await stillLocked())) {
      // The lock expired during the Aries call and another replica may have refreshed too: its saved tokens win.
      const current = await this.load(grantId);
      if (current.tokens.accessToken !== tokens.accessToken) {
        this.options.onRefresh?.('superseded');
        return current.tokens.accessToken;
      }
    }
    // Aries may narrow scopes on refresh; it never widens them (RFC 6749 §6).
    await this.options.grants.saveAriesTokens(grantId, { ...fresh, scopes: fresh.scopes ?? tokens.scopes });
    this.options.onRefresh?.('refreshed');
    return fresh.accessToken;
  }
}
