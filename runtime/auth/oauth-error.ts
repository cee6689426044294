/**
 * The one error type of the OAuth proxy.
 *
 * - `code`: the OAuth wire value (`invalid_grant`, `invalid_target`, ...);
 * - `status`: the HTTP status when answered as JSON (RFC 6749 §5.2: 400,
 *   401 for `invalid_client`);
 * - `description`: public text for `error_description`; never a token, a
 *   secret or an upstream body;
 * - `detail`: extra context for logs only (upstream error text, ids);
 * - `allowRedirect`: false while the client's redirect URI is not trusted, so
 *   the error is shown on our page instead of redirecting (RFC 6749 §4.1.2.1).
 */
import type { Response } from 'express';
import { isStoreUnavailable } from '../store/store.js';

export interface OAuthErrorOptions {
  readonly status?: number;
  readonly detail?: string;
  readonly allowRedirect?: boolean;
  readonly cause?: unknown;
}

export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly status: number;
  readonly detail: string | undefined;
  readonly allowRedirect: boolean;

  constructor(
    readonly code: string,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(`${code}: ${description}`, { cause: options.cause });
    this.status = options.status ?? (code === 'invalid_client' ? 401 : 400);
    this.detail = options.detail;
    this.allowRedirect = options.allowRedirect ?? false;
  }

  /** RFC 6749 §5.2 error response body. */
  toJSON(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

/** Anything that is not already an OAuthError becomes `server_error` (never a client-fault code). */
export function toOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  if (isStoreUnavailable(error)) {
    return new OAuthError('temporarily_unavailable', 'The gateway cannot reach its session store; try again in a minute.', { status: 503, cause: error });
  }
  return new OAuthError('server_error', 'The gateway hit an unexpected error; try again.', { status: 500, cause: error });
}

/** RFC 6749 §5.1/§5.2: JSON error, never cached. */
export function sendOAuthError(res: Response, error: OAuthError): void {
  res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  if (error.status === 503) res.set('Retry-After', '30');
  res.status(error.status).json(error.toJSON());
}
