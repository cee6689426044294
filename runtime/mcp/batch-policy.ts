/**
 * JSON-RPC batches on `/mcp` (MCP 2025-06-18 changelog: "Remove support for
 * JSON-RPC batching"; 2026-07-28 answers batches itself, with -32600).
 *
 * Rules, by the protocol version the request is served as (its
 * `MCP-Protocol-Version` header after `protocol-repair.ts`):
 * - 2025-06-18 and later: a batch is refused, 400 -32600 Invalid Request,
 *   before anything runs;
 * - 2025-03-26, or no header (MCP transports: the server assumes 2025-03-26):
 *   batches are allowed, up to `MAX_BATCH_MESSAGES` messages, so one HTTP
 *   request cannot fan out to hundreds of upstream calls.
 * Single messages are not this module's business.
 */

export const MAX_BATCH_MESSAGES = 10;

/** The last revision whose Streamable HTTP transport allowed batches. */
const LAST_BATCHING_VERSION = '2025-03-26';

export interface BatchRefusal {
  readonly status: 400;
  readonly body: { readonly jsonrpc: '2.0'; readonly error: { readonly code: -32600; readonly message: string }; readonly id: null };
}

export function batchRefusal(protocolVersion: string | undefined, body: unknown): BatchRefusal | undefined {
  if (!Array.isArray(body) || body.length === 0) return undefined;
  const version = protocolVersion?.trim() || LAST_BATCHING_VERSION;
  // Revision ids are ISO dates: string order is time order.
  if (version > LAST_BATCHING_VERSION) {
    return refusal(`Invalid Request: JSON-RPC batches are not supported in protocol version ${version.slice(0, 32)}; send one request per HTTP POST`);
  }
  if (body.length > MAX_BATCH_MESSAGES) {
    return refusal(`Invalid Request: a batch may carry at most ${MAX_BATCH_MESSAGES} messages; this one has ${body.length}`);
  }
  return undefined;
}

function refusal(message: string): BatchRefusal {
  return { status: 400, body: { jsonrpc: '2.0', error: { code: -32600, message }, id: null } };
}
