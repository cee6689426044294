/**
 * Loads an OpenAPI 3.0/3.1 document once: parses YAML or JSON, turns 3.1
 * `$id`/`$anchor`/`$dynamicRef` references into plain pointers
 * (`canonical-refs.ts`), bundles
 * external `$ref`s to local files into the document (never over the network,
 * and only when the document has any), reports every internal `$ref` that
 * points nowhere, and validates the document against the official schema of
 * its version. The returned document keeps its internal `$ref`s: lowering
 * inlines them itself so it can bound recursion.
 *
 * Nothing here dereferences the whole document: that is exponential in time
 * or depth on densely linked specs, and lowering resolves each reference it
 * meets anyway. swagger-parser (the bundler) is loaded only when needed.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv';
import type { Issue, StageResult } from '../issues.js';
import { canonicalizeRefs, mayNeedCanonicalRefs } from './canonical-refs.js';
import { danglingRefs, documentRefs, isInternalRef } from './document-refs.js';
import { parseSource, type SourceMap } from './source-map.js';
import { validateOpenApi } from './validate-openapi.js';

export type OpenApiDocument = Record<string, unknown>;

export interface LoadedSpec {
  readonly doc: OpenApiDocument | undefined;
  readonly sourceMap: SourceMap | undefined;
}

export interface LoadSpecOptions {
  /** Skip the schema validation (robustness runs over third-party specs that are known to be sloppy). */
  readonly validate?: boolean;
}

const MAX_REPORTED = 50;

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

  // 1. OpenAPI 3.1: `$id`, `$anchor` and `$dynamicRef` references become plain `#/...` pointers.
  let doc: OpenApiDocument = parsed.value;
  let refs = documentRefs(doc);
  const refIssues: Issue[] = [];
  if (String(doc.openapi).startsWith('3.1') && mayNeedCanonicalRefs(text, refs)) {
    const canonical = canonicalizeRefs(doc, pathToFileURL(resolve(file)).href, file);
    refIssues.push(...canonical.issues);
    // Unchanged (the same object) when nothing needed rewriting: its references are the ones already found.
    if (canonical.doc !== doc) {
      doc = canonical.doc;
      refs = documentRefs(doc);
    }
  }

  // 2. Bundle: external file refs become internal ones; http(s) refs are refused.
  if (refs.some(({ ref }) => !isInternalRef(ref))) {
    try {
      const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
      const bundled: unknown = await SwaggerParser.bundle(
        file,
        // eslint-disable-next-line @typescript-eslint/no-unsafe-type-assertion -- trust boundary: swagger-parser types its input as a complete OpenAPI.Document; ours passed isOpenApi3 and is schema-validated in step 4
        doc as never,
        { resolve: { http: false, external: true } },
      );
      if (!isOpenApi3(bundled)) throw new Error('Bundling the external $refs did not return an OpenAPI 3.0/3.1 document.');
      doc = bundled;
    } catch (error) {
      return failed([refIssue(file, '#', error)]);
    }
    refs = documentRefs(doc);
  }

  // 3. Internal references must point at something; each one that does not is reported where it is written.
  // A reference the canonical pass already refused (an ambiguous anchor) is reported once, with its own reason.
  const refused = new Set(refIssues.filter((issue) => issue.severity === 'error').map((issue) => issue.pointer));
  const dangling = danglingRefs(doc, refs).filter(({ pointer }) => !refused.has(pointer));
  const issues: Issue[] = dangling.slice(0, MAX_REPORTED).map(({ ref, pointer }) => ({
    code: 'spec.ref',
    severity: 'error',
    file,
    pointer,
    message: `The $ref "${ref}" points at nothing in the document.`,
    fix: 'Make every $ref point at a component that exists (remote http refs are not fetched).',
  }));
  if (issues.length > 0 || refused.size > 0) return failed([...refIssues.filter((issue) => issue.severity === 'error'), ...issues]);
  if (options.validate === false) return { value: { doc, sourceMap: parsed.sourceMap }, issues: refIssues };

  // 4. Validate against the OpenAPI schema of the document's version.
  // Schema violations come with the document: `--all` lowers sloppy third-party specs anyway.
  const errors = validateOpenApi(doc);
  return { value: { doc, sourceMap: parsed.sourceMap }, issues: [...refIssues, ...validationIssues(file, errors, parsed.sourceMap)] };
}

function isOpenApi3(value: unknown): value is OpenApiDocument {
  return typeof value === 'object' && value !== null && /^3\.[01]\./.test(String(('openapi' in value ? value.openapi : undefined) ?? ''));
}

function refIssue(file: string, pointer: string, error: unknown): Issue {
  return {
    code: 'spec.ref',
    severity: 'error',
    file,
    pointer,
    message: `Could not bundle an external $ref: ${errorMessage(error)}`,
    fix: 'Make every $ref point at a local file or at a component that exists (remote http refs are not fetched).',
  };
}

function validationIssues(file: string, errors: readonly ErrorObject[], sourceMap: SourceMap): Issue[] {
  const reported = errors.slice(0, MAX_REPORTED);
  const lines = sourceMap.linesOf(reported.map((error) => `#${error.instancePath}`));
  return reported.map((error, index) => {
    const pointer = `#${error.instancePath}`;
    return {
      code: 'spec.invalid',
      severity: 'error',
      file,
      pointer,
      line: lines[index],
      message: `OpenAPI schema violation: ${error.message ?? 'invalid value'}`,
      fix: 'Correct the value at this location (see the OpenAPI 3 specification for the object).',
    };
  });
}

function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}
