/**
 * The lean dispatcher: answers the requests `fast-route.ts` found eligible
 * (`tools/call` and `tools/list`, legacy and 2026-07-28) straight on Node's
 * response, without a per-request SDK `Server`, transport, or web-standard
 * `Request`/`Response` conversion.
 *
 * It answers from the same code as the SDK path (`server-factory.ts`:
 * `listTools`, `answerToolCall`, `serverIdentity`), so validation, the call
 * limit, the duplicate guard, the upstream call and result shaping are the
 * gateway's one implementation. What it adds is only the wire framing the
 * SDK would add for these two methods:
 * 1. legacy: `{ result, jsonrpc, id }`, the result projected by the SDK's
 *    own 2025 codec (`Server.projectCallToolResult` on a never-connected
 *    instance);
 * 2. 2026-07-28: the result plus `resultType: "complete"`, `ttlMs` /
 *    `cacheScope` on `tools/list` (the same cache hint the factory
 *    configures), and `_meta["io.modelcontextprotocol/serverInfo"]`
 *    (MCP 2026-07-28 basic/lifecycle: every result names the server);
 * 3. a method body that throws is answered as the SDK's request loop answers
 *    it: HTTP 200, the error's code (-32603 for `answerToolCall`'s internal
 *    error, which carries no internal details) and message;
 * 4. a call that found the Aries grant refused for good is answered with the
 *    endpoint's 401 instead, as on the SDK path.
 * A client that disconnects aborts the call (and so the upstream request),
 * as the SDK transport does. `test/integration/runtime/fast-path-differential.test.ts`
 * holds it to the SDK's answers (status, headers, JSON); `docs/fast-path.md`
 * says which requests take this path and why.
 */
import type { ServerResponse } from 'node:http';
import { ProtocolErrorCode, Server, SERVER_INFO_META_KEY, type CallToolResult, type Tool } from '@modelcontextprotocol/server';
import type { FastRoute } from './fast-route.js';
import { answerToolCall, listTools, serverIdentity, type RequestScope, type ServerFactoryOptions } from './server-factory.js';

export interface FastDispatcherOptions<C> extends Pick<ServerFactoryOptions<C>, 'registry' | 'callTool' | 'version' | 'toolsListTtlMs'> {
  /** The answer that replaces the MCP one when a tool call found the grant refused for good. */
  readonly reauthorizationResponse: () => Response;
}

export interface FastDispatcher {
  serve(res: ServerResponse, route: FastRoute, scope: RequestScope): Promise<void>;
}

export function createFastDispatcher<C>(options: FastDispatcherOptions<C>): FastDispatcher {
  const identity = serverIdentity(options.version);
  // The SDK's 2025-era projection; this instance is never connected and only lends its codec.
  const legacyCodec = new Server(identity, { capabilities: { tools: { listChanged: false } } });
  const projectLegacy = (result: CallToolResult, schema: Tool['outputSchema']): CallToolResult => legacyCodec.projectCallToolResult(result, schema);
  // The 2026 codec differs from the 2025 one only in not wrapping a non-object `structuredContent` as `{ result }`.
  const projectModern = (result: CallToolResult, schema: Tool['outputSchema']): CallToolResult => {
    const projected = legacyCodec.projectCallToolResult(result, schema);
    return result.structuredContent === undefined ? projected : { ...projected, structuredContent: result.structuredContent };
  };

  async function resultFor(route: FastRoute, scope: RequestScope, signal: AbortSignal): Promise<Record<string, unknown>> {
    if (route.method === 'tools/list') {
      const listed = listTools(options.registry, scope);
      return route.era === 'modern' ? { ...listed, resultType: 'complete', ttlMs: options.toolsListTtlMs, cacheScope: 'private', _meta: serverMeta() } : listed;
    }
    const project = route.era === 'modern' ? projectModern : projectLegacy;
    const result = await answerToolCall(options, scope, { name: route.name, rawArgs: route.rawArgs, signal }, project);
    return route.era === 'modern' ? { ...result, resultType: 'complete', _meta: serverMeta() } : { ...result };
  }

  function serverMeta(): Record<string, unknown> {
    return { [SERVER_INFO_META_KEY]: identity };
  }

  return {
    async serve(res, route, scope) {
      const cancel = new AbortController();
      const onClose = (): void => {
        if (!res.writableFinished) cancel.abort(new DOMException('The client closed the connection', 'AbortError'));
      };
      res.once('close', onClose);
      let message: string;
      try {
        message = JSON.stringify({ result: await resultFor(route, scope, cancel.signal), jsonrpc: '2.0', id: route.id });
      } catch (error) {
        message = JSON.stringify({ jsonrpc: '2.0', id: route.id, error: errorMember(error) });
      }
      if (cancel.signal.aborted || res.destroyed) return;
      if (scope.reauthorizationRequired) {
        await writeWebResponse(res, options.reauthorizationResponse());
        return;
      }
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.end(message);
    },
  };
}

/** The SDK's answer for a handler that throws (its `Protocol` request loop): the error's own safe-integer code, else -32603. */
function errorMember(error: unknown): { code: number; message: string; data?: unknown } {
  const code: unknown = isObject(error) ? Reflect.get(error, 'code') : undefined;
  const message: unknown = isObject(error) ? Reflect.get(error, 'message') : undefined;
  const data: unknown = isObject(error) ? Reflect.get(error, 'data') : undefined;
  return {
    code: typeof code === 'number' && Number.isSafeInteger(code) ? code : ProtocolErrorCode.InternalError,
    message: typeof message === 'string' ? message : 'Internal error',
    ...(data !== undefined && { data }),
  };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** Writes a web `Response` (the endpoint's shared 401) on Node's response. */
async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  const body = await response.text();
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(body);
}
