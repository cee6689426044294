/**
 * Serves one authenticated MCP POST on the right protocol era (SDK v2).
 *
 * Routing:
 * 1. Claude's quirk (modern version header, no envelope) -> legacy, header
 *    rewritten (`legacy-shim.ts`);
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
 * The Node mount (`toNodeHandler`) is built once; each request's caller
 * travels as its `AuthInfo` (`req.auth`), mapped back through a WeakMap. The
 * Claude shim rewrites the Node request's header before the web `Request` is
 * built, so nothing is copied twice.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import {
  createMcpHandler,
  isLegacyRequest,
  WebStandardStreamableHTTPServerTransport,
  type AuthInfo,
  type Server,
} from '@modelcontextprotocol/server';
import { legacyVersionFor } from './legacy-shim.js';
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
}

export interface EraDispatcher {
  /** Answers one authenticated POST for `scope`; `parsedBody` is its JSON body, already parsed. */
  serve(req: IncomingMessage, res: ServerResponse, parsedBody: unknown, scope: RequestScope): Promise<void>;
  close(): Promise<void>;
}

interface Exchange {
  readonly scope: RequestScope;
  /** The Claude shim rewrote the protocol version header: serve as legacy without classifying. */
  readonly shimmed: boolean;
}

export function createEraDispatcher(options: EraDispatcherOptions): EraDispatcher {
  // The SDK only passes `authInfo` along; this maps it back to the caller.
  const exchanges = new WeakMap<AuthInfo, Exchange>();
  const modern = createMcpHandler(
    ({ authInfo }) => {
      const exchange = authInfo === undefined ? undefined : exchanges.get(authInfo);
      if (exchange === undefined) throw new Error('MCP request reached the modern handler without a caller scope');
      return options.buildServer(exchange.scope);
    },
    { legacy: 'reject', maxRequestBodySize: options.maxBodyBytes, onerror: options.onError },
  );

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

  async function route(request: Request, parsedBody: unknown, authInfo: AuthInfo, exchange: Exchange): Promise<Response> {
    const { scope } = exchange;
    if (exchange.shimmed || (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: options.maxBodyBytes }))) {
      return serveLegacy(request, parsedBody, authInfo, scope);
    }
    return modern.fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
  }

  const nodeHandler = toNodeHandler(
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

  return {
    async serve(req, res, parsedBody, scope) {
      const shimVersion = legacyVersionFor(singleHeader(req.headers['mcp-protocol-version']), parsedBody);
      if (shimVersion !== undefined) req.headers['mcp-protocol-version'] = shimVersion;
      const authInfo: AuthInfo = { token: '', clientId: scope.grant.grantId, scopes: [...scope.grant.scopes] };
      exchanges.set(authInfo, { scope, shimmed: shimVersion !== undefined });
      // `toNodeHandler` hands `req.auth` to the fetch handler as `authInfo`.
      Object.assign(req, { auth: authInfo });
      await nodeHandler(req, res, parsedBody);
    },
    close: () => modern.close(),
  };
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
