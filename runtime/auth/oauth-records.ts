/**
 * What the OAuth proxy remembers, on top of the `Store` (key layout and TTLs
 * in `runtime/store/STORAGE.md`):
 * - pending authorizations under the gateway's own state (single use);
 * - one-time gateway codes, with a used-marker so a replay can be detected
 *   and the grant issued from the code revoked (RFC 6749 §4.1.2);
 * - grants (the Aries tokens, sealed, plus the scopes Aries granted and the
 *   trading guardrails chosen on the connection page);
 * - gateway access and refresh tokens, by SHA-256 hash only, each bound to
 *   a grant, a client and an audience; refresh tokens rotate with a
 *   used-marker for reuse detection (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2)
 *   that names the successor; for a short grace window the successor pair is
 *   kept sealed, so a retried or concurrent refresh gets it back instead of
 *   revoking the grant;
 * - revocation tombstones, so no late write brings a revoked grant back.
 * Secrets at rest (Aries tokens, Aries code, PKCE verifiers, client secret)
 * are sealed with a context naming their record.
 */
import { createHash } from 'node:crypto';
import { SealError, type Sealer } from '../store/seal.js';
import { isStoreUnavailable, readJson, takeJson, writeJson, type Store } from '../store/store.js';
import type { AriesClientCredentials, AriesTokenSet } from '../upstream/aries-oauth.js';
import type { AriesGrantSource } from '../upstream/token-refresh.js';
import type { Guardrails } from '../guardrails/guardrails.js';
import { hashToken, mintToken, safeEqual } from './opaque-tokens.js';

export interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly clientState: string | undefined;
  /** The client's S256 challenge. */
  readonly codeChallenge: string;
  /** What the client asked for at /authorize (any scope names). */
  readonly requestedScopes: readonly string[];
  /** What was forwarded to Aries (Aries scopes only). */
  readonly scopes: readonly string[];
  readonly resource: string | undefined;
  /** The gateway's own PKCE verifier toward Aries, sealed. */
  readonly ariesVerifier: string;
  /** SHA-256 of the browser-binding cookie set at /authorize (`browser-binding.ts`). */
  readonly browserBindingHash: string;
  readonly expiresAt: number;
}

export interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly requestedScopes: readonly string[];
  /** Forwarded to Aries. */
  readonly scopes: readonly string[];
  readonly resource: string | undefined;
  readonly ariesCode: string;
  readonly ariesVerifier: string;
  /** The grant the code will create, fixed now so a replay can revoke it. */
  readonly grantId: string;
  /** Chosen on the connection page (connections that can trade); carried onto the grant. */
  readonly guardrails?: Guardrails;
  readonly expiresAt: number;
}

export interface GrantRecord {
  readonly grantId: string;
  readonly clientId: string;
  /** Granted by Aries (its token response's `scope`): decides which tools are listed. */
  readonly scopes: readonly string[];
  /** Asked for by the MCP client at /authorize, and forwarded to Aries: for diagnosis. */
  readonly requestedScopes?: readonly string[];
  readonly forwardedScopes?: readonly string[];
  /** Aries' token response named no scope, so the forwarded scopes are assumed granted (RFC 6749 §5.1). */
  readonly scopesAssumed?: boolean;
  /** Sealed AriesTokenSet. */
  readonly aries: string;
  /** Sealed client secret, when the client authenticated with one (Aries needs it to refresh). */
  readonly clientSecret: string | undefined;
  /** SHA-256 of that secret: the same secret is required at gateway refresh. */
  readonly clientSecretHash: string | undefined;
  /** The trading guardrails chosen on the connection page; read at every guarded tool call. */
  readonly guardrails?: Guardrails;
  readonly createdAt: number;
}

export interface TokenRecord {
  readonly grantId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** RFC 8707: the resource the token is for (`<public url>/mcp`). */
  readonly audience: string;
  readonly expiresAt: number;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
}

