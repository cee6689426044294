/**
 * Origin validation for /mcp (MCP Streamable HTTP, "Security Warning":
 * servers MUST validate the Origin header to prevent DNS rebinding).
 *
 * Rules:
 * - no Origin header (server-side and CLI clients, Claude's backend): allowed;
 * - an Origin equal to a configured origin (scheme, host and port compared
 *   after URL normalization): allowed;
 * - a loopback Origin (localhost, 127.0.0.1, [::1]) on a request whose Host
 *   is loopback too: a local client (MCP Inspector, a desktop app) talking to
 *   a local gateway. A rebinding page has its own name in Host, so it stays out;
 * - anything else, including `null` and unparseable values: refused.
 * Unlike the SDK's hostname-only helper, the scheme and port count:
 * `http://claude.ai` is not `https://claude.ai`.
 */

const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[], requestHost?: string): boolean {
  if (origin === undefined || origin === '') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin === 'null') return false;
  if (allowedOrigins.includes(url.origin)) return true;
  return LOOPBACK_HOSTNAMES.has(url.hostname) && isLoopbackHost(requestHost);
}

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    return LOOPBACK_HOSTNAMES.has(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

/** The 403 body: a JSON-RPC error, as the SDK's own guard answers. */
export function originRefusal(origin: string): { jsonrpc: '2.0'; error: { code: number; message: string }; id: null } {
  return {
    jsonrpc: '2.0',
    error: { code: -32000, message: `Forbidden: Origin ${JSON.stringify(origin.slice(0, 200))} is not allowed to use this MCP endpoint` },
    id: null,
  };
}
