/**
 * Who is calling /token and /revoke. The gateway does not know the client's
 * secret (Aries does), so it only reads the claimed identity:
 * - `client_id` (+ `client_secret`) in the body (`none`, `client_secret_post`);
 * - or HTTP Basic (`client_secret_basic`, RFC 6749 §2.3.1: form-urlencoded
 *   id and secret), never mixed with a different body `client_id`.
 * Both must be printable ASCII (RFC 6749 Appendix A) -> invalid_client.
 * The secret, when sent, is passed to Aries at the code exchange (Aries
 * verifies it) and pinned on the grant for later refreshes.
 */
import type { Request } from 'express';
import { OAuthError } from './oauth-error.js';
import { single, type ParamSource } from './request-params.js';

export interface ClaimedClient {
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly usedBasic: boolean;
}

export function readClient(req: Request, params: ParamSource, required: true): ClaimedClient;
export function readClient(req: Request, params: ParamSource, required: false): ClaimedClient | undefined;
export function readClient(req: Request, params: ParamSource, required: boolean): ClaimedClient | undefined {
  const basic = readBasic(req.get('authorization'));
  const bodyId = single(params, 'client_id');
  const bodySecret = single(params, 'client_secret');
  if (basic !== undefined) {
    if (bodyId !== undefined && bodyId !== basic.id) throw new OAuthError('invalid_request', 'client_id in the body differs from the HTTP Basic credentials.');
    if (bodySecret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method, not two.');
    return checked({ clientId: basic.id, clientSecret: basic.secret === '' ? undefined : basic.secret, usedBasic: true });
  }
  if (bodyId === undefined) {
    if (required) throw new OAuthError('invalid_request', 'client_id is required.');
    return undefined;
  }
  return checked({ clientId: bodyId, clientSecret: bodySecret, usedBasic: false });
}

/** RFC 6749 Appendix A.1, A.2: client-id and client-secret are *VSCHAR (%x20-7E). Anything else never reaches Aries (or a log line). */
function checked(client: ClaimedClient): ClaimedClient {
  if (!VSCHAR.test(client.clientId) || (client.clientSecret !== undefined && !VSCHAR.test(client.clientSecret))) {
    throw new OAuthError(
      'invalid_client',
      'Client authentication failed: client_id and client_secret may contain only printable ASCII characters (check for a pasted line break).',
      { status: 401 },
    );
  }
  return client;
}

const VSCHAR = /^[\x20-\x7E]*$/;

function readBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const fail = () => new OAuthError('invalid_client', 'Malformed HTTP Basic client credentials.', { status: 401 });
  if (colon <= 0) throw fail();
  try {
    const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw fail();
  }
}
