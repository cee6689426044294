/**
 * The gateway as an OAuth client of Aries (API-REFERENCE §1.3, §1.4):
 * `authorizationUrl` builds the browser redirect to Aries' sign-in page,
 * `exchangeCode`/`refresh` call `POST /v1/oauth2/token` through
 * simple-oauth2 and `parseTokenResponse` turns the answer into an
 * `AriesTokenSet`.
 *
 * simple-oauth2 settings (DESIGN §9):
 * - `authorizationMethod: 'body'`: Aries takes `client_id`/`client_secret`
 *   in the body (client_secret_post), and header mode would send
 *   `Basic base64("id:undefined")` for a public client;
 * - `bodyFormat: 'json'` by default (Aries' documented examples; JSON also
 *   drops an absent secret instead of sending `client_secret=`);
 * - `refresh()` loses the refresh token when Aries does not rotate it: the
 *   old one is kept here.
 * Errors become `AriesOAuthError`: the Aries error code when Aries answered
 * with one, `unreachable` for network failures and timeouts, `bad_response`
 * otherwise. Upstream text stays in `upstreamDescription` (logs only).
 *
 * simple-oauth2 (and Joi, @hapi/wreck with it) is imported on the first token
 * exchange or refresh, not at start-up: it is a sizeable part of start-up
 * time and a gateway serving tool calls for existing grants may never need it.
 */
import type * as SimpleOAuth2Module from 'simple-oauth2';
import type { ModuleOptions } from 'simple-oauth2';
import { isJsonObject } from '../json-object.js';

export interface AriesClientCredentials {
  readonly clientId: string;
  /** Only when the MCP client sent one (confidential client); never invented. */
  readonly clientSecret?: string;
}

export interface AriesTokenSet {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly refreshExpiresAt: number | undefined;
  /** Granted scopes (`scope` of the response), when Aries says. */
  readonly scopes: readonly string[] | undefined;
}

export interface AuthorizationUrlParams {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly codeChallenge: string;
}

export interface AriesOAuthClient {
  authorizationUrl(params: AuthorizationUrlParams): string;
  exchangeCode(credentials: AriesClientCredentials, params: { code: string; redirectUri: string; codeVerifier: string }): Promise<AriesTokenSet>;
  refresh(credentials: AriesClientCredentials, refreshToken: string): Promise<AriesTokenSet>;
}

