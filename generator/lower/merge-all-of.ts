/**
 * Merges `allOf` into one schema. Used on every input node (when the branches
 * agree) and, forced, on a request body root (`flatten-root.ts`).
 *
 * - properties: union in order of appearance; a property in several branches
 *   is merged the same way (or kept as `allOf` of both when it cannot be).
 * - required: union.
 * - type: the common type; `null` only if every typed branch allows it.
 * - other keywords: the first branch (or the node itself) wins.
 * - at most one branch may carry `anyOf`/`oneOf`; it moves to the result.
 *
 * Branches with different types cannot be merged: unforced, the node is left
 * as it is; forced, the merge proceeds (an object type wins) and the conflict
 * is returned.
 */
import { declaredTypes, isRecord, setOwn, type SchemaRecord } from './schema-walk.js';

export interface AllOfMerge {
  readonly schema: SchemaRecord;
  /** Human-readable type conflicts (`object vs string`); empty when the branches agree. */
  readonly conflicts: readonly string[];
}

const UNION_KEYWORDS = ['anyOf', 'oneOf'] as const;

/** Merges `node.allOf` if the branches agree; returns `node` unchanged otherwise. */
export function mergeAllOf(node: SchemaRecord): SchemaRecord {
  if (!Array.isArray(node.allOf)) return node;
  const merged = mergeAllOfForced(node);
  return merged.conflicts.length === 0 ? merged.schema : node;
}

export function mergeAllOfForced(node: SchemaRecord): AllOfMerge {
  const { allOf, ...base } = node;
  const branches = Array.isArray(allOf) ? allOf : [];
  if (branches.some((branch) => branch === false)) return { schema: node, conflicts: ['a branch is `false`'] };
  const parts = [base, ...branches.filter(isRecord)];
  const conflicts: string[] = [];
  if (parts.filter((part) => UNION_KEYWORDS.some((key) => part[key] !== undefined)).length > 1) conflicts.push('several branches are unions');
  const type = commonType(parts, conflicts);
  const out: SchemaRecord = {};
  for (const part of parts) {
    for (const key of Object.keys(part)) {
      if (key === 'type') continue;
      if (key === 'properties' && isRecord(part.properties)) out.properties = mergeProperties(out.properties, part.properties);
      else if (key === 'required' && Array.isArray(part.required)) out.required = [...new Set([...asArray(out.required), ...part.required])];
      else if (!(key in out)) setOwn(out, key, part[key]);
    }
  }
  if (type !== undefined) out.type = type;
  return { schema: out, conflicts };
}

function commonType(parts: readonly SchemaRecord[], conflicts: string[]): unknown {
  const typed = parts.filter((part) => part.type !== undefined);
  const implied = parts.some((part) => isRecord(part.properties) || part.additionalProperties !== undefined) ? 'object' : undefined;
  const names = new Set<string>();
  for (const part of typed) for (const name of declaredTypes(part) ?? []) names.add(name);
  if (implied) names.add(implied);
  if (names.has('integer') && names.has('number')) names.delete('number');
  if (names.size > 1) conflicts.push([...names].join(' vs '));
  const first = names.has('object') ? 'object' : [...names][0];
  if (first === undefined) return typed.length > 0 && typed.every(allowsNull) ? 'null' : undefined;
  return typed.length > 0 && typed.every(allowsNull) ? [first, 'null'] : first;
}

function allowsNull(part: SchemaRecord): boolean {
  return part.type === 'null' || (Array.isArray(part.type) && part.type.includes('null'));
}

function mergeProperties(existing: unknown, added: SchemaRecord): SchemaRecord {
  const out: SchemaRecord = isRecord(existing) ? { ...existing } : {};
  for (const name of Object.keys(added)) {
    const previous = Object.prototype.hasOwnProperty.call(out, name) ? out[name] : undefined;
    const next = added[name];
    if (previous === undefined || previous === next || isEmptySchema(previous)) setOwn(out, name, next);
    else if (isEmptySchema(next)) continue;
    else if (isRecord(previous) && isRecord(next)) setOwn(out, name, mergeAllOf({ allOf: [previous, next] }));
    else setOwn(out, name, next);
  }
  return out;
}

function isEmptySchema(value: unknown): boolean {
  return value === true || (isRecord(value) && Object.keys(value).length === 0);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
