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
 */
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
}

export interface EraDispatcher {
  /** Serves `request` for `scope`; `parsedBody` is the JSON body when the HTTP layer already parsed it. */
  dispatch(request: Request, parsedBody: unknown, scope: RequestScope): Promise<Response>;
  close(): Promise<void>;
}

export function createEraDispatcher(options: EraDispatcherOptions): EraDispatcher {
  // The modern handler's factory only gets `authInfo`; this maps it back to the caller.
  const scopes = new WeakMap<AuthInfo, RequestScope>();
  const modern = createMcpHandler(
    ({ authInfo }) => {
      const scope = authInfo === undefined ? undefined : scopes.get(authInfo);
      if (scope === undefined) throw new Error('MCP request reached the modern handler without a caller scope');
      return options.buildServer(scope);
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

  return {
    async dispatch(request, parsedBody, scope) {
      const authInfo: AuthInfo = { token: '', clientId: scope.grant.grantId, scopes: [...scope.grant.scopes] };
      scopes.set(authInfo, scope);
      const shimVersion = legacyVersionFor(request.headers.get('mcp-protocol-version'), parsedBody);
      if (shimVersion !== undefined) return serveLegacy(withProtocolVersion(request, shimVersion), parsedBody, authInfo, scope);
      if (await isLegacyRequest(request, parsedBody, { maxRequestBodySize: options.maxBodyBytes })) {
        return serveLegacy(request, parsedBody, authInfo, scope);
      }
      return modern.fetch(request, { authInfo, ...(parsedBody !== undefined && { parsedBody }) });
    },
    close: () => modern.close(),
  };
}

function withProtocolVersion(request: Request, version: string): Request {
  const headers = new Headers(request.headers);
  headers.set('mcp-protocol-version', version);
  return new Request(request, { headers });
}
