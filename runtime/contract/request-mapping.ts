/**
 * The one encoding of a tool's argument mapping, and what derives from it.
 *
 * A generated module declares `mapping`: the shape of the upstream request
 * (`path`, `query`, `header` parameters and the JSON `body`) with a leaf
 * wherever a value goes. From that one constant:
 * - `routesOf` / `pinnedOf` give `definition.routes` and `definition.pinned`,
 *   which the runtime's messages read (argument names, `.`/`..` checks, JSON
 *   text arguments);
 * - `fillRequest` builds the request values from the typed arguments, and its
 *   type `Filled<M, A>` is what the generated `invoke` hands to openapi-fetch,
 *   so `tsc` checks each argument's TYPE against the openapi-typescript type of
 *   its target, not only that the name exists.
 * `typedInvoke` is the single place where the validated `ToolArguments` become
 * a tool's typed `Arguments` (see there). This module does not call Aries and
 * knows no tool.
 */
import type { ArgumentRoute, CallOptions, ToolArguments, ToolInvoke, UpstreamResult } from './tool-definition.js';

/**
 * A leaf of the mapping. Arrays are leaves (objects are nested mappings), so a
 * body property may have any name:
 * - `["arg", name]`: the value of tool argument `name`;
 * - `["json", name]`: argument `name`, sent as JSON text by the model and parsed before the call;
 * - `["pinned", value]`: a server-side constant the model never sees.
 */
export type MappingLeaf = readonly ['arg', string] | readonly ['json', string] | readonly ['pinned', unknown];
export type MappingNode = MappingLeaf | { readonly [key: string]: MappingNode };

export interface RequestMapping {
  readonly path?: { readonly [name: string]: MappingLeaf };
  readonly query?: { readonly [name: string]: MappingLeaf };
  readonly header?: { readonly [name: string]: MappingLeaf };
  /** A leaf: the whole body is one argument; an object: its properties. */
  readonly body?: MappingNode;
}

/** A pinned constant without `as const`'s `readonly`, so it fits the mutable openapi-typescript types. */
type Mutable<T> = T extends readonly unknown[] | { readonly [key: string]: unknown } ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

/**
 * The request values `fillRequest` builds from mapping `M` and arguments `A`:
 * an `["arg", k]` leaf becomes `A[k]` (with `undefined` when the argument is
 * optional), a JSON-text argument is whatever JSON the model wrote
 * (`unknown`, checked by Aries, not here), a pinned leaf its constant.
 */
export type Filled<M, A> = M extends readonly ['arg', infer K]
  ? K extends keyof A
    ? A[K]
    : never
  : M extends readonly ['json', string]
    ? unknown
    : M extends readonly ['pinned', infer V]
      ? Mutable<V>
      : { -readonly [P in keyof M]: Filled<M[P], A> };

function isLeaf(node: MappingNode): node is MappingLeaf {
  return Array.isArray(node);
}

const PARAM_LOCATIONS = ['path', 'query', 'header'] as const;

/** Every leaf with where it goes: `in`, the parameter or top-level body name, and the body path. */
function leavesOf(mapping: RequestMapping): { in: ArgumentRoute['in']; name: string; bodyPath?: readonly string[]; leaf: MappingLeaf }[] {
  const found: { in: ArgumentRoute['in']; name: string; bodyPath?: readonly string[]; leaf: MappingLeaf }[] = [];
  for (const location of PARAM_LOCATIONS) {
    for (const [name, leaf] of Object.entries(mapping[location] ?? {})) found.push({ in: location, name, leaf });
  }
  const walk = (node: MappingNode, path: readonly string[]): void => {
    if (isLeaf(node)) {
      found.push({ in: 'body', name: path[path.length - 1] ?? '', bodyPath: path, leaf: node });
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  if (mapping.body !== undefined) walk(mapping.body, []);
  return found;
}

/** `definition.routes`: one route per argument leaf, in mapping order. */
export function routesOf(mapping: RequestMapping): ArgumentRoute[] {
  return leavesOf(mapping).flatMap(({ leaf, ...target }) => {
    if (leaf[0] === 'pinned') return [];
    const route: ArgumentRoute = { argument: String(leaf[1]), ...target };
    return [leaf[0] === 'json' ? { ...route, jsonString: true } : route];
  });
}

/** `definition.pinned`: one entry per pinned leaf. */
export function pinnedOf(mapping: RequestMapping): ToolDefinitionPinned[] {
  return leavesOf(mapping).flatMap(({ leaf, ...target }) => (leaf[0] === 'pinned' ? [{ ...target, value: leaf[1] }] : []));
}
type ToolDefinitionPinned = { readonly in: ArgumentRoute['in']; readonly name: string; readonly bodyPath?: readonly string[]; readonly value: unknown };

function fillNode(node: MappingNode, args: ToolArguments): unknown {
  if (isLeaf(node)) return node[0] === 'pinned' ? node[1] : args[node[1]];
  return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, fillNode(child, args)]));
}

/**
 * The request values for `args`. An overload: the implementation builds plain
 * data by walking the mapping, and the signature states its shape as
 * `Filled<M, A>`, which mirrors that walk leaf for leaf (the unit test pins it).
 */
export function fillRequest<const M extends MappingNode, A extends object>(mapping: M, args: A): Filled<M, A>;
export function fillRequest(mapping: MappingNode, args: object): unknown {
  return fillNode(mapping, { ...args });
}

/**
 * The boundary where `unknown` arguments become a tool's typed `Arguments`.
 * The runtime calls `invoke` only with arguments that Ajv validated against
 * `definition.inputSchema` (`runtime/mcp/tool-registry.ts` compiles it,
 * `call-tool.ts` refuses anything else), and the generator renders `A` from
 * that same schema (`generator/emit/schema-type.ts`), so the validation is the
 * type guard. Written as an overload so that no per-field cast is needed.
 */
export function typedInvoke<Client, A>(invoke: (client: Client, args: A, call: CallOptions) => Promise<UpstreamResult>): ToolInvoke<Client>;
export function typedInvoke<Client>(invoke: ToolInvoke<Client>): ToolInvoke<Client> {
  return invoke;
}
