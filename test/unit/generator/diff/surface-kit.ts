/** Small hand-made tools and surfaces for the surface-diff tests. */
import type { JsonSchema, ToolDefinition } from '../../../../runtime/contract/tool-definition.js';
import { canonicalJson } from '../../../../generator/report/canonical-json.js';
import type { ToolSurface } from '../../../../generator/diff/load-surface.js';

const SEARCH_ARGUMENTS: Record<string, JsonSchema> = {
  query: { type: 'string', minLength: 1, maxLength: 100, description: 'Search text.', examples: ['AAPL'] },
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
  venue: { type: 'string', enum: ['NYSE', 'NASDAQ'] },
  legs: {
    type: 'array',
    maxItems: 4,
    items: { type: 'object', properties: { side: { type: 'string', enum: ['BUY', 'SELL'] }, ratio: { type: 'integer' } }, required: ['side'] },
  },
};

/** The search tool's input schema with some arguments replaced (a value) or removed (undefined). */
export function searchArguments(patch: Record<string, JsonSchema | undefined> = {}, required: readonly string[] = ['query']): JsonSchema {
  const merged = { ...SEARCH_ARGUMENTS, ...patch };
  const properties = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, JsonSchema] => entry[1] !== undefined));
  return { type: 'object', additionalProperties: false, properties, required: [...required] };
}

export function searchArgument(name: string, patch: JsonSchema): JsonSchema {
  return searchArguments({ [name]: { ...SEARCH_ARGUMENTS[name], ...patch } });
}

/** A read-only GET tool. */
export function searchTool(patch: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name: 'search_symbols',
    title: 'Search symbols',
    description: 'Finds tickers by symbol or company name and returns symbol, venue and type.',
    inputSchema: searchArguments(),
    outputSchema: {
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'object', properties: { symbol: { type: 'string' }, venue: { type: ['string', 'null'] } } } } },
      required: ['items'],
    },
    annotations: { title: 'Search symbols', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    scopes: ['market:information'],
    operation: { operationId: 'searchSymbols', method: 'get', path: '/v1/symbols/search' },
    routes: ['query', 'limit', 'venue', 'legs'].map((name) => ({ argument: name, in: 'query' as const, name })),
    pinned: [],
    response: { wrap: 'items', projection: ['items[].symbol', 'items[].venue'], itemCaps: { items: 50 } },
    ...patch,
  };
}

/** A destructive POST tool with a pinned body field. */
export function orderTool(patch: Partial<ToolDefinition> = {}): ToolDefinition {
  return {
    name: 'place_order',
    title: 'Place an order',
    description: 'Places a buy or sell order. Real money: the order executes as sent.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: { symbol: { type: 'string', description: 'Ticker.' }, qty: { type: 'string', pattern: '^\\d+$' } },
      required: ['symbol', 'qty'],
    },
    outputSchema: { type: 'object', properties: { clOrdId: { type: 'string' } } },
    annotations: { title: 'Place an order', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    scopes: ['order:execution'],
    operation: { operationId: 'placeOrder', method: 'post', path: '/v1/orders' },
    routes: [
      { argument: 'symbol', in: 'body', name: 'symbol', bodyPath: ['symbol'] },
      { argument: 'qty', in: 'body', name: 'qty', bodyPath: ['qty'] },
    ],
    pinned: [{ in: 'body', name: 'currency', bodyPath: ['currency'], value: 'USD' }],
    response: {},
    ...patch,
  };
}

export function surfaceOf(...tools: ToolDefinition[]): ToolSurface {
  return { generatedFrom: 'spec/test.yaml', tools };
}

/** The JSON `npm run generate` would write for these tools (stats left out). */
export function surfaceJson(...tools: ToolDefinition[]): string {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return canonicalJson({ generatedFrom: 'spec/test.yaml', toolCount: sorted.length, tools: sorted });
}
