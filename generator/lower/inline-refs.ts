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
 * - Recursion is bounded by `bound-recursion.ts`.
 * - Expansions that do not depend on their position are memoized per ref.
 *
 * It does not copy nodes that the transform returns unchanged twice: results
 * may share subtrees, so no later stage may mutate a schema in place.
 */
import { createRecursionGuard, levels, recursionStub } from './bound-recursion.js';
import { refName, type LowerContext } from './lower-context.js';
import { isRecord, mapSubschemas, type SchemaRecord } from './schema-walk.js';

/** Transforms one node whose subschemas are already inlined and transformed. */
export type NodeTransform = (node: SchemaRecord, pointer: string) => unknown;

export interface SchemaInliner {
  inline(schema: unknown, pointer: string): unknown;
}

/** Keywords that may sit next to `$ref` and simply override the target's. */
const ANNOTATION_SIBLINGS: ReadonlySet<string> = new Set([
  'description', 'title', 'summary', 'default', 'example', 'examples', 'nullable', 'deprecated',
  'readOnly', 'writeOnly', 'format', 'externalDocs', '$comment',
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

export function createInliner(ctx: LowerContext, transform: NodeTransform, maxDepth: number): SchemaInliner {
  const memo = new Map<string, unknown>();
  const guard = createRecursionGuard(maxDepth);

  function visit(node: unknown, pointer: string): unknown {
    if (!isRecord(node)) return node;
    if (typeof node.$ref === 'string') return visitRef(node, node.$ref, pointer);
    const copied = mapSubschemas(node, (child, tokens) => visit(child, childPointer(pointer, tokens)));
    return transform(copied, pointer);
  }

  function visitRef(node: SchemaRecord, ref: string, pointer: string): unknown {
    const siblings = Object.keys(node).filter((key) => key !== '$ref' && key !== 'summary');
    if (siblings.length === 0) return expand(ref, pointer, undefined);
    if (siblings.every((key) => ANNOTATION_SIBLINGS.has(key) || key.startsWith('x-'))) {
      const rest: SchemaRecord = {};
      for (const key of siblings) rest[key] = node[key];
      return expand(ref, pointer, rest);
    }
    const rest: SchemaRecord = {};
    for (const key of siblings) rest[key] = node[key];
    return visit({ allOf: [{ $ref: ref }, rest] }, pointer);
  }

  function expand(ref: string, pointer: string, siblings: SchemaRecord | undefined): unknown {
    const resolved = ctx.resolve(ref);
    if (resolved === undefined) {
      ctx.report('lower.unresolved-ref', 'warning', pointer, `Reference "${ref}" cannot be resolved; it is replaced by an unconstrained schema.`,
        'Point the $ref at an existing #/components/... entry (external files must be bundled by the loader).');
      return transform({ ...siblings, description: `Unresolved reference ${ref}.` }, pointer);
    }
    if (siblings === undefined && memo.has(ref)) return memo.get(ref);
    const name = refName(ref);
    if (guard.enter(ref) === 'cut') {
      ctx.notes.addItem(`cut recursive schemas after ${levels(maxDepth)}`, name);
      return transform(recursionStub(name, resolved.value, maxDepth), pointer);
    }
    const target = siblings === undefined || !isRecord(resolved.value) ? resolved.value : { ...resolved.value, ...siblings };
    const value = visit(target, resolved.pointer);
    const tainted = guard.exit();
    if (isRecord(value) && !ctx.schemaNames.has(value)) ctx.schemaNames.set(value, name);
    if (siblings === undefined && !tainted) memo.set(ref, value);
    return value;
  }

  return { inline: visit };
}
