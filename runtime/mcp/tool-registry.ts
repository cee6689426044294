/**
 * The tools the gateway serves, prepared once at start-up.
 *
 * For each generated module it:
 * 1. checks the definition is servable (unique name, object-rooted schemas);
 * 2. builds the published `Tool` (name, title, description, input/output
 *    schema and annotations exactly as generated), adding the optional
 *    `confirm_duplicate` argument to destructive, non-idempotent tools;
 * 3. compiles the input validator (defaults on) and the output validator.
 * `list(scopes)` returns the tools a grant allows, sorted by name; a tool is
 * allowed when every scope in `definition.scopes` is granted.
 *
 * A malformed definition throws here: that is a generator bug, and start-up
 * is the place to find it.
 */
import type { Tool } from '@modelcontextprotocol/server';
import type { JsonSchema, ToolDefinition, ToolInvoke, ToolModule } from '../contract/tool-definition.js';
import { createInputAjv, createOutputAjv, type ValidateFunction } from './ajv.js';
import { isJsonObject } from '../json-object.js';
import { compileArgumentValidator, type ArgumentValidator } from './validate-args.js';

export const CONFIRM_DUPLICATE = 'confirm_duplicate';

export interface RegisteredTool<C> {
  readonly definition: ToolDefinition;
  readonly invoke: ToolInvoke<C>;
  /** What tools/list publishes. */
  readonly published: Tool;
  readonly validateArguments: ArgumentValidator;
  readonly validateOutput: ValidateFunction;
  /** Destructive and not idempotent (`place_order`): never repeated, guarded against duplicates. */
  readonly unsafeToRepeat: boolean;
  /** Arguments that arrive as JSON text and are parsed before the call. */
  readonly jsonStringArguments: readonly string[];
  /** Tool argument names by the Aries field they fill (`tradingAccountId`, `order.price`), for error messages. */
  readonly argumentNames: ReadonlyMap<string, string>;
}

export interface ToolRegistry<C> {
  get(name: string): RegisteredTool<C> | undefined;
  /** Published tools the granted scopes allow, sorted by name. */
  list(grantedScopes: readonly string[]): Tool[];
  /** Scopes of `tool` missing from `grantedScopes`. */
  missingScopes(tool: RegisteredTool<C>, grantedScopes: readonly string[]): string[];
}

export interface RegistryOptions {
  /** Shown in the `confirm_duplicate` description. */
  readonly duplicateWindowSeconds: number;
}

export function createToolRegistry<C>(modules: readonly ToolModule<C>[], options: RegistryOptions): ToolRegistry<C> {
  const inputAjv = createInputAjv();
  const outputAjv = createOutputAjv();
  const tools = new Map<string, RegisteredTool<C>>();
  for (const { definition, invoke } of [...modules].sort((a, b) => compareNames(a.definition.name, b.definition.name))) {
    if (tools.has(definition.name)) throw new Error(`Duplicate tool name "${definition.name}" in the generated registry`);
    const unsafeToRepeat = definition.annotations.destructiveHint && !definition.annotations.idempotentHint;
    const inputSchema = unsafeToRepeat && options.duplicateWindowSeconds > 0 ? withConfirmDuplicate(definition, options.duplicateWindowSeconds) : definition.inputSchema;
    tools.set(definition.name, {
      definition,
      invoke,
      published: publishTool(definition, inputSchema),
      validateArguments: compileArgumentValidator(inputAjv, inputSchema),
      validateOutput: outputAjv.compile(definition.outputSchema),
      unsafeToRepeat,
      jsonStringArguments: definition.routes.filter((route) => route.jsonString === true).map((route) => route.argument),
      argumentNames: new Map(definition.routes.map((route) => [route.bodyPath && route.bodyPath.length > 0 ? route.bodyPath.join('.') : route.name, route.argument])),
    });
  }
  const missingScopes = (tool: RegisteredTool<C>, granted: readonly string[]): string[] => tool.definition.scopes.filter((scope) => !granted.includes(scope));
  return {
    get: (name) => tools.get(name),
    list: (granted) => [...tools.values()].filter((tool) => missingScopes(tool, granted).length === 0).map((tool) => tool.published),
    missingScopes,
  };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function publishTool(definition: ToolDefinition, inputSchema: JsonSchema): Tool {
  return {
    name: definition.name,
    title: definition.title,
    description: definition.description,
    inputSchema: objectSchema(definition.name, 'inputSchema', inputSchema),
    outputSchema: objectSchema(definition.name, 'outputSchema', definition.outputSchema),
    annotations: definition.annotations,
  };
}

function objectSchema(tool: string, which: string, schema: JsonSchema): Tool['inputSchema'] {
  if (schema.type !== 'object') throw new Error(`Tool "${tool}": ${which} must have "type": "object" at its root`);
  return { ...schema, type: 'object' };
}

function withConfirmDuplicate(definition: ToolDefinition, windowSeconds: number): JsonSchema {
  const properties = isJsonObject(definition.inputSchema.properties) ? definition.inputSchema.properties : {};
  if (Object.hasOwn(properties, CONFIRM_DUPLICATE)) {
    throw new Error(`Tool "${definition.name}" already has an argument named "${CONFIRM_DUPLICATE}", which the gateway reserves`);
  }
  return {
    ...definition.inputSchema,
    properties: {
      ...properties,
      [CONFIRM_DUPLICATE]: {
        type: 'boolean',
        description: `Set to true only when you deliberately want another ${definition.name} identical to one sent in the last ${windowSeconds} seconds. Without it, the gateway refuses such a repeat as a probable duplicate.`,
      },
    },
  };
}
