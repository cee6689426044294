/**
 * Serves one authenticated MCP POST on the right protocol era (SDK v2).
 *
 * Before routing, the request's headers are made what a spec-following
 * client would have sent: Claude's header/body protocol disagreements are
 * repaired (`protocol-repair.ts`, logged at debug level) and `Accept` is read
 * liberally (`accept-header.ts`); then batches are checked against the
 * version they are served as (`batch-policy.ts`).
 *
 * Routing:
 * 0. `tools/call` and `tools/list` that `fast-route.ts` finds eligible -> the
 *    lean dispatcher (`fast-dispatch.ts`), when one is configured
 *    (`MCP_FAST_PATH`, default on); everything else continues below;
 * 1. a request repaired to legacy -> legacy, without classifying again;
 * 2. `isLegacyRequest` (the SDK's own classifier) -> legacy;
 * 3. everything else -> the SDK's modern 2026-07-28 handler
 *    (`createMcpHandler(factory, { legacy: 'reject' })`), which also owns the
 *    modern validation ladder and its error answers.
 *
 * Why legacy is wired here instead of `legacy: 'stateless'`: the SDK's
 * stateless fallback answers every legacy request as an SSE stream whose 200
 * status is fixed before the tool runs. A tool call that finds the Aries grant
 * revoked must turn into HTTP 401 (so the client re-authorizes), which needs
 * the complete answer before the status is written; the legacy leg below is
 * the same SDK transport with `enableJsonResponse: true`, and the modern leg
 * answers plain JSON because our handlers emit nothing before their result.
 * Both legs build their per-request `Server` from the same factory.
 *
 * The SDK leg (the Node mount `toNodeHandler` and the modern handler) is
 * built once, by the first request that needs it or by `warmUp()` (the app
 * calls it right after start-up), not before listening: its Node adapter
 * (`@modelcontextprotocol/node`, Hono's Node server) is loaded only then, and
 * with it the web-standard `Request`/`Headers` of Node's bundled undici. A
 * fast-path `tools/list` needs neither, so a fresh replica answers it without
 * paying for them (`bench/cold-start.ts` measures both first answers). Each
 * request's caller travels as its `AuthInfo` (`req.auth`), mapped back
 * through a WeakMap. The repairs rewrite the Node request's headers before
 * the web `Request` is built, so nothing is copied twice.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, WebStandardStreamableHTTPServerTransport, type AuthInfo, type Server } from '@modelcontextprotocol/server';
import { normalizeAccept } from './accept-header.js';
import { batchRefusal } from './batch-policy.js';
import type { FastDispatcher } from './fast-dispatch.js';
import { fastRouteFor } from './fast-route.js';
import { protocolRepairFor, type ProtocolRepair } from './protocol-repair.js';
import type { RequestScope } from './server-factory.js';

export interface EraDispatcherOptions {
  readonly buildServer: (scope: RequestScope) => Server;
  readonly maxBodyBytes: number;
  /** Out-of-band SDK errors (rejected requests included). */
  readonly onError: (error: Error) => void;
  /** Failures of the Node adapter or of serving itself (the answer is then a 500; the access log line has the request id). */
  readonly onAdapterError: (error: Error) => void;
  /** The answer that replaces the MCP one when a tool call found the grant refused for good. */
  readonly reauthorizationResponse: () => Response;
  /** The lean dispatcher for eligible `tools/call` / `tools/list`; absent serves everything through the SDK. */
  readonly fastPath?: FastDispatcher;
}

export interface EraDispatcher {
  /** Answers one authenticated POST for `scope`; `parsedBody` is its JSON body, already parsed. */
  serve(req: IncomingMessage, res: ServerResponse, parsedBody: unknown, scope: RequestScope): Promise<void>;
  /** Builds the SDK leg now instead of on the first request that needs it; nothing after `close()`. */
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

type NodeHandler = ReturnType<typeof toNodeHandler>;

interface SdkLeg {
  readonly nodeHandler: NodeHandler;
  readonly modern: ReturnType<typeof createMcpHandler>;
}

interface Exchange {
  readonly scope: RequestScope;
  /** The protocol repair chose legacy: serve it so without classifying. */
  readonly repairedToLegacy: boolean;
}

export function createEraDispatcher(options: EraDispatcherOptions): EraDispatcher {
  // The SDK only passes `authInfo` along; this maps it back to the caller.
  const exchanges = new WeakMap<AuthInfo, Exchange>();
  let sdkLeg: Promise<SdkLeg> | undefined;
  let closed = false;
  const sdk = (): Promise<SdkLeg> => (sdkLeg ??= import('@modelcontextprotocol/node').then(({ toNodeHandler }) => buildSdkLeg(toNodeHandler)));

  async function serveLegacy(request: Request, parsedBody: unknown, authInfo: AuthInfo, scope: RequestScope): Promise<Response> {
    const server = options.buildServer(scope);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: options.maxBodyBytes,
    });
    transport.onerror = options.onError;
    await server.connect(transport);
    const close = (): void => {
      transport.close().catch(options.onError);
      server.close().catch(options.onError);
    };
    // A client that disconnects cancels the in-flight handlers (and so the upstream call).
    request.signal.addEventListener('abort', close, { once: true });
    try {
      return await transport.handleRequest(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
    } finally {
      request.signal.removeEventListener('abort', close);
      close();
    }
  }

