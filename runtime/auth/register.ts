/**
 * `POST /register`: there is no dynamic client registration (RFC 7591), and
 * the metadata does not advertise one. A client that tries anyway (a
 * connector added without a Client ID) gets an RFC 7591 §3.2.2 error whose
 * description tells the person what to do instead.
 */
import type { Request, Response } from 'express';
import type { GatewayEndpoints } from './endpoints.js';
import { OAuthError, sendOAuthError } from './oauth-error.js';

export function registrationRefusal(endpoints: GatewayEndpoints): OAuthError {
  return new OAuthError(
    'invalid_client_metadata',
    `This gateway does not register clients: Aries needs your own Client ID. In Aries Client Center, open API > Generate Key, set the redirect URI to ${endpoints.callbackUrl}, then enter the Client ID in the connector's advanced settings (OAuth Client ID).`,
  );
}

export function handleRegister(endpoints: GatewayEndpoints) {
  const refusal = registrationRefusal(endpoints);
  return (_req: Request, res: Response): void => {
    sendOAuthError(res, refusal);
  };
}
