/**
 * Errors of the trading API in Aries' shapes:
 * - 400 `{error: "invalid request", codes: [{code, description, field}], metadata: {}}`
 * - 401 `{error: "unauthorized", message}`, 403 `{error: "forbidden", message}`, 404 `{error: "not_found", message}`
 * Handlers throw `ApiError`; the router writes it.
 */
import type { FieldError } from '../openapi/validate-request.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(String(body.message ?? body.error));
  }
}

export function invalidRequest(codes: readonly FieldError[]): ApiError {
  return new ApiError(400, { error: 'invalid request', codes, metadata: {} });
}

/** One field error with code INVALID_FIELD (or another code). */
export function invalidField(field: string, description: string, code = 'INVALID_FIELD'): ApiError {
  return invalidRequest([{ code, description, field }]);
}

export function notFound(message: string): ApiError {
  return new ApiError(404, { error: 'not_found', message });
}

export function unauthorized(message: string): ApiError {
  const header = `Bearer realm="aries", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`;
  return new ApiError(401, { error: 'unauthorized', message }, { 'WWW-Authenticate': header });
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, { error: 'forbidden', message });
}