export type Redemption<T> =
  { readonly kind: 'ok'; readonly record: T } | ({ readonly kind: 'reused' } & UsedMarker) | { readonly kind: 'expired' } | { readonly kind: 'unknown' };

/** What a used-marker (`code-used:`, `rt-used:`) remembers. */
export interface UsedMarker {
  readonly grantId: string;
  /** When the refresh token was rotated (epoch ms); absent on code markers and markers written before the grace window existed. */
  readonly rotatedAt?: number;
  /** SHA-256 of the successor refresh token the rotation issued. */
  readonly successor?: string;
}

/** A successor pair kept for the grace window (sealed at rest). */
interface SuccessorRecord {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly accessExpiresAt: number;
  readonly scopes: readonly string[];
}

export interface OAuthRecordsOptions {
  readonly store: Store;
  readonly sealer: Sealer;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  /** How long after a rotation the rotated refresh token still gets the successor pair; 0 turns the grace off. */
  readonly refreshReuseGraceSeconds: number;
  readonly now: () => number;
}

/** Pending authorizations live 10 minutes (RFC 6749 §10.12 state is short-lived). */
export const PENDING_TTL_SECONDS = 600;
/** Gateway codes are valid 2 minutes (RFC 6749 §4.1.2 recommends at most 10). */
export const CODE_TTL_SECONDS = 120;
/** Codes stay stored this much longer, so a late use is answered "expired" rather than "invalid". */
const CODE_GRACE_SECONDS = 300;
const USED_CODE_TTL_SECONDS = 3600;

export class OAuthRecords implements AriesGrantSource {
  constructor(private readonly options: OAuthRecordsOptions) {}

  private get store(): Store {
    return this.options.store;
  }

  // ---- pending authorizations ------------------------------------------------

  async savePending(state: string, pending: Omit<PendingAuthorization, 'expiresAt' | 'ariesVerifier'> & { ariesVerifier: string }): Promise<void> {
    const record: PendingAuthorization = {
      ...pending,
      ariesVerifier: this.options.sealer.seal(pending.ariesVerifier, `pending:${hashToken(state)}`),
      expiresAt: this.options.now() + PENDING_TTL_SECONDS * 1000,
    };
    await writeJson(this.store, `pending:${hashToken(state)}`, record, PENDING_TTL_SECONDS);
  }

  /** Atomic take (single use); undefined when unknown, used or expired. Returns the verifier opened. */
  async takePending(state: string): Promise<PendingAuthorization | undefined> {
    const record = await takeJson<PendingAuthorization>(this.store, `pending:${hashToken(state)}`);
    if (record === undefined || record.expiresAt <= this.options.now()) return undefined;
    const ariesVerifier = this.openOrUndefined(record.ariesVerifier, `pending:${hashToken(state)}`);
    return ariesVerifier === undefined ? undefined : { ...record, ariesVerifier };
  }

  // ---- gateway authorization codes ------------------------------------------

  async saveCode(code: string, record: Omit<CodeRecord, 'expiresAt'>): Promise<void> {
    const context = `code:${hashToken(code)}`;
    const sealed: CodeRecord = {
      ...record,
      ariesCode: this.options.sealer.seal(record.ariesCode, context),
      ariesVerifier: this.options.sealer.seal(record.ariesVerifier, context),
      expiresAt: this.options.now() + CODE_TTL_SECONDS * 1000,
    };
    await writeJson(this.store, context, sealed, CODE_TTL_SECONDS + CODE_GRACE_SECONDS);
  }

