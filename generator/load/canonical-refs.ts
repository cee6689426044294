/**
 * Rewrites the references of an OpenAPI 3.1 document the way 3.1 defines them
 * into plain in-document pointers (`#/components/schemas/Pet`), so the rest
 * of the generator only ever follows `#/...` pointers:
 *
 * - `$id` starts a schema resource whose base URI is `$id` resolved against
 *   the enclosing one, the outermost against the document's own URI (OAS 3.1
 *   §4.3.2 "Relative References in URIs"; JSON Schema 2020-12 §8.2.1; RFC 3986
 *   §5.2 via WHATWG `URL`). Inside it, `#/...` points into that resource.
 * - `$anchor` and `$dynamicAnchor` name a plain-name fragment of their resource
 *   (2020-12 §8.2.2, §8.2.3.2: a dynamic anchor is also a static anchor).
 * - `$dynamicRef` is resolved to its static target, the schema it names as a
 *   `$ref` would (2020-12 §8.2.3.2), when that binding is certain: the target
 *   is a plain `$anchor`, or the only `$dynamicAnchor` of that name in the
 *   document. When another schema declares the same `$dynamicAnchor` (the
 *   generic-template pattern: `Page` with `items: {$dynamicRef: '#item'}`,
 *   bound to `User` by `UserPage` and to `Group` by `GroupPage`), the target
 *   depends on the dynamic scope, which differs per use; a generator walks
 *   schemas, not instances, so it does not follow it. Such a reference, and one
 *   with no target at all, becomes an unconstrained stub reported as a warning,
 *   rather than one binding silently applied to every use.
 * - An anchor name declared twice in one schema resource is ambiguous (2020-12
 *   §8.2.2 leaves it undefined): a `$ref` to it is an error naming both.
 *
 * Only the objects on the path to a rewritten reference are copied. It does not
 * fetch or bundle anything: references to other documents are left as they
 * are for the external-file bundler (`load-spec.ts`) and the dangling check.
 */
import { escapePointerToken, type Issue } from '../issues.js';
import { resolvePointer } from '../lower/lower-context.js';
import { isRecord } from '../lower/schema-walk.js';
import { DATA_KEYWORDS, NAME_MAPS } from './document-refs.js';

export interface CanonicalRefs {
  readonly doc: Record<string, unknown>;
  /** Warnings for dynamic references with no static target. */
  readonly issues: readonly Issue[];
}

/** 3.1-only keywords that change how a reference resolves; a document with none of them needs no rewriting. */
const MARKERS = ['$id', '$anchor', '$dynamicAnchor', '$dynamicRef'] as const;

interface FoundRef {
  /** Pointer of the object holding the reference. */
  readonly pointer: string;
  /** That object. */
  readonly node: Record<string, unknown>;
  readonly keyword: '$ref' | '$dynamicRef';
  readonly ref: string;
  /** Base URI in effect where it is written. */
  readonly base: string;
}

interface ResourceIndex {
  /** Base URI of each schema resource (no fragment) -> its pointer in the document. */
  readonly resources: Map<string, string>;
  /** `base#name` of each `$anchor` and `$dynamicAnchor` -> every pointer that declares it (more than one: ambiguous). */
  readonly anchors: Map<string, string[]>;
  /** `base#name` of each `$dynamicAnchor`. */
  readonly dynamicAnchors: Set<string>;
  /** Name of each `$dynamicAnchor` -> every pointer that declares it, in any resource. */
  readonly dynamicNames: Map<string, string[]>;
  readonly refs: FoundRef[];
}

/** Where a reference leads: a pointer, another document or nothing (`undefined`), or a choice the generator cannot make. */
type Target = string | undefined | { readonly unresolved: 'dynamic-scope' | 'ambiguous-anchor'; readonly candidates: readonly string[] };

/** Cheap pre-check on the source text: most documents (every 3.0 one) have no 3.1 identifiers and are left alone. */
export function mayNeedCanonicalRefs(text: string, refs: readonly { readonly ref: string }[]): boolean {
  return MARKERS.some((marker) => text.includes(marker)) || refs.some(({ ref }) => !ref.startsWith('#/') && ref !== '#');
}

