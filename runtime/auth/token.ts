/**
 * `POST /token` (RFC 6749 §3.2; form or JSON body; CORS; never cached, §5.1).
 *
 * authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.6):
 * 1. the code must be known, unused and unexpired (2 minutes), issued to
 *    this `client_id`, for this `redirect_uri`, and the `code_verifier` must
 *    hash to the client's S256 challenge -> invalid_grant; `resource` must be
 *    ours -> invalid_target;
 * 2. only then is the code claimed (once: a failed attempt leaves it to the
 *    real client); a replay revokes the grant issued from it (RFC 6749
 *    §4.1.2) -> invalid_grant;
 * 3. the Aries code is exchanged with the gateway's own verifier (and the
 *    client's secret when it sent one); the Aries tokens are sealed into a
 *    new grant; the client gets opaque gateway tokens bound to `<public url>/mcp`.
 * refresh_token (RFC 6749 §6, OAuth 2.1 §4.3.1):
 * 1. the refresh token must be live, issued to this client, for this
 *    audience, with its grant not revoked; a confidential grant needs the
 *    same secret;
 * 2. rotation: the new tokens are written, then the old refresh token is
 *    claimed and stops working. A store outage before the claim leaves the
 *    old one valid (503, the client retries with it);
 * 3. reuse: an already rotated refresh token presented again within the
 *    grace window (OAUTH_REFRESH_REUSE_GRACE_SECONDS: a retry after a lost
 *    answer, two tabs, a claim that reached Redis after the gateway gave up)
 *    by the same client gets the same successor pair, as long as that
 *    successor has not been rotated itself; any other reuse revokes the
 *    whole grant (RFC 9700 §4.14.2);
 * 4. `scope` may only narrow (RFC 6749 §6) -> invalid_scope.
 * The Aries token is not refreshed here; that happens lazily on use.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { AriesOAuthError, type AriesOAuthClient } from '../upstream/aries-oauth.js';
import { describeAriesError } from '../upstream/describe-aries-error.js';
import { readClient, type ClaimedClient } from './client-auth.js';
import { isOurResource, type GatewayEndpoints } from './endpoints.js';
import { OAuthError, sendOAuthError, toOAuthError } from './oauth-error.js';
import type { IssuedTokens, OAuthRecords, UsedMarker } from './oauth-records.js';
import { verifyS256 } from './pkce.js';
import { asParamSource, parseScope, single, type ParamSource } from './request-params.js';

export interface TokenDeps {
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  readonly aries: AriesOAuthClient;
  readonly log: Logger;
}

export const TOKEN_ERRORS = {
  codeUnknown: 'The authorization code is invalid.',
  codeReused: 'The authorization code was already used; the tokens issued with it are revoked. Start the authorization again.',
  codeExpired: 'The authorization code has expired. Start the authorization again.',
  codeOtherClient: 'The authorization code was issued to another client.',
  redirectMismatch: 'redirect_uri does not match the one used in the authorization request.',
  verifierMissing: 'code_verifier is required: the authorization request used PKCE.',
  verifierMismatch: 'PKCE verification failed: code_verifier does not match the code_challenge.',
  refreshUnknown: 'The refresh token is invalid, expired or revoked.',
  refreshReused: 'The refresh token was already used; the grant is revoked. Authorize again.',
  refreshOtherClient: 'The refresh token was issued to another client.',
  refreshOtherAudience: 'The refresh token was issued for another resource.',
  refreshSecret: 'Client authentication failed: send the client secret this grant was created with.',
  scopeWidened: 'The requested scope exceeds the scope granted.',
} as const;

export function handleToken(deps: TokenDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const params = asParamSource(req.body);
    let client: ClaimedClient | undefined;
    try {
      const grantType = single(params, 'grant_type');
      client = readClient(req, params, true);
      if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
      let issued: IssuedTokens & { scopes: readonly string[] };
      if (grantType === 'authorization_code') issued = await exchangeCode(deps, client, params);
      else if (grantType === 'refresh_token') issued = await rotateRefresh(deps, client, params);
      else throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
      // RFC 6749 §5.1 successful response.
      res.status(200).json({
        access_token: issued.accessToken,
        token_type: 'Bearer',
        expires_in: issued.expiresIn,
        refresh_token: issued.refreshToken,
        scope: issued.scopes.join(' '),
      });
    } catch (error) {
      const failure = toOAuthError(error);
      if (failure.status >= 500) deps.log.error({ err: failure.cause ?? failure, detail: failure.detail }, 'token request failed');
      else deps.log.info({ clientId: client?.clientId, error: failure.code, detail: failure.detail }, 'token request refused');
      // RFC 6749 §5.2: 401 + WWW-Authenticate when the client used HTTP Basic.
      if (failure.status === 401 && client?.usedBasic) res.set('WWW-Authenticate', 'Basic realm="aries-mcp-gateway"');
      sendOAuthError(res, failure);
    }
  };
}

async function exchangeCode(deps: TokenDeps, client: ClaimedClient, params: ParamSource) {
  const code = single(params, 'code');
  const redirectUri = single(params, 'redirect_uri');
  const verifier = single(params, 'code_verifier');
  const resource = single(params, 'resource');
  if (code === undefined) throw new OAuthError('invalid_request', 'code is required.');

  const found = await deps.records.findCode(code);
  if (found.kind === 'reused') throw await codeReplayed(deps, found.grantId, client);
  if (found.kind === 'unknown') throw new OAuthError('invalid_grant', TOKEN_ERRORS.codeUnknown);
  if (found.kind === 'expired') throw new OAuthError('invalid_grant', TOKEN_ERRORS.codeExpired);
  const record = found.record;
  if (record.clientId !== client.clientId) throw new OAuthError('invalid_grant', TOKEN_ERRORS.codeOtherClient);
  if (redirectUri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required: it was part of the authorization request.');
  if (redirectUri !== record.redirectUri) throw new OAuthError('invalid_grant', TOKEN_ERRORS.redirectMismatch);
  if (verifier === undefined) throw new OAuthError('invalid_grant', TOKEN_ERRORS.verifierMissing);
  if (!verifyS256(verifier, record.codeChallenge)) throw new OAuthError('invalid_grant', TOKEN_ERRORS.verifierMismatch);
  checkResource(deps.endpoints, resource, record.resource);
  // Claimed only now: a request that fails the checks above must not use up the real client's code.
  if (!(await deps.records.claimCode(code, record))) throw await codeReplayed(deps, record.grantId, client);

  let tokens;
  try {
    tokens = await deps.aries.exchangeCode(
      client.clientSecret === undefined ? { clientId: client.clientId } : { clientId: client.clientId, clientSecret: client.clientSecret },
      { code: record.ariesCode, redirectUri: deps.endpoints.callbackUrl, codeVerifier: record.ariesVerifier },
    );
  } catch (error) {
    throw fromAries(error, [client.clientSecret, record.ariesCode, record.ariesVerifier, code, verifier]);
  }
  // RFC 6749 §5.1: an omitted `scope` means the requested scope was granted; what we requested is only ever Aries scopes.
  const scopesAssumed = tokens.scopes === undefined;
  const scopes = tokens.scopes ?? record.scopes;
  const requestedScopes = record.requestedScopes ?? record.scopes;
  const grant = await deps.records.createGrant({
    grantId: record.grantId,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tokens: { ...tokens, scopes },
    scopes,
    requestedScopes,
    forwardedScopes: record.scopes,
    scopesAssumed,
    guardrails: record.guardrails,
  });
  const issued = await deps.records.issueTokens(grant, scopes, deps.endpoints.mcpUrl);
  deps.log.info({ clientId: client.clientId, grantId: grant.grantId, scopes }, 'token: grant created');
  deps.log.debug(
    { grantId: grant.grantId, requestedScopes, forwardedScopes: record.scopes, grantedScopes: scopes, scopesAssumed },
    'token: scopes requested, forwarded and granted',
  );
  if (scopesAssumed)
    deps.log.warn({ grantId: grant.grantId, forwardedScopes: record.scopes }, 'token: Aries named no granted scope; the forwarded scopes are assumed granted');
  return { ...issued, scopes };
}

async function rotateRefresh(deps: TokenDeps, client: ClaimedClient, params: ParamSource) {
  const refreshToken = single(params, 'refresh_token');
  const resource = single(params, 'resource');
  const requested = parseScope(single(params, 'scope'));
  if (refreshToken === undefined) throw new OAuthError('invalid_request', 'refresh_token is required.');
  if (requested === 'invalid') throw new OAuthError('invalid_scope', 'scope must be space-separated scope names.');

  const found = await deps.records.findRefreshToken(refreshToken);
  if (found.kind === 'reused') return replayWithinGrace(deps, found, client);
  if (found.kind !== 'ok') throw new OAuthError('invalid_grant', TOKEN_ERRORS.refreshUnknown);
  const record = found.record;
  if (record.clientId !== client.clientId) throw new OAuthError('invalid_grant', TOKEN_ERRORS.refreshOtherClient);
  if (record.audience !== deps.endpoints.mcpUrl) throw new OAuthError('invalid_grant', TOKEN_ERRORS.refreshOtherAudience);
  const grant = await deps.records.loadGrant(record.grantId);
  if (grant === undefined) throw new OAuthError('invalid_grant', TOKEN_ERRORS.refreshUnknown);
  if (!deps.records.secretMatches(grant, client.clientSecret)) throw new OAuthError('invalid_client', TOKEN_ERRORS.refreshSecret, { status: 401 });
  if (requested.some((scope) => !record.scopes.includes(scope))) throw new OAuthError('invalid_scope', TOKEN_ERRORS.scopeWidened);
  checkResource(deps.endpoints, resource, undefined);

  // New tokens first, then the claim: a store failure before the claim leaves the old refresh token usable, so the client's retry works instead of looking like reuse.
  const scopes = requested.length > 0 ? requested : record.scopes;
  const issued = await deps.records.issueTokens(grant, scopes, deps.endpoints.mcpUrl);
  if (!(await deps.records.consumeRefreshToken(refreshToken, record, { ...issued, scopes }))) {
    // Another request rotated it first (a concurrent refresh, or our own claim that landed late): its successor wins.
    await deps.records.discardTokens(issued);
    const marker = await deps.records.rotationOf(refreshToken);
    return replayWithinGrace(deps, marker ?? { grantId: record.grantId }, client);
  }
  deps.log.info({ clientId: client.clientId, grantId: grant.grantId }, 'token: refresh token rotated');
  return { ...issued, scopes };
}

/** A rotated refresh token presented again: the successor pair inside the grace window, else reuse (the grant is revoked). */
async function replayWithinGrace(deps: TokenDeps, marker: UsedMarker, client: ClaimedClient) {
  const grant = await deps.records.loadGrant(marker.grantId);
  const sameClient = grant !== undefined && grant.clientId === client.clientId && deps.records.secretMatches(grant, client.clientSecret);
  const successor = sameClient ? await deps.records.successorWithinGrace(marker) : undefined;
  if (grant === undefined || successor === undefined) throw await reuse(deps, marker.grantId, client);
  deps.log.info(
    { clientId: client.clientId, grantId: marker.grantId },
    'token: rotated refresh token presented again within the grace window; same successor returned',
  );
  return successor;
}

