/**
 * Every `$ref` of an OpenAPI document with the JSON pointer where it is
 * written, in one walk: the loader uses it to bundle external files only
 * when there are any, and to report each internal reference that points
 * nowhere (by its own location, not only the first one met).
 *
 * Values of data keywords (`example`, `examples`, `default`, `enum`,
 * `const`) are not walked; keys of name maps (`properties`, `$defs`, ...)
 * are names, so a property called `$ref` is not a reference.
 */
import { escapePointerToken } from '../issues.js';
import { resolvePointer } from '../lower/lower-context.js';
import { isRecord } from '../lower/schema-walk.js';

export interface DocumentRef {
  readonly ref: string;
  /** Where the `$ref` is written. */
  readonly pointer: string;
}

/** Keywords whose values are data: a `$id` or `$ref` in an example is not one. */
export const DATA_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'default', 'example', 'examples']);
/** Keywords whose keys are names: a property called `$ref` is not a reference. */
export const NAME_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

export function documentRefs(doc: unknown): DocumentRef[] {
  const refs: DocumentRef[] = [];
  const pending: [unknown, string, boolean][] = [[doc, '#', false]];
  while (pending.length > 0) {
    const [node, pointer, names] = pending.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) pending.push([node[i], `${pointer}/${i}`, false]);
      continue;
    }
    if (!isRecord(node)) continue;
    const record = node;
    if (!names && typeof record.$ref === 'string') refs.push({ ref: record.$ref, pointer });
    const keys = Object.keys(record);
    for (let i = keys.length - 1; i >= 0; i -= 1) {
      const key = keys[i]!;
      if (!names && DATA_KEYWORDS.has(key)) continue;
      pending.push([record[key], `${pointer}/${escapePointerToken(key)}`, !names && NAME_MAPS.has(key)]);
    }
  }
  return refs;
}

export function isInternalRef(ref: string): boolean {
  return ref.startsWith('#');
}

/** Internal references whose target does not exist. */
export function danglingRefs(doc: unknown, refs: readonly DocumentRef[]): DocumentRef[] {
  const known = new Map<string, boolean>();
  return refs.filter(({ ref }) => {
    if (!isInternalRef(ref)) return false;
    if (!known.has(ref)) known.set(ref, resolvePointer(doc, ref) !== undefined);
    return !known.get(ref);
  });
}
