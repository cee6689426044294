/**
 * The one encoding of a tool's argument mapping, and what derives from it.
 *
 * A generated module declares `mapping`: the shape of the upstream request
 * (`params.path`, `params.query`, `params.header` and the JSON `body`) with a
 * leaf wherever a value goes. From that one constant:
 * - `routesOf` / `pinnedOf` give `definition.routes` and `definition.pinned`,
 *   which the runtime's messages read (argument names, `.`/`..` checks, JSON
 *   text arguments);
 * - `fillRequest` builds the request part from the typed arguments, and its
 *   signature makes `tsc` check each argument's TYPE against the
 *   openapi-typescript type at its target (`Fits`), not only that the name
 *   exists.
 * `typedInvoke` is the single place where the validated `ToolArguments` become
 * a tool's typed `Arguments` (see there). This module does not call Aries and
 * knows no tool.
 */
import type { ArgumentRoute, CallOptions, ToolDefinition, ToolInvoke, UpstreamResult } from './tool-definition.js';

/**
 * A leaf of the mapping. Arrays are leaves (objects are nested mappings), so a
 * body property may have any name:
 * - `["arg", name]`: the value of tool argument `name`;
 * - `["json", name]`: argument `name`, sent as JSON text by the model and parsed before the call;
 * - `["pinned", value]`: a server-side constant the model never sees.
 */
export type MappingLeaf = readonly ['arg', string] | readonly ['json', string] | readonly ['pinned', unknown];
export type MappingNode = MappingLeaf | { readonly [key: string]: MappingNode };

type ParameterMapping = { readonly [name: string]: MappingLeaf };

export interface RequestMapping {
  readonly params?: { readonly path?: ParameterMapping; readonly query?: ParameterMapping; readonly header?: ParameterMapping };
  /** A leaf: the whole body is one argument; an object: its properties. */
  readonly body?: MappingNode;
}

/** The type at property `P` of `T`, over every union member that has it (an optional level may be absent). */
type At<T, P> = NonNullable<T> extends infer U ? (U extends unknown ? (P extends keyof U ? U[P] : never) : never) : never;

/** `unknown` (a free-form schema, or JSON text) checks nothing: Aries does. */
type IsUnknown<T> = unknown extends T ? true : false;

/** A free-form schema's type: `unknown`, an object with no known property, or an array of those (a stub the recursion bound left). */
type IsFreeForm<V> =
  IsUnknown<V> extends true
    ? true
    : { [key: string]: unknown } extends NonNullable<V>
      ? true
      : { [key: string]: unknown }[] extends NonNullable<V>
        ? true
        : false;

/** `string` where the API lists strings (`"Cat" | "Dog"`, a discriminator the schema does not repeat): the same JSON type, so it fits; an enum of the schema's own must be a subset. */
type SameScalar<V, T> = [NonNullable<V>] extends [string]
  ? string extends NonNullable<V>
    ? [NonNullable<T>] extends [string]
      ? true
      : false
    : false
  : false;

/**
 * Whether a value of type `V` (an argument present, or a pinned constant) may
 * go where the API types `T`. `null` and `undefined` are not compared (presence
 * is Ajv's and Aries' to check, and openapi-fetch's `Writable` turns a `null`
 * type into `undefined`).
 */
type Fit<V, T> = IsFreeForm<V> extends true ? true : [NonNullable<V>] extends [NonNullable<T>] ? true : SameScalar<V, T>;

/** A readonly (`as const`) constant as the mutable data it is at run time. */
type Mutable<T> = T extends readonly unknown[] | { readonly [key: string]: unknown } ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

/**
 * The leaves of mapping `M` whose value does not fit target `T`: each as its
 * place, the argument's type and the API's type, so the `tsc` error names
 * them. Only types are compared, not presence: flattened and optional bodies
 * make arguments optional where the API nests required fields, and Ajv and
 * Aries check presence at run time.
 */