  function buildSdkLeg(toNodeHandlerOf: typeof toNodeHandler): SdkLeg {
    const modern = createMcpHandler(
      ({ authInfo }) => {
        const exchange = authInfo === undefined ? undefined : exchanges.get(authInfo);
        if (exchange === undefined) throw new Error('MCP request reached the modern handler without a caller scope');
        return options.buildServer(exchange.scope);
      },
      { legacy: 'reject', maxRequestBodySize: options.maxBodyBytes, onerror: options.onError },
    );

    async function route(request: Request, parsedBody: unknown, authInfo: AuthInfo, exchange: Exchange): Promise<Response> {
      const { scope } = exchange;
      if (exchange.repairedToLegacy || (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: options.maxBodyBytes }))) {
        return serveLegacy(request, parsedBody, authInfo, scope);
      }
      return modern.fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
    }

    const nodeHandler = toNodeHandlerOf(
      {
        fetch: async (request, context) => {
          const authInfo = context?.authInfo;
          const exchange = authInfo === undefined ? undefined : exchanges.get(authInfo);
          if (authInfo === undefined || exchange === undefined) throw new Error('MCP request reached the Node mount without a caller scope');
          const response = await route(request, context?.parsedBody, authInfo, exchange);
          return exchange.scope.reauthorizationRequired ? options.reauthorizationResponse() : response;
        },
      },
      {
        maxRequestBodySize: options.maxBodyBytes,
        onerror: options.onAdapterError,
      },
    );
    return { nodeHandler, modern };
  }

  return {
    async serve(req, res, parsedBody, scope) {
      const repair = repairHeaders(req, parsedBody, scope);
      normalizeAccept(req.headers);
      const refused = batchRefusal(singleHeader(req.headers['mcp-protocol-version']), parsedBody);
      if (refused !== undefined) {
        res.writeHead(refused.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(refused.body));
        return;
      }
      const fastRoute = options.fastPath === undefined ? undefined : fastRouteFor(req.headers, parsedBody);
      if (fastRoute !== undefined && options.fastPath !== undefined) {
        await options.fastPath.serve(res, fastRoute, scope);
        return;
      }
      const { nodeHandler } = await sdk();
      // A client gone while the SDK leg was loading (or before this request got here) has no one to answer, and its
      // call must not run: the adapter would only tie the call's cancellation to a 'close' that has already fired.
      if (res.destroyed) return;
      const authInfo: AuthInfo = { token: '', clientId: scope.grant.grantId, scopes: [...scope.grant.scopes] };
      exchanges.set(authInfo, { scope, repairedToLegacy: repair?.servedAs === 'legacy' });
      // `toNodeHandler` hands `req.auth` to the fetch handler as `authInfo`.
      Object.assign(req, { auth: authInfo });
      await nodeHandler(req, res, parsedBody);
    },
    warmUp: async () => {
      if (!closed) await sdk();
    },
    close: async () => {
      closed = true;
      // A leg that failed to load has nothing to close (the request that needed it was answered 500).
      const leg = await sdkLeg?.catch(() => undefined);
      await leg?.modern.close();
    },
  };
}

/** Applies `protocol-repair.ts` to the Node request's headers and logs what it did, so operators see which clients need it. */
function repairHeaders(req: IncomingMessage, body: unknown, scope: RequestScope): ProtocolRepair | undefined {
  const headers = req.headers;
  const repair = protocolRepairFor(
    {
      'mcp-protocol-version': singleHeader(headers['mcp-protocol-version']),
      'mcp-method': singleHeader(headers['mcp-method']),
      'mcp-name': singleHeader(headers['mcp-name']),
    },
    body,
  );
  if (repair === undefined) return undefined;
  Object.assign(headers, repair.set);
  scope.log.debug(
    {
      requestId: scope.requestId,
      clientName: repair.clientName ?? headers['user-agent']?.slice(0, 64),
      headerVersion: repair.headerVersion ?? null,
      servedAs: repair.set['mcp-protocol-version'],
      filledHeaders: Object.keys(repair.set).filter((name) => name !== 'mcp-protocol-version'),
    },
    'mcp: protocol header repaired',
  );
  return repair;
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
