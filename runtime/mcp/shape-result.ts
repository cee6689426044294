/**
 * Turns a successful upstream body into the tool result's structured content.
 *
 * Steps, in order:
 * 1. wrap: a non-object body becomes `{ items: body }` / `{ value: body }`
 *    (the generator declared the output schema that way); no body is `{}`;
 * 2. nulls: object properties whose value is `null` are dropped at any depth
 *    (also in objects that are array items, and a wrapped `value: null`):
 *    output schemas do not declare properties nullable (APIs send `null`
 *    where specs forget `nullable`, and `null` in every type costs tokens).
 *    `null` array items stay, so parallel arrays (chart bars) keep their
 *    positions; output schemas allow null items;
 * 3. projection: keep only the listed dotted paths (`items[].symbol`); paths
 *    address the wrapped value, exactly like the output schema;
 * 4. item caps: arrays at the listed paths keep at most N items;
 * 5. budget: while the JSON is over the budget in estimated tokens
 *    (`token-estimate.ts`: UTF-8 bytes / 4), cut the largest array (by
 *    serialized size) from its end.
 * Anything cut is reported in a `_truncated` marker saying how many items
 * were left out and how to narrow the request. Only arrays are cut, so the
 * value keeps its schema shape; the marker goes into `structuredContent` only
 * when `acceptsMarker` (the output schema) allows it, and always into the text.
 *
 * It does not validate the output: the caller does, with the tool's compiled
 * output schema.
 */
import type { ResponseShaping } from '../contract/tool-definition.js';
import { isJsonObject } from '../json-object.js';
import { BYTES_PER_TOKEN, utf8Bytes } from './token-estimate.js';

export interface TruncationMarker {
  readonly omittedItems: number;
  /** Per array path (`items`, `items[].lots`): how many items were kept and left out. */
  readonly arrays: Readonly<Record<string, { readonly kept: number; readonly omitted: number }>>;
  readonly reason: string;
}

export type ShapedResult =
  | { readonly ok: true; readonly structuredContent: Record<string, unknown>; readonly text: string; readonly truncated?: TruncationMarker }
  | { readonly ok: false; readonly tokens: number; readonly budgetTokens: number };

export interface ShapeOptions {
  /** Largest result, in estimated tokens of its JSON text. */
  readonly budgetTokens: number;
  /** Whether `structuredContent` may carry `_truncated` (checked against the output schema). */
  readonly acceptsMarker: (candidate: Record<string, unknown>) => boolean;
}

export const TRUNCATION_KEY = '_truncated';

const NARROW_HINT = 'narrow the request (use limit/page/from/to or a more specific symbol)';
/** Room kept for the marker itself when cutting to the budget (bytes). */
const MARKER_RESERVE = 1_000;
const MAX_CUT_ROUNDS = 100;

export function shapeResult(body: unknown, shaping: ResponseShaping, options: ShapeOptions): ShapedResult {
  const wrapped = dropNullProperties(wrapBody(body, shaping.wrap));
  const projected = shaping.projection ? project(wrapped, compileProjection(shaping.projection)) : wrapped;
  const value = isJsonObject(projected) ? projected : { value: projected };
  const cuts = new ArrayCuts();
  const capNotes = applyItemCaps(value, shaping.itemCaps ?? {}, cuts);
  const budgetBytes = options.budgetTokens * BYTES_PER_TOKEN;
  let size = utf8Bytes(JSON.stringify(value));
  let overBudget = false;
  if (size > budgetBytes) {
    overBudget = true;
    size = cutToBudget(value, Math.max(budgetBytes - MARKER_RESERVE, budgetBytes / 2), cuts);
    if (size > budgetBytes) return { ok: false, tokens: Math.ceil(size / BYTES_PER_TOKEN), budgetTokens: options.budgetTokens };
  }
  if (cuts.empty) return { ok: true, structuredContent: value, text: JSON.stringify(value) };
  const reasons = [
    ...(overBudget ? [`Result exceeded about ${options.budgetTokens} tokens; ${NARROW_HINT}.`] : []),
    ...(capNotes.length > 0 ? [`Lists are capped for this tool (${capNotes.join(', ')}); ${NARROW_HINT} to see other items.`] : []),
  ];
  const truncated = cuts.marker(reasons.join(' '));
  const marked = { ...value, [TRUNCATION_KEY]: truncated };
  return { ok: true, structuredContent: options.acceptsMarker(marked) ? marked : value, text: JSON.stringify(marked), truncated };
}

function wrapBody(body: unknown, wrap: ResponseShaping['wrap']): unknown {
  if (wrap === 'items') return { items: body };
  if (wrap === 'value') return { value: body };
  return body === undefined || body === null || body === '' ? {} : body;
}

/**
 * A copy of `value` without object properties whose value is `null`, at any
 * depth; array items are kept as they are (`[1, null]` stays, `[{ a: null }]`
 * becomes `[{}]`). The input is not changed.
 */
