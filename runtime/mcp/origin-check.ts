/**
 * Origin validation for /mcp (MCP Streamable HTTP, "Security Warning":
 * servers MUST validate the Origin header to prevent DNS rebinding).
 *
 * Rules:
 * - no Origin header (server-side and CLI clients, Claude's backend): allowed;
 * - an Origin equal to a configured origin (scheme, host and port compared
 *   after URL normalization): allowed;
 * - anything else, including `null` and unparseable values: refused.
 * Unlike the SDK's hostname-only helper, the scheme and port count:
 * `http://claude.ai` is not `https://claude.ai`.
 */

export function isOriginAllowed(origin: string | undefined, allowedOrigins: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  return normalized !== 'null' && allowedOrigins.includes(normalized);
}

/** The 403 body: a JSON-RPC error, as the SDK's own guard answers. */
export function originRefusal(origin: string): { jsonrpc: '2.0'; error: { code: number; message: string }; id: null } {
  return {
    jsonrpc: '2.0',
    error: { code: -32000, message: `Forbidden: Origin ${JSON.stringify(origin.slice(0, 200))} is not allowed to use this MCP endpoint` },
    id: null,
  };
}
