/**
 * Bounds the expansion of references so lowering does a bounded amount of
 * work on any reference graph, and every expansion can be memoized.
 *
 * - A reference that cannot reach itself (no cycle, see
 *   `reference-graph.ts`) is always expanded.
 * - A reference in a cycle is expanded while its cycle has depth left,
 *   counted from where the tool's schema first entered that cycle:
 *   `maxDepth` times the number of schemas in the cycle, at most
 *   `MAX_CYCLE_LENGTH` of them (for a schema that refers to itself, or a
 *   loop through two or three schemas, that is each schema `maxDepth` times
 *   on a path, the rule before memoization; a cluster of hundreds of
 *   schemas that all refer to each other nests `3 * maxDepth` deep, not
 *   hundreds). The next occurrence becomes a stub that says what was cut.
 * - So an expansion depends only on (reference, depth left in its cycle), the
 *   memo key. Hard nesting cap: `MAX_REF_NESTING` references deep, whatever
 *   the graph; such a cut depends on the path, so it is never memoized.
 *
 * The size budget (stop expanding once the tool's schema is large enough) is
 * kept by the inliner (`inline-refs.ts`), which owns the running size.
 */
import type { ReferenceGraph } from './reference-graph.js';
import { isRecord, type SchemaRecord } from './schema-walk.js';

export const DEFAULT_MAX_RECURSION_DEPTH = 3;
/** Longer cycles are unrolled as if they had this many schemas, so a densely linked spec does not nest deep. */
export const MAX_CYCLE_LENGTH = 3;
/**
 * References nested deeper than this are stubbed even when acyclic. Real specs stay under 10 (GitHub's --all
 * surface is the same with a cap of 16); 24 is the deepest cycle unrolling tools.yaml allows
 * (`maxRecursionDepth` 8 times `MAX_CYCLE_LENGTH`). It was 64: a chain of schemas then put up to 64 nested objects
 * in one tool's schema, and since each tool of a chain starts one link further, the average tool grew with the
 * length of the chain (25 levels for 50 schemas, 60 for 400) instead of staying bounded.
 */
export const MAX_REF_NESTING = 24;

/** Where an expansion stands. */
export interface ExpansionState {
  /** Component id of the cycle the innermost expansion is in; -1 outside any cycle. */
  readonly component: number;
  /** Expansions left in that cycle. */
  readonly remaining: number;
  /** References expanded on the path from the root. */
  readonly nesting: number;
}

export const ROOT_STATE: ExpansionState = { component: -1, remaining: 0, nesting: 0 };

export type ReferenceEntry =
  { readonly kind: 'cut' } | { readonly kind: 'too-deep' } | { readonly kind: 'enter'; readonly state: ExpansionState; readonly memoKey: string };

export function enterReference(graph: ReferenceGraph, ref: string, parent: ExpansionState, maxDepth: number): ReferenceEntry {
  if (parent.nesting >= MAX_REF_NESTING) return { kind: 'too-deep' };
  const component = graph.componentOf(ref);
  if (!component.cyclic) return { kind: 'enter', state: { component: -1, remaining: 0, nesting: parent.nesting + 1 }, memoKey: ref };
  const remaining = parent.component === component.id ? parent.remaining : maxDepth * Math.min(component.size, MAX_CYCLE_LENGTH);
  if (remaining <= 0) return { kind: 'cut' };
  return { kind: 'enter', state: { component: component.id, remaining: remaining - 1, nesting: parent.nesting + 1 }, memoKey: `${ref}\u0000${remaining}` };
}

/**
 * The schema that replaces a recursive ref at the cut: same basic type as the
 * target, no structure, and a description naming what is not described.
 */
export function recursionStub(name: string, target: unknown, maxDepth: number): SchemaRecord {
  return { type: stubType(target), description: `${name} nested deeper than ${levels(maxDepth)} is not described.` };
}

/**
 * The schema that replaces a reference once the tool's schema reached its
 * size budget: only the basic type, since every property still to come gets
 * one (the tool's notes name them).
 */
export function budgetStub(target: unknown): SchemaRecord {
  return { type: stubType(target) };
}

/** The schema that replaces a reference nested deeper than `MAX_REF_NESTING`. */
export function limitStub(name: string, target: unknown, why: string): SchemaRecord {
  return { type: stubType(target), description: `${name} is not described here: ${why}.` };
}

export function levels(count: number): string {
  return count === 1 ? '1 level' : `${count} levels`;
}

function stubType(target: unknown): string {
  if (!isRecord(target)) return 'object';
  const type = Array.isArray(target.type) ? target.type.find((t) => t !== 'null') : target.type;
  if (type === 'array' || type === 'string') return type;
  if (type === undefined && target.items !== undefined) return 'array';
  return 'object';
}
