/**
 * The typed contract between `generated/` and `runtime/`.
 *
 * Every generated tool module exports `definition: ToolDefinition` and
 * `invoke: ToolInvoke`. The generator writes these values; the runtime reads
 * them. Nothing in here knows about Aries, Express or the MCP SDK, so the
 * generated code depends only on this file, openapi-fetch's types and its own
 * `aries-api.d.ts`.
 */

/** A JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options' | 'trace';

/** MCP tool annotations: all four hints are always explicit; `title` repeats the tool's title unless the config leaves it out. */
export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/**
 * Where one tool argument goes in the upstream request.
 * `bodyPath` is the property path inside the JSON body (`["order", "price"]`
 * for a flattened `order_price` argument); empty means the whole body.
 */
export interface ArgumentRoute {
  readonly argument: string;
  readonly in: 'path' | 'query' | 'header' | 'body';
  readonly name: string;
  readonly bodyPath?: readonly string[];
  /** The argument arrives as a JSON string and is parsed before the call. */
  readonly jsonString?: boolean;
}

/** How the runtime shapes a successful upstream response. */
export interface ResponseShaping {
  /** The upstream body is an array (or scalar) and is returned as `{ items: ... }` / `{ value: ... }`. */
  readonly wrap?: 'items' | 'value';
  /** Keep only these dotted paths (`ratings[].ticker`); absent means keep everything. */
  readonly projection?: readonly string[];
  /** Cap on the number of items kept in each array found at the listed paths. */
  readonly itemCaps?: { readonly [path: string]: number };
  /** Character budget for the tool result; the runtime default applies when absent. */
  readonly budgetChars?: number;
}

/**
 * How the trading guardrails (`runtime/guardrails/`) read an order from this
 * tool's arguments. Declared in `spec/tools.yaml`; every name is a tool
 * argument (after renames) or a value of one, so the runtime names no tool.
 */
export interface OrderGuardrails {
  /** `enforce`: refused before Aries when a guardrail says no, and counted in the daily total. `preview`: the verdict is only shown. */
  readonly mode: 'enforce' | 'preview';
  readonly arguments: {
    readonly quantity: string;
    readonly orderType: string;
    readonly side: string;
    readonly symbol: string;
    /** An array argument whose presence (non-empty) makes the order an option order. */
    readonly optionLegs?: string;
  };
  /** Per order type, the argument holding the price the order is valued at, or `quote` for the current ask (buy) or bid (sell). */
  readonly priceBy: { readonly [orderType: string]: string };
  /** Side values that buy (valued at the ask); every other side sells (valued at the bid). */
  readonly buySides: readonly string[];
  /** What the connection page offers ticked by default. */
  readonly defaultOrderTypes: readonly string[];
  readonly defaultSides: readonly string[];
  /** A symbol matching this is an option (OSI symbol); its value is quantity x multiplier x premium. */
  readonly optionSymbolPattern?: string;
  readonly optionMultiplier: number;
  /** The tool that gives the market price, called with the grant's token: its symbol argument and where ask and bid are in its answer (dotted paths). */
  readonly quote: { readonly tool: string; readonly symbolArgument: string; readonly ask: string; readonly bid: string };
}

/**
 * Tools an error message names so the model can recover, declared in
 * `spec/tools.yaml` (each name is a tool of the same registry), so that
 * renaming a tool there renames it in every message.
 */
export interface RecoveryHints {
  /** Look identifiers up after Aries found nothing (HTTP 404). */
  readonly lookUpWith?: readonly string[];
  /** Check whether an order went through (unknown outcome, refused duplicate); the first is named in the duplicate refusal. */
  readonly checkOrdersWith?: readonly string[];
}

export interface ToolDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  /**
   * What results are checked against when it differs from the published `outputSchema` (which may leave scalar
   * types out to save tokens): the same shape with every type. Absent means `outputSchema` is checked.
   */
  readonly outputValidationSchema?: JsonSchema;
  readonly annotations: ToolAnnotations;
  /** OAuth scopes the caller's grant must include for the tool to be listed and called. */
  readonly scopes: readonly string[];
  readonly operation: {
    readonly operationId: string;
    readonly method: HttpMethod;
    readonly path: string;
  };
  readonly routes: readonly ArgumentRoute[];
  /** Server-side constants sent on every call, not visible to the model. */
  readonly pinned: readonly { readonly in: ArgumentRoute['in']; readonly name: string; readonly bodyPath?: readonly string[]; readonly value: unknown }[];
  readonly response: ResponseShaping;
  /** Trading guardrails apply to this tool (order placement); absent for every other tool. */
  readonly guardrails?: OrderGuardrails;
  /** Tools this tool's error messages name; absent: the messages name none. */
  readonly recovery?: RecoveryHints;
  /**
   * The optional boolean input argument (already in `inputSchema`) that
   * deliberately repeats a call the gateway refused as a probable duplicate.
   * Only on a destructive, non-idempotent tool; absent: a refused repeat
   * can only wait for the duplicate window to pass.
   */
  readonly confirmDuplicate?: { readonly argument: string };
}

/** Arguments after validation: plain JSON values keyed by argument name. */
export type ToolArguments = { readonly [argument: string]: unknown };

/** What openapi-fetch resolves to; the runtime only needs these three fields. */
export interface UpstreamResult {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

/** Per-call request options the runtime supplies: the caller's auth headers and the timeout/cancel signal. */
export interface CallOptions {
  readonly signal: AbortSignal;
  readonly headers: { readonly [name: string]: string };
}

/**
 * Calls the upstream operation. `client` is the one shared openapi-fetch client
 * typed with the generated `paths`; the base URL is the client's, while auth
 * headers and the signal come per call in `call`.
 */
export type ToolInvoke<Client> = (client: Client, args: ToolArguments, call: CallOptions) => Promise<UpstreamResult>;

export interface ToolModule<Client> {
  readonly definition: ToolDefinition;
  readonly invoke: ToolInvoke<Client>;
}
