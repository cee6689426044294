/**
 * `GET /oauth2/authorize`, the browser entry point. A valid request opens a
 * sign-in step and shows the sign-in page; an invalid one is shown on an error
 * page while the client or redirect URI is in doubt (`invalid_client`,
 * `redirect_uri_mismatch`: never redirect to an unregistered URI), and is
 * otherwise redirected to the client with `error`, `error_description` and
 * `state` (RFC 6749 §4.1.2.1).
 */
import type { Request, Response } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';
import { checkAuthorizationRequest } from './check-authorization-request.js';
import { OAuthError } from './oauth-error.js';
import { authorizationErrorPage, signInPage } from './pages/authorization-pages.js';
import { sendPage } from './pages/layout.js';
import { appendToRedirectUri, redirectOrigin } from './redirect-uri.js';

export function handleAuthorize(state: SandboxState) {
  return (req: Request, res: Response): void => {
    const query = req.query as Record<string, unknown>;
    try {
      const { client, request } = checkAuthorizationRequest(query, state.clients);
      const session = state.sessions.open('sign-in', request);
      sendPage(res, 200, signInPage({ txn: session.id, clientName: client.name }), formTargets(request.redirectUri));
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      const redirectUri = typeof query.redirect_uri === 'string' ? query.redirect_uri : undefined;
      if (error.allowRedirect && redirectUri !== undefined) {
        const stateParam = typeof query.state === 'string' ? query.state : undefined;
        redirectToClient(res, appendToRedirectUri(redirectUri, { error: error.code, error_description: error.description, state: stateParam }));
        return;
      }
      sendPage(res, error.status === 401 ? 400 : error.status, authorizationErrorPage(error));
    }
  };
}

/** RFC 6749 §4.1.2: the authorization response is a redirect to the client. */
export function redirectToClient(res: Response, location: string): void {
  res.set('Cache-Control', 'no-store').redirect(302, location);
}

export function formTargets(redirectUri: string): string[] {
  const origin = redirectOrigin(redirectUri);
  return origin ? [origin] : [];
}
