/**
 * The trading API, driven by the spec. For each request:
 * 1. find the operation by method and path (unknown path 404, wrong method 405);
 * 2. apply the active fault, if any (faults touch the API only);
 * 3. check the bearer token (401) and the operation's scope (403);
 * 4. validate path, query and JSON body against the spec (400 INVALID_FIELD);
 * 5. let resting orders match the current prices;
 * 6. answer with the hand-written handler for the operationId, or a sample of the
 *    spec's success response when there is none.
 * OAuth endpoints are served by the OAuth router and are not part of this one.
 */
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { successResponse, type ApiOperation, type ApiSpec } from '../openapi/load-api-spec.js';
import { matchOperation } from '../openapi/match-operation.js';
import { validateRequest } from '../openapi/validate-request.js';
import type { SandboxState } from '../state/sandbox-state.js';
import { ApiError, invalidField, invalidRequest } from './api-error.js';
import { applyFault } from './apply-fault.js';
import { authenticateBearer, checkScopes } from './authenticate-bearer.js';
import type { InvalidRequestAnswers, OperationHandlers } from './operation-handler.js';
import { sampleOperationResponse } from './sample-response.js';

export interface ApiRouterOptions {
  readonly state: SandboxState;
  readonly spec: Promise<ApiSpec>;
  readonly handlers: OperationHandlers;
  readonly invalidRequestAnswers: InvalidRequestAnswers;
  readonly logger: Logger;
}

export function createApiRouter(options: ApiRouterOptions): RequestHandler {
  const { state, handlers, logger } = options;
  const operations = options.spec.then((spec) => spec.operations.filter((op) => !op.path.startsWith('/v1/oauth2/')));
  operations.catch(() => undefined);
  const parseJson = express.json({ limit: '1mb' });

  return async (req, res) => {
    let served: ApiOperation[];
    try {
      served = await operations;
    } catch (error) {
      logger.error({ err: error }, 'sandbox: the OpenAPI document could not be loaded');
      res.status(500).json({ error: 'internal_error', message: 'The sandbox could not load spec/aries.openapi.yaml.' });
      return;
    }
    const { match, allowed } = matchOperation(served, req.method, req.path);
    if (!match) {
      if (allowed.length > 0)
        res
          .set('Allow', allowed.join(', '))
          .status(405)
          .json({ error: 'method_not_allowed', message: `${req.method} is not allowed on ${req.path}` });
      else res.status(404).json({ error: 'not_found', message: `No operation at ${req.method} ${req.path}` });
      return;
    }
    if (await applyFault(state, req, res)) return;
    const { operation, pathParams } = match;
    try {
      const caller = authenticateBearer(state, req);
      checkScopes(caller, operation.security);
      const body = await readJsonBody(parseJson, req, res);
      const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
      const errors = validateRequest(operation.validators(), { path: pathParams, query, body });
      const answerInvalid = options.invalidRequestAnswers[operation.operationId];
      if (errors.length > 0 && answerInvalid) {
        res.status(200).json(answerInvalid(errors));
        return;
      }
      if (errors.length > 0) throw invalidRequest(errors);
      state.desk.match();
      const handler = handlers[operation.operationId];
      const result = handler ? handler({ caller, state, path: pathParams, query, body }) : sampleOperationResponse(operation);
      res.status(successResponse(operation).status).json(result);
    } catch (error) {
      sendError(res, error, logger, operation);
    }
  };
}

function sendError(res: Response, error: unknown, logger: Logger, operation: ApiOperation): void {
  if (error instanceof ApiError) {
    res.status(error.status).set(error.headers).json(error.body);
    return;
  }
  logger.error({ err: error, operationId: operation.operationId }, 'sandbox: handler failed');
  res.status(500).json({ error: 'internal_error', message: 'The sandbox failed to handle this request.' });
}

/** The parsed JSON body, or undefined when there is none. Malformed JSON is a 400. */
function readJsonBody(parse: RequestHandler, req: Request, res: Response): Promise<unknown> {
  return new Promise((resolve, reject) => {
    parse(req, res, (error?: unknown) => {
      if (error) reject(invalidField('body', 'the request body is not valid JSON'));
      else resolve(req.body);
    });
  });
}
