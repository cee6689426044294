/**
 * The 401 answer of the protected resource (`/mcp`):
 * - `WWW-Authenticate: Bearer resource_metadata="<public url>/.well-known/oauth-protected-resource/mcp", scope="..."`
 *   (RFC 9728 §5.1, RFC 6750 §3; MCP authorization: clients start discovery from it);
 * - `error="invalid_token"` only when a token was presented and refused
 *   (RFC 6750 §3.1: no error code when the request had no credentials);
 * - never cached.
 */
import type { Response } from 'express';
import type { ChallengeReason } from '../mcp/grant.js';
import { gatewayEndpoints, type GatewayEndpoints } from './endpoints.js';

export const INVALID_TOKEN_DESCRIPTION = 'The access token is invalid, expired or revoked; authorize again';

export function bearerChallengeFor(endpoints: GatewayEndpoints, scopes: readonly string[], reason: ChallengeReason): string {
  const parts = [`resource_metadata="${endpoints.resourceMetadataUrl}"`];
  if (scopes.length > 0) parts.push(`scope="${scopes.join(' ')}"`);
  if (reason === 'invalid_token') parts.unshift('error="invalid_token"', `error_description="${INVALID_TOKEN_DESCRIPTION}"`);
  return `Bearer ${parts.join(', ')}`;
}

/** Answers 401 for the MCP endpoint (or any protected route) with the challenge above and an RFC 6750 body. */
export function unauthorizedResponse(res: Response, publicUrl: string, scopes: readonly string[], reason: ChallengeReason = 'missing_token'): void {
  res
    .status(401)
    .set({ 'WWW-Authenticate': bearerChallengeFor(gatewayEndpoints(publicUrl), scopes, reason), 'Cache-Control': 'no-store', Pragma: 'no-cache' })
    .json({
      error: 'invalid_token',
      error_description: reason === 'missing_token' ? 'Authorization required: connect this MCP server with your Aries account' : INVALID_TOKEN_DESCRIPTION,
    });
}
