/**
 * `POST /register`: there is no dynamic client registration (RFC 7591), and
 * the metadata advertises neither it nor Client ID Metadata Documents. A
 * client that tries anyway (a connector added without a Client ID) gets an
 * RFC 7591 §3.2.2 error whose description tells the person what to do
 * instead: pick the connector's own-client-ID option and paste the Aries
 * Client ID. The option is named by what it does, so a relabelled button in
 * a client's UI does not make the advice wrong.
 */
import type { Request, Response } from 'express';
import type { GatewayEndpoints } from './endpoints.js';
import { OAuthError, sendOAuthError } from './oauth-error.js';

export function registrationRefusal(endpoints: GatewayEndpoints): OAuthError {
  return new OAuthError(
    'invalid_client_metadata',
    `This gateway does not register clients: Aries needs your own Client ID. In Aries Client Center, open API > Generate Key and set the redirect URI to ${endpoints.callbackUrl}. Then, in the connector's authentication settings, choose the option that lets you enter your own OAuth client ID (not automatic registration and not a client provided by the app) and paste the Client ID.`,
  );
}

export function handleRegister(endpoints: GatewayEndpoints) {
  const refusal = registrationRefusal(endpoints);
  return (_req: Request, res: Response): void => {
    sendOAuthError(res, refusal);
  };
}
