/**
 * `GET|POST /authorize`: the MCP client's authorization request, proxied to
 * Aries' sign-in. Checks, in the order that decides how an error is reported
 * (RFC 6749 §4.1.2.1: never redirect to an unchecked URI):
 * 1. `client_id` present and sane (it is the user's Aries Client ID; Aries
 *    judges it) -> page; a URL (a client's hosted metadata document, which
 *    the metadata does not offer) -> page `hosted_client_id`
 * 2. `redirect_uri` on the allowlist (`redirect-uris.ts`) -> page, no redirect
 * From here errors go back to the client with `state` and `iss` (RFC 9207):
 * 3. `response_type=code`                             -> unsupported_response_type
 * 4. PKCE: `code_challenge` (43 base64url characters), method `S256` only
 *    (OAuth 2.1 §4.1.1; `plain` refused)              -> invalid_request
 * 5. `resource`, when present, is `<public url>/mcp` (RFC 8707 §2) -> invalid_target
 * 6. `scope` syntax (RFC 6749 §3.3), at most 1024 characters -> invalid_scope.
 *    Only scopes Aries defines are forwarded (clients add `openid`,
 *    `offline_access`, `claudeai`; Claude asks for every scope in
 *    `scopes_supported`); the rest are dropped silently, and when nothing is
 *    left (or nothing was asked) the scopes the tools use are requested
 * (`state` is at most 512 bytes, checked with 1-2 since it is too long to
 * echo back: every field of a pending record is bounded.)
 * When the global cap on pending authorizations is reached
 * (`pending-cap.ts`)                                 -> 503 page, Retry-After
 * Then the gateway stores a pending authorization under its own random state
 * with its own PKCE pair (10 minutes, single use), binds it to this browser
 * with a cookie (`browser-binding.ts`) and redirects to Aries with
 * `redirect_uri=<public url>/auth/callback`.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { AriesOAuthClient } from '../upstream/aries-oauth.js';
import { createBrowserBinding, setBindingCookie } from './browser-binding.js';
import { isOurResource, type GatewayEndpoints } from './endpoints.js';
import { OAuthError, toOAuthError } from './oauth-error.js';
import type { OAuthRecords } from './oauth-records.js';
import type { PendingCap } from './pending-cap.js';
import { mintToken } from './opaque-tokens.js';
import { sendErrorPage } from './pages/error-page.js';
import { createPkcePair } from './pkce.js';
import { appendToRedirectUri, isAllowedRedirectUri } from './redirect-uris.js';
import { asParamSource, parseScope, single } from './request-params.js';

export interface AuthorizeDeps {
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  readonly aries: AriesOAuthClient;
  readonly extraRedirectUris: readonly string[];
  /** Requested when the client names no Aries scope: every scope the tools use. */
  readonly defaultScopes: readonly string[];
  /** The scopes Aries defines (the spec's security schemes): the only ones forwarded. */
  readonly upstreamScopes: readonly string[];
  readonly log: Logger;
  readonly pendingCap: PendingCap;
}

