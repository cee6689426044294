/**
 * Request validation against the operation's schemas, with Ajv (JSON Schema
 * 2020-12, ajv-formats):
 * - path and query parameters: strings coerced to the declared types
 *   (`coerceTypes: 'array'`, so `?tickers=A` also fits an array), defaults applied;
 * - the JSON body: validated as sent, no coercion;
 * - a required body that is missing or not JSON is an error on field `body`.
 * Every failure becomes an Aries field error `{code: "INVALID_FIELD", description, field}`.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { JsonObject } from './load-api-spec.js';
import { isJsonObject } from '../json-object.js';

export interface FieldError {
  readonly code: string;
  readonly description: string;
  readonly field: string;
}

export interface RequestValidators {
  readonly path: ValidateFunction | undefined;
  readonly query: ValidateFunction | undefined;
  readonly body: ValidateFunction | undefined;
  readonly bodyRequired: boolean;
}

function createAjv(coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, coerceTypes: coerce ? 'array' : false, useDefaults: coerce });
  addFormats.default(ajv);
  return ajv;
}

const paramsAjv = createAjv(true);
const bodyAjv = createAjv(false);

export function compileRequestValidators(parameters: readonly JsonObject[], requestBody: JsonObject | undefined): RequestValidators {
  const declared = requestBody?.content;
  const content = isJsonObject(declared) ? declared : {};
  const media = content['application/json'];
  const bodySchema = isJsonObject(media) && isJsonObject(media.schema) ? media.schema : undefined;
  return {
    path: compileParameters(parameters, 'path'),
    query: compileParameters(parameters, 'query'),
    body: bodySchema ? bodyAjv.compile(bodySchema) : undefined,
    bodyRequired: requestBody?.required === true,
  };
}

function compileParameters(parameters: readonly JsonObject[], location: string): ValidateFunction | undefined {
  const selected = parameters.filter((p) => p.in === location);
  if (selected.length === 0) return undefined;
  const properties = Object.fromEntries(selected.map((p) => [String(p.name), isJsonObject(p.schema) ? p.schema : {}]));
  const required = selected.filter((p) => p.required === true).map((p) => String(p.name));
  return paramsAjv.compile({ type: 'object', properties, required });
}

/** Validates (and coerces, for parameters) one request's path, query and JSON body. */
export function validateRequest(validators: RequestValidators, request: { path: object; query: object; body: unknown }): FieldError[] {
  const bodyErrors =
    request.body === undefined
      ? validators.bodyRequired
        ? [fieldError('body', 'a JSON request body is required')]
        : []
      : runValidator(validators.body, request.body);
  return [...runValidator(validators.path, request.path), ...runValidator(validators.query, request.query), ...bodyErrors];
}

/** Runs a validator (which may coerce `value` in place) and returns Aries field errors. */
function runValidator(validate: ValidateFunction | undefined, value: unknown): FieldError[] {
  if (!validate || validate(value)) return [];
  return (validate.errors ?? []).map(toFieldError);
}

function toFieldError(error: ErrorObject): FieldError {
  const base = pointerToField(error.instancePath);
  const params: Record<string, unknown> = error.params;
  const join = (name: unknown) => (base ? `${base}.${String(name)}` : String(name));
  switch (error.keyword) {
    case 'required':
      return fieldError(join(params.missingProperty), `${join(params.missingProperty)} is required`);
    case 'additionalProperties':
      return fieldError(join(params.additionalProperty), `${join(params.additionalProperty)} is not a known field`);
    case 'enum':
      return fieldError(
        base,
        `${base} must be one of: ${Array.isArray(params.allowedValues) ? params.allowedValues.join(', ') : String(params.allowedValues)}`,
      );
    case 'pattern':
      return fieldError(
        base,
        String(params.pattern).includes('\\d+(\\.\\d+)?')
          ? `${base} must be a decimal string such as "10" or "175.50"`
          : `${base} must match the pattern ${String(params.pattern)}`,
      );
    case 'format':
      return fieldError(base, `${base} must be a valid ${String(params.format)}`);
    case 'type':
      return fieldError(base, `${base} must be of type ${String(params.type)}`);
    default:
      return fieldError(base, `${base || 'body'} ${error.message ?? 'is invalid'}`);
  }
}

function fieldError(field: string, description: string): FieldError {
  return { code: 'INVALID_FIELD', description, field: field || 'body' };
}

/** `/legs/0/side` -> `legs[0].side` */
function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((field, token) => (/^\d+$/.test(token) ? `${field}[${token}]` : field ? `${field}.${token}` : token), '');
}
