/**
 * Decides everything the templates print: the tool's `mapping` (where each
 * argument goes in the request: `runtime/contract/request-mapping.ts`, the one
 * encoding the call and the runtime's messages derive from), which request
 * parts the call fills, and the identifiers. The argument types come from the
 * input schema (`schema-type.ts`), so `tsc` checks every value's type against
 * the generated `paths` while Ajv (at run time) vouches for the values.
 */
import type { ArgumentRoute, ToolDefinition } from '../../runtime/contract/tool-definition.js';

export interface BuiltTool {
  readonly definition: ToolDefinition;
  /** Media type of the JSON request body, when the operation has one. */
  readonly bodyContentType: string | undefined;
  readonly notes: readonly string[];
}

/** A leaf of the emitted mapping (`MappingLeaf` in the runtime contract). */
type Leaf = readonly ['arg' | 'json', string] | readonly ['pinned', unknown];
interface MappingObject {
  [key: string]: Leaf | MappingObject;
}

interface Target {
  readonly in: ArgumentRoute['in'];
  readonly name: string;
  readonly bodyPath?: readonly string[];
  readonly leaf: Leaf;
}

const PARAM_LOCATIONS = ['path', 'query', 'header'] as const;

/** Where the generated code comes from and where it imports the runtime contract from. */
export interface EmitPaths {
  readonly specFile: string;
  readonly configFile: string;
  /** `runtime/` relative to the output folder. */
  readonly runtimeImport: string;
}

export function toolModuleView(tool: BuiltTool, paths: EmitPaths) {
  const { routes, pinned, ...facts } = tool.definition;
  const targets: Target[] = [
    ...routes.map((route): Target => ({
      in: route.in,
      name: route.name,
      bodyPath: route.bodyPath,
      leaf: [route.jsonString === true ? 'json' : 'arg', route.argument],
    })),
    ...pinned.map((pin): Target => ({ in: pin.in, name: pin.name, bodyPath: pin.bodyPath, leaf: ['pinned', pin.value] })),
  ];
  const paramLocations = PARAM_LOCATIONS.filter((location) => targets.some((target) => target.in === location));
  // `params` always: openapi-fetch wants it where the API requires a parameter the gateway sends itself (an auth header).
  const mapping: { params: MappingObject; body?: Leaf | MappingObject } = {
    params: Object.fromEntries(
      paramLocations.map((location) => [
        location,
        Object.fromEntries(targets.filter((target) => target.in === location).map((target) => [target.name, target.leaf])),
      ]),
    ),
  };
  const bodyTargets = targets.filter((target) => target.in === 'body');
  const hasBody = bodyTargets.length > 0 && tool.bodyContentType !== undefined;
  if (hasBody) mapping.body = bodyNode(bodyTargets);

  return {
    specFile: paths.specFile,
    configFile: paths.configFile,
    contractImport: `../${paths.runtimeImport}/contract/tool-definition.js`,
    mappingImport: `../${paths.runtimeImport}/contract/request-mapping.js`,
    path: tool.definition.operation.path,
    method: tool.definition.operation.method,
    clientMethod: tool.definition.operation.method.toUpperCase(),
    facts,
    inputSchema: tool.definition.inputSchema,
    mapping,
    hasBody,
  };
}

/** The nested body mapping from targets' `bodyPath`s; an empty path is the whole body. */
function bodyNode(targets: readonly Target[]): Leaf | MappingObject {
  const whole = targets.find((target) => (target.bodyPath ?? []).length === 0);
  if (whole) return whole.leaf;
  const groups = new Map<string, Target[]>();
  for (const target of targets) {
    const [head = '', ...rest] = target.bodyPath ?? [];
    groups.set(head, [...(groups.get(head) ?? []), { ...target, bodyPath: rest }]);
  }
  return Object.fromEntries([...groups].map(([key, group]) => [key, bodyNode(group)]));
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