export function dropNullProperties(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullProperties);
  if (!isJsonObject(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (child === null) continue;
    const copy = dropNullProperties(child);
    // An own data property even for `__proto__` (JSON.parse makes one; assigning would set the prototype).
    if (key === '__proto__') Object.defineProperty(kept, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else kept[key] = copy;
  }
  return kept;
}

// ---- dotted paths: `a.b`, `a[].b`, `[]` -------------------------------------

type PathToken = { readonly key: string } | { readonly each: true };

function parsePath(path: string): PathToken[] {
  const tokens: PathToken[] = [];
  for (const segment of path.split('.')) {
    const match = /^(.*?)((?:\[\])*)$/.exec(segment);
    const key = match?.[1] ?? segment;
    if (key !== '') tokens.push({ key });
    for (let i = 0; i < (match?.[2]?.length ?? 0) / 2; i++) tokens.push({ each: true });
  }
  return tokens;
}

interface ProjectionNode {
  keep: boolean;
  each?: ProjectionNode;
  readonly fields: Map<string, ProjectionNode>;
}

function compileProjection(paths: readonly string[]): ProjectionNode {
  const root: ProjectionNode = { keep: false, fields: new Map() };
  for (const path of paths) {
    let node = root;
    for (const token of parsePath(path)) {
      if ('each' in token) node = node.each ??= { keep: false, fields: new Map() };
      else {
        const next = node.fields.get(token.key) ?? { keep: false, fields: new Map() };
        node.fields.set(token.key, next);
        node = next;
      }
    }
    node.keep = true;
  }
  return root;
}

function project(value: unknown, node: ProjectionNode): unknown {
  if (node.keep) return value;
  // An array met where the path names fields applies them to every element (`items.symbol` = `items[].symbol`).
  if (Array.isArray(value)) return value.map((item) => project(item, node.each ?? node));
  if (!isJsonObject(value)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of node.fields) if (Object.hasOwn(value, key)) kept[key] = project(value[key], child);
  return kept;
}

/** Every array found at `tokens` below `value`. */
function arraysAt(value: unknown, tokens: readonly PathToken[]): unknown[][] {
  const [head, ...rest] = tokens;
  if (head === undefined) return Array.isArray(value) ? [value] : [];
  if ('each' in head) return Array.isArray(value) ? value.flatMap((item) => arraysAt(item, rest)) : [];
  if (Array.isArray(value)) return value.flatMap((item) => arraysAt(item, tokens));
  return isJsonObject(value) ? arraysAt(value[head.key], rest) : [];
}

// ---- cutting ----------------------------------------------------------------

class ArrayCuts {
  private readonly original = new Map<unknown[], { readonly path: string; readonly length: number }>();

  cut(array: unknown[], path: string, keep: number): void {
    if (array.length <= keep) return;
    if (!this.original.has(array)) this.original.set(array, { path, length: array.length });
    array.length = Math.max(0, keep);
  }

  get empty(): boolean {
    return this.original.size === 0;
  }

  marker(reason: string): TruncationMarker {
    const arrays: Record<string, { kept: number; omitted: number }> = {};
    let omittedItems = 0;
    for (const [array, { path, length }] of this.original) {
      const entry = (arrays[path] ??= { kept: 0, omitted: 0 });
      entry.kept += array.length;
      entry.omitted += length - array.length;
      omittedItems += length - array.length;
    }
    return { omittedItems, arrays, reason };
  }
}

function applyItemCaps(value: Record<string, unknown>, caps: { readonly [path: string]: number }, cuts: ArrayCuts): string[] {
  const notes: string[] = [];
  for (const [path, cap] of Object.entries(caps)) {
    const arrays = arraysAt(value, parsePath(path));
    if (arrays.some((array) => array.length > cap)) notes.push(`${path}: ${cap}`);
    for (const array of arrays) cuts.cut(array, normalizePath(path), cap);
  }
  return notes;
}

function normalizePath(path: string): string {
  return parsePath(path)
    .map((token) => ('each' in token ? '[]' : `.${token.key}`))
    .join('')
    .replace(/^\./, '');
}

interface FoundArray {
  readonly path: string;
  readonly array: unknown[];
  /** Index (in the found list) of the nearest enclosing array, -1 at top level. */
  readonly parent: number;
}

function collectArrays(value: unknown, path: string, parent: number, found: FoundArray[]): FoundArray[] {
  if (Array.isArray(value)) {
    found.push({ path, array: value, parent });
    const self = found.length - 1;
    for (const item of value) collectArrays(item, `${path}[]`, self, found);
  } else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) collectArrays(child, path === '' ? key : `${path}.${key}`, parent, found);
  }
  return found;
}

/**
 * Cuts arrays from their end until the JSON fits `target` bytes; returns the
 * final size in bytes. "Largest" is an array's own weight: its JSON minus the arrays nested
 * in it, so a short list of accounts each holding a long history loses
 * history entries, not accounts.
 */
function cutToBudget(value: Record<string, unknown>, target: number, cuts: ArrayCuts): number {
  let size = utf8Bytes(JSON.stringify(value));
  for (let round = 0; size > target && round < MAX_CUT_ROUNDS; round++) {
    const found = collectArrays(value, '', -1, []);
    const own = found.map((entry) => utf8Bytes(JSON.stringify(entry.array)));
    const total = [...own];
    found.forEach((entry, index) => {
      if (entry.parent >= 0) own[entry.parent] -= total[index];
    });
    let largest = -1;
    found.forEach((entry, index) => {
      if (entry.array.length > 0 && (largest < 0 || own[index] > own[largest])) largest = index;
    });
    if (largest < 0) break;
    const { array, path } = found[largest];
    const perItem = Math.max(1, total[largest] / array.length);
    const remove = Math.min(array.length, Math.max(1, Math.ceil((size - target) / perItem)));
    cuts.cut(array, path, array.length - remove);
    size = utf8Bytes(JSON.stringify(value));
  }
  return size;
}
