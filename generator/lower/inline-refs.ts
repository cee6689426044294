/**
 * Inlines every internal `$ref` of a schema and runs a per-node transform
 * bottom-up in the same walk (children first), so each rule sees ref-free
 * input and a component used a hundred times is transformed once.
 *
 * - `#/...` pointers are resolved with `~0`/`~1` and percent unescaping.
 * - External or dangling refs become `{ description }` plus a warning.
 * - Keywords next to `$ref` (3.1, and the common 3.0 habit) are merged over the
 *   target when they are annotations (`description`, `nullable`, ...), and
 *   combined as `allOf: [target, siblings]` otherwise.
 * - Recursion is bounded by `bound-recursion.ts`; every expansion is memoized
 *   per (reference, depth left in its cycle), so each component schema is
 *   expanded a bounded number of times whatever the shape of the graph.
 * - Size budget, kept while expanding: the inliner counts the JSON bytes of
 *   the tree it has produced so far (a reused expansion counts in full, as it
 *   will be written out in full) and the bytes it has built at all (work);
 *   once the first reaches `maxBytes`, or the second three times that, every
 *   further reference becomes a stub, and every object still being walked
 *   leaves out its optional properties still to come that refer to or hold
 *   other schemas (they are not walked; the object stays open, and a note
 *   names the schema). Required and leaf properties stay. Work and output
 *   per call are therefore bounded by the budget, not by the number of paths
 *   through the graph nor by the number of properties of the schemas open
 *   when the budget ran out.
 *
 * It does not copy nodes that the transform returns unchanged twice: results
 * may share subtrees, so no later stage may mutate a schema in place.
 */
import { budgetStub, enterReference, levels, limitStub, MAX_REF_NESTING, recursionStub, ROOT_STATE, type ExpansionState } from './bound-recursion.js';
import { refName, type LowerContext } from './lower-context.js';
import { referenceGraphOf } from './reference-graph.js';
import { isLeafSchema, isRecord, mapSubschemas, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS, SCHEMA_SINGLE_KEYWORDS, type SchemaRecord } from './schema-walk.js';

/** Transforms one node whose subschemas are already inlined and transformed. */
export type NodeTransform = (node: SchemaRecord, pointer: string) => unknown;

export interface SchemaInliner {
  inline(schema: unknown, pointer: string): unknown;
}

/** Keywords that may sit next to `$ref` and simply override the target's. */
const ANNOTATION_SIBLINGS: ReadonlySet<string> = new Set([
  'description',
  'title',
  'summary',
  'default',
  'example',
  'examples',
  'nullable',
  'deprecated',
  'readOnly',
  'writeOnly',
  'format',
  'externalDocs',
  '$comment',
]);

/** `joinPointer` without the regex work for the common token that needs no escaping. */
function childPointer(pointer: string, tokens: readonly (string | number)[]): string {
  let out = pointer;
  for (const token of tokens) {
    const text = String(token);
    out += `/${text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text}`;
  }
  return out;
}

/** Default expansion budget of one schema (callers pass their own: `lower-operation.ts`, `output-schema.ts`). */
export const DEFAULT_MAX_EXPANSION_BYTES = 131072;
/** Work allowed per call, as a multiple of `maxBytes` (union branches are expanded, then merged or dropped). */
const WORK_FACTOR = 3;
/** Budget charged for expanding a reference even when its target is tiny, so alias chains cost something. */
const MIN_EXPANSION_BYTES = 8;

export interface InlinerOptions {
  /** Stop expanding references once the produced tree reaches this many JSON bytes. */
  readonly maxBytes?: number;
  /** Removes, before a node is walked, subschemas the transform would ignore (`prune-output-unions.ts`). */
  readonly prune?: (node: SchemaRecord) => SchemaRecord;
}

