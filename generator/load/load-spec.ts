/**
 * Loads an OpenAPI 3.0/3.1 document: parses YAML or JSON, bundles external
 * `$ref`s to local files into the document (never over the network), and
 * validates it with swagger-parser. The returned document keeps its internal
 * `$ref`s: lowering inlines them itself so it can bound recursion.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import type { Issue, StageResult } from '../issues.js';
import { parseSource, type SourceMap } from './source-map.js';

export type OpenApiDocument = Record<string, unknown>;

export interface LoadedSpec {
  readonly doc: OpenApiDocument | undefined;
  readonly sourceMap: SourceMap | undefined;
}

export interface LoadSpecOptions {
  /** Skip swagger-parser's schema validation (robustness runs over third-party specs that are known to be sloppy). */
  readonly validate?: boolean;
}

export async function loadSpec(file: string, text: string, options: LoadSpecOptions = {}): Promise<StageResult<LoadedSpec>> {
  const parsed = parseSource(text);
  const failed = (issues: Issue[]): StageResult<LoadedSpec> => ({ value: { doc: undefined, sourceMap: parsed.sourceMap }, issues });
  if (parsed.errors.length > 0) {
    return failed(
      parsed.errors.map((error) => ({
        code: 'spec.parse',
        severity: 'error',
        file,
        pointer: '#',
        line: error.line,
        message: `Not valid YAML/JSON: ${error.message}`,
        fix: 'Fix the syntax at the given line.',
      })),
    );
  }
  if (!isOpenApi3(parsed.value)) {
    return failed([
      {
        code: 'spec.not-openapi3',
        severity: 'error',
        file,
        pointer: '#/openapi',
        line: parsed.sourceMap.lineOf('#/openapi'),
        message: 'The document is not OpenAPI 3.x (no `openapi: 3.x.y` field).',
        fix: 'Convert Swagger 2.0 documents to OpenAPI 3 first, or point --spec at the right file.',
      },
    ]);
  }

  let doc: OpenApiDocument;
  try {
    // 1. Bundle: external file refs become internal ones; http(s) refs are refused.
    doc = (await SwaggerParser.bundle(file, parsed.value as never, { resolve: { http: false, external: true } })) as OpenApiDocument;
  } catch (error) {
    return failed([refIssue(file, error)]);
  }
  if (options.validate === false) return { value: { doc, sourceMap: parsed.sourceMap }, issues: [] };

  try {
    // 2. Validate a copy: swagger-parser dereferences in place.
    await SwaggerParser.validate(structuredClone(doc) as never, { resolve: { http: false, external: false } });
  } catch (error) {
    return failed(validationIssues(file, error, parsed.sourceMap));
  }
  return { value: { doc, sourceMap: parsed.sourceMap }, issues: [] };
}

function isOpenApi3(value: unknown): value is OpenApiDocument {
  return typeof value === 'object' && value !== null && /^3\.[01]\./.test(String((value as OpenApiDocument).openapi ?? ''));
}

function refIssue(file: string, error: unknown): Issue {
  return {
    code: 'spec.ref',
    severity: 'error',
    file,
    pointer: '#',
    message: `Could not resolve a $ref: ${errorMessage(error)}`,
    fix: 'Make every $ref point at a local file or at a component that exists (remote http refs are not fetched).',
  };
}

interface ValidationDetail {
  readonly message?: string;
  readonly instancePath?: string;
  readonly path?: readonly (string | number)[];
}

function validationIssues(file: string, error: unknown, sourceMap: SourceMap): Issue[] {
  const details = (error as { details?: ValidationDetail[] }).details;
  if (!Array.isArray(details) || details.length === 0) {
    return [{ code: 'spec.invalid', severity: 'error', file, pointer: '#', message: errorMessage(error), fix: 'Fix the OpenAPI document so it validates.' }];
  }
  return details.slice(0, 50).map((detail) => {
    const pointer = `#${detail.instancePath ?? ''}`;
    return {
      code: 'spec.invalid',
      severity: 'error',
      file,
      pointer,
      line: sourceMap.lineOf(pointer),
      message: `OpenAPI schema violation: ${detail.message ?? 'invalid value'}`,
      fix: 'Correct the value at this location (see the OpenAPI 3 specification for the object).',
    };
  });
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
