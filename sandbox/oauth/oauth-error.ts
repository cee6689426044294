/**
 * One error type for the authorization server. `description` is public (it
 * reaches the browser or the client) and never carries secrets; `detail` is
 * extra HTML-safe context for error pages (registered vs received redirect
 * URI). `allowRedirect=false` means the error must be shown on a page because
 * the redirect URI is not trusted yet (RFC 6749 §4.1.2.1).
 */

export interface OAuthErrorOptions {
  readonly status?: number;
  readonly allowRedirect?: boolean;
  readonly detail?: ReadonlyArray<readonly [label: string, value: string]>;
  readonly hint?: string;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly allowRedirect: boolean;
  readonly detail: ReadonlyArray<readonly [string, string]>;
  readonly hint: string | undefined;

  constructor(
    readonly code: string,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(`${code}: ${description}`);
    this.status = options.status ?? (code === 'invalid_client' ? 401 : 400);
    this.allowRedirect = options.allowRedirect ?? false;
    this.detail = options.detail ?? [];
    this.hint = options.hint;
  }

  /** RFC 6749 §5.2 body; user-authentication failures also carry Aries' `message`. */
  toJSON(): { error: string; error_description: string; message?: string } {
    const body = { error: this.code, error_description: this.description };
    return this.code === 'unauthorized' ? { ...body, message: this.description } : body;
  }
}
