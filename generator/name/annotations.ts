/**
 * MCP tool annotations, derived from the HTTP method and overridable in the
 * config (order preview is a POST that changes nothing):
 * - GET/HEAD/OPTIONS/TRACE: read-only, idempotent.
 * - PUT: writes, replaces state (destructive), idempotent.
 * - DELETE: writes, destructive, idempotent.
 * - PATCH: writes, modifies existing state (destructive), not idempotent.
 * - POST: writes, additive (not destructive), not idempotent.
 * A read-only tool can be neither destructive nor marked as writing; the
 * config cannot make a tool both, so one tool never mixes reads and writes.
 * `annotations.title` repeats the tool's title unless `includeTitle` is false
 * (`defaults.annotationTitle` in tools.yaml): MCP clients since 2025-06-18
 * read the tool's own `title` first, older ones only the annotation.
 */
import type { HttpMethod, ToolAnnotations } from '../../runtime/contract/tool-definition.js';
import type { Issue } from '../issues.js';
import type { AnnotationOverrides } from '../load/tools-config.js';

type Hints = Omit<ToolAnnotations, 'title'>;

const BY_METHOD: Record<HttpMethod, Omit<Hints, 'openWorldHint'>> = {
  get: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  head: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  options: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  trace: { readOnlyHint: true, destructiveHint: false, idempotentHint: true },
  put: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  delete: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
  patch: { readOnlyHint: false, destructiveHint: true, idempotentHint: false },
  post: { readOnlyHint: false, destructiveHint: false, idempotentHint: false },
};

export interface AnnotateInput {
  readonly method: HttpMethod;
  readonly title: string;
  readonly overrides?: AnnotationOverrides;
  readonly openWorldDefault: boolean;
  /** Repeat `title` as `annotations.title`; default true. */
  readonly includeTitle?: boolean;
  readonly configFile: string;
  readonly configPointer: string;
}

export function annotateTool(input: AnnotateInput): { annotations: ToolAnnotations; issues: Issue[] } {
  const derived = BY_METHOD[input.method];
  let hints: Hints = { ...derived, openWorldHint: input.openWorldDefault, ...input.overrides };
  // Marking a tool read-only also makes it non-destructive and idempotent unless said otherwise.
  if (input.overrides?.readOnlyHint === true) {
    hints = { ...hints, destructiveHint: input.overrides.destructiveHint ?? false, idempotentHint: input.overrides.idempotentHint ?? true };
  }
  const issues: Issue[] = [];
  if (hints.readOnlyHint && hints.destructiveHint) {
    issues.push({
      code: 'config.contradictory-annotations',
      severity: 'error',
      file: input.configFile,
      pointer: `${input.configPointer}/annotations`,
      message: 'A tool cannot be both readOnlyHint and destructiveHint.',
      fix: 'Set readOnlyHint: false for a tool that changes state, or destructiveHint: false for one that only reads.',
    });
  }
  return { annotations: input.includeTitle === false ? hints : { title: input.title, ...hints }, issues };
}
