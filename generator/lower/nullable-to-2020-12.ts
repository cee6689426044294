/**
 * Rewrites OpenAPI 3.0 and draft-04 spellings of one schema node into JSON
 * Schema 2020-12 (children are converted by the caller's walk):
 *
 * - `nullable: true` with `type` adds `"null"` to the type (and to `enum`);
 *   without `type` the node becomes `anyOf: [node, { type: 'null' }]` (its
 *   description and default move to the wrapper); on `{}` it is simply dropped.
 *   `nullable: false` is dropped.
 * - Boolean `exclusiveMinimum`/`exclusiveMaximum` take the value of
 *   `minimum`/`maximum`; `false` is dropped.
 * - `example` becomes `examples: [example]` (the keyword filter later decides
 *   which examples an input schema keeps).
 * - A tuple `items: [a, b]` becomes `prefixItems`, `additionalItems` becomes
 *   `items`.
 *
 * Nullability at a tool's root (a request body) is removed later by
 * `flatten-root.ts`; this rule does not know where the node sits.
 */
import type { NoteBook } from './lower-context.js';
import { isRecord, mapSchemaTree, type SchemaRecord } from './schema-walk.js';

const HOISTED_TO_NULL_WRAPPER = ['description', 'default', 'title'] as const;

export const CONVERSION_NOTE = 'converted to JSON Schema 2020-12';

export function convertNodeTo202012(node: SchemaRecord, notes?: NoteBook): SchemaRecord {
  const out: SchemaRecord = { ...node };
  if (notes) noteConversions(node, notes);
  convertExclusiveBound(out, 'exclusiveMinimum', 'minimum');
  convertExclusiveBound(out, 'exclusiveMaximum', 'maximum');
  if ('example' in out) {
    if (!Array.isArray(out.examples)) out.examples = [out.example];
    delete out.example;
  }
  if (Array.isArray(out.items)) {
    out.prefixItems = out.items;
    delete out.items;
    if (isRecord(out.additionalItems) || typeof out.additionalItems === 'boolean') out.items = out.additionalItems;
  }
  delete out.additionalItems;
  return convertNullable(out);
}

/** Whole-tree form of the rule, for ref-free schemas. */
export function nullableTo202012(schema: unknown, notes?: NoteBook): unknown {
  return mapSchemaTree(schema, (node) => convertNodeTo202012(node, notes));
}

function noteConversions(node: SchemaRecord, notes: NoteBook): void {
  if (node.nullable === true) notes.addItem(CONVERSION_NOTE, 'nullable');
  if (typeof node.exclusiveMinimum === 'boolean' || typeof node.exclusiveMaximum === 'boolean') notes.addItem(CONVERSION_NOTE, 'boolean exclusive bounds');
  if (Array.isArray(node.items)) notes.addItem(CONVERSION_NOTE, 'tuple items');
}

function convertExclusiveBound(out: SchemaRecord, exclusive: string, bound: string): void {
  const flag = out[exclusive];
  if (typeof flag !== 'boolean') return;
  delete out[exclusive];
  if (flag && typeof out[bound] === 'number') {
    out[exclusive] = out[bound];
    delete out[bound];
  }
}

function convertNullable(out: SchemaRecord): SchemaRecord {
  if (!('nullable' in out)) return out;
  const nullable = out.nullable === true;
  delete out.nullable;
  if (!nullable) return out;
  if ('const' in out) {
    out.enum = [out.const, null];
    delete out.const;
  }
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (typeof out.type === 'string') {
    out.type = out.type === 'null' ? 'null' : [out.type, 'null'];
    return out;
  }
  if (Array.isArray(out.type)) {
    if (!out.type.includes('null')) out.type = [...out.type, 'null'];
    return out;
  }
  if (Array.isArray(out.enum) || isUnconstrained(out)) return out;
  const wrapper: SchemaRecord = {};
  for (const key of HOISTED_TO_NULL_WRAPPER) {
    if (key in out) {
      wrapper[key] = out[key];
      delete out[key];
    }
  }
  wrapper.anyOf = [out, { type: 'null' }];
  return wrapper;
}

/** `{}` once annotations are ignored: nullability adds nothing to it. */
function isUnconstrained(node: SchemaRecord): boolean {
  return Object.keys(node).every(
    (key) => key.startsWith('x-') || ['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly'].includes(key),
  );
}