  /**
   * The code's record, opened, without using it up: the caller checks the
   * client binding, redirect URI and PKCE first and only then `claimCode`s
   * it, so a failed exchange cannot burn the real client's code.
   * `reused` once claimed, `expired` after 2 minutes.
   */
  async findCode(code: string): Promise<Redemption<CodeRecord>> {
    const hash = hashToken(code);
    const record = await readJson<CodeRecord>(this.store, `code:${hash}`);
    if (record === undefined) return this.reuseOf(`code-used:${hash}`);
    if (record.expiresAt <= this.options.now()) return { kind: 'expired' };
    const context = `code:${hash}`;
    const ariesCode = this.openOrUndefined(record.ariesCode, context);
    const ariesVerifier = this.openOrUndefined(record.ariesVerifier, context);
    if (ariesCode === undefined || ariesVerifier === undefined) return { kind: 'unknown' };
    return { kind: 'ok', record: { ...record, ariesCode, ariesVerifier } };
  }

  /** Single use: the first claim wins (used-marker via setIfAbsent) and removes the code; false when it was already claimed. */
  async claimCode(code: string, record: CodeRecord): Promise<boolean> {
    const hash = hashToken(code);
    if (!(await this.store.setIfAbsent(`code-used:${hash}`, JSON.stringify({ grantId: record.grantId }), USED_CODE_TTL_SECONDS))) return false;
    await this.store.delete(`code:${hash}`);
    return true;
  }

  // ---- grants -----------------------------------------------------------------

  async createGrant(input: {
    grantId: string;
    clientId: string;
    clientSecret: string | undefined;
    tokens: AriesTokenSet;
    scopes: readonly string[];
    requestedScopes: readonly string[];
    forwardedScopes: readonly string[];
    scopesAssumed: boolean;
    guardrails?: Guardrails;
  }): Promise<GrantRecord> {
    const { grantId } = input;
    const record: GrantRecord = {
      grantId,
      clientId: input.clientId,
      scopes: [...input.scopes],
      requestedScopes: [...input.requestedScopes],
      forwardedScopes: [...input.forwardedScopes],
      scopesAssumed: input.scopesAssumed,
      aries: this.sealTokens(grantId, input.tokens),
      clientSecret: input.clientSecret === undefined ? undefined : this.options.sealer.seal(input.clientSecret, `grant:${grantId}:secret`),
      clientSecretHash: input.clientSecret === undefined ? undefined : secretHash(input.clientSecret),
      ...(input.guardrails === undefined ? {} : { guardrails: input.guardrails }),
      createdAt: this.options.now(),
    };
    await writeJson(this.store, `grant:${grantId}`, record, this.options.refreshTokenTtlSeconds);
    return record;
  }

  /** The grant, unless revoked or expired. */
  async loadGrant(grantId: string): Promise<GrantRecord | undefined> {
    const [revoked, record] = await Promise.all([this.store.get(`revoked:${grantId}`), readJson<GrantRecord>(this.store, `grant:${grantId}`)]);
    return revoked === undefined ? record : undefined;
  }

  async loadAriesGrant(grantId: string): Promise<{ credentials: AriesClientCredentials; tokens: AriesTokenSet } | undefined> {
    const grant = await this.loadGrant(grantId);
    if (grant === undefined) return undefined;
    try {
      const clientSecret = grant.clientSecret === undefined ? undefined : this.options.sealer.open(grant.clientSecret, `grant:${grantId}:secret`);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- AES-GCM authenticated: opening succeeds only for the record this gateway sealed
      const tokens = JSON.parse(this.options.sealer.open(grant.aries, `grant:${grantId}`)) as AriesTokenSet;
      return { credentials: clientSecret === undefined ? { clientId: grant.clientId } : { clientId: grant.clientId, clientSecret }, tokens };
    } catch (error) {
      if (!(error instanceof SealError)) throw error;
      // Sealed with a key no longer configured (or tampered): the grant cannot be used; the client re-authorizes.
      await this.revokeGrant(grantId);
      return undefined;
    }
  }

