/**
 * Serves the two header/body protocol disagreements Claude sends (DESIGN §10),
 * by rewriting the request's MCP headers before the SDK classifies it.
 *
 * 1. `legacy`: a header naming a modern revision we serve
 *    (`MCP-Protocol-Version: 2026-07-28`) on a body with no envelope claim
 *    (`_meta["io.modelcontextprotocol/protocolVersion"]`): what Claude sends
 *    after a 2025-era `initialize`. The SDK would answer -32602 "missing the
 *    required per-request _meta"; the request is served as legacy, with the
 *    header set to the newest legacy revision.
 * 2. `modern`: a single JSON-RPC message whose envelope is complete and valid
 *    and names a modern revision we serve, sent with a legacy version header
 *    (`2025-11-25`) or none. The SDK would answer -32020; the body wins: the
 *    version header becomes the envelope's, and an absent `Mcp-Method` /
 *    `Mcp-Name` is filled in from the body.
 *
 * Left alone, so the SDK answers them as the spec says: `Mcp-Method` or
 * `Mcp-Name` headers that contradict the body (-32020), a version header or
 * envelope naming a revision nobody serves, malformed or incomplete
 * envelopes, modern batches, and every request that already agrees.
 */
import {
  classifyInboundRequest,
  CLIENT_INFO_META_KEY,
  LATEST_PROTOCOL_VERSION,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import { isJsonObject } from '../json-object.js';

/** Modern revisions the SDK serves (its own list is not exported; re-check on SDK upgrades). */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** The headers the repair reads and writes (Node lower-cases header names). */
export interface McpHeaders {
  readonly 'mcp-protocol-version'?: string;
  readonly 'mcp-method'?: string;
  readonly 'mcp-name'?: string;
}

export interface ProtocolRepair {
  /** Which era the request is served in after the repair. */
  readonly servedAs: 'legacy' | 'modern';
  /** The version header as received (`undefined` when absent). */
  readonly headerVersion: string | undefined;
  /** Headers to set on the request. */
  readonly set: { readonly [name in keyof McpHeaders]?: string };
  /** The client's name from the envelope, when it sent one (for the operators' log). */
  readonly clientName: string | undefined;
}

/** Which of the two repairs applies to this POST, if any. */
export function protocolRepairFor(headers: McpHeaders, body: unknown): ProtocolRepair | undefined {
  return legacyRepair(headers, body) ?? modernRepair(headers, body);
}

function legacyRepair(headers: McpHeaders, body: unknown): ProtocolRepair | undefined {
  const header = headers['mcp-protocol-version']?.trim();
  if (header === undefined || !MODERN_PROTOCOL_VERSIONS.includes(header)) return undefined;
  const messages = Array.isArray(body) ? body : [body];
  if (messages.length === 0 || !messages.every(isJsonObject)) return undefined;
  if (messages.some(claimsEnvelope)) return undefined;
  return { servedAs: 'legacy', headerVersion: header, set: { 'mcp-protocol-version': LATEST_PROTOCOL_VERSION }, clientName: undefined };
}

function modernRepair(headers: McpHeaders, body: unknown): ProtocolRepair | undefined {
  if (!isJsonObject(body)) return undefined;
  const header = headers['mcp-protocol-version']?.trim();
  if (header !== undefined && !isLegacyVersion(header)) return undefined;
  const claimed = metaOf(body)?.[PROTOCOL_VERSION_META_KEY];
  if (typeof claimed !== 'string' || !MODERN_PROTOCOL_VERSIONS.includes(claimed)) return undefined;
  // The SDK's own classifier, asked without the disagreeing version header, decides whether the envelope is complete and valid
  // and whether Mcp-Method agrees with the body; anything it rejects is left for the SDK to answer.
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    body,
    mcpMethodHeader: headers['mcp-method'],
    mcpNameHeader: headers['mcp-name'],
  });
  if (route.kind !== 'modern') return undefined;
  const set: { -readonly [name in keyof McpHeaders]?: string } = { 'mcp-protocol-version': claimed };
  const method = body['method'];
  if (headers['mcp-method'] === undefined && typeof method === 'string') set['mcp-method'] = method;
  const name = headers['mcp-name'] === undefined && typeof method === 'string' ? mirroredName(method, body['params']) : undefined;
  if (name !== undefined) set['mcp-name'] = name;
  return { servedAs: 'modern', headerVersion: header, set, clientName: clientNameOf(body) };
}

/** A pre-2026 revision the SDK's legacy transport serves (as written: no trimming). */
export function isLegacyVersion(version: string): boolean {
  return SUPPORTED_PROTOCOL_VERSIONS.includes(version) && !MODERN_PROTOCOL_VERSIONS.includes(version);
}

/** MCP 2026-07-28 standard headers: `Mcp-Name` mirrors `params.name` (tools/call, prompts/get) or `params.uri` (resources/read). */
function mirroredName(method: string, params: unknown): string | undefined {
  const field = method === 'tools/call' || method === 'prompts/get' ? 'name' : method === 'resources/read' ? 'uri' : undefined;
  if (field === undefined || !isJsonObject(params)) return undefined;
  const value = params[field];
  // Header values must be plain visible ASCII; anything else keeps the SDK's own answer.
  return typeof value === 'string' && /^[\x21-\x7E]{1,256}$/.test(value) ? value : undefined;
}

/** Any envelope claim, even a malformed one: such a request is the SDK's to answer. */
function claimsEnvelope(message: Record<string, unknown>): boolean {
  const meta = metaOf(message);
  return meta !== undefined && Object.hasOwn(meta, PROTOCOL_VERSION_META_KEY);
}

function metaOf(message: Record<string, unknown>): Record<string, unknown> | undefined {
  const params = message['params'];
  if (!isJsonObject(params)) return undefined;
  const meta = params['_meta'];
  return isJsonObject(meta) ? meta : undefined;
}

function clientNameOf(message: Record<string, unknown>): string | undefined {
  const info = metaOf(message)?.[CLIENT_INFO_META_KEY];
  const name = isJsonObject(info) ? info['name'] : undefined;
  return typeof name === 'string' ? name.slice(0, 64) : undefined;
}
