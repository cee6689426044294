/**
 * Which client redirect URIs the gateway sends authorization responses to.
 * There is no client registration (the client_id is the user's Aries Client
 * ID), so this allowlist is what stands between an authorization code and an
 * attacker's site (RFC 6749 §10.6, OAuth 2.1 §7.12: exact matching).
 *
 * Allowed:
 * - Claude's callbacks, exactly: `https://claude.ai/api/mcp/auth_callback`,
 *   `https://claude.com/api/mcp/auth_callback`;
 * - loopback redirects of desktop and CLI clients: `http://127.0.0.1`,
 *   `http://localhost`, `http://[::1]` with any port and any path
 *   (RFC 8252 §7.3: the port is chosen at run time);
 * - the operator's extra URIs (OAUTH_EXTRA_REDIRECT_URIS), exactly.
 * Always refused: fragments (RFC 6749 §3.1.2), user info, control
 * characters and whitespace, non-URLs.
 */

export const CLAUDE_REDIRECT_URIS: readonly string[] = ['https://claude.ai/api/mcp/auth_callback', 'https://claude.com/api/mcp/auth_callback'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isAllowedRedirectUri(uri: string, extra: readonly string[] = []): boolean {
  // eslint-disable-next-line no-control-regex -- a redirect URI with control characters is refused outright
  if (uri.length === 0 || uri.length > 2048 || /[\s\x00-\x1f\x7f\\]/.test(uri)) return false;
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  if (url.hash !== '' || uri.includes('#') || url.username !== '' || url.password !== '') return false;
  if (CLAUDE_REDIRECT_URIS.includes(uri) || extra.includes(uri)) return true;
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && !uri.slice(uri.indexOf('//') + 2).includes('@');
}

/** Adds parameters to a redirect URI, keeping its own query (RFC 6749 §3.1.2). */
export function appendToRedirectUri(uri: string, params: Readonly<Record<string, string | undefined>>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}
