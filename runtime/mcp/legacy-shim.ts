/**
 * Serves Claude's post-handshake requests as legacy (DESIGN §9).
 *
 * After a 2025-era `initialize`, Claude sends later requests with
 * `MCP-Protocol-Version: 2026-07-28` but without the per-request
 * `_meta["io.modelcontextprotocol/protocolVersion"]` envelope. The SDK
 * classifies such a request as modern and rejects it (-32602 "missing the
 * required per-request _meta"), and its legacy transport would reject the
 * header (400). A request whose header names a modern revision this endpoint
 * serves and whose body carries no envelope claim is therefore served as
 * legacy, with the header rewritten to the newest legacy version.
 *
 * It does not touch requests that carry the envelope (genuine 2026-07-28
 * traffic, including malformed envelopes the SDK must answer itself), nor
 * headers naming revisions nobody serves (`2099-01-01` still gets the
 * transport's 400, as MCP requires).
 */
import { LATEST_PROTOCOL_VERSION, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { isJsonObject } from '../json-object.js';

/** Modern revisions the SDK serves (its own list is not exported; re-check on SDK upgrades). */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** The header value to serve the request with as legacy, or `undefined` when the request needs no shim. */
export function legacyVersionFor(protocolVersionHeader: string | null | undefined, body: unknown): string | undefined {
  if (protocolVersionHeader === null || protocolVersionHeader === undefined) return undefined;
  if (!MODERN_PROTOCOL_VERSIONS.includes(protocolVersionHeader.trim())) return undefined;
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || !messages.every(isJsonObject)) return undefined;
  return messages.some(claimsEnvelope) ? undefined : LATEST_PROTOCOL_VERSION;
}

function claimsEnvelope(message: Record<string, unknown>): boolean {
  const params = message['params'];
  if (!isJsonObject(params)) return false;
  const meta = params['_meta'];
  return isJsonObject(meta) && Object.hasOwn(meta, PROTOCOL_VERSION_META_KEY);
}
