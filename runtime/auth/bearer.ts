/**
 * The resource-server side: who is calling `/mcp`.
 *
 * `GatewayGrantResolver` implements the endpoint's `GrantResolver`:
 * 1. `Authorization: Bearer agw_at_...` (RFC 6750 §2.1), else no caller;
 * 2. the token's SHA-256 hash must name a stored access token that is
 *    unexpired and whose audience is `<public url>/mcp` (RFC 8707, RFC 9068
 *    §4 audience check; a token minted for another gateway is refused);
 * 3. its grant must exist and not be revoked.
 * An Aries token (or anything else) is simply unknown -> 401: the gateway
 * never accepts upstream tokens (MCP authorization: no token passthrough).
 * The `CallerGrant` opens the sealed Aries token on demand and refreshes it
 * lazily (`TokenRefresher`); the token opened from a given sealed text is
 * remembered (`opened-token-cache.ts`), so a call whose grant record still
 * holds that text skips the second grant read and the decryption. Steps 1-3
 * run on every request (no caching): a revoked grant or an expired or
 * revoked access token stops working at once, on every replica. Store outages propagate as
 * `StoreUnavailableError` (the endpoint should answer 503, not 401).
 *
 * `createTokenVerifier` offers the same check in the v2 SDK's
 * `OAuthTokenVerifier` shape for its `requireBearerAuth`/`verifyBearerToken`;
 * it throws the SDK's `OAuthError` with `invalid_token` (anything else would
 * become a 500).
 */
import type { IncomingMessage } from 'node:http';
import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { CallerGrant, ChallengeReason, GrantResolver } from '../mcp/grant.js';
import type { TokenRefresher } from '../upstream/token-refresh.js';
import { bearerChallengeFor } from './challenge.js';
import type { GatewayEndpoints } from './endpoints.js';
import type { GrantRecord, OAuthRecords, TokenRecord } from './oauth-records.js';
import { clientDigest } from './connection-records.js';
import { readGuardrails, type GrantGuardrails, type GuardrailPolicy } from '../guardrails/guardrails.js';
import { hasPrefix } from './opaque-tokens.js';
import { OpenedTokenCache } from './opened-token-cache.js';

export interface BearerDeps {
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  readonly refresher: TokenRefresher;
  /** Scopes named in the challenge (every scope the tools use). */
  readonly scopes: readonly string[];
  /** The tools' trading guardrails; absent when no tool declares any. */
  readonly guardrailPolicy?: GuardrailPolicy;
}

export class GatewayGrantResolver implements GrantResolver {
  /** Aries tokens already opened from a grant's sealed set (`opened-token-cache.ts`): no second store read and decryption per call. */
  private readonly opened = new OpenedTokenCache();

  constructor(private readonly deps: BearerDeps) {}

  async resolve(req: IncomingMessage): Promise<CallerGrant | undefined> {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) return undefined;
    const verified = await verifyGatewayToken(this.deps, token);
    return verified === undefined
      ? undefined
      : this.callerGrant(verified.record, verified.grant.aries, grantGuardrails(verified.grant, this.deps.guardrailPolicy));
  }

  challenge(reason: ChallengeReason): string {
    return bearerChallengeFor(this.deps.endpoints, this.deps.scopes, reason);
  }

  /** `sealed`: the grant's sealed Aries token set as read for this request (keys `opened`). */
  private callerGrant(record: TokenRecord, sealed: string, guardrails: GrantGuardrails | undefined): CallerGrant {
    const { refresher, records } = this.deps;
    const opened = this.opened;
    const { grantId } = record;
    let lastHandedOut: string | undefined;
    return {
      grantId,
      scopes: Object.freeze([...record.scopes]),
      ...(guardrails === undefined ? {} : { guardrails }),
      async accessToken() {
        const known = opened.get(grantId, sealed);
        if (known !== undefined && refresher.isUsable(known.expiresAt)) {
          lastHandedOut = known.accessToken;
          return lastHandedOut;
        }
        const current = await refresher.currentAccessToken(grantId);
        if (current.expiresAt === undefined) opened.forget(grantId);
        else opened.set(grantId, sealed, { accessToken: current.accessToken, expiresAt: current.expiresAt });
        lastHandedOut = current.accessToken;
        return lastHandedOut;
      },
      async refreshAccessToken() {
        opened.forget(grantId);
        lastHandedOut = await refresher.refreshAfterRejection(grantId, lastHandedOut);
        return lastHandedOut;
      },
      isStale: async (token) => !(await refresher.isCurrent(grantId, token)),
      revoke: async () => {
        opened.forget(grantId);
        await records.revokeGrant(grantId);
      },
    };
  }
}

/** The SDK-shaped verifier (`requireBearerAuth({ verifier })`). */
export function createTokenVerifier(deps: Pick<BearerDeps, 'endpoints' | 'records'>): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const record = (await verifyGatewayToken(deps, token))?.record;
      if (record === undefined) throw new OAuthError(OAuthErrorCode.InvalidToken, 'The access token is invalid, expired or revoked');
      return {
        token,
        clientId: record.clientId,
        scopes: [...record.scopes],
        expiresAt: Math.floor(record.expiresAt / 1000),
        resource: new URL(record.audience),
        extra: { grantId: record.grantId },
      };
    },
  };
}

async function verifyGatewayToken(
  deps: Pick<BearerDeps, 'endpoints' | 'records'>,
  token: string,
): Promise<{ record: TokenRecord; grant: GrantRecord } | undefined> {
  if (!hasPrefix(token, 'accessToken')) return undefined;
  const record = await deps.records.findAccessToken(token);
  if (record === undefined || record.audience !== deps.endpoints.mcpUrl) return undefined;
  const grant = await deps.records.loadGrant(record.grantId);
  return grant === undefined ? undefined : { record, grant };
}

/**
 * The guardrails a call is checked against: the grant's own, or the safe defaults when a grant that may trade has
 * none (it was created before the connection page existed, or by a flow that skipped it): never "no limits".
 */
function grantGuardrails(grant: GrantRecord, policy: GuardrailPolicy | undefined): GrantGuardrails | undefined {
  if (policy === undefined) return undefined;
  return { values: readGuardrails(grant.guardrails, policy) ?? policy.defaults, account: clientDigest(grant.clientId) };
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header ?? '');
  return match?.[1];
}