export function canonicalizeRefs(doc: Record<string, unknown>, documentUri: string, file: string): CanonicalRefs {
  const index = indexResources(doc, documentUri);
  const rewrites = new Map<string, Record<string, unknown>>();
  const issues: Issue[] = [];
  for (const found of index.refs) {
    const target = resolveTarget(found, index);
    if (typeof target === 'object' && target.unresolved === 'ambiguous-anchor' && found.keyword === '$ref') {
      issues.push({
        code: 'spec.anchor-duplicate',
        severity: 'error',
        file,
        pointer: found.pointer,
        message: `The $ref "${found.ref}" is ambiguous: its schema resource declares that anchor ${target.candidates.length} times (${target.candidates.join(', ')}).`,
        fix: 'Give each anchor a name that is unique within its schema resource (or give the schemas their own $id), then refer to the one you mean.',
      });
      continue;
    }
    if (typeof target === 'string' && found.base !== documentUri && found.ref.startsWith('#/') && resolvePointer(doc, target) === undefined) {
      issues.push(pointerInResourceError(found, file));
      continue;
    }
    if (found.keyword === '$ref' && (typeof target !== 'string' || target === found.ref)) continue;
    const holder = rewrites.get(found.pointer) ?? { ...found.node };
    delete holder[found.keyword];
    if (typeof target === 'string') {
      holder.$ref = target;
    } else {
      holder.description ??=
        target === undefined
          ? `Dynamic reference ${found.ref} has no static target; any value is accepted.`
          : `Dynamic reference ${found.ref} is bound where the schema is used (dynamic scope); any value is accepted.`;
      issues.push(dynamicRefWarning(found, target, file));
    }
    rewrites.set(found.pointer, holder);
  }
  return { doc: rewrites.size === 0 ? doc : applyRewrites(doc, rewrites), issues };
}

/** `#/components/...` written inside a schema with `$id`: it points into that schema, a frequent surprise worth its own message. */
function pointerInResourceError(found: FoundRef, file: string): Issue {
  return {
    code: 'spec.ref',
    severity: 'error',
    file,
    pointer: found.pointer,
    message: `The $ref "${found.ref}" is written inside the schema resource ${found.base} (a schema with $id), so it points into that schema, where there is no ${found.ref.slice(1)} (JSON Schema 2020-12 §8.2.1; OpenAPI 3.1 "Relative References in URIs").`,
    fix: `Refer to the component by its own $id, or by the document's URI followed by ${found.ref}, or remove the $id of the enclosing schema.`,
  };
}

function dynamicRefWarning(found: FoundRef, target: Exclude<Target, string>, file: string): Issue {
  const base = { code: 'spec.dynamic-ref', severity: 'warning', file, pointer: found.pointer } as const;
  if (target === undefined) {
    return {
      ...base,
      message: `The $dynamicRef "${found.ref}" names no $dynamicAnchor or $anchor in its schema resource; it is replaced by an unconstrained schema.`,
      fix: 'Give the schema resource a default target (a $dynamicAnchor with that name), or use a $ref.',
    };
  }
  if (target.unresolved === 'ambiguous-anchor') {
    return {
      ...base,
      message: `The $dynamicRef "${found.ref}" is ambiguous: its schema resource declares that anchor ${target.candidates.length} times (${target.candidates.join(', ')}); it is replaced by an unconstrained schema.`,
      fix: 'Give each anchor a name that is unique within its schema resource (or give the schemas their own $id).',
    };
  }
  return {
    ...base,
    message: `The $dynamicRef "${found.ref}" is bound by dynamic scope: ${target.candidates.length} schemas declare that $dynamicAnchor (${target.candidates.join(', ')}), and which one applies depends on where the schema is used. The generator does not follow dynamic scope, so it is replaced by an unconstrained schema.`,
    fix: 'For tools that type this value, give each use its own schema (for example a UserPage whose items are a $ref to User), or keep the generic template and accept any value here.',
  };
}

