/**
 * Builds the per-request MCP `Server` (SDK v2, low-level) for one caller.
 *
 * The endpoint is stateless: every HTTP request gets a fresh instance bound
 * to that request's caller (grant, request id, logger), serving exactly two
 * methods besides the handshake: `tools/list` (the tools the grant allows,
 * with a private cache hint, since lists differ per user) and `tools/call`
 * (delegated to `call-tool.ts`). Unexpected exceptions become JSON-RPC
 * -32603 without internal details; everything else is a tool result.
 */
import { Server, type CallToolResult } from '@modelcontextprotocol/server';
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

const INSTRUCTIONS =
  'Tools for the signed-in user\'s Aries brokerage accounts: portfolio, balances, quotes, market data and orders. ' +
  'Orders are real. Use preview_order before place_order when unsure, confirm the details with the user, and never repeat an order after an error without checking list_open_orders first. ' +
  'The account owner may have set trading guardrails for this connection (maximum value per order and per day, allowed order types, sides and instruments): ' +
  'an order outside them is refused before it reaches Aries with a message naming the guardrail and the numbers; tell the user, do not split or reshape the order to get around it. The owner changes guardrails by connecting the app again.';

export function createServerFactory<C>(options: ServerFactoryOptions<C>): (scope: RequestScope) => Server {
  return (scope) => {
    const server = new Server(
      { name: 'aries-mcp-gateway', title: 'Aries', version: options.version },
      {
        capabilities: { tools: { listChanged: false } },
        instructions: INSTRUCTIONS,
        // 2026-07-28 cacheable results: the list depends on the caller's grant, so never shared.
        cacheHints: { 'tools/list': { ttlMs: options.toolsListTtlMs, cacheScope: 'private' } },
      },
    );
    server.setRequestHandler('tools/list', () => ({ tools: options.registry.list(scope.grant.scopes, { readOnly: scope.grant.guardrails?.values.readOnly }) }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const { name, arguments: rawArgs } = request.params;
      try {
        const result = await options.callTool(name, rawArgs, {
          grant: scope.grant,
          requestId: scope.requestId,
          signal: ctx.mcpReq.signal,
          log: scope.log,
          requireReauthorization: () => {
            scope.reauthorizationRequired = true;
          },
        });
        return server.projectCallToolResult(result, options.registry.get(name)?.published.outputSchema);
      } catch (error) {
        scope.log.error({ requestId: scope.requestId, tool: name, err: error }, 'tools/call failed unexpectedly');
        throw internalError(scope.requestId);
      }
    });
    return server;
  };
}
