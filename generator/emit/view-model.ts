/**
 * Decides everything the templates print: which params go where, the typed
 * casts that make `invoke` type-check against the generated `paths`, and the
 * identifiers. Argument values are cast from `unknown` to the exact indexed
 * type of the upstream parameter, so a wrong path, parameter or body field is
 * a compile error while Ajv (at run time) vouches for the values.
 */
import type { ArgumentRoute, ToolDefinition } from '../../runtime/contract/tool-definition.js';
import type { TypeRef } from './render.js';

export interface BuiltTool {
  readonly definition: ToolDefinition;
  /** Media type of the JSON request body, when the operation has one. */
  readonly bodyContentType: string | undefined;
  readonly notes: readonly string[];
}

/**
 * One value of the request literal: a leaf (an argument, or a pinned
 * constant, cast to the upstream type at `type`) or an object of entries.
 * Every key is always present, so the template branches on plain flags.
 */
interface ValueNode {
  readonly leaf: Leaf | undefined;
  readonly entries: readonly Entry[];
}
interface Leaf {
  /** `true`: `args[argument]`; `false`: the JSON literal `pinned`. */
  readonly isArgument: boolean;
  readonly argument: string | undefined;
  readonly pinned: unknown;
  readonly type: TypeRef;
}
type Entry = ValueNode & { readonly key: string };

interface Target {
  readonly in: ArgumentRoute['in'];
  readonly name: string;
  readonly bodyPath?: readonly string[];
  readonly value: { readonly argument: string } | { readonly pinned: unknown };
}

const PARAM_LOCATIONS = ['path', 'query', 'header'] as const;
const OPERATION = 'Operation';
/** Type aliases a module declares, one per request part it sends. */
const ALIAS = { path: 'PathParams', query: 'QueryParams', header: 'HeaderParams', body: 'Body' } as const;

/** Where the generated code comes from and where it imports the runtime contract from. */
export interface EmitPaths {
  readonly specFile: string;
  readonly configFile: string;
  /** `runtime/` relative to the output folder. */
  readonly runtimeImport: string;
}

export function toolModuleView(tool: BuiltTool, paths: EmitPaths) {
  const { definition } = tool;
  const targets: Target[] = [
    ...definition.routes.map((route) => ({ ...route, value: { argument: route.argument } })),
    ...definition.pinned.map((pin) => ({ ...pin, value: { pinned: pin.value } })),
  ];
  const paramGroups = PARAM_LOCATIONS.map((location) => ({
    location,
    entries: targets
      .filter((target) => target.in === location)
      .map((target) => ({ key: target.name, ...leafNode(target.value, { base: ALIAS[location], keys: [target.name] }) })),
  })).filter((group) => group.entries.length > 0);
  const aliases: { name: string; ref: TypeRef }[] = paramGroups.map((group) => ({
    name: ALIAS[group.location],
    ref: { base: OPERATION, keys: ['parameters', group.location] },
  }));

  const bodyTargets = targets.filter((target) => target.in === 'body');
  const body = bodyTargets.length > 0 && tool.bodyContentType ? bodyNode(bodyTargets, []) : undefined;
  if (body !== undefined && tool.bodyContentType !== undefined)
    aliases.push({ name: ALIAS.body, ref: { base: OPERATION, keys: ['requestBody', 'content', tool.bodyContentType] } });

  return {
    specFile: paths.specFile,
    configFile: paths.configFile,
    contractImport: `../${paths.runtimeImport}/contract/tool-definition.js`,
    path: definition.operation.path,
    method: definition.operation.method,
    clientMethod: definition.operation.method.toUpperCase(),
    definition,
    // `Operation` is declared only where an alias uses it (a tool without arguments has none).
    declaresOperation: aliases.length > 0,
    aliases,
    paramGroups,
    hasParams: paramGroups.length > 0,
    body,
  };
}

function leafNode(value: Target['value'], type: TypeRef): ValueNode {
  const leaf: Leaf =
    'argument' in value
      ? { isArgument: true, argument: value.argument, pinned: undefined, type }
      : { isArgument: false, argument: undefined, pinned: value.pinned, type };
  return { leaf, entries: [] };
}

/** Builds the nested body literal from targets' `bodyPath`s. */
function bodyNode(targets: readonly Target[], typeKeys: readonly string[]): ValueNode {
  const whole = targets.find((target) => (target.bodyPath ?? []).length === 0);
  if (whole) return leafNode(whole.value, { base: ALIAS.body, keys: typeKeys });
  const groups = new Map<string, Target[]>();
  for (const target of targets) {
    const [head = '', ...rest] = target.bodyPath ?? [];
    groups.set(head, [...(groups.get(head) ?? []), { ...target, bodyPath: rest }]);
  }
  const entries = [...groups].map(([key, group]) => ({ key, ...bodyNode(group, [...typeKeys, key]) }));
  return { leaf: undefined, entries };
}

export interface IndexFacts {
  /** Tool name -> module path without extension (`module-file-names.ts`). */
  readonly modulePaths: ReadonlyMap<string, string>;
  /** The server instructions from tools.yaml; absent: the server sends none. */
  readonly instructions?: string;
}

export function indexView(tools: readonly BuiltTool[], paths: EmitPaths, oauthScopes: readonly string[], facts: IndexFacts) {
  const used = new Set<string>();
  const entries = [...tools]
    .sort((a, b) => compareNames(a.definition.name, b.definition.name))
    .map((tool) => {
      let ident = `tool_${tool.definition.name.replace(/-/g, '_')}`;
      while (used.has(ident)) ident = `${ident}_`;
      used.add(ident);
      const modulePath = facts.modulePaths.get(tool.definition.name);
      if (modulePath === undefined) throw new Error(`Generator bug: no module path for tool "${tool.definition.name}"`);
      return { ident, importPath: `./${modulePath}.js` };
    });
  return {
    specFile: paths.specFile,
    configFile: paths.configFile,
    contractImport: `${paths.runtimeImport}/contract/tool-definition.js`,
    tools: entries,
    oauthScopes,
    // `undefined` is printed as a literal: the template stays layout-only.
    instructions: facts.instructions,
  };
}

/** Code-point order, independent of locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
