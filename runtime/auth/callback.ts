/**
 * `GET /auth/callback`: Aries' authorization response (the redirect URI
 * registered in Client Center).
 * 1. The gateway state is taken atomically (single use, 10 minutes,
 *    RFC 6749 §10.12); missing, unknown, expired, reused or altered -> page
 *    `invalid_state` (or the page for Aries' error, when Aries sent one).
 * 2. The browser must present the cookie /authorize set for this sign-in
 *    (`browser-binding.ts`); otherwise a page `browser_mismatch` that says to
 *    start again from the app, and nothing goes back to the client.
 * 3. Aries sent `error`: a page that says what happened and what to do
 *    (known codes with their catalogue text; any other code, which a link
 *    can choose, gets one fixed text and reaches the app as `server_error`). The
 *    client's redirect is trusted (checked at /authorize, pending still
 *    known), so the error also goes back to the client with `state` and
 *    `iss` (RFC 6749 §4.1.2.1, RFC 9207 §2): `access_denied` (the user's own
 *    decision) redirects at once; every other error shows the page with a
 *    "Return to the app" link carrying it.
 * 4. Aries sent a code and the forwarded scopes let the app trade (they
 *    include a scope of a tool with trading guardrails): the Aries code waits
 *    (sealed, 10 minutes) and the connection page is shown; its POST
 *    (`connect.ts`) finishes the sign-in. The browser-binding cookie is kept
 *    for that POST.
 * 5. Otherwise the gateway mints its own one-time code (2 minutes)
 *    bound to the client, redirect URI, PKCE challenge and resource, and
 *    redirects to the client with `code`, `state`, `iss`. The Aries code is
 *    exchanged later, at /token, when the client proves PKCE.
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { needsConnectionPage } from '../guardrails/guardrails.js';
import { clearBindingCookie, presentsBinding } from './browser-binding.js';
import type { ConnectionPageDeps } from './connect.js';
import type { GatewayEndpoints } from './endpoints.js';
import { toOAuthError } from './oauth-error.js';
import type { OAuthRecords, PendingAuthorization } from './oauth-records.js';
import { mintToken } from './opaque-tokens.js';
import { sendConnectPage } from './pages/connect-page.js';
import { describeError, isErrorPageCode, type CatalogueContext, type ErrorPageCode } from './pages/error-catalogue.js';
import { sendErrorPage } from './pages/error-page.js';
import { appendToRedirectUri } from './redirect-uris.js';
import { asParamSource, single } from './request-params.js';

export interface CallbackDeps {
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  readonly log: Logger;
  /** The connection page with trading guardrails; absent: never shown. */
  readonly connection?: ConnectionPageDeps;
}

/** Aries errors with their own catalogue entry. */
const ARIES_ERROR_PAGES: ReadonlySet<ErrorPageCode> = new Set([
  'redirect_uri_mismatch',
  'invalid_client',
  'access_denied',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
  'invalid_request',
]);
/** Codes shown by name: those pages, plus the other RFC 6749 §4.1.2.1 codes (on the `aries_error` page). */
const KNOWN_ARIES_ERRORS: ReadonlySet<string> = new Set([...ARIES_ERROR_PAGES, 'unauthorized_client', 'unsupported_response_type']);
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
    const aries = ariesError === undefined ? undefined : readAriesError(ariesError);
    // For diagnostics only: what Aries (or a link) sent, when it is a syntactically valid code.
    const loggedError = ariesError === undefined ? undefined : ERROR_CODE_SYNTAX.test(ariesError) ? ariesError : '(malformed)';

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
      deps.log.warn({ ariesError: loggedError, hadState: state !== undefined }, 'callback: unknown, expired or reused state');
      if (aries !== undefined) sendErrorPage(res, { code: aries.page, context, shownCode: aries.code });
      else sendErrorPage(res, { code: 'invalid_state', context, shownCode: 'invalid_request' });
      return;
    }

    // 2. RFC 9700 §4.7: only the browser that started this sign-in may finish it (a forwarded link would connect the victim's app to the sender's account).
    if (state === undefined || !presentsBinding(req, deps.endpoints, state, pending.browserBindingHash)) {
      deps.log.warn(
        { clientId: pending.clientId, hadCookie: (req.get('cookie') ?? '').includes('agw-signin-') },
        'callback: sign-in finished in another browser than it started in',
      );
      sendErrorPage(res, { code: 'browser_mismatch', context });
      return;
    }
    const connection = deps.connection;
    const showPage = aries === undefined && code !== undefined && connection !== undefined && needsConnectionPage(connection.policy, pending.scopes);
    if (!showPage) clearBindingCookie(res, deps.endpoints, state);

    // 3. Aries said no (or said nothing usable).
    if (aries !== undefined || code === undefined) {
      const { page, code: errorCode } = aries ?? { page: 'server_error', code: 'server_error' };
      const entry = describeError(page, context);
      const returnUrl = appendToRedirectUri(pending.redirectUri, {
        error: errorCode,
        error_description: `${entry.whatHappened} ${entry.whatToDo[0] ?? ''}`.trim(),
        state: pending.clientState,
        iss: deps.endpoints.issuer,
      });
      deps.log.info({ clientId: pending.clientId, ariesError: loggedError ?? 'server_error' }, 'callback: Aries returned an error');
      if (errorCode === 'access_denied') res.redirect(302, returnUrl);
      else sendErrorPage(res, { code: page, context, shownCode: errorCode, returnUrl });
      return;
    }

    // 4. The app may trade: the person chooses its guardrails first.
    if (showPage && connection !== undefined) {
      try {
        const { expiresAt: _expiresAt, ...waiting } = pending;
        const connectionId = await connection.connections.save(waiting, state, code);
        const values = await connection.connections.currentGuardrails(pending.clientId, connection.policy);
        deps.log.info({ clientId: pending.clientId }, 'callback: connection page shown');
        sendConnectPage(res, {
          connectionId,
          redirectUri: pending.redirectUri,
          abilities: connection.abilities(pending.scopes),
          policy: connection.policy,
          values,
        });
      } catch (error) {
        const failure = toOAuthError(error);
        deps.log.error({ err: failure.cause ?? failure }, 'callback: cannot keep the sign-in for the connection page');
        sendErrorPage(res, { code: failure.code === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error', context, status: failure.status });
      }
      return;
    }

    // 5. Success: our own one-time code for the client.
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
      const returnUrl = appendToRedirectUri(pending.redirectUri, {
        error: failure.code,
        error_description: failure.description,
        state: pending.clientState,
        iss: deps.endpoints.issuer,
      });
      sendErrorPage(res, {
        code: failure.code === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error',
        context,
        status: failure.status,
        returnUrl,
      });
    }
  };
}

/** The page and the code shown (and returned to the app) for Aries' `error`; never the raw value of an unknown one. */
function readAriesError(raw: string): { page: ErrorPageCode; code: string } {
  if (!KNOWN_ARIES_ERRORS.has(raw)) return { page: 'aries_error', code: 'server_error' };
  return { page: isErrorPageCode(raw) && ARIES_ERROR_PAGES.has(raw) ? raw : 'aries_error', code: raw };
}
