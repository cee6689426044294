/**
 * `POST /revoke` (RFC 7009): ends the grant behind an access or refresh
 * token, so every gateway token of that grant stops working and the sealed
 * Aries tokens are dropped (Aries documents no revocation endpoint).
 * - `token` is required (§2.1) -> invalid_request;
 * - a `client_id`, when given, must be the token's client (§2.1) -> invalid_request;
 * - a grant created with a client secret (a confidential client) is ended
 *   only by a request carrying that secret (§2.1: the server first validates
 *   the client credentials of a confidential client) -> invalid_client 401;
 * - an unknown, expired or already revoked token is still 200 (§2.2);
 * - `token_type_hint` is optional and not needed (both kinds are looked up).
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { readClient, type ClaimedClient } from './client-auth.js';
import { OAuthError, sendOAuthError, toOAuthError } from './oauth-error.js';
import type { OAuthRecords } from './oauth-records.js';
import { asParamSource, single } from './request-params.js';

export interface RevokeDeps {
  readonly records: OAuthRecords;
  readonly log: Logger;
}

export const REVOKE_SECRET = 'Client authentication failed: this grant was created with a client secret; send the same secret to revoke it.';

export function handleRevoke(deps: RevokeDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    let client: ClaimedClient | undefined;
    try {
      const params = asParamSource(req.body);
      const token = single(params, 'token');
      client = readClient(req, params, false);
      if (token === undefined) throw new OAuthError('invalid_request', 'token is required.');
      const record = await deps.records.findAnyToken(token);
      if (record !== undefined) {
        if (client !== undefined && client.clientId !== record.clientId) throw new OAuthError('invalid_request', 'The token was issued to another client.');
        const grant = await deps.records.loadGrant(record.grantId);
        if (grant !== undefined && !deps.records.secretMatches(grant, client?.clientSecret))
          throw new OAuthError('invalid_client', REVOKE_SECRET, { status: 401 });
        await deps.records.revokeGrant(record.grantId);
        deps.log.info({ clientId: record.clientId, grantId: record.grantId }, 'revoke: grant ended');
      }
      res.status(200).json({});
    } catch (error) {
      const failure = toOAuthError(error);
      if (failure.status >= 500) deps.log.error({ err: failure.cause ?? failure }, 'revoke failed');
      // RFC 6749 §5.2: 401 + WWW-Authenticate when the client used HTTP Basic.
      if (failure.status === 401 && client?.usedBasic) res.set('WWW-Authenticate', 'Basic realm="aries-mcp-gateway"');
      sendOAuthError(res, failure);
    }
  };
}
