/**
 * The duplicate-order confirmation argument a tool declares in tools.yaml
 * (`confirmDuplicate: { argument, description }`): added to the tool's input
 * schema as an optional boolean, so the published schema, `tool-surface.json`
 * and `TOOLS.md` show exactly what clients see, and named in the definition
 * so the runtime reads it instead of inventing one.
 *
 * Refused (an `error` issue at the tool's config entry) on a tool that is not
 * destructive and non-idempotent (the runtime guards only those against
 * repeats, so the argument would do nothing), and when the name is already
 * an argument of the tool. Does not decide whether repeats are guarded: the
 * runtime does, from the annotations.
 */
import type { JsonSchema, ToolAnnotations } from '../../runtime/contract/tool-definition.js';
import type { Issue } from '../issues.js';
import type { ToolSelection } from '../load/tools-config.js';
import { isRecord } from '../lower/schema-walk.js';

export interface ConfirmDuplicateInput {
  readonly toolName: string;
  readonly declared: ToolSelection['confirmDuplicate'];
  readonly inputSchema: JsonSchema;
  readonly annotations: ToolAnnotations;
  readonly configFile: string;
  readonly configPointer: string;
}

export interface ConfirmDuplicateResult {
  readonly inputSchema: JsonSchema;
  readonly confirmDuplicate?: { readonly argument: string };
  readonly issues: readonly Issue[];
}

export function addConfirmDuplicate(input: ConfirmDuplicateInput): ConfirmDuplicateResult {
  const { declared, inputSchema } = input;
  if (declared === undefined) return { inputSchema, issues: [] };
  const issue = (message: string, fix: string): ConfirmDuplicateResult => ({
    inputSchema,
    issues: [{ code: 'config.confirm-duplicate', severity: 'error', file: input.configFile, pointer: `${input.configPointer}/confirmDuplicate`, message, fix }],
  });
  if (!input.annotations.destructiveHint || input.annotations.idempotentHint) {
    return issue(
      `${input.toolName} declares confirmDuplicate, but it is not destructive and non-idempotent, so the gateway never refuses its repeats.`,
      'Remove confirmDuplicate, or set annotations { destructiveHint: true, idempotentHint: false } if repeating the call really is harmful.',
    );
  }
  const properties = isRecord(inputSchema['properties']) ? inputSchema['properties'] : {};
  if (Object.hasOwn(properties, declared.argument)) {
    return issue(
      `confirmDuplicate.argument "${declared.argument}" of ${input.toolName} is already one of its arguments.`,
      'Choose a name no parameter of the operation uses (or rename that parameter).',
    );
  }
  return {
    inputSchema: { ...inputSchema, properties: { ...properties, [declared.argument]: { type: 'boolean', description: declared.description } } },
    confirmDuplicate: { argument: declared.argument },
    issues: [],
  };
}
