/** The shape of `spec/tools.yaml` after validation against tools-config.schema.json. */
import type { HttpMethod, OrderGuardrails, RecoveryHints } from '../../runtime/contract/tool-definition.js';
import type { InputExamples, OutputSchemaDetail, ParameterOverride } from '../lower/lower-types.js';

export type OperationRef = string | { readonly method: HttpMethod; readonly path: string };

export interface AnnotationOverrides {
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface ToolSelection {
  readonly operation?: OperationRef;
  readonly tag?: string;
  readonly exclude?: readonly string[];
  readonly name?: string;
  readonly title?: string;
  readonly description?: string;
  readonly annotations?: AnnotationOverrides;
  readonly scopes?: readonly string[];
  readonly parameters?: { readonly [upstreamName: string]: ParameterOverride };
  readonly response?: {
    readonly projection?: readonly string[];
    readonly itemCaps?: { readonly [path: string]: number };
    readonly budgetChars?: number;
  };
  /** Trading guardrails for an order-placing tool; passed through to the definition as written. */
  readonly guardrails?: OrderGuardrails;
  /** Tools this tool's error messages name; replaces the top-level `recovery`. */
  readonly recovery?: RecoveryHints;
  /** The argument that deliberately repeats a refused duplicate (destructive, non-idempotent tools only). */
  readonly confirmDuplicate?: { readonly argument: string; readonly description: string };
}

export interface ToolsConfig {
  readonly version: 1;
  readonly defaults?: {
    readonly maxInputSchemaBytes?: number;
    readonly maxToolTokens?: number;
    readonly maxTotalTokens?: number;
    readonly maxRecursionDepth?: number;
    readonly openWorldHint?: boolean;
    /** `fields`: output schemas name fields but leave scalar types out (default `types`). */
    readonly outputSchemaDetail?: OutputSchemaDetail;
    /** Which input `examples` are kept (default `all`). */
    readonly inputExamples?: InputExamples;
    /** Repeat the title as `annotations.title` (default true). */
    readonly annotationTitle?: boolean;
  };
  readonly tools: readonly ToolSelection[];
  /** The server instructions clients receive at initialize; snake_case words must be tool names. */
  readonly instructions?: string;
  /** Recovery hints for every tool without its own. */
  readonly recovery?: RecoveryHints;
  /** Reviewed breaking or risky surface changes (`npm run surface:diff`). */
  readonly acknowledged?: readonly { readonly tool: string; readonly change: string; readonly reason: string }[];
}

/** The config `--all` uses: every operation of the spec, names from operationIds. */
export const ALL_OPERATIONS_CONFIG: ToolsConfig = { version: 1, tools: [] };
