/**
 * `POST /auth/callback`: the answer to the connection page (`pages/connect-page.ts`).
 * Checks, in order:
 * 1. the `connection` field names a waiting sign-in (unknown, expired or
 *    already submitted -> page `invalid_state`); it is the page's CSRF token;
 * 2. the browser presents the browser-binding cookie of that sign-in (set at
 *    /authorize, `SameSite=Lax`, so a cross-site form post carries none):
 *    otherwise page `browser_mismatch`, and the waiting sign-in stays for the
 *    real browser (RFC 9700 §4.7);
 * 3. `action=cancel`: the app gets `access_denied` with `state` and `iss`
 *    (RFC 6749 §4.1.2.1, RFC 9207 §2);
 *    `action=connect`: the guardrail fields are read (`guardrails-form.ts`);
 *    problems show the page again, naming each field; otherwise the sign-in
 *    is taken (single use), the gateway mints its one-time code carrying the
 *    guardrails, remembers them as this Client ID's current values, and
 *    redirects to the app with `code`, `state`, `iss`.
 * Redirects after this POST are 303 (RFC 9700 §4.11: a 307 would re-post the
 * form, guardrails and all, to the app).
 */
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { GuardrailPolicy } from '../guardrails/guardrails.js';
import { readGuardrailsForm } from '../guardrails/guardrails-form.js';
import { clearBindingCookie, presentsBinding } from './browser-binding.js';
import type { ConnectionRecords, PendingConnection } from './connection-records.js';
import type { GatewayEndpoints } from './endpoints.js';
import { toOAuthError } from './oauth-error.js';
import type { OAuthRecords } from './oauth-records.js';
import { mintToken } from './opaque-tokens.js';
import { sendConnectPage } from './pages/connect-page.js';
import type { CatalogueContext } from './pages/error-catalogue.js';
import { sendErrorPage } from './pages/error-page.js';
import { appendToRedirectUri } from './redirect-uris.js';
import { asParamSource, single } from './request-params.js';

export interface ConnectionPageDeps {
  readonly policy: GuardrailPolicy;
  readonly connections: ConnectionRecords;
  /** What the forwarded scopes let the app do, in plain words. */
  readonly abilities: (scopes: readonly string[]) => readonly string[];
}

export interface ConnectDeps extends ConnectionPageDeps {
  readonly endpoints: GatewayEndpoints;
  readonly records: OAuthRecords;
  readonly log: Logger;
}

export function handleConnect(deps: ConnectDeps) {
  const context: CatalogueContext = { callbackUrl: deps.endpoints.callbackUrl, mcpUrl: deps.endpoints.mcpUrl };
  return async (req: Request, res: Response): Promise<void> => {
    res.set('Cache-Control', 'no-store');
    const params = asParamSource(req.body);
    let id: string | undefined;
    let action: string | undefined;
    try {
      id = single(params, 'connection');
      action = single(params, 'action');
    } catch {
      sendErrorPage(res, { code: 'invalid_request', context });
      return;
    }
    try {
      // 1. The waiting sign-in this page belongs to.
      const waiting = id === undefined ? undefined : await deps.connections.find(id);
      if (id === undefined || waiting === undefined) {
        deps.log.warn({ hadConnection: id !== undefined }, 'connect: unknown, expired or already submitted connection page');
        sendErrorPage(res, { code: 'invalid_state', context, shownCode: 'invalid_request' });
        return;
      }
      // 2. RFC 9700 §4.7: only the browser that started the sign-in may finish it.
      if (!presentsBinding(req, deps.endpoints, waiting.state, waiting.pending.browserBindingHash)) {
        deps.log.warn({ clientId: waiting.pending.clientId }, 'connect: connection page submitted from another browser (or without its cookie)');
        sendErrorPage(res, { code: 'browser_mismatch', context, status: 403 });
        return;
      }
      // 3. The person's decision.
      if (action === 'cancel') {
        if ((await deps.connections.take(id)) === undefined) return sendErrorPage(res, { code: 'invalid_state', context, shownCode: 'invalid_request' });
        clearBindingCookie(res, deps.endpoints, waiting.state);
        deps.log.info({ clientId: waiting.pending.clientId }, 'connect: cancelled on the connection page');
        res.redirect(
          303,
          backToApp(deps, waiting, {
            error: 'access_denied',
            error_description: "The account owner cancelled the connection on the gateway's connection page.",
          }),
        );
        return;
      }
      if (action !== 'connect') {
        sendErrorPage(res, { code: 'invalid_request', context });
        return;
      }
      const form = readGuardrailsForm(params, deps.policy);
      if (!form.ok) {
        const current = await deps.connections.currentGuardrails(waiting.pending.clientId, deps.policy);
        const typed = { maxOrder: typedAmount(params['max_order_usd']), maxDaily: typedAmount(params['max_daily_usd']) };
        sendConnectPage(res, {
          connectionId: id,
          redirectUri: waiting.pending.redirectUri,
          abilities: deps.abilities(waiting.pending.scopes),
          policy: deps.policy,
          values: current,
          problems: form.problems,
          typed,
        });
        return;
      }
      const taken = await deps.connections.take(id);
      if (taken === undefined) return sendErrorPage(res, { code: 'invalid_state', context, shownCode: 'invalid_request' });
      const { pending } = taken;
      const gatewayCode = mintToken('code');
      const grantId = mintToken('grant');
      await deps.records.saveCode(gatewayCode, {
        clientId: pending.clientId,
        redirectUri: pending.redirectUri,
        codeChallenge: pending.codeChallenge,
        requestedScopes: pending.requestedScopes,
        scopes: pending.scopes,
        resource: pending.resource,
        ariesCode: taken.ariesCode,
        ariesVerifier: pending.ariesVerifier,
        grantId,
        guardrails: form.guardrails,
      });
      await deps.connections.saveCurrentGuardrails(pending.clientId, form.guardrails);
      clearBindingCookie(res, deps.endpoints, taken.state);
      deps.log.info({ clientId: pending.clientId, grantId, readOnly: form.guardrails.readOnly }, 'connect: guardrails chosen, code issued to the client');
      res.redirect(303, backToApp(deps, taken, { code: gatewayCode }));
    } catch (error) {
      const failure = toOAuthError(error);
      deps.log.error({ err: failure.cause ?? failure }, 'connect: cannot finish the connection');
      sendErrorPage(res, { code: failure.code === 'temporarily_unavailable' ? 'temporarily_unavailable' : 'server_error', context, status: failure.status });
    }
  };
}

/** RFC 6749 §4.1.2 / §4.1.2.1 with RFC 9207 `iss`. */
function backToApp(deps: ConnectDeps, waiting: PendingConnection, params: Readonly<Record<string, string>>): string {
  return appendToRedirectUri(waiting.pending.redirectUri, { ...params, state: waiting.pending.clientState, iss: deps.endpoints.issuer });
}

/** An amount field as typed (shown again for correcting; the page escapes it), or undefined when not one short string. */
function typedAmount(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 20 ? value : undefined;
}
