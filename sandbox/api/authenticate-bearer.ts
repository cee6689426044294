/**
 * Bearer-token check for every API call (RFC 6750):
 * - no `Authorization: Bearer <token>`, or a token that is unknown, expired, revoked, or whose
 *   client was deactivated -> 401 with `WWW-Authenticate: Bearer error="invalid_token"`;
 * - a token without the operation's scope (from the spec's per-operation `security`)
 *   -> 403 `missing scope <scope>`.
 */
import type { Request } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';
import { forbidden, unauthorized } from './api-error.js';

export interface Caller {
  readonly userId: number;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

export function authenticateBearer(state: SandboxState, req: Request): Caller {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) throw unauthorized('missing access token: send Authorization: Bearer <access_token>');
  const grant = state.tokens.verifyAccessToken(match[1]);
  if (!grant) throw unauthorized('access token is invalid, expired or revoked');
  if (!state.clients.findActive(grant.clientId)) throw unauthorized('the OAuth client of this token is inactive');
  return { userId: grant.userId, clientId: grant.clientId, scopes: grant.scopes };
}

/** Passes when one security alternative is fully granted; otherwise names the first missing scope. */
export function checkScopes(caller: Caller, security: ReadonlyArray<readonly string[]>): void {
  if (security.length === 0) return;
  if (security.some((scopes) => scopes.every((scope) => caller.scopes.includes(scope)))) return;
  const missing = (security[0] ?? []).find((scope) => !caller.scopes.includes(scope)) ?? '';
  throw forbidden(`missing scope ${missing}`);
}
