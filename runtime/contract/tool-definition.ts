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

export interface ToolDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
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
