/**
 * The seam between the MCP endpoint and whatever authenticates its callers.
 *
 * The endpoint asks a `GrantResolver` who is calling (from the HTTP request)
 * and gets back a `CallerGrant`: a stable id, the Aries scopes the user
 * granted, and the Aries access token to call the API with. The OAuth proxy
 * implements this interface; tests implement it by signing in to the sandbox
 * directly. Nothing else about authentication leaks into `runtime/mcp/`.
 *
 * What it deliberately does not do: verify tokens, store anything, or decide
 * HTTP responses. The 401 challenge text is the resolver's to shape
 * (`challenge`), the status and its placement are the endpoint's.
 */
import type { IncomingMessage } from 'node:http';
import type { GrantGuardrails } from '../guardrails/guardrails.js';

export interface CallerGrant {
  /** Stable per user authorization; keys the duplicate-order window and log lines. */
  readonly grantId: string;
  /** Aries OAuth scopes the user granted (decides which tools are listed and callable). */
  readonly scopes: readonly string[];
  /** The trading guardrails the customer chose for this connection; absent: none apply (resolvers other than the OAuth proxy). */
  readonly guardrails?: GrantGuardrails;
  /** The current Aries access token. */
  accessToken(): Promise<string>;
  /**
   * A fresh Aries access token, after Aries answered 401 to the current one.
   * Rejects with `GrantRevokedError` when the grant cannot be renewed (the
   * MCP client must then re-authorize); any other rejection is reported to
   * the caller as a transient failure.
   */
  refreshAccessToken(): Promise<string>;
  /**
   * Whether `token` is no longer the grant's current, unexpired Aries token
   * (it expired, or another request renewed it since): a 401 for such a token
   * says nothing about the grant.
   */
  isStale(token: string): Promise<boolean>;
  /** Ends the grant for good (Aries refused a freshly renewed token): the client's next refresh gets invalid_grant. */
  revoke(): Promise<void>;
}

/** Why the endpoint answers 401: no usable credentials, or Aries no longer accepts the grant. */
export type ChallengeReason = 'missing_token' | 'invalid_token';

export interface GrantResolver {
  /** The caller's grant, or `undefined` when the request carries no valid credentials (answered 401). */
  resolve(req: IncomingMessage): Promise<CallerGrant | undefined>;
  /**
   * The `WWW-Authenticate` value for a 401 (RFC 6750 §3). The OAuth proxy adds
   * `resource_metadata` (RFC 9728 §5.1); absent means `bearerChallenge`.
   */
  challenge?(reason: ChallengeReason): string;
}

/** Thrown by `CallerGrant.refreshAccessToken` when the grant is dead (revoked, refresh token expired). */
export class GrantRevokedError extends Error {
  override readonly name = 'GrantRevokedError';
}

/** RFC 6750 §3: a bare `Bearer` challenge, with `error="invalid_token"` when a presented grant stopped working. */
export function bearerChallenge(reason: ChallengeReason): string {
  return reason === 'invalid_token'
    ? 'Bearer error="invalid_token", error_description="The Aries authorization has expired or was revoked; sign in again"'
    : 'Bearer';
}
