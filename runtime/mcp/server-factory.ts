/**
 * Builds the per-request MCP `Server` (SDK v2, low-level) for one caller.
 *
 * The endpoint is stateless: every HTTP request gets a fresh instance bound
 * to that request's caller (grant, request id, logger), serving exactly two
 * methods besides the handshake: `tools/list` (the tools the grant allows,
 * with a private cache hint, since lists differ per user) and `tools/call`
 * (delegated to `call-tool.ts`). Unexpected exceptions become JSON-RPC
 * -32603 without internal details; everything else is a tool result.
 *
 * The server's instructions are the generated registry's (tools.yaml), so
 * no tool name is written here. The server's identity and the two method bodies
 * (`listTools`, `answerToolCall`) are exported so the lean dispatcher
 * (`fast-dispatch.ts`) answers from the same code; only the era-specific
 * result projection is passed in by whoever serves the request.
 */
import { Server, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import type { Logger } from '../log.js';
import type { CallContext } from './call-tool.js';
import type { CallerGrant } from './grant.js';
import { internalError } from './tool-errors.js';
import type { ToolRegistry } from './tool-registry.js';

/** Everything the endpoint knows about the caller of one HTTP request. */
export interface RequestScope {
  readonly grant: CallerGrant;
  readonly requestId: string;
  readonly log: Logger;
  /** Set when Aries refused the grant for good: the HTTP answer becomes 401. */
  reauthorizationRequired: boolean;
}

export type ToolCaller = (name: string, rawArgs: unknown, ctx: CallContext) => Promise<CallToolResult>;

export interface ServerFactoryOptions<C> {
  readonly registry: ToolRegistry<C>;
  readonly callTool: ToolCaller;
  readonly version: string;
  /** tools/list cache lifetime for 2026-07-28 clients. */
  readonly toolsListTtlMs: number;
}

/** `serverInfo` of the initialize/discover answers and of every 2026-07-28 result's `_meta`. */
export function serverIdentity(version: string): { readonly name: string; readonly title: string; readonly version: string } {
  return { name: 'aries-mcp-gateway', title: 'Aries', version };
}

/** The `tools/list` result for the caller; an unexpected exception is logged and becomes JSON-RPC -32603 without its text. */
export function listTools<C>(registry: ToolRegistry<C>, scope: RequestScope): { tools: Tool[] } {
  try {
    // A connection the owner made read-only lists no tool that changes the account, as if the scope were missing.
    return { tools: registry.list(scope.grant.scopes, { readOnly: scope.grant.guardrails?.values.readOnly }) };
  } catch (error) {
    scope.log.error({ requestId: scope.requestId, err: error }, 'tools/list failed unexpectedly');
    throw internalError(scope.requestId);
  }
}

/** Projects a `tools/call` result onto the served era's wire shape (the SDK's `Server.projectCallToolResult` or its equal). */
export type ResultProjection = (result: CallToolResult, advertisedOutputSchema: Tool['outputSchema']) => CallToolResult;

/**
 * One `tools/call` for the caller: runs `call-tool.ts` and projects its result;
 * an unexpected exception is logged and becomes JSON-RPC -32603 (thrown).
 */
export async function answerToolCall<C>(
  options: Pick<ServerFactoryOptions<C>, 'registry' | 'callTool'>,
  scope: RequestScope,
  call: { readonly name: string; readonly rawArgs: unknown; readonly signal: AbortSignal },
  project: ResultProjection,
): Promise<CallToolResult> {
  const { name } = call;
  try {
    const result = await options.callTool(name, call.rawArgs, {
      grant: scope.grant,
      requestId: scope.requestId,
      signal: call.signal,
      log: scope.log,
      requireReauthorization: () => {
        scope.reauthorizationRequired = true;
      },
    });
    return project(result, options.registry.get(name)?.published.outputSchema);
  } catch (error) {
    scope.log.error({ requestId: scope.requestId, tool: name, err: error }, 'tools/call failed unexpectedly');
    throw internalError(scope.requestId);
  }
}

export function createServerFactory<C>(options: ServerFactoryOptions<C>): (scope: RequestScope) => Server {
  return (scope) => {
    const server = new Server(serverIdentity(options.version), {
      capabilities: { tools: { listChanged: false } },
      // The generated registry's instructions (tools.yaml `instructions:`), as they are.
      ...(options.registry.instructions === undefined ? {} : { instructions: options.registry.instructions }),
      // 2026-07-28 cacheable results: the list depends on the caller's grant, so never shared.
      cacheHints: { 'tools/list': { ttlMs: options.toolsListTtlMs, cacheScope: 'private' } },
    });
    server.setRequestHandler('tools/list', () => listTools(options.registry, scope));
    server.setRequestHandler('tools/call', (request, ctx) =>
      answerToolCall(options, scope, { name: request.params.name, rawArgs: request.params.arguments, signal: ctx.mcpReq.signal }, (result, schema) =>
        server.projectCallToolResult(result, schema),
      ),
    );
    return server;
  };
}