export function createInliner(ctx: LowerContext, transform: NodeTransform, maxDepth: number, options: InlinerOptions = {}): SchemaInliner {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_EXPANSION_BYTES;
  const graph = referenceGraphOf(ctx.doc);
  const memo = new Map<string, unknown>();
  const sizes = new WeakMap<object, number>();
  const maxWork = WORK_FACTOR * maxBytes;
  /** JSON bytes of the tree produced so far (completed nodes). */
  let spent = 0;
  /** Bytes produced including what merging later dropped: bounds the time spent, whatever the transform keeps. */
  let work = 0;
  /** Path-dependent cuts so far (nesting cap, budget); an expansion that saw one is not memoized. */
  let pathCuts = 0;

  function counted(stub: unknown): unknown {
    const bytes = treeBytes(stub, sizes);
    spent += bytes;
    work += bytes;
    return stub;
  }

  const overBudget = (): boolean => spent >= maxBytes || work >= maxWork;

  function visit(raw: unknown, pointer: string, state: ExpansionState): unknown {
    if (!isRecord(raw)) return raw;
    if (typeof raw.$ref === 'string') return visitRef(raw, raw.$ref, pointer, state);
    const node = options.prune ? options.prune(raw) : raw;
    const before = spent;
    let leftOut = 0;
    const required = requiredNames(node);
    // The budget is checked before each property: once it is spent, the optional properties still to come that
    // refer to or contain other schemas are left out unwalked (the object stays open), so an object with N such
    // properties costs what the budget allows, not N expansions. Required and leaf properties (`{ type: string }`)
    // stay: they cost only their own bytes.
    const keepProperty = (name: string, schema: unknown): boolean => {
      if (!overBudget() || required.has(name) || isLeafSchema(schema)) return true;
      leftOut += 1;
      return false;
    };
    const copied = mapSubschemas(node, (child, tokens) => visit(child, childPointer(pointer, tokens), state), keepProperty);
    if (leftOut > 0) {
      pathCuts += 1;
      ctx.notes.addItem(`left out the remaining properties at the schema size budget of ${maxBytes} bytes`, schemaLabel(pointer));
    }
    const transformed = transform(copied, pointer);
    // Size as transformed (the output transform drops descriptions and merges unions): the node's real size replaces
    // what its children added; work only grows.
    work += isRecord(transformed) ? ownBytes(transformed) : valueBytes(transformed);
    spent = before + treeBytes(transformed, sizes);
    return transformed;
  }

  function visitRef(node: SchemaRecord, ref: string, pointer: string, state: ExpansionState): unknown {
    const siblings = Object.keys(node).filter((key) => key !== '$ref' && key !== 'summary');
    if (siblings.length === 0) return expand(ref, pointer, undefined, state);
    const rest: SchemaRecord = {};
    for (const key of siblings) rest[key] = node[key];
    if (siblings.every((key) => ANNOTATION_SIBLINGS.has(key) || key.startsWith('x-'))) return expand(ref, pointer, rest, state);
    return visit({ allOf: [{ $ref: ref }, rest] }, pointer, state);
  }

  function expand(ref: string, pointer: string, siblings: SchemaRecord | undefined, state: ExpansionState): unknown {
    const resolved = ctx.resolve(ref);
    if (resolved === undefined) {
      ctx.report(
        'lower.unresolved-ref',
        'warning',
        pointer,
        `Reference "${ref}" cannot be resolved; it is replaced by an unconstrained schema.`,
        'Point the $ref at an existing #/components/... entry (external files must be bundled by the loader).',
      );
      return transform({ ...siblings, description: `Unresolved reference ${ref}.` }, pointer);
    }
    const name = refName(ref);
    if (overBudget()) {
      pathCuts += 1;
      ctx.notes.addItem(`stopped expanding at the schema size budget of ${maxBytes} bytes`, name);
      return counted(transform(budgetStub(resolved.value), pointer));
    }
    const entry = enterReference(graph, ref, state, maxDepth);
    if (entry.kind === 'cut') {
      ctx.notes.addItem(`cut recursive schemas after ${levels(maxDepth)}`, name);
      return counted(transform(recursionStub(name, resolved.value, maxDepth), pointer));
    }
    if (entry.kind === 'too-deep') {
      pathCuts += 1;
      ctx.notes.addItem(`cut schemas nested deeper than ${MAX_REF_NESTING} references`, name);
      return counted(transform(limitStub(name, resolved.value, `nested deeper than ${MAX_REF_NESTING} references`), pointer));
    }
    if (siblings === undefined && memo.has(entry.memoKey)) {
      const reused = memo.get(entry.memoKey);
      const bytes = treeBytes(reused, sizes);
      spent += bytes;
      work += bytes;
      return reused;
    }
    spent += MIN_EXPANSION_BYTES;
    work += MIN_EXPANSION_BYTES;
    const cutsBefore = pathCuts;
    const target = siblings === undefined || !isRecord(resolved.value) ? resolved.value : { ...resolved.value, ...siblings };
    const value = visit(target, resolved.pointer, entry.state);
    if (isRecord(value) && !ctx.schemaNames.has(value)) ctx.schemaNames.set(value, name);
    if (siblings === undefined && pathCuts === cutsBefore) memo.set(entry.memoKey, value);
    return value;
  }

  return { inline: (schema, pointer) => visit(schema, pointer, ROOT_STATE) };
}

function requiredNames(node: SchemaRecord): ReadonlySet<string> {
  return Array.isArray(node.required) ? new Set(node.required.filter((name): name is string => typeof name === 'string')) : NO_NAMES;
}

const NO_NAMES: ReadonlySet<string> = new Set();
const COMPONENT_SCHEMAS = '#/components/schemas/';

/** `Order` for `#/components/schemas/Order`, `Order/properties/legs` below it; other pointers as they are. */
function schemaLabel(pointer: string): string {
  return pointer.startsWith(COMPONENT_SCHEMAS) ? pointer.slice(COMPONENT_SCHEMAS.length) : pointer;
}

/** JSON bytes of a node's own keywords: subschemas are counted when they are visited. */
function ownBytes(node: SchemaRecord): number {
  let bytes = 2;
  for (const key of Object.keys(node)) {
    bytes += key.length + 4;
    const value = node[key];
    if (SCHEMA_MAP_KEYWORDS.has(key) && isRecord(value)) {
      for (const name of Object.keys(value)) bytes += name.length + 4;
    } else if (!SCHEMA_LIST_KEYWORDS.has(key) && !SCHEMA_SINGLE_KEYWORDS.has(key) && key !== 'items') {
      bytes += valueBytes(value);
    }
  }
  return bytes;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value).length;
  return String(value).length;
}

/** About `JSON.stringify(value).length`, each shared subtree measured once. */
function treeBytes(value: unknown, sizes: WeakMap<object, number>): number {
  if (typeof value !== 'object' || value === null) return valueBytes(value);
  const known = sizes.get(value);
  if (known !== undefined) return known;
  let bytes = 2;
  if (Array.isArray(value)) for (const item of value) bytes += treeBytes(item, sizes) + 1;
  else for (const key of Object.keys(value)) bytes += key.length + 4 + treeBytes(Reflect.get(value, key), sizes);
  sizes.set(value, bytes);
  return bytes;
}