const MAX_STATE_BYTES = 512;
const MAX_SCOPE_CHARS = 1024;
const SANE_CLIENT_ID = /^[\x21-\x7E]{1,256}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function handleAuthorize(deps: AuthorizeDeps) {
  const context = { callbackUrl: deps.endpoints.callbackUrl, mcpUrl: deps.endpoints.mcpUrl };
  return async (req: Request, res: Response): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    const params = asParamSource(req.method === 'POST' ? req.body : req.query);

    // 1-2. Until the redirect URI is known to be ours to use, errors are pages.
    let clientId: string;
    let redirectUri: string;
    try {
      const id = single(params, 'client_id');
      if (id === undefined) {
        sendErrorPage(res, { code: 'missing_client_id', context, shownCode: 'invalid_request' });
        return;
      }
      // A URL as client_id is a Client ID Metadata Document (the client's own hosted identity): Aries does not know it.
      if (/^https?:\/\//i.test(id)) {
        sendErrorPage(res, { code: 'hosted_client_id', context, shownCode: 'invalid_client' });
        return;
      }
      if (!SANE_CLIENT_ID.test(id)) throw new OAuthError('invalid_request', 'client_id is malformed.');
      clientId = id;
      const uri = single(params, 'redirect_uri');
      if (uri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required.');
      if (!isAllowedRedirectUri(uri, deps.extraRedirectUris)) {
        deps.log.warn({ clientId, redirectUri: uri.slice(0, 200) }, 'authorize: redirect_uri not allowed');
        sendErrorPage(res, { code: 'redirect_uri_not_allowed', context: { ...context, redirectUri: uri }, shownCode: 'invalid_request' });
        return;
      }
      redirectUri = uri;
      const rawState = params['state'];
      if (typeof rawState === 'string' && Buffer.byteLength(rawState) > MAX_STATE_BYTES)
        throw new OAuthError('invalid_request', `state is longer than ${MAX_STATE_BYTES} bytes.`);
    } catch (error) {
      const failure = toOAuthError(error);
      sendErrorPage(res, {
        code: failure.code === 'invalid_request' ? 'invalid_request' : 'server_error',
        context,
        shownCode: failure.code,
        status: failure.status,
      });
      return;
    }

    // 3-6. Errors now go back to the client.
    let clientState: string | undefined;
    try {
      clientState = single(params, 'state', true);
      const responseType = single(params, 'response_type', true);
      if (responseType === undefined) throw redirectable('invalid_request', 'response_type is required and must be "code".');
      if (responseType !== 'code') throw redirectable('unsupported_response_type', 'response_type must be "code".');
      const challenge = single(params, 'code_challenge', true);
      const method = single(params, 'code_challenge_method', true);
      if (challenge === undefined) throw redirectable('invalid_request', 'code_challenge is required: use PKCE with S256.');
      if (method !== 'S256') throw redirectable('invalid_request', 'code_challenge_method must be S256; plain is not supported.');
      if (!S256_CHALLENGE.test(challenge)) throw redirectable('invalid_request', 'code_challenge must be a 43-character base64url SHA-256 hash.');
      const resource = single(params, 'resource', true);
      if (resource !== undefined && !isOurResource(resource, deps.endpoints)) {
        throw redirectable('invalid_target', `The resource must be ${deps.endpoints.mcpUrl}: this gateway issues tokens only for its MCP endpoint.`);
      }
      const scopeParam = single(params, 'scope', true);
      if (scopeParam !== undefined && scopeParam.length > MAX_SCOPE_CHARS)
        throw redirectable('invalid_scope', `scope is longer than ${MAX_SCOPE_CHARS} characters.`);
      const requested = parseScope(scopeParam);
      if (requested === 'invalid') throw redirectable('invalid_scope', 'scope must be space-separated scope names.');
      const forwarded = requested.filter((scope) => deps.upstreamScopes.includes(scope));
      const scopes = forwarded.length > 0 ? forwarded : [...deps.defaultScopes];
      deps.log.debug({ clientId, requestedScopes: requested, forwardedScopes: scopes }, 'authorize: scopes forwarded to Aries');

      const admission = await deps.pendingCap.admit();
      if (!admission.admitted) {
        deps.log.warn({ clientId }, 'authorize: too many pending authorizations');
        res.set('Retry-After', String(admission.retryAfterSeconds));
        sendErrorPage(res, { code: 'too_many_pending', context, status: 503 });
        return;
      }
      const state = mintToken('state');
      const pkce = createPkcePair();
      const binding = createBrowserBinding();
      await deps.records.savePending(state, {
        clientId,
        redirectUri,
        clientState,
        codeChallenge: challenge,
        requestedScopes: requested,
        scopes,
        resource,
        ariesVerifier: pkce.verifier,
        browserBindingHash: binding.hash,
      });
      setBindingCookie(res, deps.endpoints, state, binding);
      deps.log.info({ clientId, redirectHost: new URL(redirectUri).host, scopes }, 'authorize: sent to Aries sign-in');
      res.redirect(302, deps.aries.authorizationUrl({ clientId, redirectUri: deps.endpoints.callbackUrl, scopes, state, codeChallenge: pkce.challenge }));
    } catch (error) {
      const failure = toOAuthError(error);
      if (failure.status >= 500) deps.log.error({ err: failure.cause ?? failure }, 'authorize failed');
      // RFC 6749 §4.1.2.1 error response; RFC 9207 §2: with `iss`.
      res.redirect(
        302,
        appendToRedirectUri(redirectUri, { error: failure.code, error_description: failure.description, state: clientState, iss: deps.endpoints.issuer }),
      );
    }
  };
}

function redirectable(code: string, description: string): OAuthError {
  return new OAuthError(code, description, { allowRedirect: true });
}
