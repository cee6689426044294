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
 *
 * The checks run on Node's request and response (`createMcpEndpoint`), so the
 * same code serves `/mcp` behind Express (`createMcpRouter`, body read by
 * `express.json`) and in front of it (`runtime/http/mcp-front.ts`, which reads
 * the bodies it takes itself). Answers are written by `writeJson`, never by
 * Express's `res.json`, so both give the same bytes and headers.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
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

export interface McpEndpointOptions {
  readonly dispatcher: EraDispatcher;
  readonly grants: GrantResolver;
  readonly allowedOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly log: Logger;
}

/** The outcome of reading a request's JSON body: the value, or the status body-parser gives (413 too large, else 400). */
export type BodyRead = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly status: number };

export interface McpEndpoint {
  /**
   * Answers one request to `/mcp` with checks 1-6 on Node's own request and
   * response; `readBody` is called once, after the method check. The Express
   * router and the HTTP front (`runtime/http/mcp-front.ts`) both serve through
   * this, so they give the same answers.
   */
  serve(req: IncomingMessage, res: ServerResponse, readBody: () => Promise<BodyRead>): Promise<void>;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createMcpEndpoint(options: McpEndpointOptions): McpEndpoint {
  return {
    async serve(req, res, readBody) {
      const started = performance.now();
      const requestId = requestIdFor(req);
      res.setHeader('X-Request-Id', requestId);
      res.setHeader('Cache-Control', 'no-store');
      let grantId: string | undefined;
      let body: unknown;
      res.on('finish', () => {
        options.log.info(
          {
            requestId,
            method: req.method,
            path: pathOf(req.url),
            status: res.statusCode,
            mcpMethod: mcpMethodOf(body),
            grantId,
            durationMs: Math.round(performance.now() - started),
          },
          'mcp request',
        );
      });

      const origin = req.headers.origin;
      if (!isOriginAllowed(origin, options.allowedOrigins, req.headers.host)) {
        writeJson(res, 403, originRefusal(origin ?? ''));
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
        writeJson(res, 503, jsonRpcError(-32000, 'The gateway cannot reach its session store right now; retry in a few seconds'));
        return;
      }
      if (grant === undefined) {
        sendUnauthorized(res, unauthorized(options.grants, req.headers.authorization ? 'invalid_token' : 'missing_token'));
        return;
      }
      grantId = grant.grantId;
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        writeJson(res, 405, jsonRpcError(-32000, 'Method not allowed: this stateless MCP endpoint only answers POST'));
        return;
      }
      const read = await readBody();
      if (!read.ok) {
        const tooLarge = read.status === 413;
        writeJson(
          res,
          read.status,
          tooLarge
            ? jsonRpcError(-32000, `Request body exceeds ${options.maxBodyBytes} bytes`)
            : jsonRpcError(-32700, 'Parse error: the request body is not valid JSON'),
        );
        return;
      }
      body = read.body;
      if (exceedsJsonDepth(body)) {
        writeJson(res, 400, jsonRpcError(-32600, `Invalid Request: JSON nested deeper than ${MAX_JSON_DEPTH} levels`));
        return;
      }

      const scope: RequestScope = { grant, requestId, log: options.log, reauthorizationRequired: false };
      await options.dispatcher.serve(req, res, body, scope);
    },
  };
}

/** The endpoint on Express (`MCP_PATHS`), its body read by `express.json` (every request the HTTP front passes on). */
export function createMcpRouter(endpoint: McpEndpoint, maxBodyBytes: number): Router {
  const parseJson = express.json({ limit: maxBodyBytes, strict: true });
  const router = Router();
  router.all(MCP_PATHS, (req, res) => endpoint.serve(req, res, () => runParser(parseJson, req, res)));
  return router;
}

/**
 * A JSON answer as the endpoint writes it, on Node's response (no Express): the same `Content-Type` as Express's
 * `res.json`, an explicit length, and no ETag (an answer that is `no-store` and to a POST has nothing to validate).
 */
export function writeJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** The URL's path without its query (what Express calls `req.path`). */
function pathOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

function mcpMethodOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return Array.isArray(body) ? 'batch' : undefined;
  const method: unknown = Reflect.get(body, 'method');
  return typeof method === 'string' ? method.slice(0, 64) : undefined;
}

function jsonRpcError(code: number, message: string): { jsonrpc: '2.0'; error: { code: number; message: string }; id: null } {
  return { jsonrpc: '2.0', error: { code, message }, id: null };
}

/** Runs an Express body parser as a promise; resolves with the body or its error's status. */
function runParser(parser: express.RequestHandler, req: ExpressRequest, res: ExpressResponse): Promise<BodyRead> {
  return new Promise((resolve) => {
    parser(req, res, (error?: unknown) => {
      if (error === undefined || error === null) resolve({ ok: true, body: req.body });
      else {
        const status: unknown = typeof error === 'object' ? Reflect.get(error, 'status') : undefined;
        resolve({ ok: false, status: typeof status === 'number' ? status : 400 });
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

function sendUnauthorized(res: ServerResponse, answer: Unauthorized): void {
  res.setHeader('WWW-Authenticate', answer.challenge);
  res.setHeader('Cache-Control', 'no-store');
  writeJson(res, 401, answer.body);
}

/** The 401 that replaces an MCP answer when a tool call found the Aries grant refused for good. */
export function reauthorizationResponse(grants: GrantResolver): Response {
  return unauthorizedResponse(unauthorized(grants, 'invalid_token'));
}

function unauthorizedResponse(answer: Unauthorized): Response {
  return Response.json(answer.body, { status: 401, headers: { 'WWW-Authenticate': answer.challenge, 'Cache-Control': 'no-store' } });
}
