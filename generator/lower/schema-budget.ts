/**
 * Keeps `JSON.stringify(inputSchema)` within the byte budget (default 16 KiB).
 * When over, in this order, stopping as soon as it fits:
 *
 * 1. descriptions and examples below the root arguments are removed;
 * 2. root argument descriptions are cut to 300 characters;
 * 3. the largest optional object-ish arguments (flattened objects, arrays of
 *    objects, unions) are taken as one JSON string each, largest first;
 * 4. still over: a `lower.input-too-large` error with the size.
 */
import { assembleInput, type AssembledInput } from './assemble-input.js';
import { containsObject, toJsonStringArgument } from './flatten-nested.js';
import type { LowerArgument } from './lower-argument.js';
import type { LowerContext } from './lower-context.js';
import { isRecord, mapSchemaTree, mapSubschemas, type SchemaRecord } from './schema-walk.js';

export const DEFAULT_MAX_INPUT_SCHEMA_BYTES = 16384;
export const MAX_ROOT_DESCRIPTION = 300;

export function fitInputBudget(args: readonly LowerArgument[], maxBytes: number, ctx: LowerContext, pointer: string): AssembledInput {
  let current = [...args];
  let assembled = assembleInput(current);
  const initial = assembled.bytes;
  if (assembled.bytes <= maxBytes) return assembled;
  current = current.map(stripNestedAnnotations);
  assembled = assembleInput(current);
  ctx.notes.add(`input schema over ${maxBytes} bytes (${initial}): removed nested descriptions and examples (${assembled.bytes} bytes)`);
  if (assembled.bytes <= maxBytes) return assembled;
  current = current.map(truncateDescription);
  assembled = assembleInput(current);
  ctx.notes.add(`cut argument descriptions to ${MAX_ROOT_DESCRIPTION} characters (${assembled.bytes} bytes)`);
  // Collapse largest first. The size after each step is estimated from the group's own bytes, and the
  // schema is assembled (serialized) again only when the estimate fits: one pass, not one per argument.
  let estimate = assembled.bytes;
  for (const group of collapsibleGroups(current)) {
    if (assembled.bytes <= maxBytes) break;
    const collapsed = truncateDescription(toJsonStringArgument(group.root, 200));
    const members = new Set(group.members);
    const first = current.indexOf(group.members[0]);
    current = current.filter((arg) => !members.has(arg));
    current.splice(first, 0, collapsed);
    estimate += JSON.stringify(collapsed.schema).length - group.bytes;
    if (estimate <= maxBytes) {
      assembled = assembleInput(current);
      estimate = assembled.bytes;
    }
    ctx.notes.add(`took "${group.root.segments.join('_')}" as one JSON string to fit the budget (${estimate} bytes)`);
  }
  if (estimate !== assembled.bytes) assembled = assembleInput(current);
  if (assembled.bytes > maxBytes) {
    ctx.report(
      'lower.input-too-large',
      'error',
      pointer,
      `The input schema is ${assembled.bytes} bytes after every reduction, over the budget of ${maxBytes} bytes.`,
      'Hide or pin arguments in tools.yaml, shorten the spec descriptions, or raise the input schema budget for this tool.',
    );
  }
  return assembled;
}

interface ArgumentGroup {
  readonly root: LowerArgument;
  readonly members: readonly LowerArgument[];
  readonly bytes: number;
}

/** Optional root arguments that hold objects, largest first (ties keep argument order). */
function collapsibleGroups(args: readonly LowerArgument[]): ArgumentGroup[] {
  const groups = new Map<LowerArgument, LowerArgument[]>();
  for (const arg of args) {
    const root = arg.root ?? arg;
    groups.set(root, [...(groups.get(root) ?? []), arg]);
  }
  return [...groups]
    .filter(([root, members]) => !root.required && !(members.length === 1 && members[0].jsonString) && containsObject(root.schema))
    .map(([root, members]) => ({ root, members, bytes: JSON.stringify(members.map((m) => m.schema)).length }))
    .sort((a, b) => b.bytes - a.bytes);
}

function stripNestedAnnotations(arg: LowerArgument): LowerArgument {
  if (!isRecord(arg.schema)) return arg;
  const schema = mapSubschemas(arg.schema, (child) => mapSchemaTree(child, withoutAnnotations));
  return { ...arg, schema };
}

function withoutAnnotations(node: SchemaRecord): SchemaRecord {
  const { description: _description, examples: _examples, ...rest } = node;
  return rest;
}

function truncateDescription(arg: LowerArgument): LowerArgument {
  if (!isRecord(arg.schema) || typeof arg.schema.description !== 'string' || arg.schema.description.length <= MAX_ROOT_DESCRIPTION) return arg;
  return { ...arg, schema: { ...arg.schema, description: `${arg.schema.description.slice(0, MAX_ROOT_DESCRIPTION - 1)}…` } };
}
