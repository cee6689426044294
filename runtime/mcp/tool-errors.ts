/**
 * Tool failures the model can act on.
 *
 * A `ToolError` becomes a `tools/call` result with `isError: true` and one
 * text block saying what went wrong and what to do (MCP: errors from the tool
 * itself are reported in the result, not as protocol errors, so the model
 * sees them). Only our own bugs become JSON-RPC errors, and those are always
 * -32603 (`internalError`).
 */
import { ProtocolError, ProtocolErrorCode, type CallToolResult } from '@modelcontextprotocol/server';

export class ToolError extends Error {
  override readonly name = 'ToolError';
}

export function toolErrorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: message }] };
}

/** The catch-all for unexpected failures: a JSON-RPC -32603 without internal details. */
export function internalError(requestId: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InternalError, `Internal error in the Aries MCP gateway (request ${requestId})`);
}
