/**
 * `POST /v1/oauth2/token` (JSON or form body). Rules:
 * - `grant_type`: `authorization_code` (alias `code`) or `refresh_token`, else `unsupported_grant_type`;
 * - client: see `authenticateClient` (401 `invalid_client`);
 * - authorization_code: `code` and `redirect_uri` required (`invalid_request`); the code must be
 *   unused, unexpired, issued to this client for this exact redirect URI (`invalid_grant`);
 *   PKCE codes need the right `code_verifier`, codes without PKCE need the client secret,
 *   and a verifier sent for a code without PKCE is refused (`invalid_grant`);
 *   a second use revokes every token issued from the code (RFC 6749 §4.1.2);
 * - refresh_token: the token must be live and belong to this client; it rotates (the old one stops
 *   working); a family created with the client secret needs the secret again; an optional `scope`
 *   may only narrow the grant (`invalid_scope`).
 * Responses are never cached (RFC 6749 §5.1).
 */
import express, { type Request, type Router } from 'express';
import type { TokenGrant } from '../state/tokens.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { authenticateClient, optionalString, type AuthenticatedClient } from './client-authentication.js';
import { OAuthError } from './oauth-error.js';
import { verifyCodeVerifier } from './pkce.js';
import { parseScopeString } from './scopes.js';
import { isJsonObject } from '../json-object.js';

export function createTokenRouter(state: SandboxState): Router {
  const router = express.Router();
  router.post('/v1/oauth2/token', express.json({ limit: '64kb' }), express.urlencoded({ extended: false, limit: '64kb' }), (req, res) => {
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    try {
      res.status(200).json(exchange(state, req));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      if (error.status === 401 && /^Basic\s/i.test(req.get('authorization') ?? '')) res.set('WWW-Authenticate', 'Basic realm="aries"');
      res.status(error.status).json(error.toJSON());
    }
  });
  return router;
}

function exchange(state: SandboxState, req: Request) {
  const body: unknown = req.body;
  if (!isJsonObject(body)) {
    throw new OAuthError('invalid_request', 'Send a JSON or application/x-www-form-urlencoded body.');
  }
  const params = body;
  const grantType = optionalString(params, 'grant_type');
  if (grantType === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
  if (grantType !== 'authorization_code' && grantType !== 'code' && grantType !== 'refresh_token') {
    throw new OAuthError('unsupported_grant_type', `grant_type "${grantType}" is not supported; use authorization_code or refresh_token.`);
  }
  const caller = authenticateClient(state, req, params);
  const grant = grantType === 'refresh_token' ? refreshGrant(state, caller, params) : codeGrant(state, caller, params);
  const issued = state.tokens.issue(grant);
  return {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    refresh_token: issued.refreshToken,
    refresh_token_expires_in: issued.refreshExpiresIn,
    scope: grant.scopes.join(' '),
  };
}

function codeGrant(state: SandboxState, caller: AuthenticatedClient, params: Record<string, unknown>): TokenGrant {
  const code = optionalString(params, 'code');
  const redirectUri = optionalString(params, 'redirect_uri');
  const verifier = optionalString(params, 'code_verifier');
  if (code === undefined) throw new OAuthError('invalid_request', 'code is required.');
  if (redirectUri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required.');

  const lookup = state.codes.redeem(code);
  if (lookup.kind === 'unknown') throw new OAuthError('invalid_grant', 'The authorization code is invalid.');
  if (lookup.kind === 'reused') {
    if (lookup.code.familyId) state.tokens.revokeFamily(lookup.code.familyId);
    throw new OAuthError('invalid_grant', 'The authorization code was already used; tokens issued from it are revoked. Start the authorization again.');
  }
  if (lookup.kind === 'expired') throw new OAuthError('invalid_grant', 'The authorization code has expired. Start the authorization again.');
  const { request, userId } = lookup.code;
  if (request.clientId !== caller.client.clientId) throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.');
  if (request.redirectUri !== redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the one used in the authorization request.');
  if (request.codeChallenge !== undefined && request.codeChallengeMethod !== undefined) {
    if (verifier === undefined) throw new OAuthError('invalid_grant', 'code_verifier is required: the authorization request used PKCE.');
    if (!verifyCodeVerifier(verifier, request.codeChallenge, request.codeChallengeMethod)) {
      throw new OAuthError('invalid_grant', 'PKCE verification failed: code_verifier does not match code_challenge.');
    }
  } else {
    if (verifier !== undefined) throw new OAuthError('invalid_grant', 'code_verifier was sent but the authorization request had no code_challenge.');
    if (!caller.secretVerified) {
      throw new OAuthError('invalid_client', 'client_secret is required: the authorization request did not use PKCE.', { status: 401 });
    }
  }
  const familyId = state.tokens.newFamilyId();
  lookup.code.familyId = familyId;
  return { familyId, clientId: request.clientId, userId, scopes: request.scopes, secretAuthenticated: caller.secretVerified };
}

function refreshGrant(state: SandboxState, caller: AuthenticatedClient, params: Record<string, unknown>): TokenGrant {
  const refreshToken = optionalString(params, 'refresh_token');
  if (refreshToken === undefined) throw new OAuthError('invalid_request', 'refresh_token is required.');
  const current = state.tokens.peekRefreshToken(refreshToken);
  if (!current) throw new OAuthError('invalid_grant', 'The refresh token is invalid, expired, revoked or already used.');
  if (current.clientId !== caller.client.clientId) throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
  if (current.secretAuthenticated && !caller.secretVerified) {
    throw new OAuthError('invalid_client', 'client_secret is required to refresh this token.', { status: 401 });
  }
  const requested = parseScopeString(optionalString(params, 'scope'));
  const outside = requested.filter((scope) => !current.scopes.includes(scope));
  if (outside.length > 0) throw new OAuthError('invalid_scope', `The refresh token does not grant: ${outside.join(' ')}.`);
  state.tokens.takeRefreshToken(refreshToken);
  return { ...current, scopes: requested.length > 0 ? requested : current.scopes };
}
