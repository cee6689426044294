/**
 * Applies RFC 6902 JSON Patch operations to a YAML text through the `yaml`
 * document API, so a fixture can be one base file plus a few edits instead of
 * a second full copy. The rest of the document keeps its comments, anchors and
 * layout; the result is parsed again by whatever reads it.
 *
 * Rules it enforces:
 * - paths are RFC 6901 JSON Pointers (`~1` is `/`, `~0` is `~`);
 * - `add` inserts into a sequence at the index (or appends at `-`) and sets a
 *   mapping key (RFC 6902 §4.1); `remove` and `replace` need the target to
 *   exist (§4.2, §4.3); `test` compares by value (§4.6);
 * - any failure throws, naming the operation and its path.
 * It does not implement `move` and `copy`: no fixture needs them.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isSeq, parse, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';

export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'test';
  readonly path: string;
  readonly value?: unknown;
}

/** Patches by the name of the file they apply to. */
export type PatchSet = ReadonlyMap<string, readonly PatchOperation[]>;

const OPS = new Set(['add', 'remove', 'replace', 'test']);

function isPatchOperation(value: unknown): value is PatchOperation {
  if (typeof value !== 'object' || value === null) return false;
  const op: unknown = Reflect.get(value, 'op');
  const path: unknown = Reflect.get(value, 'path');
  return typeof op === 'string' && OPS.has(op) && typeof path === 'string' && (op === 'remove' || Reflect.has(value, 'value'));
}

/** Reads a patch file: a mapping from file name to a list of RFC 6902 operations. */
export function parsePatchSet(text: string, source: string): PatchSet {
  const parsed: unknown = parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${source}: expected a mapping from file name to operations`);
  const patches = new Map<string, readonly PatchOperation[]>();
  for (const [file, operations] of Object.entries(parsed)) {
    if (!Array.isArray(operations)) throw new Error(`${source}: ${file} must be a list of operations`);
    const bad = operations.findIndex((operation) => !isPatchOperation(operation));
    if (bad >= 0) throw new Error(`${source}: ${file}[${bad}] is not an add, remove, replace or test operation with a path (and a value)`);
    patches.set(file, operations.filter(isPatchOperation));
  }
  return patches;
}

// RFC 6901 §4: decode ~1 before ~0.
function pointerSegments(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw new Error(`not a JSON Pointer: "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function containerAt(doc: Document, segments: readonly string[], operation: PatchOperation): YAMLMap | YAMLSeq {
  const node: unknown = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
  if (isMap(node) || isSeq(node)) return node;
  throw new Error(`${operation.op} ${operation.path}: /${segments.join('/')} is not a mapping or a sequence`);
}

function seqIndex(key: string, seq: YAMLSeq, allowEnd: boolean, operation: PatchOperation): number {
  if (allowEnd && key === '-') return seq.items.length;
  const index = /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : Number.NaN;
  const last = allowEnd ? seq.items.length : seq.items.length - 1;
  if (!(index <= last)) throw new Error(`${operation.op} ${operation.path}: index ${key} is outside the sequence (length ${seq.items.length})`);
  return index;
}

function applyOperation(doc: Document, operation: PatchOperation): void {
  const segments = pointerSegments(operation.path);
  const key = segments[segments.length - 1];
  const parent = containerAt(doc, segments.slice(0, -1), operation);
  if (operation.op === 'test') {
    const actual: unknown = doc.getIn(segments);
    const node: unknown = doc.getIn(segments, true);
    const plain: unknown = typeof node === 'object' && node !== null && 'toJSON' in node && typeof node.toJSON === 'function' ? node.toJSON() : actual;
    if (!isDeepStrictEqual(plain, operation.value))
      throw new Error(`test ${operation.path}: found ${JSON.stringify(plain)}, expected ${JSON.stringify(operation.value)}`);
    return;
  }
  if (isSeq(parent)) {
    const index = seqIndex(key, parent, operation.op === 'add', operation);
    if (operation.op === 'add') parent.items.splice(index, 0, doc.createNode(operation.value));
    else if (operation.op === 'remove') parent.items.splice(index, 1);
    else parent.items[index] = doc.createNode(operation.value);
    return;
  }
  if (operation.op !== 'add' && !parent.has(key)) throw new Error(`${operation.op} ${operation.path}: no member "${key}"`);
  if (operation.op === 'remove') parent.delete(key);
  else parent.set(key, doc.createNode(operation.value));
}

/** The YAML text with every operation applied in order. */
export function applyYamlPatch(text: string, operations: readonly PatchOperation[]): string {
  const doc = parseDocument(text);
  for (const operation of operations) applyOperation(doc, operation);
  return doc.toString();
}