  async saveAriesTokens(grantId: string, tokens: AriesTokenSet): Promise<void> {
    const grant = await this.loadGrant(grantId);
    if (grant === undefined) return;
    await writeJson(
      this.store,
      `grant:${grantId}`,
      { ...grant, scopes: tokens.scopes ?? grant.scopes, aries: this.sealTokens(grantId, tokens) },
      this.options.refreshTokenTtlSeconds,
    );
    // A revocation that raced this write wins.
    if ((await this.store.get(`revoked:${grantId}`)) !== undefined) await this.store.delete(`grant:${grantId}`);
  }

  /** Ends a grant: every access and refresh token issued for it stops working at once. */
  async revokeGrant(grantId: string): Promise<void> {
    await this.store.set(`revoked:${grantId}`, '1', this.options.refreshTokenTtlSeconds);
    await this.store.delete(`grant:${grantId}`);
  }

  /** Constant-time check of a client secret against the one the grant was created with. */
  secretMatches(grant: GrantRecord, secret: string | undefined): boolean {
    if (grant.clientSecretHash === undefined) return true;
    return secret !== undefined && safeEqual(grant.clientSecretHash, secretHash(secret));
  }

  // ---- gateway tokens -----------------------------------------------------------

  async issueTokens(grant: GrantRecord, scopes: readonly string[], audience: string): Promise<IssuedTokens> {
    const now = this.options.now();
    const accessToken = mintToken('accessToken');
    const refreshToken = mintToken('refreshToken');
    const base = { grantId: grant.grantId, clientId: grant.clientId, scopes: [...scopes], audience };
    const { accessTokenTtlSeconds: accessTtl, refreshTokenTtlSeconds: refreshTtl } = this.options;
    await Promise.all([
      writeJson(this.store, `at:${hashToken(accessToken)}`, { ...base, expiresAt: now + accessTtl * 1000 } satisfies TokenRecord, accessTtl),
      writeJson(this.store, `rt:${hashToken(refreshToken)}`, { ...base, expiresAt: now + refreshTtl * 1000 } satisfies TokenRecord, refreshTtl),
    ]);
    return { accessToken, refreshToken, expiresIn: accessTtl };
  }

  async findAccessToken(token: string): Promise<TokenRecord | undefined> {
    return live(await readJson<TokenRecord>(this.store, `at:${hashToken(token)}`), this.options.now());
  }

  /** A live refresh token's record; or `reused` when it was already rotated away; or `unknown`. */
  async findRefreshToken(token: string): Promise<Redemption<TokenRecord>> {
    const hash = hashToken(token);
    const record = live(await readJson<TokenRecord>(this.store, `rt:${hash}`), this.options.now());
    return record === undefined ? this.reuseOf(`rt-used:${hash}`) : { kind: 'ok', record };
  }

  /**
   * Rotation: claims the refresh token once (OAuth 2.1 §4.3.1), naming `successor` as what replaced it; false when
   * someone else already claimed it. With a grace window the successor pair is stored (sealed, for the window) before
   * the claim, so whoever finds the claim can hand it back.
   */
  async consumeRefreshToken(token: string, record: TokenRecord, successor: IssuedTokens & { readonly scopes: readonly string[] }): Promise<boolean> {
    const hash = hashToken(token);
    const now = this.options.now();
    const graceSeconds = this.options.refreshReuseGraceSeconds;
    const successorHash = hashToken(successor.refreshToken);
    if (graceSeconds > 0) {
      const kept: SuccessorRecord = {
        accessToken: successor.accessToken,
        refreshToken: successor.refreshToken,
        accessExpiresAt: now + successor.expiresIn * 1000,
        scopes: successor.scopes,
      };
      await this.store.set(`rt-next:${successorHash}`, this.options.sealer.seal(JSON.stringify(kept), `rt-next:${successorHash}`), graceSeconds);
    }
    const marker: UsedMarker = { grantId: record.grantId, rotatedAt: now, successor: successorHash };
    const remaining = Math.max(1, (record.expiresAt - now) / 1000);
    if (!(await this.store.setIfAbsent(`rt-used:${hash}`, JSON.stringify(marker), remaining))) return false;
    // Tidying only: the `rt-used` claim already makes the token unusable, so an outage now must not fail a rotation that happened.
    await this.store.delete(`rt:${hash}`).catch((error: unknown) => {
      if (!isStoreUnavailable(error)) throw error;
    });
    return true;
  }

