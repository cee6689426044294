/**
 * Validates an authorization request, in the order that decides how errors
 * are reported (RFC 6749 §4.1.2.1):
 * 1. `client_id` must name an active client                -> page `invalid_client`
 * 2. `redirect_uri` must equal a registered URI exactly
 *    (scheme, host, port, path, trailing slash, query)     -> page `redirect_uri_mismatch`
 * Only then are errors redirected to the client:
 * 3. `response_type` must be `code`                         -> `unsupported_response_type` / `invalid_request`
 * 4. `scope`: every scope must be documented, and at least one must be
 *    registered on the client; the grant is the intersection -> `invalid_scope`
 *    (no `scope` at all means the client's registered scopes)
 * 5. PKCE: challenge format, method `S256` or `plain`; public clients must use it -> `invalid_request`
 * A parameter sent twice is `invalid_request` (RFC 6749 §3.1).
 */
import type { AuthorizationRequest } from '../state/authorization-sessions.js';
import type { ClientRegistry, OAuthClient } from '../state/clients.js';
import { OAuthError } from './oauth-error.js';
import { isCodeChallengeMethod, isPkceValue } from './pkce.js';
import { isKnownScope, parseScopeString } from './scopes.js';

export type RawParams = Readonly<Record<string, unknown>>;

export interface CheckedAuthorization {
  readonly client: OAuthClient;
  readonly request: AuthorizationRequest;
}

export function checkAuthorizationRequest(params: RawParams, clients: ClientRegistry): CheckedAuthorization {
  // 1. The client.
  const clientId = single(params, 'client_id', false);
  if (clientId === undefined || clientId === '') {
    throw new OAuthError('invalid_client', 'The request has no client_id.', { hint: clientHint });
  }
  const client = clients.find(clientId);
  if (!client) throw new OAuthError('invalid_client', `No OAuth client has the Client ID "${clientId}".`, { hint: clientHint });
  if (!client.active) {
    throw new OAuthError('invalid_client', `The OAuth client "${client.name}" is inactive (it was deactivated in Client Center).`, { hint: clientHint });
  }

  // 2. The redirect URI, compared as an exact string.
  const redirectUri = single(params, 'redirect_uri', false);
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    throw redirectMismatch(client, redirectUri);
  }

  // From here on the redirect URI is trusted: errors go back to the client with its state.
  const state = single(params, 'state', true);
  const redirectable = (code: string, description: string) => new OAuthError(code, description, { allowRedirect: true });

  // 3. The response type.
  const responseType = single(params, 'response_type', true);
  if (responseType === undefined || responseType === '') throw redirectable('invalid_request', 'response_type is required and must be "code".');
  if (responseType !== 'code') throw redirectable('unsupported_response_type', `response_type "${responseType}" is not supported; use "code".`);

  // 4. Scopes: documented ones only; granted = requested ∩ registered.
  const scopeParam = single(params, 'scope', true);
  const requested = scopeParam === undefined || scopeParam.trim() === '' ? [...client.scopes] : parseScopeString(scopeParam);
  const unknown = requested.filter((scope) => !isKnownScope(scope));
  if (unknown.length > 0) throw redirectable('invalid_scope', `Unknown scope: ${unknown.join(' ')}.`);
  const scopes = requested.filter((scope) => client.scopes.includes(scope));
  if (scopes.length === 0) {
    throw redirectable('invalid_scope', `None of the requested scopes (${requested.join(' ')}) is enabled for this client in Client Center.`);
  }

  // 5. PKCE.
  const codeChallenge = single(params, 'code_challenge', true);
  const method = single(params, 'code_challenge_method', true);
  if (codeChallenge === undefined && method !== undefined) throw redirectable('invalid_request', 'code_challenge_method was sent without code_challenge.');
  if (codeChallenge !== undefined && !isPkceValue(codeChallenge)) {
    throw redirectable('invalid_request', 'code_challenge must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_", "~".');
  }
  const codeChallengeMethod = codeChallenge === undefined ? undefined : (method ?? 'plain');
  if (codeChallengeMethod !== undefined && !isCodeChallengeMethod(codeChallengeMethod)) {
    throw redirectable('invalid_request', `code_challenge_method "${codeChallengeMethod}" is not supported; use S256 or plain.`);
  }
  if (client.isPublic && codeChallenge === undefined) throw redirectable('invalid_request', 'This is a public client: PKCE (code_challenge) is required.');

  return { client, request: { clientId: client.clientId, redirectUri, scopes, state, codeChallenge, codeChallengeMethod } };
}

const clientHint = 'Check the Client ID, and that the client is active in Client Center.';

function redirectMismatch(client: OAuthClient, received: string | undefined): OAuthError {
  const nearMiss = received !== undefined && client.redirectUris.some((uri) => uri.replace(/\/$/, '') === received.replace(/\/$/, ''));
  return new OAuthError(
    'redirect_uri_mismatch',
    received === undefined ? 'The request has no redirect_uri.' : 'The redirect_uri is not registered for this client. It must match a registered URI exactly.',
    {
      detail: [
        ['Registered', client.redirectUris.join('\n')],
        ['Received', received ?? '(none)'],
      ],
      hint: nearMiss
        ? 'The URIs differ only by a trailing slash. In Client Center, register the redirect URI exactly as the app sends it.'
        : 'In Client Center, add the exact redirect URI the app sends (scheme, host, port, path and trailing slash must match).',
    },
  );
}

/** A parameter's single string value; repeated or non-string values are an `invalid_request`. */
function single(params: RawParams, name: string, allowRedirect: boolean): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `Parameter ${name} must be sent once, as a string.`, { allowRedirect });
  return value;
}
