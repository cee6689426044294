/**
 * Readers for the URL-valued settings: one rule per kind of URL, each
 * naming the variable and an example of the accepted form.
 * - Aries endpoints (ARIES_*): absolute http(s), https unless the host is
 *   loopback (a local sandbox), no fragment; the API base also no query,
 *   and without its trailing slash.
 * - GATEWAY_PUBLIC_URL: an origin only; https unless loopback.
 * - origin lists (MCP_ALLOWED_ORIGINS): scheme://host[:port] (RFC 6454 §6.2).
 * - redirect URIs: absolute, no fragment (RFC 6749 §3.1.2), https unless
 *   loopback (OAuth 2.1 §1.5).
 * - REDIS_URL: redis: or rediss:; a password in it is never echoed.
 */
import { ConfigError } from './config-error.js';
import { commaList } from './setting-kinds.js';

export function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** `raw` with the password of `scheme://user:password@host` replaced by `***`. */
export function redactUserinfo(raw: string): string {
  return raw.replace(/\/\/([^@/]*):([^@/]*)@/, '//$1:***@');
}

function absoluteUrl(name: string, raw: string, protocols: readonly string[], example: string): URL {
  if (!URL.canParse(raw)) throw new ConfigError(`${name} must be an absolute URL such as ${example}; got ${JSON.stringify(redactUserinfo(raw))}`);
  const url = new URL(raw);
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(
      `${name} must use ${protocols.map((p) => p.replace(':', '')).join(' or ')}, such as ${example}; got ${JSON.stringify(redactUserinfo(raw))}`,
    );
  }
  return url;
}

/** An Aries endpoint (authorize page, token endpoint): its href. */
export function readAriesEndpoint(name: string, raw: string, example: string): string {
  const url = absoluteUrl(name, raw, ['https:', 'http:'], example);
  if (url.protocol === 'http:' && !isLoopback(url.hostname))
    throw new ConfigError(`${name} must use https (http is only for a local sandbox); got ${JSON.stringify(raw)}`);
  if (url.hash !== '') throw new ConfigError(`${name} must not contain a fragment; got ${JSON.stringify(raw)}`);
  return url.href;
}

/** ARIES_API_BASE: an Aries endpoint without query, without its trailing slash (paths are appended to it). */
export function readAriesApiBase(name: string, raw: string): string {
  const href = readAriesEndpoint(name, raw, 'https://api.aries.com');
  if (new URL(href).search !== '') throw new ConfigError(`${name} must not carry a query; got ${JSON.stringify(raw)}`);
  return href.replace(/\/+$/, '');
}

export function readPublicUrl(name: string, raw: string): string {
  const url = absoluteUrl(name, raw, ['https:', 'http:'], 'https://mcp.aries.com');
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConfigError(`${name} must use https (http is only for 127.0.0.1/localhost); got ${JSON.stringify(raw)}`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `${name} must be an origin only (scheme, host, optional port), such as https://mcp.aries.com: no path, query or trailing slash; got ${JSON.stringify(raw)}`,
    );
  }
  return url.origin;
}

export function readOrigins(name: string, raw: string): string[] {
  return commaList(raw).map((entry) => {
    const url = URL.canParse(entry) ? new URL(entry) : undefined;
    // An origin is scheme://host[:port] and nothing else (RFC 6454 §6.2).
    if (url === undefined || url.origin === 'null' || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
      throw new ConfigError(
        `${name} must be a comma-separated list of origins such as https://claude.ai,http://localhost:6274 (scheme, host and optional port, no path); got ${JSON.stringify(entry)}`,
      );
    }
    return url.origin;
  });
}

export function readRedirectUris(name: string, raw: string): string[] {
  return commaList(raw).map((entry) => {
    // RFC 6749 §3.1.2: a redirection endpoint is absolute and has no fragment.
    if (!URL.canParse(entry) || entry.includes('#')) {
      throw new ConfigError(
        `${name} must be a comma-separated list of absolute redirect URIs without fragments, such as https://app.example.com/oauth/callback; got ${JSON.stringify(entry)}`,
      );
    }
    const url = new URL(entry);
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      throw new ConfigError(`${name}: ${JSON.stringify(entry)} uses http on a non-loopback host; use https (OAuth 2.1 §1.5)`);
    }
    return entry;
  });
}

/** REDIS_URL: checked, returned as given (ioredis parses it). */
export function readRedisUrl(name: string, raw: string): string {
  absoluteUrl(name, raw, ['redis:', 'rediss:'], 'redis://host:6379');
  return raw;
}
