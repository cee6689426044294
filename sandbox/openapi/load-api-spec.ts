/**
 * Loads the OpenAPI document the trading API implements, once per file per
 * process: parsed and dereferenced by swagger-parser (no network, no
 * external files). Each operation becomes an `ApiOperation` with
 * its path matcher, required scopes (from `security`) and compiled request
 * validators. Does not validate the document itself (the generator does).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
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
  const document = (await SwaggerParser.dereference(file, { resolve: { http: false, external: false } })) as unknown as JsonObject;
  const globalSecurity = document.security;
  const operations: ApiOperation[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, JsonObject>)) {
    const shared = (item.parameters ?? []) as JsonObject[];
    for (const method of METHODS) {
      const op = item[method] as JsonObject | undefined;
      if (!op) continue;
      const parameters = mergeParameters(shared, (op.parameters ?? []) as JsonObject[]);
      const requestBody = op.requestBody as JsonObject | undefined;
      operations.push({
        operationId: String(op.operationId ?? `${method} ${path}`),
        method: method.toUpperCase(),
        path,
        tags: (op.tags ?? []) as string[],
        matcher: compilePathTemplate(path),
        security: readSecurity(op.security ?? globalSecurity),
        parameters,
        requestBody,
        responses: (op.responses ?? {}) as Record<string, JsonObject>,
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
  const media = ((operation.responses[status]?.content ?? {}) as Record<string, JsonObject>)['application/json'];
  const examples = media?.examples as Record<string, { value?: unknown }> | undefined;
  const example = media?.example ?? (examples ? Object.values(examples)[0]?.value : undefined);
  return { status: Number(status), schema: media?.schema as JsonObject | undefined, example };
}
