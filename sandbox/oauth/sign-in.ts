/**
 * The sign-in and MFA forms of the browser flow. `POST /oauth2/sign-in`
 * checks the email and password against the sign-in step opened by
 * `GET /oauth2/authorize`; a wrong password shows the form again with the same
 * step. `POST /oauth2/mfa` checks the 6-digit code. Both then continue with
 * `showNextStep` (consent or the redirect with a code).
 */
import type { Request, Response } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';
import { startAuthorization, verifyMfa } from './authorization-steps.js';
import { formTargets } from './authorize.js';
import { showNextStep } from './consent.js';
import { OAuthError } from './oauth-error.js';
import { expiredStepPage, mfaPage, signInPage } from './pages/authorization-pages.js';
import { sendPage } from './pages/layout.js';
import { isJsonObject } from '../json-object.js';

export function handleSignIn(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const body = isJsonObject(req.body) ? req.body : {};
    const pending = state.sessions.peek(body.txn, 'sign-in');
    if (!pending) {
      sendPage(res, 400, expiredStepPage());
      return;
    }
    const clientName = state.clients.find(pending.request.clientId)?.name ?? '';
    const user = state.users.authenticate(body.email, body.password);
    if (!user) {
      const email = typeof body.email === 'string' ? body.email : '';
      sendPage(res, 401, signInPage({ txn: pending.id, clientName, email, error: 'Invalid email or password.' }), formTargets(pending.request.redirectUri));
      return;
    }
    const session = state.sessions.take(pending.id, ['sign-in']);
    if (!session) {
      sendPage(res, 400, expiredStepPage());
      return;
    }
    showNextStep(state, res, startAuthorization(state, session.request, user));
  };
}

export function handleMfa(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const body = isJsonObject(req.body) ? req.body : {};
    const pending = state.sessions.peek(body.next_step_auth_id, 'mfa');
    if (!pending) {
      sendPage(res, 400, expiredStepPage());
      return;
    }
    try {
      showNextStep(state, res, verifyMfa(state, body.next_step_auth_id, body.verification_code));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const clientName = state.clients.find(pending.request.clientId)?.name ?? '';
      sendPage(res, 401, mfaPage({ nextStepAuthId: pending.id, clientName, error: error.description }), formTargets(pending.request.redirectUri));
    }
  };
}
