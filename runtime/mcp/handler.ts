/**
 * The HTTP face of the MCP endpoint: `/mcp` and `/mcp/`.
 *
 * Checks, in order (each answers on its own, as JSON):
 * 1. request id: `X-Request-Id` when sane, else a random one; echoed back;
 *    every answer is `Cache-Control: no-store` (it carries account data);
 * 2. Origin: absent or configured, else 403 (MCP transports: servers MUST
 *    validate Origin); an allowed browser origin gets CORS (`mcp-cors.ts`),
 *    and `OPTIONS` is answered as its preflight;
 * 3. caller: the `GrantResolver` must know the caller, else 401 with
 *    `WWW-Authenticate` (RFC 6750 §3; MCP authorization), for every method:
 *    clients probe with GET first and start OAuth discovery from the 401;
 * 4. method: only POST (stateless Streamable HTTP: no GET stream, no DELETE
 *    session) -> 405 with `Allow: POST`;
 * 5. body: JSON up to `maxBodyBytes`, else 413 (400 for malformed JSON),
 *    nested at most `MAX_JSON_DEPTH` levels, else 400 (`json-depth.ts`);
 * 6. the MCP exchange (`era-dispatch.ts`); if a tool call found the Aries
 *    grant revoked, the answer is replaced by 401 so the client re-authorizes.
 * One access log line per request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { Router, type Request as ExpressRequest, type Response as ExpressResponse } from 'express';
import type { Logger } from '../log.js';
import type { EraDispatcher } from './era-dispatch.js';
import { bearerChallenge, type ChallengeReason, type GrantResolver } from './grant.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { answerPreflight, grantCors } from './mcp-cors.js';
import { isOriginAllowed, originRefusal } from './origin-check.js';
import { isStoreUnavailable } from '../store/store.js';
import type { RequestScope } from './server-factory.js';

export const MCP_PATHS = ['/mcp', '/mcp/'];

export interface McpRouterOptions {
  readonly dispatcher: EraDispatcher;
  readonly grants: GrantResolver;
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createMcpRouter(options: McpRouterOptions): Router {
  const parseJson = express.json({ limit: options.maxBodyBytes, strict: true });
  const router = Router();

  router.all(MCP_PATHS, async (req, res) => {
    const started = performance.now();
    const requestId = requestIdFor(req);
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Cache-Control', 'no-store');
    let grantId: string | undefined;
    res.on('finish', () => {
      options.log.info(
        { requestId, method: req.method, path: req.path, status: res.statusCode, mcpMethod: mcpMethodOf(req.body), grantId, durationMs: Math.round(performance.now() - started) },
        'mcp request',
      );
    });

    const origin = req.headers.origin;
    if (!isOriginAllowed(origin, options.allowedOrigins, req.headers.host)) {
      res.status(403).json(originRefusal(origin ?? ''));
      return;
    }
    if (origin !== undefined && origin !== '') grantCors(res, origin);
    if (req.method === 'OPTIONS') {
      answerPreflight(res, origin !== undefined && origin !== '');
      return;
    }
    let grant;
    try {
      grant = await options.grants.resolve(req);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      // The shared store (Redis) is down: say so and let the client retry; never a 500 or a 401 that would drop the connector.
      res.setHeader('Retry-After', '5');
      res.status(503).json(jsonRpcError(-32000, 'The gateway cannot reach its session store right now; retry in a few seconds'));
      return;
    }
    if (grant === undefined) {
      sendUnauthorized(res, unauthorized(options.grants, req.headers.authorization ? 'invalid_token' : 'missing_token'));
      return;
    }
    grantId = grant.grantId;
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      res.status(405).json(jsonRpcError(-32000, 'Method not allowed: this stateless MCP endpoint only answers POST'));
      return;
    }
    const bodyError = await runParser(parseJson, req, res);
    if (bodyError !== undefined) {
      const tooLarge = bodyError.status === 413;
      res
        .status(bodyError.status)
        .json(tooLarge ? jsonRpcError(-32000, `Request body exceeds ${options.maxBodyBytes} bytes`) : jsonRpcError(-32700, 'Parse error: the request body is not valid JSON'));
      return;
    }
    if (exceedsJsonDepth(req.body)) {
      res.status(400).json(jsonRpcError(-32600, `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
      return;
    }

    const scope: RequestScope = { grant, requestId, log: options.log, reauthorizationRequired: false };
    await options.dispatcher.serve(req, res, req.body, scope);
  });
  return router;
}

function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

function mcpMethodOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return Array.isArray(body) ? 'batch' : undefined;
  const method: unknown = Reflect.get(body, 'method');
  return typeof method === 'string' ? method.slice(0, 64) : undefined;
}

function jsonRpcError(code: number, message: string): { jsonrpc: '2.0'; error: { code: number; message: string }; id: null } {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

/** Runs an Express body parser as a promise; resolves with its error, if any. */
function runParser(parser: express.RequestHandler, req: ExpressRequest, res: ExpressResponse): Promise<{ status: number } | undefined> {
  return new Promise((resolve) => {
    parser(req, res, (error?: unknown) => {
      if (error === undefined || error === null) resolve(undefined);
      else {
        const status: unknown = typeof error === 'object' ? Reflect.get(error, 'status') : undefined;
        resolve({ status: typeof status === 'number' ? status : 400 });
      }
    });
  });
}

// ---- 401: the one place that shapes it ---------------------------------------

interface Unauthorized {
  readonly challenge: string;
  readonly body: { readonly error?: 'invalid_token'; readonly error_description: string };
}

function unauthorized(grants: GrantResolver, reason: ChallengeReason): Unauthorized {
  const challenge = grants.challenge?.(reason) ?? bearerChallenge(reason);
  // RFC 6750 §3.1: a request without credentials gets no error code, only the challenge.
  if (reason === 'missing_token') return { challenge, body: { error_description: 'Authorization required: connect this MCP server with your Aries account' } };
  return {
    challenge,
    body: {
      error: 'invalid_token',
      error_description: 'The access token is invalid, expired or revoked, or Aries no longer accepts this connection; authorize the connector again',
    },
  };
}

function sendUnauthorized(res: ExpressResponse, answer: Unauthorized): void {
  res.setHeader('WWW-Authenticate', answer.challenge);
  res.setHeader('Cache-Control', 'no-store');
  res.status(401).json(answer.body);
}

/** The 401 that replaces an MCP answer when a tool call found the Aries grant refused for good. */
export function reauthorizationResponse(grants: GrantResolver): Response {
  return unauthorizedResponse(unauthorized(grants, 'invalid_token'));
}

function unauthorizedResponse(answer: Unauthorized): Response {
  return Response.json(answer.body, { status: 401, headers: { 'WWW-Authenticate': answer.challenge, 'Cache-Control': 'no-store' } });
}
