/**
 * The tools the gateway serves, prepared once at start-up.
 *
 * For each generated module it:
 * 1. checks the definition is servable (unique name, object-rooted schemas);
 * 2. builds the published `Tool` (name, title, description, input/output
 *    schema and annotations exactly as generated); the duplicate
 *    confirmation argument a tool declares (`definition.confirmDuplicate`,
 *    from tools.yaml) is already in its schema, and is left out only when
 *    the gateway's duplicate window is off (it would do nothing);
 * 3. prepares the input validator (defaults on) and the output validator,
 *    compiled on first use and then kept: compiling all of them costs most
 *    of a cold start, and the first `tools/list` needs none of them.
 * `list(scopes)` returns the tools a grant allows, sorted by name; a tool is
 * allowed when every scope in `definition.scopes` is granted, and, on a
 * connection the customer made read-only (trading guardrails), only when it
 * is read-only itself (`readOnlyHint`), as if the order scope were missing.
 *
 * A malformed definition throws here: that is a generator bug, and start-up
 * is the place to find it. A schema Ajv cannot compile throws on that tool's
 * first call, naming the tool; `compileAll()` compiles every validator now
 * (the tests run it over `generated/`, so such a generator bug still fails
 * the build rather than the first call in production).
 */
import type { Tool } from '@modelcontextprotocol/server';
import type { JsonSchema, ToolDefinition, ToolInvoke, ToolModule } from '../contract/tool-definition.js';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { createInputAjv, createOutputAjv, type ValidateFunction } from './ajv.js';
import { isJsonObject } from '../json-object.js';
import { compileArgumentValidator, type ArgumentValidator } from './validate-args.js';

export interface RegisteredTool<C> {
  readonly definition: ToolDefinition;
  readonly invoke: ToolInvoke<C>;
  /** What tools/list publishes. */
  readonly published: Tool;
  /** Compiled on first access (then cached for this tool). */
  readonly validateArguments: ArgumentValidator;
  /** Compiled on first access (then cached for this tool); the same function each time, so its `.errors` can be read after a call. */
  readonly validateOutput: ValidateFunction;
  /** Destructive and not idempotent (an order-placing tool): never repeated, guarded against duplicates. */
  readonly unsafeToRepeat: boolean;
  /** The argument that deliberately repeats a refused duplicate, as the definition declares it; absent when not declared or the window is off. */
  readonly confirmArgument?: string;
  /** Arguments that arrive as JSON text and are parsed before the call. */
  readonly jsonStringArguments: readonly string[];
  /** Tool argument names by the Aries field they fill (`tradingAccountId`, `order.price`), for error messages. */
  readonly argumentNames: ReadonlyMap<string, string>;
}

export interface ToolRegistry<C> {
  get(name: string): RegisteredTool<C> | undefined;
  /** Published tools the granted scopes allow, sorted by name; with `readOnly`, only tools with `readOnlyHint`. */
  list(grantedScopes: readonly string[], options?: { readonly readOnly?: boolean }): Tool[];
  /** Scopes of `tool` missing from `grantedScopes`. */
  missingScopes(tool: RegisteredTool<C>, grantedScopes: readonly string[]): string[];
  /** Compiles every tool's validators now (they otherwise compile on first use); throws on the first schema that does not compile. */
  compileAll(): void;
  /** The server instructions of the generated registry (`generated/index.ts` `instructions`); absent: none are sent. */
  readonly instructions: string | undefined;
}

export interface RegistryOptions {
  /** 0: the duplicate guard is off, and the declared confirmation arguments are not published. */
  readonly duplicateWindowSeconds: number;
  /** The generated registry's `instructions`, served as they are. */
  readonly instructions?: string;
}

