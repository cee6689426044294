/**
 * The authorization server: Client Center, the browser flow
 * (`GET /oauth2/authorize` -> sign-in -> [MFA] -> [consent] -> redirect), its
 * JSON backend and the token endpoint. Not subject to API faults.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';
import { createAuthorizeApiRouter } from './authorize-api.js';
import { handleAuthorize } from './authorize.js';
import { isSameOriginForm } from './check-form-origin.js';
import { createClientCenterRouter } from './client-center.js';
import { handleConsent } from './consent.js';
import { expiredStepPage } from './pages/authorization-pages.js';
import { sendPage } from './pages/layout.js';
import { handleMfa, handleSignIn } from './sign-in.js';
import { createTokenRouter } from './token.js';

export function createOAuthRouter(state: SandboxState, publicUrl: string | undefined): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const sameOrigin = (req: Request, res: Response, next: NextFunction) => {
    if (isSameOriginForm(req, publicUrl)) next();
    else sendPage(res, 403, expiredStepPage());
  };

  router.use(createClientCenterRouter(state, publicUrl));
  router.get('/oauth2/authorize', handleAuthorize(state));
  router.post('/oauth2/sign-in', form, sameOrigin, handleSignIn(state));
  router.post('/oauth2/mfa', form, sameOrigin, handleMfa(state));
  router.post('/oauth2/consent', form, sameOrigin, handleConsent(state));
  router.use(createAuthorizeApiRouter(state));
  router.use(createTokenRouter(state));
  return router;
}
