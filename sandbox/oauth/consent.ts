/**
 * Consent: after sign-in (and MFA), the consent page lists the client and the
 * scopes it will get, unless this user already allowed this client every one
 * of those scopes, in which case the code is issued straight away.
 * `POST /oauth2/consent`: Allow -> redirect with `code` and `state`;
 * Deny -> redirect with `error=access_denied` and `state`.
 */
import type { Request, Response } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';
import { confirmAuthorization, denyAuthorization, type AuthorizationStep } from './authorization-steps.js';
import { formTargets, redirectToClient } from './authorize.js';
import { OAuthError } from './oauth-error.js';
import { consentPage, expiredStepPage, mfaPage } from './pages/authorization-pages.js';
import { sendPage } from './pages/layout.js';
import { appendToRedirectUri } from './redirect-uri.js';
import { isJsonObject } from '../json-object.js';

/** Shows the page for the step that comes next, or finishes with a redirect when nothing is left to ask. */
export function showNextStep(state: SandboxState, res: Response, step: AuthorizationStep): void {
  const stage = step.is_mfa ? 'mfa' : 'consent';
  const session = state.sessions.peek(step.next_step_auth_id, stage);
  if (!session) {
    sendPage(res, 400, expiredStepPage());
    return;
  }
  const targets = formTargets(session.request.redirectUri);
  if (step.is_mfa) {
    sendPage(res, 200, mfaPage({ nextStepAuthId: step.next_step_auth_id, clientName: step.client_name }), targets);
  } else if (step.consent_required) {
    const email = session.userId === undefined ? '' : (state.users.findById(session.userId)?.email ?? '');
    const page = consentPage({
      nextStepAuthId: step.next_step_auth_id,
      clientName: step.client_name,
      email,
      scopes: step.scopes,
      redirectUri: session.request.redirectUri,
    });
    sendPage(res, 200, page, targets);
  } else {
    finishWithCode(state, res, step.next_step_auth_id);
  }
}

export function handleConsent(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const body = isJsonObject(req.body) ? req.body : {};
    if (body.decision === 'deny') {
      try {
        const request = denyAuthorization(state, body.next_step_auth_id);
        redirectToClient(
          res,
          appendToRedirectUri(request.redirectUri, { error: 'access_denied', error_description: 'The user denied access.', state: request.state }),
        );
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        sendPage(res, 400, expiredStepPage());
      }
      return;
    }
    if (body.decision !== 'allow') {
      sendPage(res, 400, expiredStepPage());
      return;
    }
    finishWithCode(state, res, body.next_step_auth_id);
  };
}

function finishWithCode(state: SandboxState, res: Response, nextStepAuthId: unknown): void {
  try {
    const { code, request } = confirmAuthorization(state, nextStepAuthId);
    redirectToClient(res, appendToRedirectUri(request.redirectUri, { code, state: request.state }));
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    sendPage(res, 400, expiredStepPage());
  }
}
