/**
 * Input and output of the lowering stage: one OpenAPI operation in, one
 * Claude-safe tool shape out (input schema, argument routes, output schema).
 */
import type { ArgumentRoute, HttpMethod, JsonSchema } from '../../runtime/contract/tool-definition.js';

/** Per-argument overrides from `spec/tools.yaml`, keyed by the upstream name:
 * a parameter name (`id`, `tradingAccountId`) or a dotted body path (`legs`, `order.price`). */
export interface ParameterOverride {
  /** New argument name shown to the model. */
  readonly rename?: string;
  readonly description?: string;
  /** Default the model may omit; becomes the schema `default` and is applied at call time. */
  readonly default?: unknown;
  /** Removed from the input schema; the upstream parameter is simply not sent. */
  readonly hidden?: boolean;
  /** Removed from the input schema and always sent with this server-side value. */
  readonly pin?: unknown;
}

/** How much an output schema spells out: `types` (field names and scalar types) or `fields` (field names only). */
export type OutputSchemaDetail = 'types' | 'fields' | 'types-within-budget';

/** Which input `examples` are kept: every one, those the schema does not already state, or none. */
export type InputExamples = 'all' | 'informative' | 'none';

export interface LowerInput {
  /** The whole OpenAPI document (3.0.x or 3.1.x) as loaded, internal `$ref`s intact. */
  readonly doc: Readonly<Record<string, unknown>>;
  /** File name for issues. */
  readonly file: string;
  readonly path: string;
  readonly method: HttpMethod;
  readonly operationId: string;
  /** Overrides keyed by upstream parameter name or dotted body path. */
  readonly overrides?: { readonly [upstreamName: string]: ParameterOverride };
  /** Dotted output paths to keep (`ratings[].ticker`), applied to the output schema. */
  readonly projection?: readonly string[];
  /** Input schema budget in bytes of `JSON.stringify(inputSchema)`; default 16384. */
  readonly maxInputSchemaBytes?: number;
  /** Depth at which recursive schemas are cut; default 3. */
  readonly maxRecursionDepth?: number;
  /** Default `types`. */
  readonly outputSchemaDetail?: OutputSchemaDetail;
  /** Default `all`. */
  readonly inputExamples?: InputExamples;
}

export interface PinnedValue {
  readonly in: ArgumentRoute['in'];
  readonly name: string;
  readonly bodyPath?: readonly string[];
  readonly value: unknown;
}

export interface LoweredOperation {
  /** `{ type: 'object', properties, required?, additionalProperties: false }`, draft 2020-12, no root combinators. */
  readonly inputSchema: JsonSchema;
  /** One route per property of `inputSchema.properties`, same order. */
  readonly routes: readonly ArgumentRoute[];
  readonly pinned: readonly PinnedValue[];
  /** Object-rooted, no oneOf/anyOf at any level (unions merged into a permissive object/any). */
  readonly outputSchema: JsonSchema;
  /** The output schema with every type, when `outputSchema` leaves types out (`outputSchemaDetail: fields`). */
  readonly outputValidationSchema?: JsonSchema;
  /** Set when the upstream 2xx body is not an object and was wrapped. */
  readonly wrap?: 'items' | 'value';
  /** Human-readable list of what lowering changed, for the report (`renamed query "id" to "id_query"`). */
  readonly notes: readonly string[];
}
