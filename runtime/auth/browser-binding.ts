/**
 * Binds a sign-in to the browser that started it (RFC 9700 §4.7: CSRF
 * protection of the redirect back from Aries; the gateway's own `state`
 * alone does not say which browser it was given to).
 *
 * /authorize sets a random value in a cookie and keeps only its SHA-256 in
 * the pending authorization; /auth/callback finishes the sign-in only when
 * the browser presents that cookie. Because Aries skips its consent screen
 * after the first time, a forwarded /authorize or Aries link would otherwise
 * complete silently in the victim's browser and connect the victim's app to
 * the sender's Aries account.
 *
 * The cookie (one per sign-in, named after its state, so two sign-ins in one
 * browser do not overwrite each other; 10 minutes, like the pending record):
 * - HTTPS gateway: `__Host-agw-signin-<id>`, `Secure`, `Path=/`, no Domain.
 *   The prefix makes the browser refuse the cookie from any other host or
 *   over plain HTTP, so a sibling subdomain cannot plant one. It requires
 *   `Path=/` (RFC 6265bis §4.1.3.2), so the narrower `Path=/auth/callback`
 *   is given up: a path is no security boundary between pages of one origin
 *   (RFC 6265 §8.6), and the value is HttpOnly and useless after the callback.
 * - HTTP gateway (only on loopback: the local sandbox): browsers do not all
 *   accept `Secure` or prefixed cookies there, so the name has no prefix and
 *   the cookie is scoped to `Path=/auth/callback`.
 * - Always `HttpOnly` and `SameSite=Lax`: sent on the top-level GET redirect
 *   from Aries to the callback, not on cross-site subrequests.
 * What it does not do: decide what page to show; `callback.ts` does.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { GatewayEndpoints } from './endpoints.js';
import { safeEqual } from './opaque-tokens.js';

/** Lives as long as the pending authorization (`PENDING_TTL_SECONDS`). */
const BINDING_MAX_AGE_MS = 600_000;
const CALLBACK_PATH = '/auth/callback';

export interface BrowserBinding {
  /** Goes into the cookie only. */
  readonly value: string;
  /** Goes into the pending authorization. */
  readonly hash: string;
}

export function createBrowserBinding(): BrowserBinding {
  const value = randomBytes(32).toString('base64url');
  return { value, hash: bindingHash(value) };
}

export function setBindingCookie(res: Response, endpoints: GatewayEndpoints, state: string, binding: BrowserBinding): void {
  const secure = endpoints.issuer.startsWith('https:');
  res.cookie(cookieName(endpoints, state), binding.value, {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: secure ? '/' : CALLBACK_PATH,
    maxAge: BINDING_MAX_AGE_MS,
  });
}

/** Ends the cookie once the callback has used it (whatever the outcome). */
export function clearBindingCookie(res: Response, endpoints: GatewayEndpoints, state: string): void {
  const secure = endpoints.issuer.startsWith('https:');
  res.clearCookie(cookieName(endpoints, state), { httpOnly: true, secure, sameSite: 'lax', path: secure ? '/' : CALLBACK_PATH });
}

/** True when the request carries the cookie whose hash the pending authorization holds. */
export function presentsBinding(req: Request, endpoints: GatewayEndpoints, state: string, expectedHash: string): boolean {
  const value = readCookie(req.get('cookie'), cookieName(endpoints, state));
  return value !== undefined && safeEqual(bindingHash(value), expectedHash);
}

function cookieName(endpoints: GatewayEndpoints, state: string): string {
  const id = createHash('sha256').update(state, 'utf8').digest('hex').slice(0, 16);
  return `${endpoints.issuer.startsWith('https:') ? '__Host-' : ''}agw-signin-${id}`;
}

function bindingHash(value: string): string {
  return createHash('sha256').update('agw-browser-binding:').update(value, 'utf8').digest('hex');
}

/**
 * One cookie's value from a `Cookie` header (RFC 6265 §4.2.1:
 * `name=value` pairs separated by `; `). Our values are base64url, never
 * quoted or encoded, so nothing else is needed; Express has no cookie parser
 * of its own and the `cookie` package it uses ships no types.
 */
function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return undefined;
}