  /** The used-marker of a rotated refresh token, when there is one. */
  async rotationOf(token: string): Promise<UsedMarker | undefined> {
    return readJson<UsedMarker>(this.store, `rt-used:${hashToken(token)}`);
  }

  /**
   * The successor pair of a rotation, when the rotated refresh token may still get it back: inside the grace window,
   * while the successor refresh token itself has not been rotated, and while the grant lives. Otherwise undefined
   * (the caller treats the presentation as reuse).
   */
  async successorWithinGrace(marker: UsedMarker): Promise<(IssuedTokens & { readonly scopes: readonly string[] }) | undefined> {
    const now = this.options.now();
    const graceMs = this.options.refreshReuseGraceSeconds * 1000;
    if (graceMs <= 0 || marker.rotatedAt === undefined || marker.successor === undefined || now - marker.rotatedAt > graceMs) return undefined;
    const [successorUsed, sealed, grant] = await Promise.all([
      this.store.get(`rt-used:${marker.successor}`),
      this.store.get(`rt-next:${marker.successor}`),
      this.loadGrant(marker.grantId),
    ]);
    if (successorUsed !== undefined || sealed === undefined || grant === undefined) return undefined;
    const opened = this.openOrUndefined(sealed, `rt-next:${marker.successor}`);
    if (opened === undefined) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- AES-GCM authenticated: opening succeeds only for the record this gateway sealed
    const kept = JSON.parse(opened) as SuccessorRecord;
    return {
      accessToken: kept.accessToken,
      refreshToken: kept.refreshToken,
      expiresIn: Math.max(1, Math.floor((kept.accessExpiresAt - now) / 1000)),
      scopes: kept.scopes,
    };
  }

  /** Removes a pair that lost a rotation race (best effort: its records would only expire unused). */
  async discardTokens(issued: IssuedTokens): Promise<void> {
    const keys = [`at:${hashToken(issued.accessToken)}`, `rt:${hashToken(issued.refreshToken)}`, `rt-next:${hashToken(issued.refreshToken)}`];
    await Promise.all(keys.map((key) => this.store.delete(key))).catch((error: unknown) => {
      if (!isStoreUnavailable(error)) throw error;
    });
  }

  /** An access or refresh token's record, live or not (revocation accepts both, RFC 7009 §2.1). */
  async findAnyToken(token: string): Promise<TokenRecord | undefined> {
    const hash = hashToken(token);
    return (await readJson<TokenRecord>(this.store, `at:${hash}`)) ?? (await readJson<TokenRecord>(this.store, `rt:${hash}`));
  }

  private async reuseOf(usedKey: string): Promise<Redemption<never>> {
    const used = await readJson<UsedMarker>(this.store, usedKey);
    return used === undefined ? { kind: 'unknown' } : { kind: 'reused', ...used };
  }

  private openOrUndefined(sealed: string, context: string): string | undefined {
    try {
      return this.options.sealer.open(sealed, context);
    } catch (error) {
      if (error instanceof SealError) return undefined;
      throw error;
    }
  }

  private sealTokens(grantId: string, tokens: AriesTokenSet): string {
    return this.options.sealer.seal(JSON.stringify(tokens), `grant:${grantId}`);
  }
}

function live(record: TokenRecord | undefined, now: number): TokenRecord | undefined {
  return record !== undefined && record.expiresAt > now ? record : undefined;
}

function secretHash(secret: string): string {
  return createHash('sha256').update('agw-client-secret:').update(secret, 'utf8').digest('hex');
}
