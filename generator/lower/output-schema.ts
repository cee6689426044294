/**
 * The tool's output schema, from the operation's success response.
 *
 * - Response: the first of 200, 201, 202, 203, 206, other 2xx codes
 *   ascending, `2XX` that has JSON content (`application/json` or `+json`);
 *   `default` only when the operation declares no 2xx response at all.
 * - Object body: the compacted schema (`compact-output.ts`), root `type: object`;
 *   references stop expanding at `MAX_OUTPUT_EXPANSION_BYTES` (`inline-refs.ts`);
 *   unions that compaction would turn into `{}` are not expanded at all
 *   (`prune-output-unions.ts`).
 * - Array body: `{ type: object, properties: { items: <array> }, required: [items] }`, `wrap: 'items'`.
 * - Any other JSON body (scalar, union of kinds, no schema):
 *   `{ type: object, properties: { value: <schema> } }`, `wrap: 'value'`;
 *   a body that can only be `null` declares no `value` (the runtime drops
 *   null-valued properties, so it returns `{}`).
 * - No JSON success body: `{ type: object, properties: {}, additionalProperties: true }`
 *   and no wrap (the runtime returns whatever it has, e.g. text, unvalidated).
 * - Then the projection (`project-output.ts`).
 * - Last, with `detail: 'fields'`, scalar types are left out
 *   (`withoutScalarTypes` in `compact-output.ts`) of the published schema;
 *   the typed one is kept as `outputValidationSchema`, which the runtime
 *   checks results with, so an upstream value changing type is still noticed.
 */
import type { JsonSchema } from '../../runtime/contract/tool-definition.js';
import { joinPointer } from '../issues.js';
import { createOutputTransform, withoutScalarTypes } from './compact-output.js';
import { createInliner } from './inline-refs.js';
import type { LowerContext } from './lower-context.js';
import type { OutputSchemaDetail } from './lower-types.js';
import { projectOutput } from './project-output.js';
import { publishOutput } from './publish-output.js';
import { createOutputUnionPruner } from './prune-output-unions.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';

export interface LoweredOutput {
  readonly outputSchema: JsonSchema;
  /** The typed schema the runtime checks results with, when `outputSchema` leaves scalar types out. */
  readonly outputValidationSchema?: JsonSchema;
  readonly wrap?: 'items' | 'value';
}

const PREFERRED_CODES = ['200', '201', '202', '203', '206'];

/** Expansion budget of an output schema, compacted (GitHub's largest is 39 KB). */
export const MAX_OUTPUT_EXPANSION_BYTES = 65536;

export const OPEN_OUTPUT_SCHEMA: JsonSchema = { type: 'object', properties: {}, additionalProperties: true };

export function lowerOutputSchema(
  operation: SchemaRecord,
  operationPointer: string,
  ctx: LowerContext,
  maxDepth: number,
  projection?: readonly string[],
  detail: OutputSchemaDetail = 'types',
): LoweredOutput {
  const found = findJsonResponse(operation, joinPointer(operationPointer, 'responses'), ctx);
  if (found === undefined) {
    ctx.notes.add('no JSON success response: the output schema is an open object');
    if (projection && projection.length > 0) projectOutput({ ...OPEN_OUTPUT_SCHEMA }, projection, undefined, ctx, operationPointer);
    return { outputSchema: OPEN_OUTPUT_SCHEMA };
  }
  const inliner = createInliner(ctx, createOutputTransform(new WeakSet()), maxDepth, {
    maxBytes: MAX_OUTPUT_EXPANSION_BYTES,
    prune: createOutputUnionPruner(ctx),
  });
  const compacted = inliner.inline(found.schema, found.pointer);
  const root = isRecord(compacted) ? compacted : {};
  const kind = rootKind(root);
  let schema: SchemaRecord;
  let wrap: 'items' | 'value' | undefined;
  if (kind === 'object') {
    schema = { ...root, type: 'object' };
  } else if (kind === 'array') {
    schema = { type: 'object', properties: { items: { ...root, type: 'array' } }, required: ['items'] };
    wrap = 'items';
    ctx.notes.add('the response is an array: returned as { items: [...] }');
  } else {
    schema = { type: 'object', properties: root.type === 'null' ? {} : { value: root } };
    wrap = 'value';
    ctx.notes.add('the response is not an object: returned as { value: ... }');
  }
  if (projection && projection.length > 0) schema = projectOutput(schema, projection, wrap, ctx, found.pointer);
  let validation: JsonSchema | undefined;
  if (detail === 'fields') {
    const reduced = withoutScalarTypes(schema);
    if (reduced.dropped) {
      ctx.notes.add('left scalar types out of the output schema (outputSchemaDetail: fields)');
      validation = schema;
    }
    schema = reduced.schema;
  } else if (detail === 'types-within-budget') {
    const published = publishOutput(schema, ctx);
    schema = published.published;
    validation = published.validation;
  }
  return { outputSchema: schema, ...(validation ? { outputValidationSchema: validation } : {}), ...(wrap ? { wrap } : {}) };
}

function rootKind(root: SchemaRecord): 'object' | 'array' | 'other' {
  const types = (Array.isArray(root.type) ? root.type : [root.type]).filter((type) => type !== 'null' && type !== undefined);
  if (types.length !== 1) return 'other';
  return types[0] === 'object' ? 'object' : types[0] === 'array' ? 'array' : 'other';
}

interface FoundResponse {
  readonly schema: unknown;
  readonly pointer: string;
}

function findJsonResponse(operation: SchemaRecord, pointer: string, ctx: LowerContext): FoundResponse | undefined {
  const responses = operation.responses;
  if (!isRecord(responses)) return undefined;
  for (const code of successCodes(Object.keys(responses))) {
    let response = responses[code];
    let at = joinPointer(pointer, code);
    for (let hops = 0; isRecord(response) && typeof response.$ref === 'string' && hops < 16; hops += 1) {
      const resolved = ctx.resolve(response.$ref);
      response = resolved?.value;
      at = resolved?.pointer ?? at;
    }
    if (!isRecord(response) || !isRecord(response.content)) continue;
    const mediaType = Object.keys(response.content).find(isJsonMediaType);
    if (mediaType === undefined) continue;
    const media = response.content[mediaType];
    const schema = isRecord(media) && media.schema !== undefined ? media.schema : {};
    return { schema, pointer: joinPointer(at, 'content', mediaType, 'schema') };
  }
  return undefined;
}

export function successCodes(codes: readonly string[]): string[] {
  const numeric = codes.filter((code) => /^2\d\d$/.test(code));
  const ordered = [
    ...PREFERRED_CODES.filter((code) => numeric.includes(code)),
    ...numeric.filter((code) => !PREFERRED_CODES.includes(code)).sort(),
    ...codes.filter((code) => code.toUpperCase() === '2XX'),
  ];
  if (ordered.length > 0) return ordered;
  return codes.includes('default') ? ['default'] : [];
}

function isJsonMediaType(mediaType: string): boolean {
  const type = mediaType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}
