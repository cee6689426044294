/**
 * `outputSchemaDetail: types-within-budget`: what a tool's `tools/list` entry
 * shows as its output schema, given the typed schema lowering built.
 *
 * - Every node carries a validation keyword (the MCP Inspector's strict check
 *   warns on `{}`, which accepts anything), so scalar fields keep their type.
 * - A nullable type written as a list (`type: [object, null]`, which the
 *   output transform gives array items) becomes `anyOf` of single types, the
 *   spelling the Inspector recommends: clients that map schemas onto a
 *   single-`type` dialect (Gemini function declarations) reject the list form.
 * - When that schema is over `MAX_PUBLISHED_OUTPUT_BYTES`, the tool publishes
 *   `{ type: 'object' }` instead: a long typed schema costs more tokens in every
 *   conversation than it tells a model, which reads the result anyway.
 *
 * Results are always checked against the full typed schema: it is returned as
 * `validation` whenever the published schema says less.
 */
import { schemaBytes } from './assemble-input.js';
import type { LowerContext } from './lower-context.js';
import { isRecord, mapSchemaTree, type SchemaRecord } from './schema-walk.js';

/** 160 estimated tokens (bytes / 4): the typed output schemas of 12 of the 16 Aries tools fit, keeping the average tool under 400. */
export const MAX_PUBLISHED_OUTPUT_BYTES = 640;

const BARE_OUTPUT_SCHEMA: SchemaRecord = { type: 'object' };

export interface PublishedOutput {
  readonly published: SchemaRecord;
  /** Set when `published` checks less than the typed schema. */
  readonly validation?: SchemaRecord;
}

export function publishOutput(typed: SchemaRecord, ctx: LowerContext): PublishedOutput {
  const portable = mapSchemaTree(typed, singleTypes);
  const bytes = schemaBytes(portable);
  if (isRecord(portable) && portable.type === 'object' && bytes <= MAX_PUBLISHED_OUTPUT_BYTES) return { published: portable };
  ctx.notes.add(
    `published the output schema as { type: object }: the typed one is ${bytes} bytes, over ${MAX_PUBLISHED_OUTPUT_BYTES}; results are still checked against it`,
  );
  return { published: BARE_OUTPUT_SCHEMA, validation: typed };
}

/** `type: [T, 'null']` -> `anyOf: [{ type: T, ...rest }, { type: 'null' }]`; other nodes unchanged. */
function singleTypes(node: SchemaRecord): SchemaRecord {
  const { type, ...rest } = node;
  if (!Array.isArray(type) || type.length !== 2 || !type.includes('null')) return node;
  const other = type.find((name) => name !== 'null');
  return { anyOf: [{ type: other, ...rest }, { type: 'null' }] };
}