type Misfits<M, A, T, Place extends string> = [T] extends [never]
  ? { place: Place; problem: 'the API has nothing here' } // a wrong parameter or property name
  : IsUnknown<T> extends true
    ? never // the API's type says nothing here (openapi-typescript's `X | unknown` for a body with `anyOf` of `required` lists)
    : [keyof NonNullable<T>] extends [never]
      ? never // nor here: `{}`, which openapi-fetch's `Writable` makes of such an `unknown` body
      : M extends readonly ['arg', infer K]
        ? K extends keyof A
          ? Fit<A[K], T> extends true
            ? never
            : { place: Place; argument: K; argumentType: A[K]; apiType: T }
          : { place: Place; argument: K; problem: 'no such argument' }
        : M extends readonly ['json', string]
          ? never
          : M extends readonly ['pinned', infer V]
            ? Fit<Mutable<V>, T> extends true
              ? never
              : { place: Place; pinned: V; apiType: T }
            : string extends keyof M
              ? never // the wide `MappingNode` itself (a generic signature), not an emitted mapping
              : { [P in keyof M & string]: Misfits<M[P], A, At<T, P>, `${Place}.${P}`> }[keyof M & string];

/** `unknown` (no constraint) when every leaf fits; else a type that names the misfits in the error. */
export type Fits<M, A, T> = [T] extends [never]
  ? unknown // the API's own types admit no value (a spec whose `allOf` contradicts itself): nothing to check against
  : [Misfits<M, A, T, ''>] extends [never]
    ? unknown
    : { readonly 'argument type does not fit the API': Misfits<M, A, T, ''> };

function isLeaf(node: MappingNode): node is MappingLeaf {
  return Array.isArray(node);
}

const PARAM_LOCATIONS = ['path', 'query', 'header'] as const;

/** Every leaf with where it goes: `in`, the parameter or top-level body name, and the body path. */
function leavesOf(mapping: RequestMapping): { in: ArgumentRoute['in']; name: string; bodyPath?: readonly string[]; leaf: MappingLeaf }[] {
  const found: { in: ArgumentRoute['in']; name: string; bodyPath?: readonly string[]; leaf: MappingLeaf }[] = [];
  for (const location of PARAM_LOCATIONS) {
    for (const [name, leaf] of Object.entries(mapping.params?.[location] ?? {})) found.push({ in: location, name, leaf });
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
export function pinnedOf(mapping: RequestMapping): ToolDefinition['pinned'][number][] {
  return leavesOf(mapping).flatMap(({ leaf, ...target }) => (leaf[0] === 'pinned' ? [{ ...target, value: leaf[1] }] : []));
}

/** Plain data for `node`. A nested object none of whose values is present is left out, not sent as `{}`. */
function fillNode(node: MappingNode, args: object, nested: boolean): unknown {
  if (isLeaf(node)) return node[0] === 'pinned' ? node[1] : Reflect.get(args, node[1]);
  const entries = Object.entries(node).map(([key, child]) => [key, fillNode(child, args, true)] as const);
  if (nested && entries.every(([, value]) => value === undefined)) return undefined;
  return Object.fromEntries(entries);
}

/**
 * The request part `Target` (`Operation["parameters"]` or the JSON body type)
 * for `args`. The call compiles only if every leaf of `mapping` fits its place
 * in `Target` (`Fits`); the implementation then builds plain data by walking
 * the mapping. An overload states the result as `Target`: what `Fits` checked
 * leaf by leaf, up to presence, which Ajv (required arguments) and Aries check.
 */
export function fillRequest<Target, const M extends MappingNode, A extends object>(mapping: M & Fits<M, A, Target>, args: A): Target;
export function fillRequest(mapping: MappingNode, args: object): unknown {
  return fillNode(mapping, args, false);
}

/**
 * The boundary where `unknown` arguments become a tool's typed `Arguments`.
 * The runtime calls `invoke` only with arguments that Ajv validated against
 * `definition.inputSchema` (`runtime/mcp/tool-registry.ts` compiles it,
 * `call-tool.ts` refuses anything else), and the generator renders `A` from
 * that same schema (`generator/emit/schema-type.ts`), so the validation is the
 * type guard. One exception: a JSON-text argument is typed `string` but arrives
 * parsed (`call-tool.ts`); its `["json", name]` leaf never reads that type.
 * Written as an overload so that no per-field cast is needed.
 */
export function typedInvoke<Client, A>(invoke: (client: Client, args: A, call: CallOptions) => Promise<UpstreamResult>): ToolInvoke<Client>;
export function typedInvoke<Client>(invoke: ToolInvoke<Client>): ToolInvoke<Client> {
  return invoke;
}
