/**
 * CORS for `/mcp`, so `MCP_ALLOWED_ORIGINS` really enables browser clients
 * (Fetch standard, CORS protocol).
 *
 * - Only an Origin that `origin-check.ts` allows gets a grant: the origin is
 *   echoed (never `*`), with `Vary: Origin`. Credentials mode is not needed:
 *   the bearer token travels in `Authorization`, which the preflight allows.
 * - Preflight (`OPTIONS`) names the methods a client may probe with and the
 *   headers MCP clients send (`Authorization`, `Mcp-Protocol-Version`,
 *   `Mcp-Method`, `Mcp-Name`, ...).
 * - Answers expose `WWW-Authenticate` (the OAuth challenge a browser client
 *   must read to start discovery) and the MCP and request-id headers.
 * What it does not do: decide whether an origin is allowed (`origin-check.ts`).
 */
import type { ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'POST, GET, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Mcp-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Session-Id, Last-Event-ID, X-Request-Id';
const EXPOSED_HEADERS = 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, X-Request-Id, Retry-After';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** Grants the (already allowed) `origin` read access to this answer. */
export function grantCors(res: ServerResponse, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  res.setHeader('Vary', 'Origin');
}

/** Answers an `OPTIONS` request: a CORS preflight when `origin` is granted, else only `Allow`. */
export function answerPreflight(res: ServerResponse, granted: boolean): void {
  res.setHeader('Allow', ALLOWED_METHODS);
  if (granted) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
  }
  res.statusCode = 204;
  res.end();
}