export interface AriesOAuthOptions {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly bodyFormat?: 'json' | 'form';
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export class AriesOAuthError extends Error {
  override readonly name = 'AriesOAuthError';
  constructor(
    /** Aries' `error`, or `unreachable` / `bad_response`. */
    readonly code: string,
    readonly status: number | undefined,
    /** Aries' `error_description`; for logs, never for clients. */
    readonly upstreamDescription: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Aries token endpoint: ${code}${status === undefined ? '' : ` (HTTP ${status})`}`, options);
  }
}

/** When Aries omits `expires_in`: assume the documented typical lifetime. */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;

type SimpleOAuth2 = typeof SimpleOAuth2Module;

let simpleOAuth2: Promise<SimpleOAuth2> | undefined;

/** simple-oauth2, imported once on first use (shared by every client in the process). */
function loadSimpleOAuth2(): Promise<SimpleOAuth2> {
  simpleOAuth2 ??= import('simple-oauth2').catch((error: unknown) => {
    simpleOAuth2 = undefined;
    throw error;
  });
  return simpleOAuth2;
}

export function createAriesOAuthClient(options: AriesOAuthOptions): AriesOAuthClient {
  const now = options.now ?? Date.now;
  const token = new URL(options.tokenUrl);
  const http = { timeout: options.timeoutMs ?? 10_000 };

  const oauthFor = ({ AuthorizationCode }: SimpleOAuth2, credentials: AriesClientCredentials) => {
    // @types/simple-oauth2 marks `client.secret` required, but simple-oauth2 5 accepts it absent
    // (Joi schema), and with body authentication an absent secret is simply not sent (JSON).
    // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- @types/simple-oauth2 is stricter than the library (above)
    const config = {
      client: { id: credentials.clientId, secret: credentials.clientSecret },
      auth: { tokenHost: token.origin, tokenPath: token.pathname + token.search },
      options: { authorizationMethod: 'body', bodyFormat: options.bodyFormat ?? 'json' },
    } as ModuleOptions;
    return new AuthorizationCode(config);
  };

  return {
    authorizationUrl(params) {
      const url = new URL(options.authorizeUrl);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', params.clientId);
      url.searchParams.set('redirect_uri', params.redirectUri);
      if (params.scopes.length > 0) url.searchParams.set('scope', params.scopes.join(' '));
      url.searchParams.set('state', params.state);
      url.searchParams.set('code_challenge', params.codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      return url.href;
    },

    async exchangeCode(credentials, params) {
      const request = { code: params.code, redirect_uri: params.redirectUri, code_verifier: params.codeVerifier };
      // A failing import is a broken installation, not an Aries error: it is not mapped to AriesOAuthError.
      const library = await loadSimpleOAuth2();
      try {
        const result = await oauthFor(library, credentials).getToken(request, http);
        return parseTokenResponse(result.token, undefined, now());
      } catch (error) {
        throw toAriesError(error);
      }
    },

    async refresh(credentials, refreshToken) {
      const library = await loadSimpleOAuth2();
      try {
        const result = await oauthFor(library, credentials).createToken({ refresh_token: refreshToken }).refresh({}, http);
        // simple-oauth2 drops the refresh token when Aries does not rotate it: keep ours.
        return parseTokenResponse(result.token, refreshToken, now());
      } catch (error) {
        throw toAriesError(error);
      }
    },
  };
}

export function parseTokenResponse(body: Readonly<Record<string, unknown>>, previousRefreshToken: string | undefined, now: number): AriesTokenSet {
  const accessToken = body['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') throw new AriesOAuthError('bad_response', 200, 'no access_token in the token response');
  const refreshToken = body['refresh_token'];
  const scope = body['scope'];
  return {
    accessToken,
    refreshToken: typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : previousRefreshToken,
    expiresAt: now + seconds(body['expires_in'], DEFAULT_EXPIRES_IN_SECONDS) * 1000,
    refreshExpiresAt: body['refresh_token_expires_in'] === undefined ? undefined : now + seconds(body['refresh_token_expires_in'], 0) * 1000,
    scopes: typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : undefined,
  };
}

function seconds(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : fallback;
}

/** Boom errors from @hapi/wreck carry the response in `data`; anything without one never reached Aries. */
function toAriesError(error: unknown): AriesOAuthError {
  if (error instanceof AriesOAuthError) return error;
  const data = typeof error === 'object' && error !== null ? Reflect.get(error, 'data') : undefined;
  const response = typeof data === 'object' && data !== null ? Reflect.get(data, 'res') : undefined;
  const status = typeof response === 'object' && response !== null ? Reflect.get(response, 'statusCode') : undefined;
  if (typeof status !== 'number') return new AriesOAuthError('unreachable', undefined, error instanceof Error ? error.message : undefined, { cause: error });
  const payload = readPayload(typeof data === 'object' && data !== null ? Reflect.get(data, 'payload') : undefined);
  const code = typeof payload?.['error'] === 'string' ? payload['error'] : 'bad_response';
  const description = typeof payload?.['error_description'] === 'string' ? payload['error_description'] : undefined;
  return new AriesOAuthError(code, status, description, { cause: error });
}

function readPayload(payload: unknown): Record<string, unknown> | undefined {
  let value = payload;
  if (Buffer.isBuffer(value)) {
    try {
      value = JSON.parse(value.toString('utf8'));
    } catch {
      return undefined;
    }
  }
  return isJsonObject(value) ? value : undefined;
}