/** RFC 6749 §4.1.2: a code used twice revokes the grant issued from it. */
async function codeReplayed(deps: TokenDeps, grantId: string, client: ClaimedClient): Promise<OAuthError> {
  await deps.records.revokeGrant(grantId);
  deps.log.warn({ clientId: client.clientId, grantId }, 'token: authorization code replayed; grant revoked');
  return new OAuthError('invalid_grant', TOKEN_ERRORS.codeReused);
}

async function reuse(deps: TokenDeps, grantId: string, client: ClaimedClient): Promise<OAuthError> {
  await deps.records.revokeGrant(grantId);
  deps.log.warn({ clientId: client.clientId, grantId }, 'token: rotated refresh token reused; grant revoked');
  return new OAuthError('invalid_grant', TOKEN_ERRORS.refreshReused);
}

/** RFC 8707 §2.2: a `resource` at the token endpoint must be ours and, for a code, the one authorized. */
function checkResource(endpoints: GatewayEndpoints, resource: string | undefined, authorized: string | undefined): void {
  if (resource === undefined) return;
  const sameAsAuthorized = authorized === undefined || resource.replace(/\/$/, '') === authorized.replace(/\/$/, '');
  if (!isOurResource(resource, endpoints) || !sameAsAuthorized) {
    throw new OAuthError('invalid_target', `The resource must be ${endpoints.mcpUrl}.`);
  }
}

