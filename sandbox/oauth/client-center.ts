/**
 * Client Center (`/client-center`): the HTML page where a customer creates an
 * OAuth client and deactivates it. Creating shows the Client ID and secret
 * once. Forms are same-origin only (see `isSameOriginForm`).
 */
import express, { type Request, type Response, type Router } from 'express';
import { ClientRegistrationError } from '../state/clients.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { isSameOriginForm } from './check-form-origin.js';
import { clientCenterPage, clientCreatedPage } from './pages/client-center-pages.js';
import { expiredStepPage } from './pages/authorization-pages.js';
import { sendPage } from './pages/layout.js';
import { isJsonObject } from '../json-object.js';

export function createClientCenterRouter(state: SandboxState, publicUrl: string | undefined): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '64kb' });
  const sameOrigin = (req: Request, res: Response): boolean => {
    if (isSameOriginForm(req, publicUrl)) return true;
    sendPage(res, 403, expiredStepPage());
    return false;
  };

  router.get('/client-center', (_req, res) => sendPage(res, 200, clientCenterPage(state.clients.list())));

  router.post('/client-center/clients', form, (req, res) => {
    if (!sameOrigin(req, res)) return;
    const body = isJsonObject(req.body) ? req.body : {};
    const values = {
      name: typeof body.name === 'string' ? body.name : '',
      redirectUris: typeof body.redirect_uris === 'string' ? body.redirect_uris : '',
      scopes: ([] as unknown[]).concat(body.scopes ?? []).filter((s): s is string => typeof s === 'string'),
      isPublic: body.public === 'true',
    };
    try {
      const redirectUris = values.redirectUris
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
      const { client, clientSecret } = state.clients.register({ ...values, redirectUris });
      sendPage(res, 201, clientCreatedPage(client, clientSecret));
    } catch (error) {
      if (!(error instanceof ClientRegistrationError)) throw error;
      sendPage(res, 400, clientCenterPage(state.clients.list(), { ...values, error: error.message }));
    }
  });

  router.post('/client-center/clients/:id/deactivate', form, (req, res) => {
    if (!sameOrigin(req, res)) return;
    state.clients.deactivate(String(req.params.id));
    res.redirect(303, '/client-center');
  });

  return router;
}
