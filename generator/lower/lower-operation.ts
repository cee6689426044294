/**
 * Lowering: one OpenAPI operation in, one Claude-safe tool shape out.
 *
 * Pure and deterministic: no I/O, no clocks, no randomness; the same input
 * gives the same schemas, routes, notes and issues in the same order. Problems
 * in the spec or the overrides are returned as issues, never thrown.
 *
 * It does not name the tool, pick annotations or emit code (later stages).
 */
import type { StageResult } from '../issues.js';
import { joinPointer } from '../issues.js';
import { applyNestedOverrides, applyRootOverrides, reportUnknownOverrides } from './apply-overrides.js';
import { DEFAULT_MAX_RECURSION_DEPTH } from './bound-recursion.js';
import { boundStringLengths } from './default-max-length.js';
import { flattenArguments } from './flatten-nested.js';
import { pruneExamples } from './input-examples.js';
import { createInliner } from './inline-refs.js';
import type { LowerArgument } from './lower-argument.js';
import { createLowerContext, type LowerContext } from './lower-context.js';
import type { LoweredOperation, LowerInput, PinnedValue } from './lower-types.js';
import { mergeParameters } from './merge-parameters.js';
import { createInputTransform } from './normalize-input.js';
import { lowerOutputSchema, OPEN_OUTPUT_SCHEMA } from './output-schema.js';
import { requestBodyArguments } from './request-body.js';
import { DEFAULT_MAX_INPUT_SCHEMA_BYTES, fitInputBudget } from './schema-budget.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';
import { enforceStrictTypes } from './strict-types.js';

/** Expansion budget of the input schema, as a multiple of its byte budget (GitHub's largest input expands to 23 KB before reductions). */
export const INPUT_EXPANSION_FACTOR = 2;

export function lowerOperation(input: LowerInput): StageResult<LoweredOperation> {
  const ctx = createLowerContext(input.doc, input.file);
  const maxDepth = input.maxRecursionDepth ?? DEFAULT_MAX_RECURSION_DEPTH;
  const pathItemPointer = joinPointer('#/paths', input.path);
  const operationPointer = joinPointer(pathItemPointer, input.method);
  const located = locateOperation(input, ctx, pathItemPointer);
  if (located === undefined) {
    ctx.report(
      'lower.operation-missing',
      'error',
      operationPointer,
      `The spec has no operation ${input.method.toUpperCase()} ${input.path}.`,
      'Select an operation that exists in the spec.',
    );
    return { value: emptyOperation(ctx), issues: ctx.issues };
  }

  // 1. Parameters and request body, schemas inlined and normalized, expansion stopped at a generous multiple
  //    of the input budget (the reductions of step 3 bring most large schemas under it without losing structure).
  const maxInputBytes = input.maxInputSchemaBytes ?? DEFAULT_MAX_INPUT_SCHEMA_BYTES;
  const inliner = createInliner(ctx, createInputTransform(ctx), maxDepth, { maxBytes: INPUT_EXPANSION_FACTOR * maxInputBytes });
  const source = { pathItem: located.pathItem, pathItemPointer, operation: located.operation, operationPointer };
  const collected = [...mergeParameters(source, ctx, inliner), ...requestBodyArguments(located.operation, operationPointer, ctx, inliner)];

  // 2. Overrides on root arguments, flattening, then overrides on flattened ones.
  const overrides = input.overrides ?? {};
  const used = new Set<string>();
  const rootStage = applyRootOverrides(collected, overrides, used, ctx);
  const flattened = flattenArguments(rootStage.args, ctx.notes);
  const nestedStage = applyNestedOverrides(flattened, overrides, used, ctx);
  reportUnknownOverrides(overrides, used, availableKeys(collected, flattened), operationPointer, ctx);
  const pinned: PinnedValue[] = [...rootStage.pinned, ...nestedStage.pinned];

  // 3. Strict 2020-12 types, a maxLength on every string (`default-max-length.ts`), examples pruned (`inputExamples`), names, assembly within the byte budget.
  const finished: LowerArgument[] = nestedStage.args.map((arg) => {
    const bounded = boundStringLengths({ ...arg, schema: enforceStrictTypes(arg.schema) });
    if (bounded.added) ctx.notes.addItem('added a default maxLength to strings the spec leaves unbounded', arg.segments.join('_'));
    const strict = asSchemaObject(bounded.arg.schema);
    const examples = pruneExamples(strict, input.inputExamples);
    if (examples.dropped) ctx.notes.addItem(`dropped examples (inputExamples: ${input.inputExamples ?? 'all'})`, arg.segments.join('_'));
    return { ...arg, schema: examples.schema };
  });
  const assembled = fitInputBudget(finished, maxInputBytes, ctx, operationPointer);
  for (const note of assembled.notes.render()) ctx.notes.add(note);

  // 4. Output schema from the success response.
  const output = lowerOutputSchema(located.operation, operationPointer, ctx, maxDepth, input.projection, input.outputSchemaDetail);

  const value: LoweredOperation = {
    inputSchema: assembled.inputSchema,
    routes: assembled.routes,
    pinned,
    outputSchema: output.outputSchema,
    ...(output.outputValidationSchema ? { outputValidationSchema: output.outputValidationSchema } : {}),
    ...(output.wrap ? { wrap: output.wrap } : {}),
    notes: ctx.notes.render(),
  };
  return { value, issues: ctx.issues };
}

interface LocatedOperation {
  readonly pathItem: SchemaRecord;
  readonly operation: SchemaRecord;
}

function locateOperation(input: LowerInput, ctx: LowerContext, pathItemPointer: string): LocatedOperation | undefined {
  const paths = input.doc.paths;
  let pathItem: unknown = isRecord(paths) && Object.prototype.hasOwnProperty.call(paths, input.path) ? paths[input.path] : undefined;
  if (isRecord(pathItem) && typeof pathItem.$ref === 'string') {
    const target = ctx.resolve(pathItem.$ref)?.value;
    if (target === undefined) {
      ctx.report(
        'lower.unresolved-ref',
        'warning',
        pathItemPointer,
        `Path item reference "${pathItem.$ref}" cannot be resolved.`,
        'Point the $ref at an existing path item.',
      );
    }
    pathItem = isRecord(target) ? { ...target, ...pathItem } : pathItem;
  }
  if (!isRecord(pathItem)) return undefined;
  const operation = pathItem[input.method];
  return isRecord(operation) ? { pathItem, operation } : undefined;
}

/** Boolean schemas become objects at the argument level (`true` is `{}`, `false` is `{ not: {} }`). */
function asSchemaObject(schema: unknown): SchemaRecord {
  if (isRecord(schema)) return schema;
  return schema === false ? { not: {} } : {};
}

function availableKeys(collected: readonly LowerArgument[], flattened: readonly LowerArgument[]): string[] {
  return [...new Set([...collected, ...flattened].map((arg) => arg.key))];
}

function emptyOperation(ctx: LowerContext): LoweredOperation {
  return {
    inputSchema: { type: 'object', properties: {}, additionalProperties: false },
    routes: [],
    pinned: [],
    outputSchema: OPEN_OUTPUT_SCHEMA,
    notes: ctx.notes.render(),
  };
}
