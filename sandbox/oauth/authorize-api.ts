/**
 * The documented JSON backend of the Aries login page:
 * - `POST /v1/oauth2/authorize` {client_id, email, password, redirect_uri, response_type, scope, state,
 *   code_challenge, code_challenge_method} -> {client_name, consent_required, is_mfa, next_step_auth_id, scopes}
 * - `POST /v1/oauth2/authorize/mfa` {next_step_auth_id, verification_code} -> the same shape
 * - `POST /v1/oauth2/authorize/confirm` {next_step_auth_id} -> {code, redirect_uri}
 * Errors are JSON (`{error, error_description}`; wrong credentials 401 `unauthorized` with `message`);
 * this backend never redirects.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { SandboxState } from '../state/sandbox-state.js';
import { authenticateUser, confirmAuthorization, startAuthorization, verifyMfa } from './authorization-steps.js';
import { checkAuthorizationRequest } from './check-authorization-request.js';
import { OAuthError } from './oauth-error.js';
import { isJsonObject } from '../json-object.js';

export function createAuthorizeApiRouter(state: SandboxState): Router {
  const router = express.Router();
  const json = express.json({ limit: '64kb' });

  router.post('/v1/oauth2/authorize', json, (req, res) =>
    answer(res, () => {
      const body = requireFields(req, ['client_id', 'email', 'password', 'redirect_uri']);
      // The backend's response_type defaults to "code" (spec: OAuth2AuthorizeRequest).
      const { request } = checkAuthorizationRequest({ response_type: 'code', ...body }, state.clients);
      return startAuthorization(state, request, authenticateUser(state, body.email, body.password));
    }),
  );

  router.post('/v1/oauth2/authorize/mfa', json, (req, res) =>
    answer(res, () => {
      const body = requireFields(req, ['next_step_auth_id', 'verification_code']);
      return verifyMfa(state, body.next_step_auth_id, body.verification_code);
    }),
  );

  router.post('/v1/oauth2/authorize/confirm', json, (req, res) =>
    answer(res, () => {
      const body = requireFields(req, ['next_step_auth_id']);
      const { code, redirect_uri } = confirmAuthorization(state, body.next_step_auth_id);
      return { code, redirect_uri };
    }),
  );

  return router;
}

function answer(res: Response, step: () => object): void {
  res.set('Cache-Control', 'no-store');
  try {
    res.status(200).json(step());
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    res.status(error.status).json(error.toJSON());
  }
}

function requireFields(req: Request, fields: readonly string[]): Record<string, unknown> {
  const body: unknown = req.body;
  if (!isJsonObject(body)) {
    throw new OAuthError('invalid_request', 'The body must be a JSON object (Content-Type: application/json).');
  }
  const record = body;
  const missing = fields.filter((field) => typeof record[field] !== 'string' || record[field] === '');
  if (missing.length > 0) throw new OAuthError('invalid_request', `Missing or empty field: ${missing.join(', ')}.`);
  return record;
}
