/**
 * The per-node transform for input schemas, run by the inliner bottom-up:
 * 2020-12 spellings, keyword filter, regex check, read-only properties out,
 * `allOf` merged where the branches agree.
 *
 * Type-dependent cleanup (`strict-types.ts`) runs later, once per finished
 * argument, because merging and flattening still change the nodes.
 */
import type { NodeTransform } from './inline-refs.js';
import type { LowerContext, NoteBook } from './lower-context.js';
import { dropBadPatterns } from './drop-bad-patterns.js';
import { keepKnownKeywords } from './known-keywords.js';
import { mergeAllOf } from './merge-all-of.js';
import { convertNodeTo202012 } from './nullable-to-2020-12.js';
import { isRecord, setOwn, type SchemaRecord } from './schema-walk.js';

export function createInputTransform(ctx: LowerContext): NodeTransform {
  return (node, pointer) => {
    const converted = keepKnownKeywords(convertNodeTo202012(node, ctx.notes), ctx.notes);
    return mergeAllOf(dropReadOnlyProperties(dropBadPatterns(converted, pointer, ctx), ctx.notes));
  };
}

/** Removes `readOnly: true` properties (the server sets them) and their `required` entries. */
export function dropReadOnlyProperties(node: SchemaRecord, notes: NoteBook): SchemaRecord {
  const properties = node.properties;
  if (!isRecord(properties)) return node;
  const dropped = Object.keys(properties).filter((name) => isRecord(properties[name]) && properties[name].readOnly === true);
  if (dropped.length === 0) return node;
  const kept: SchemaRecord = {};
  for (const name of Object.keys(properties)) if (!dropped.includes(name)) setOwn(kept, name, properties[name]);
  for (const name of dropped) notes.addItem('dropped read-only properties from the input', name);
  const out: SchemaRecord = { ...node, properties: kept };
  if (Array.isArray(node.required)) {
    const required = node.required.filter((name) => !dropped.includes(String(name)));
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}
