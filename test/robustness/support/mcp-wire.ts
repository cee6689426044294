/**
 * Raw JSON-RPC over HTTP against `/mcp` (legacy stateless era, the way
 * Claude talks after its handshake), so tests see the HTTP status, headers
 * and body exactly: no SDK client smoothing anything over.
 */
import { z } from 'zod';
import { isJsonObject } from '../../../runtime/json-object.js';

export const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-06-18' } as const;

export interface WireAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  readonly json: unknown;
}

export interface ToolAnswer extends WireAnswer {
  /** The `tools/call` result, when the answer carried one. */
  readonly result?: {
    readonly isError?: boolean;
    readonly content?: readonly { type: string; text?: string }[];
    readonly structuredContent?: Record<string, unknown>;
  };
  /** The JSON-RPC error, when the answer carried one. */
  readonly error?: { readonly code: number; readonly message: string };
  /** All text blocks of the result, joined. */
  readonly resultText: string;
}

let nextId = 1;

/** The JSON-RPC envelope of a `tools/call` answer: a malformed `result` or `error` fails the test naming the field. */
const toolAnswerBody = z.looseObject({
  result: z
    .looseObject({
      isError: z.boolean().optional(),
      content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })).optional(),
      structuredContent: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  error: z.looseObject({ code: z.number(), message: z.string() }).optional(),
});

/**
 * `result` and `error` of a parsed answer body; both absent when the body is
 * not a JSON-RPC message (not an object, or an HTTP-level answer such as the
 * 401 challenge's OAuth body `{"error": "invalid_token"}`, whose status the
 * tests check first).
 */
export function toolAnswerParts(json: unknown): Pick<ToolAnswer, 'result' | 'error'> {
  if (!isJsonObject(json) || json['jsonrpc'] !== '2.0') return {};
  const { result, error } = toolAnswerBody.parse(json);
  return { result, error };
}

export async function postMcp(mcpUrl: string, body: string | object, headers: Record<string, string> = {}): Promise<WireAnswer> {
  const res = await fetch(mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function callTool(mcpUrl: string, accessToken: string, name: string, args: unknown, headers: Record<string, string> = {}): Promise<ToolAnswer> {
  const answer = await postMcp(
    mcpUrl,
    { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } },
    { authorization: `Bearer ${accessToken}`, ...headers },
  );
  const { result, error } = toolAnswerParts(answer.json);
  const resultText = (result?.content ?? []).map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join('\n');
  return { ...answer, result, error, resultText };
}
