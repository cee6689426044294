/**
 * Decides whether one `/mcp` POST may take the lean dispatcher
 * (`fast-dispatch.ts`), and in which era. It runs after the handler's checks
 * and after the shared repairs (`protocol-repair.ts`, `accept-header.ts`,
 * `batch-policy.ts`), on the headers exactly as the SDK would then see them.
 *
 * A request is eligible only when the SDK's own answer is known to be the
 * handler's result, with nothing the SDK would refuse, transform or act on
 * first. Rules (every one must hold; anything else returns `undefined` and the
 * SDK serves the request unchanged):
 * - HTTP: `Content-Type` is JSON by the SDK's own `isJsonContentType` (else
 *   415), and `Accept` names both `application/json` and `text/event-stream`
 *   (the legacy transport's 406 rule; `accept-header.ts` already widened it);
 * - JSON-RPC: one message (no batch), a request (not a notification or a
 *   response) with exactly the members `jsonrpc: "2.0"`, `id`, `method` and
 *   optional `params`; the id is a string or a safe integer (the SDK's
 *   `RequestIdSchema`, a strict object);
 * - method `tools/call` or `tools/list`;
 * - params: `tools/call` has a `name` of plain tool-name characters and
 *   `arguments` absent or a JSON object; `tools/list` has no `cursor`; no other
 *   params member, so nothing the SDK's schemas would reject reaches the tool;
 * - era, by the SDK's own `classifyInboundRequest` (skipped when there is no
 *   `_meta` and no modern version header: then it can only answer legacy):
 *   - legacy (`no-claim`): the version header is absent or a pre-2026 revision
 *     the transport accepts, written exactly; no `_meta` at all (progress
 *     tokens and other per-request metadata go to the SDK); `Mcp-Method` /
 *     `Mcp-Name`, when sent, equal the body's method and tool name;
 *   - modern (a request with a valid envelope, which the classifier checks):
 *     the revision is one we serve, the version header names it exactly,
 *     `Mcp-Method` equals the method, `Mcp-Name` equals the tool name
 *     (`tools/call`) or is absent (`tools/list`), and the envelope carries
 *     only the protocol version, client info and client capabilities
 *     (log level, trace context and the like go to the SDK).
 * What it deliberately does not do: answer anything. Its only outcomes are
 * "serve it lean, in this era" or "not sure".
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  classifyInboundRequest,
  CLIENT_CAPABILITIES_META_KEY,
  CLIENT_INFO_META_KEY,
  isJsonContentType,
  PROTOCOL_VERSION_META_KEY,
} from '@modelcontextprotocol/server';
import { isJsonObject } from '../json-object.js';
import { isLegacyVersion, MODERN_PROTOCOL_VERSIONS } from './protocol-repair.js';

export type FastEra = 'legacy' | 'modern';

export type FastRoute =
  | { readonly era: FastEra; readonly method: 'tools/list'; readonly id: string | number }
  | {
      readonly era: FastEra;
      readonly method: 'tools/call';
      readonly id: string | number;
      readonly name: string;
      readonly rawArgs: Record<string, unknown> | undefined;
    };

const REQUEST_MEMBERS = new Set(['jsonrpc', 'id', 'method', 'params']);
const CALL_PARAMS = new Set(['name', 'arguments', '_meta']);
const LIST_PARAMS = new Set(['_meta']);
const MODERN_ENVELOPE = new Set([PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY]);
/** Tool names as the generator makes them (DESIGN §4: `^[a-zA-Z0-9_-]{1,64}$`); anything else is the SDK's to judge. */
const PLAIN_TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The lean route for this request, or `undefined` when the SDK must serve it. */
export function fastRouteFor(headers: IncomingHttpHeaders, body: unknown): FastRoute | undefined {
  if (!isJsonContentType(headers['content-type'] ?? null)) return undefined;
  const accept = headers.accept;
  if (accept === undefined || !accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  if (!isJsonObject(body) || body['jsonrpc'] !== '2.0') return undefined;
  for (const key of Object.keys(body)) if (!REQUEST_MEMBERS.has(key)) return undefined;
  const { id, method } = body;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  if (method !== 'tools/call' && method !== 'tools/list') return undefined;
  const params = body['params'];
  if (params !== undefined && !isJsonObject(params)) return undefined;
  const allowed = method === 'tools/call' ? CALL_PARAMS : LIST_PARAMS;
  if (params !== undefined) for (const key of Object.keys(params)) if (!allowed.has(key)) return undefined;

  let name: string | undefined;
  let rawArgs: Record<string, unknown> | undefined;
  if (method === 'tools/call') {
    const given = params?.['name'];
    const args = params?.['arguments'];
    if (typeof given !== 'string' || !PLAIN_TOOL_NAME.test(given)) return undefined;
    if (args !== undefined && !isJsonObject(args)) return undefined;
    name = given;
    rawArgs = args;
  }

  const versionHeader = single(headers['mcp-protocol-version']);
  const methodHeader = single(headers['mcp-method']);
  const nameHeader = single(headers['mcp-name']);
  if (versionHeader === null || methodHeader === null || nameHeader === null) return undefined;
  const meta = params?.['_meta'];
  let era: FastEra;
  if (meta === undefined && (versionHeader === undefined || isLegacyVersion(versionHeader))) {
    // No envelope and no modern version header: the classifier can only answer legacy "no-claim" for a request
    // shaped as checked above (its `classifyRequestBody`), so it is not run; it costs a zod parse per call.
    if (methodHeader !== undefined && methodHeader !== method) return undefined;
    if (nameHeader !== undefined && nameHeader !== name) return undefined;
    era = 'legacy';
  } else {
    if (!isLeanModernRequest(body, method, name, meta, versionHeader, methodHeader, nameHeader)) return undefined;
    era = 'modern';
  }
  return method === 'tools/call' && name !== undefined ? { era, method, id, name, rawArgs } : { era, method: 'tools/list', id };
}

/** One header value; `null` when it was sent more than once (the SDK would see them joined). */
function single(value: string | string[] | undefined): string | undefined | null {
  return Array.isArray(value) ? null : value;
}

/** Whether the SDK's classifier sees a 2026-07-28 request in `body` with these headers, and it meets the lean path's rules. */
function isLeanModernRequest(
  body: Record<string, unknown>,
  method: string,
  name: string | undefined,
  meta: unknown,
  versionHeader: string | undefined,
  methodHeader: string | undefined,
  nameHeader: string | undefined,
): boolean {
  const route = classifyInboundRequest({
    httpMethod: 'POST',
    body,
    protocolVersionHeader: versionHeader,
    mcpMethodHeader: methodHeader,
    mcpNameHeader: nameHeader,
  });
  if (route.kind !== 'modern' || route.messageKind !== 'request') return false;
  const revision = route.classification.revision;
  if (revision === undefined || !MODERN_PROTOCOL_VERSIONS.includes(revision) || versionHeader !== revision) return false;
  if (methodHeader !== method) return false;
  if (method === 'tools/call' ? nameHeader !== name : nameHeader !== undefined) return false;
  if (!isJsonObject(meta)) return false;
  for (const key of Object.keys(meta)) if (!MODERN_ENVELOPE.has(key)) return false;
  return true;
}
