/**
 * Reads the client's credentials at the token endpoint. Aries documents
 * `client_id` / `client_secret` in the body (client_secret_post); HTTP Basic
 * (RFC 6749 §2.3.1, form-urlencoded id and secret) is accepted as a
 * tolerance. Using both with different values is `invalid_request`.
 * The client must exist and be active, and a secret, when sent, must be right
 * (else 401 `invalid_client`).
 */
import type { Request } from 'express';
import type { OAuthClient } from '../state/clients.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { OAuthError } from './oauth-error.js';

export interface AuthenticatedClient {
  readonly client: OAuthClient;
  /** A secret was sent and verified. */
  readonly secretVerified: boolean;
  readonly usedBasic: boolean;
}

export function authenticateClient(state: SandboxState, req: Request, body: Readonly<Record<string, unknown>>): AuthenticatedClient {
  const basic = readBasic(req.get('authorization'));
  const bodyId = optionalString(body, 'client_id');
  const bodySecret = optionalString(body, 'client_secret');
  if (basic && bodyId !== undefined && bodyId !== basic.id)
    throw new OAuthError('invalid_request', 'client_id in the body differs from the HTTP Basic credentials.');
  if (basic && bodySecret !== undefined && bodySecret !== basic.secret)
    throw new OAuthError('invalid_request', 'Use one client authentication method, not two.');
  const clientId = basic?.id ?? bodyId;
  const secret = basic?.secret || bodySecret || undefined;
  if (!clientId) throw new OAuthError('invalid_request', 'client_id is required.');

  const failed = (description: string) => new OAuthError('invalid_client', description, { status: 401 });
  const client = state.clients.find(clientId);
  if (!client) throw failed('Unknown client_id.');
  if (!client.active) throw failed('The client is inactive (deactivated in Client Center).');
  if (secret !== undefined && !state.clients.verifySecret(client, secret)) throw failed('Client authentication failed: wrong client_secret.');
  return { client, secretVerified: secret !== undefined, usedBasic: basic !== undefined };
}

export function optionalString(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be a string.`);
  return value;
}

function readBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_request', 'Malformed HTTP Basic credentials.');
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_request', 'Malformed HTTP Basic credentials.');
    }
  };
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}
