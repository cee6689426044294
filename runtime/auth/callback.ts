/**
 * `GET /auth/callback`: Aries' authorization response (the redirect URI
 * registered in Client Center).
 * 1. The gateway state is taken atomically (single use, 10 minutes,
 *    RFC 6749 §10.12); missing, unknown, expired, reused or altered -> page
 *    `invalid_state` (or the page for Aries' error, when Aries sent one).
 * 2. Aries sent `error`: a page that says what happened and what to do. The
 *    client's redirect is trusted (checked at /authorize, pending still
 *    known), so the error also goes back to the client with `state` and
 *    `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2): `access_denied` (the user's own
 *    decision) redirects at once; every other error shows the page with a
 *    "Return to the app" link carrying it.
 * 3. Aries sent a code: the gateway mints its own one-time code (2 minutes)
 *    bound to the client, redirect URI, PKCE challenge and resource, and
 *    redirects to the client with `code`, `state`, `iss`. The Aries code is
 *    exchanged later, at /token, when the client proves PKCE.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { GatewayEndpoints } from './endpoints.js';
import { toOAuthError } from './oauth-error.js';
import type { OAuthRecords, PendingAuthorization } from './oauth-records.js';
import { mintToken } from './opaque-tokens.js';
import { describeError, isErrorPageCode, type CatalogueContext, type ErrorPageCode } from './pages/error-catalogue.js';
import { sendErrorPage } from './pages/error-page.js';
import { appendToRedirectUri } from './redirect-uris.js';
import { asParamSource, single } from './request-params.js';

export interface CallbackDeps {
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  readonly log: Logger;
}

/** Aries errors with their own catalogue entry; anything else is `aries_error`. */
const ARIES_ERROR_PAGES: ReadonlySet<ErrorPageCode> = new Set(['redirect_uri_mismatch', 'invalid_client', 'access_denied', 'invalid_scope', 'server_error', 'temporarily_unavailable', 'invalid_request']);
/** RFC 6749 §5.2 / §4.1.2.1: error = 1*( %x20-21 / %x23-5B / %x5D-7E ). */
const ERROR_CODE_SYNTAX = /^[\x20\x21\x23-\x5B\x5D-\x7E]{1,64}$/;

export function handleCallback(deps: CallbackDeps) {
  const context: CatalogueContext = { callbackUrl: deps.endpoints.callbackUrl, mcpUrl: deps.endpoints.mcpUrl };
  return async (req: Request, res: Response): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    const params = asParamSource(req.query);
    let state: string | undefined;
    let ariesError: string | undefined;
    let code: string | undefined;
    try {
      state = single(params, 'state');
      ariesError = single(params, 'error');
      code = single(params, 'code');
    } catch {
      sendErrorPage(res, { code: 'invalid_request', context });
      return;
    }
    const shownError = ariesError !== undefined && ERROR_CODE_SYNTAX.test(ariesError) ? ariesError : ariesError === undefined ? undefined : 'server_error';

    let pending: PendingAuthorization | undefined;
    try {
      pending = state === undefined ? undefined : await deps.records.takePending(state);
    } catch (error) {
      const failure = toOAuthError(error);
      deps.log.error({ err: failure.cause ?? failure }, 'callback: cannot read the pending authorization');
      sendErrorPage(res, { code: failure.code === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error', context, status: failure.status });
      return;
    }

    // 1. No sign-in of ours to finish.
    if (pending === undefined) {
      deps.log.warn({ ariesError: shownError, hadState: state !== undefined }, 'callback: unknown, expired or reused state');
      if (shownError !== undefined) sendErrorPage(res, { code: pageFor(shownError), context: { ...context, ariesError: shownError }, shownCode: shownError });
      else sendErrorPage(res, { code: 'invalid_state', context, shownCode: 'invalid_request' });
      return;
    }

    // 2. Aries said no (or said nothing usable).
    if (shownError !== undefined || code === undefined) {
      const errorCode = shownError ?? 'server_error';
      const page = shownError === undefined ? 'server_error' : pageFor(shownError);
      const entry = describeError(page, { ...context, ariesError: errorCode });
      const returnUrl = appendToRedirectUri(pending.redirectUri, {
        error: errorCode,
        error_description: `${entry.whatHappened} ${entry.whatToDo[0] ?? ''}`.trim(),
        state: pending.clientState,
        iss: deps.endpoints.issuer,
      });
      deps.log.info({ clientId: pending.clientId, ariesError: errorCode }, 'callback: Aries returned an error');
      if (errorCode === 'access_denied') res.redirect(302, returnUrl);
      else sendErrorPage(res, { code: page, context: { ...context, ariesError: errorCode }, shownCode: errorCode, returnUrl });
      return;
    }

    // 3. Success: our own one-time code for the client.
    try {
      const gatewayCode = mintToken('code');
      const grantId = mintToken('grant');
      await deps.records.saveCode(gatewayCode, {
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        codeChallenge: pending.codeChallenge,
        requestedScopes: pending.requestedScopes ?? pending.scopes,
        scopes: pending.scopes,
        resource: pending.resource,
        ariesCode: code,
        ariesVerifier: pending.ariesVerifier,
        grantId,
      });
      deps.log.info({ clientId: pending.clientId, grantId }, 'callback: code issued to the client');
      // RFC 6749 §4.1.2 authorization response; RFC 9207 §2 `iss`.
      res.redirect(302, appendToRedirectUri(pending.redirectUri, { code: gatewayCode, state: pending.clientState, iss: deps.endpoints.issuer }));
    } catch (error) {
      const failure = toOAuthError(error);
      deps.log.error({ err: failure.cause ?? failure }, 'callback: cannot store the code');
      const returnUrl = appendToRedirectUri(pending.redirectUri, { error: failure.code, error_description: failure.description, state: pending.clientState, iss: deps.endpoints.issuer });
      sendErrorPage(res, { code: failure.code === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error', context, status: failure.status, returnUrl });
    }
  };
}

function pageFor(ariesError: string): ErrorPageCode {
  return isErrorPageCode(ariesError) && ARIES_ERROR_PAGES.has(ariesError) ? ariesError : 'aries_error';
}
