/**
 * Response headers every gateway answer carries (OWASP Secure Headers):
 * - `X-Content-Type-Options: nosniff`: JSON and error text are never sniffed
 *   into something executable;
 * - `Referrer-Policy: no-referrer`: URLs here carry one-time codes and state;
 * - `Content-Security-Policy: default-src 'none'; frame-ancestors 'none'` and
 *   `X-Frame-Options: DENY`: nothing may load, run or frame. This is the
 *   default for API answers and for HTML Express writes on its own (the body
 *   of a redirect); the gateway's pages (`auth/pages/layout.ts`) replace it
 *   with their own policy, which keeps `frame-ancestors 'none'`;
 * - `Strict-Transport-Security` only when the public URL is https (RFC 6797
 *   §7.2: never sent over plain http, where it is ignored anyway).
 * It does not set caching (each endpoint decides) or CORS (`auth/cors.ts`),
 * and removes no header: `X-Powered-By` is off in `app.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'";
export const HSTS = 'max-age=31536000; includeSubDomains';

export interface SecurityHeadersOptions {
  /** GATEWAY_PUBLIC_URL; HSTS is sent when it is https. */
  readonly publicUrl?: string;
}

export function securityHeaders(options: SecurityHeadersOptions = {}) {
  const https = options.publicUrl?.startsWith('https:') === true;
  return (_req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', DEFAULT_CSP);
    res.setHeader('X-Frame-Options', 'DENY');
    if (https) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
