/**
 * Gives every string that reaches the upstream request a length limit: where
 * the spec sets no `maxLength`, a conservative default is added, so a
 * 74 KB `symbol` is refused by argument validation instead of going into a
 * URL (issue 12, finding 2).
 *
 * - path, query and header strings: `URL_STRING_MAX_LENGTH`;
 * - strings inside a JSON body: `BODY_STRING_MAX_LENGTH`;
 * - an argument taken as one JSON string (`jsonString`): `JSON_STRING_MAX_LENGTH`;
 * - strings bounded otherwise (`enum`, `const`) are left alone, and so is a
 *   `maxLength` the spec sets, even a larger one (the API's own contract).
 *
 * It reports nothing itself: the caller lists the arguments in the notes.
 */
import type { LowerArgument } from './lower-argument.js';
import { mapSchemaTree, type SchemaRecord } from './schema-walk.js';

export const URL_STRING_MAX_LENGTH = 256;
export const BODY_STRING_MAX_LENGTH = 4096;
export const JSON_STRING_MAX_LENGTH = 65536;

export interface BoundedArgument {
  readonly arg: LowerArgument;
  /** True when a default was added somewhere in the argument's schema. */
  readonly added: boolean;
}

export function boundStringLengths(arg: LowerArgument): BoundedArgument {
  const limit = arg.jsonString ? JSON_STRING_MAX_LENGTH : arg.in === 'body' ? BODY_STRING_MAX_LENGTH : URL_STRING_MAX_LENGTH;
  let added = false;
  const schema = mapSchemaTree(arg.schema, (node) => {
    if (!needsLimit(node)) return node;
    added = true;
    return { ...node, maxLength: limit };
  });
  return { arg: added ? { ...arg, schema } : arg, added };
}

function needsLimit(node: SchemaRecord): boolean {
  if (node.maxLength !== undefined || node.enum !== undefined || Object.hasOwn(node, 'const')) return false;
  const types = Array.isArray(node.type) ? node.type : [node.type];
  return types.includes('string');
}
