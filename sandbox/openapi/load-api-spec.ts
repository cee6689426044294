/**
 * Loads the OpenAPI document the trading API implements, once per file per
 * process: parsed and dereferenced by swagger-parser (no network, no
 * external files). Each operation becomes an `ApiOperation` with
 * its path matcher, required scopes (from `security`) and compiled request
 * validators. Does not validate the document itself (the generator does).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { isJsonObject } from '../json-object.js';
import { compilePathTemplate, type PathMatcher } from './match-operation.js';
import { compileRequestValidators, type RequestValidators } from './validate-request.js';

export type JsonObject = Record<string, unknown>;

export interface ApiOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
  readonly matcher: PathMatcher;
  /** Alternatives (any one suffices), each a list of scopes that must all be granted; empty = no auth. */
  readonly security: ReadonlyArray<readonly string[]>;
  readonly parameters: readonly JsonObject[];
  readonly requestBody: JsonObject | undefined;
  readonly responses: Readonly<Record<string, JsonObject>>;
  /** Compiled on first use (compiling every operation up front would slow start-up). */
  readonly validators: () => RequestValidators;
}

export interface ApiSpec {
  readonly document: JsonObject;
  readonly operations: readonly ApiOperation[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const cache = new Map<string, Promise<ApiSpec>>();

export function loadApiSpec(file: string): Promise<ApiSpec> {
  let loaded = cache.get(file);
  if (!loaded) {
    loaded = readSpec(file);
    cache.set(file, loaded);
    loaded.catch(() => cache.delete(file));
  }
  return loaded;
}

async function readSpec(file: string): Promise<ApiSpec> {
  // swagger-parser reads and parses the file itself (its own copy, dereferenced in place).
  const document: unknown = await SwaggerParser.dereference(file, { resolve: { http: false, external: false } });
  if (!isJsonObject(document)) throw new Error(`${file}: not an OpenAPI document`);
  const globalSecurity = document.security;
  const operations: ApiOperation[] = [];
  for (const [path, rawItem] of Object.entries(objectOrEmpty(document.paths))) {
    const item = objectOrEmpty(rawItem);
    const shared = objectList(item.parameters);
    for (const method of METHODS) {
      const op = item[method];
      if (!isJsonObject(op)) continue;
      const parameters = mergeParameters(shared, objectList(op.parameters));
      const requestBody = isJsonObject(op.requestBody) ? op.requestBody : undefined;
      operations.push({
        operationId: String(op.operationId ?? `${method} ${path}`),
        method: method.toUpperCase(),
        path,
        tags: Array.isArray(op.tags) ? op.tags.filter((tag): tag is string => typeof tag === 'string') : [],
        matcher: compilePathTemplate(path),
        security: readSecurity(op.security ?? globalSecurity),
        parameters,
        requestBody,
        responses: objectMap(op.responses),
        validators: memoize(() => compileRequestValidators(parameters, requestBody)),
      });
    }
  }
  return { document, operations };
}

function memoize<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** Operation parameters override path-level ones with the same name and location. */
function mergeParameters(shared: JsonObject[], own: JsonObject[]): JsonObject[] {
  const key = (p: JsonObject) => `${String(p.in)}:${String(p.name)}`;
  const merged = new Map(shared.map((p) => [key(p), p]));
  for (const p of own) merged.set(key(p), p);
  return [...merged.values()];
}

function readSecurity(security: unknown): string[][] {
  if (!Array.isArray(security)) return [];
  return security.map((requirement: Record<string, string[]>) => Object.values(requirement ?? {}).flat());
}

/** The JSON schema of an operation's success response, and its status. */
export function successResponse(operation: ApiOperation): { status: number; schema: JsonObject | undefined; example: unknown } {
  const status = Object.keys(operation.responses).find((code) => /^2\d\d$/.test(code)) ?? '200';
  const declared = objectOrEmpty(operation.responses[status]?.content)['application/json'];
  const media = isJsonObject(declared) ? declared : undefined;
  const examples = isJsonObject(media?.examples) ? Object.values(media.examples) : undefined;
  const first = examples?.[0];
  const example = media?.example ?? (isJsonObject(first) ? first.value : undefined);
  const schema = media?.schema;
  return { status: Number(status), schema: isJsonObject(schema) ? schema : undefined, example };
}

function objectOrEmpty(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

function objectList(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

function objectMap(value: unknown): Record<string, JsonObject> {
  return Object.fromEntries(Object.entries(objectOrEmpty(value)).filter((entry): entry is [string, JsonObject] => isJsonObject(entry[1])));
}