/**
 * Aries' answer at the code exchange, in our words. Its own text goes to
 * `detail` (logs only) through the tool path's redaction (`describeAriesError`:
 * bounded, control characters and tokens removed) plus the exact values of this
 * request (client secret, codes, verifiers), since a token endpoint may echo
 * the request. The cause keeps only that redacted text, not the raw answer.
 */
function fromAries(error: unknown, requestSecrets: readonly (string | undefined)[]): OAuthError {
  if (!(error instanceof AriesOAuthError)) return toOAuthError(error);
  const secrets = requestSecrets.filter((secret) => secret !== undefined);
  const said = error.upstreamDescription === undefined ? undefined : describeAriesError(error.upstreamDescription, secrets).message;
  const aries = new AriesOAuthError(describeAriesError(error.code, secrets).message.slice(0, 64), error.status, said);
  const detail = `Aries ${aries.code}${aries.status === undefined ? '' : ` (HTTP ${aries.status})`}: ${said ?? ''}`;
  return inOurWords(aries, detail);
}

function inOurWords(error: AriesOAuthError, detail: string): OAuthError {
  switch (error.code) {
    case 'invalid_grant':
      return new OAuthError(
        'invalid_grant',
        'Aries refused the authorization code (codes are one-time and expire after about 10 minutes). Start the authorization again.',
        { detail, cause: error },
      );
    case 'invalid_client':
    case 'unauthorized_client':
      return new OAuthError(
        'invalid_client',
        'Aries rejected the client: check the Client ID (and the client secret, if one was entered) and that the client is active in Client Center.',
        { status: 401, detail, cause: error },
      );
    case 'invalid_scope':
      return new OAuthError('invalid_scope', 'Aries granted none of the requested scopes: enable them on the OAuth client in Client Center.', {
        detail,
        cause: error,
      });
    case 'unreachable':
      return new OAuthError('temporarily_unavailable', 'Aries could not be reached; try again in a minute.', { status: 503, detail, cause: error });
    default:
      return new OAuthError('server_error', 'Aries could not complete the token exchange; try again.', { status: 502, detail, cause: error });
  }
}