/** One walk: schema resources, anchors and every reference with the base URI it is written under. */
function indexResources(doc: Record<string, unknown>, documentUri: string): ResourceIndex {
  const index: ResourceIndex = { resources: new Map([[documentUri, '#']]), anchors: new Map(), dynamicAnchors: new Set(), dynamicNames: new Map(), refs: [] };
  const pending: [unknown, string, string][] = [[doc, '#', documentUri]];
  while (pending.length > 0) {
    const [node, pointer, inherited] = pending.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, i) => pending.push([item, `${pointer}/${i}`, inherited]));
      continue;
    }
    if (!isRecord(node)) continue;
    const record = node;
    let base = inherited;
    if (typeof record.$id === 'string') {
      const resolved = resolveUri(record.$id, inherited);
      if (resolved !== undefined) {
        base = withoutFragment(resolved);
        if (!index.resources.has(base)) index.resources.set(base, pointer);
      }
    }
    const declared = new Set<string>();
    for (const keyword of ['$anchor', '$dynamicAnchor'] as const) {
      const name = record[keyword];
      if (typeof name !== 'string') continue;
      const key = `${base}#${name}`;
      // `$anchor: x` and `$dynamicAnchor: x` on one schema declare one fragment.
      if (!declared.has(key)) append(index.anchors, key, pointer);
      declared.add(key);
      if (keyword === '$dynamicAnchor') {
        index.dynamicAnchors.add(key);
        append(index.dynamicNames, name, pointer);
      }
    }
    for (const keyword of ['$ref', '$dynamicRef'] as const) {
      const ref = record[keyword];
      if (typeof ref === 'string') index.refs.push({ pointer, node: record, keyword, ref, base });
    }
    for (const [key, value] of Object.entries(record)) {
      if (DATA_KEYWORDS.has(key)) continue;
      const child = `${pointer}/${escapePointerToken(key)}`;
      if (NAME_MAPS.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [name, schema] of Object.entries(value)) pending.push([schema, `${child}/${escapePointerToken(name)}`, base]);
      } else {
        pending.push([value, child, base]);
      }
    }
  }
  return index;
}

/** The in-document pointer a reference names; `undefined` when it names another document or nothing; or why it cannot be bound. */
function resolveTarget(found: FoundRef, index: ResourceIndex): Target {
  const uri = resolveUri(found.ref, found.base);
  if (uri === undefined) return undefined;
  const resource = index.resources.get(withoutFragment(uri));
  if (resource === undefined) return undefined;
  const hash = uri.indexOf('#') === -1 ? '' : uri.slice(uri.indexOf('#') + 1);
  // RFC 6901 §6: a fragment that starts with `/` is a JSON pointer into the resource; anything else is an anchor name.
  if (hash === '') return resource;
  if (hash.startsWith('/')) return resource === '#' ? `#${hash}` : `${resource}${hash}`;
  const name = safeDecode(hash);
  const key = `${withoutFragment(uri)}#${name}`;
  const declared = index.anchors.get(key) ?? [];
  if (found.keyword === '$dynamicRef' && index.dynamicAnchors.has(key)) {
    // 2020-12 §8.2.3.2: a dynamic anchor as the starting point is replaced by the outermost one in the dynamic scope.
    const anywhere = index.dynamicNames.get(name) ?? [];
    if (anywhere.length > 1) return { unresolved: 'dynamic-scope', candidates: anywhere.toSorted() };
  }
  if (declared.length > 1) return { unresolved: 'ambiguous-anchor', candidates: declared.toSorted() };
  return declared[0];
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function resolveUri(reference: string, base: string): string | undefined {
  try {
    return new URL(reference, base).href;
  } catch {
    return undefined;
  }
}

function withoutFragment(uri: string): string {
  const at = uri.indexOf('#');
  return at === -1 ? uri : uri.slice(0, at);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Copies the objects on the path to each rewritten node, keeps every other subtree shared. */
function applyRewrites(doc: Record<string, unknown>, rewrites: ReadonlyMap<string, Record<string, unknown>>): Record<string, unknown> {
  const onPath = new Set<string>();
  for (const pointer of rewrites.keys()) {
    let at = pointer;
    while (at.includes('/')) {
      at = at.slice(0, at.lastIndexOf('/'));
      onPath.add(at);
    }
  }
  const copy = (node: unknown, pointer: string): unknown => {
    const replaced = rewrites.get(pointer);
    const source = replaced ?? node;
    if (!onPath.has(pointer) || !isObjectLike(source)) return source;
    if (Array.isArray(source)) return source.map((item, i) => copy(item, `${pointer}/${i}`));
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) out[key] = copy(value, `${pointer}/${escapePointerToken(key)}`);
    return out;
  };
  const result = copy(doc, '#');
  if (!isRecord(result)) throw new Error('Generator bug: the rewritten document is not an object');
  return result;
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