export function createToolRegistry<C>(modules: readonly ToolModule<C>[], options: RegistryOptions): ToolRegistry<C> {
  // One Ajv per direction, shared by every tool, created with the first validator that needs it.
  let inputAjv: Ajv2020 | undefined;
  let outputAjv: Ajv2020 | undefined;
  const tools = new Map<string, RegisteredTool<C>>();
  for (const { definition, invoke } of [...modules].sort((a, b) => compareNames(a.definition.name, b.definition.name))) {
    if (tools.has(definition.name)) throw new Error(`Duplicate tool name "${definition.name}" in the generated registry`);
    const unsafeToRepeat = definition.annotations.destructiveHint && !definition.annotations.idempotentHint;
    const declared = declaredConfirmArgument(definition, unsafeToRepeat);
    const confirmArgument = options.duplicateWindowSeconds > 0 ? declared : undefined;
    const inputSchema = declared !== undefined && confirmArgument === undefined ? withoutArgument(definition.inputSchema, declared) : definition.inputSchema;
    let validateArguments: ArgumentValidator | undefined;
    let validateOutput: ValidateFunction | undefined;
    tools.set(definition.name, {
      definition,
      invoke,
      published: publishTool(definition, inputSchema),
      get validateArguments() {
        return (validateArguments ??= compileFor(definition.name, 'inputSchema', () => compileArgumentValidator((inputAjv ??= createInputAjv()), inputSchema)));
      },
      get validateOutput() {
        return (validateOutput ??= compileFor(definition.name, 'outputSchema', () =>
          (outputAjv ??= createOutputAjv()).compile(definition.outputValidationSchema ?? definition.outputSchema),
        ));
      },
      unsafeToRepeat,
      ...(confirmArgument === undefined ? {} : { confirmArgument }),
      jsonStringArguments: definition.routes.filter((route) => route.jsonString === true).map((route) => route.argument),
      argumentNames: new Map(
        definition.routes.map((route) => [route.bodyPath && route.bodyPath.length > 0 ? route.bodyPath.join('.') : route.name, route.argument]),
      ),
    });
  }
  const missingScopes = (tool: RegisteredTool<C>, granted: readonly string[]): string[] => tool.definition.scopes.filter((scope) => !granted.includes(scope));
  return {
    get: (name) => tools.get(name),
    list: (granted, listOptions) =>
      [...tools.values()]
        .filter((tool) => missingScopes(tool, granted).length === 0 && (listOptions?.readOnly !== true || tool.definition.annotations.readOnlyHint))
        .map((tool) => tool.published),
    missingScopes,
    compileAll: () => {
      for (const tool of tools.values()) void [tool.validateArguments, tool.validateOutput];
    },
    instructions: options.instructions,
  };
}

/** Runs one validator compilation; a schema Ajv refuses is a generator bug, reported with the tool and schema it is in. */
function compileFor<T>(tool: string, which: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    throw new Error(`Tool "${tool}": ${which} does not compile: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
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

/** The declared confirmation argument, checked: it must be a boolean argument of the schema, on a tool whose repeats are guarded (else a generator bug). */
function declaredConfirmArgument(definition: ToolDefinition, unsafeToRepeat: boolean): string | undefined {
  const argument = definition.confirmDuplicate?.argument;
  if (argument === undefined) return undefined;
  if (!unsafeToRepeat) throw new Error(`Tool "${definition.name}" declares a duplicate confirmation argument but is not destructive and non-idempotent`);
  const properties = isJsonObject(definition.inputSchema.properties) ? definition.inputSchema.properties : {};
  const schema = properties[argument];
  if (!isJsonObject(schema) || schema.type !== 'boolean')
    throw new Error(`Tool "${definition.name}" declares the confirmation argument "${argument}", but its inputSchema has no boolean "${argument}"`);
  return argument;
}

/** The schema without one optional argument (the confirmation, when the duplicate window is off). */
function withoutArgument(schema: JsonSchema, argument: string): JsonSchema {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const { [argument]: _dropped, ...rest } = properties;
  return { ...schema, properties: rest };
}
