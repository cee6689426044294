/**
 * The `$ref` graph of one document: which internal references can reach
 * themselves again (a cycle), and through how many schemas. Lowering uses it
 * to decide how deep a recursive reference may be unrolled without looking at
 * the path it was reached by, so every expansion can be memoized.
 *
 * - Nodes are internal `#/...` references as written; edges go from a
 *   reference to every internal `$ref` inside its target.
 * - Strongly connected components by Tarjan's algorithm, iterative (a chain of
 *   thousands of schemas must not overflow the stack), computed lazily from
 *   the references actually met and cached per document object.
 * - Values of data keywords (`enum`, `const`, `default`, `example`,
 *   `examples`) are never read as references.
 *
 * It does not resolve anything for the inliner (`lower-context.ts` does) and
 * never reports issues: a dangling reference is simply a node without edges.
 */
import { resolvePointer } from './lower-context.js';
import { isRecord } from './schema-walk.js';

export interface RefComponent {
  /** Identifies the strongly connected component. */
  readonly id: number;
  /** Number of references in the component. */
  readonly size: number;
  /** True when the reference can reach itself (a component of several, or a self-reference). */
  readonly cyclic: boolean;
}

export interface ReferenceGraph {
  componentOf(ref: string): RefComponent;
}

const DATA_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'default', 'example', 'examples']);

/** Keywords whose value maps names to subschemas: their keys are never keywords. */
const NAME_MAPS: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

const graphs = new WeakMap<object, ReferenceGraph>();

/** The graph of `doc`, built once per document object. */
export function referenceGraphOf(doc: Readonly<Record<string, unknown>>): ReferenceGraph {
  let graph = graphs.get(doc);
  if (graph === undefined) {
    graph = createReferenceGraph(doc);
    graphs.set(doc, graph);
  }
  return graph;
}

function createReferenceGraph(doc: Readonly<Record<string, unknown>>): ReferenceGraph {
  const edges = new Map<string, string[]>();
  const components = new Map<string, RefComponent>();
  let nextComponent = 0;

  function edgesOf(ref: string): string[] {
    let out = edges.get(ref);
    if (out === undefined) {
      out = [...refsInside(resolvePointer(doc, ref))];
      edges.set(ref, out);
    }
    return out;
  }

  /** Tarjan from `start`, with an explicit stack of (node, next edge index). */
  function explore(start: string): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const onStack = new Set<string>();
    const stack: string[] = [];
    const work: { ref: string; edge: number }[] = [];
    let counter = 0;
    const open = (ref: string): void => {
      index.set(ref, counter);
      low.set(ref, counter);
      counter += 1;
      stack.push(ref);
      onStack.add(ref);
      work.push({ ref, edge: 0 });
    };
    open(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const next = edgesOf(frame.ref);
      if (frame.edge < next.length) {
        const target = next[frame.edge]!;
        frame.edge += 1;
        if (components.has(target)) continue;
        if (!index.has(target)) open(target);
        else if (onStack.has(target)) low.set(frame.ref, Math.min(low.get(frame.ref)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.ref, Math.min(low.get(parent.ref)!, low.get(frame.ref)!));
      if (low.get(frame.ref) !== index.get(frame.ref)) continue;
      const members: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        members.push(member);
      } while (member !== frame.ref);
      const cyclic = members.length > 1 || edgesOf(frame.ref).includes(frame.ref);
      const component: RefComponent = { id: nextComponent, size: members.length, cyclic };
      nextComponent += 1;
      for (const ref of members) components.set(ref, component);
    }
  }

  return {
    componentOf(ref) {
      if (!components.has(ref)) explore(ref);
      return components.get(ref)!;
    },
  };
}

/** Every internal `$ref` string below `value`, in document order, without duplicates. */
function refsInside(value: unknown): Set<string> {
  const found = new Set<string>();
  // [node, true when the node's keys are names (properties, $defs, ...) rather than keywords]
  const pending: [unknown, boolean][] = [[value, false]];
  while (pending.length > 0) {
    const [node, names] = pending.pop()!;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i -= 1) pending.push([node[i], false]);
    } else if (isRecord(node)) {
      if (!names && typeof node.$ref === 'string' && node.$ref.startsWith('#')) found.add(node.$ref);
      const keys = Object.keys(node);
      for (let i = keys.length - 1; i >= 0; i -= 1) {
        const key = keys[i]!;
        if (names || !DATA_KEYWORDS.has(key)) pending.push([node[key], !names && NAME_MAPS.has(key)]);
      }
    }
  }
  return found;
}
