/**
 * The requests the benchmark sends, built once and reused for every call:
 * - `claudeToolCall`: what Claude sends after its legacy handshake: a
 *   stateless JSON-RPC POST with no session id, `MCP-Protocol-Version:
 *   2026-07-28` and no per-request `_meta` envelope (served through the
 *   legacy shim, DESIGN §9);
 * - `modernToolCall`: a genuine 2026-07-28 request (envelope, `Mcp-Method`
 *   and `Mcp-Name` headers);
 * - `toolsList`: Claude-style `tools/list`;
 * - `directQuote`: the same Aries read sent straight to the sandbox with the
 *   Aries bearer token (`GET /v1/stocks/last-quote?ticker=AAPL`).
 * Each carries a check: HTTP 200 and, for MCP, a result that is not a
 * JSON-RPC error and not `isError`.
 */
import { isJsonObject } from '../runtime/json-object.js';
import type { HttpAnswer, PreparedRequest } from './load-client.js';

export const QUOTE_TOOL = 'get_quote';
export const QUOTE_ARGUMENTS = { symbol: 'AAPL' };

const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

function mcpHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    ...extra,
  };
}

/** The parsed JSON-RPC `result`, or undefined for errors and non-JSON answers. */
export function mcpResult(answer: HttpAnswer): Record<string, unknown> | undefined {
  if (answer.status !== 200) return undefined;
  try {
    const body: unknown = JSON.parse(answer.body);
    return isJsonObject(body) && isJsonObject(body['result']) ? body['result'] : undefined;
  } catch {
    return undefined;
  }
}

const toolCallSucceeded = (answer: HttpAnswer): boolean => {
  const result = mcpResult(answer);
  return result !== undefined && result['isError'] !== true;
};

export function claudeToolCall(mcpUrl: string, token: string, name = QUOTE_TOOL, args: unknown = QUOTE_ARGUMENTS): PreparedRequest {
  return {
    url: new URL(mcpUrl),
    method: 'POST',
    headers: mcpHeaders(token),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    check: toolCallSucceeded,
  };
}

export function modernToolCall(mcpUrl: string, token: string, name = QUOTE_TOOL, args: unknown = QUOTE_ARGUMENTS): PreparedRequest {
  return {
    url: new URL(mcpUrl),
    method: 'POST',
    headers: mcpHeaders(token, { 'mcp-method': 'tools/call', 'mcp-name': name }),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args, _meta: MODERN_META } }),
    check: toolCallSucceeded,
  };
}

export function toolsList(mcpUrl: string, token: string): PreparedRequest {
  return {
    url: new URL(mcpUrl),
    method: 'POST',
    headers: mcpHeaders(token),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    check: (answer) => Array.isArray(mcpResult(answer)?.['tools']),
  };
}

export function directQuote(sandboxUrl: string, ariesToken: string): PreparedRequest {
  return {
    url: new URL(`/v1/stocks/last-quote?ticker=${QUOTE_ARGUMENTS.symbol}`, sandboxUrl),
    method: 'GET',
    headers: { authorization: `Bearer ${ariesToken}`, accept: 'application/json' },
    check: (answer) => {
      if (answer.status !== 200) return false;
      try {
        const body: unknown = JSON.parse(answer.body);
        return isJsonObject(body) && typeof body['results'] === 'object';
      } catch {
        return false;
      }
    },
  };
}
