import { describe, expect, it } from 'vitest';
import type { OrderGuardrails, ToolDefinition } from '../../../../runtime/contract/tool-definition.js';
import { CHANGE_KINDS } from '../../../../generator/diff/change.js';
import { compareSurfaces } from '../../../../generator/diff/compare-surfaces.js';
import { orderTool, searchArgument, searchArguments, searchTool, surfaceOf } from './surface-kit.js';
import { schemaMap } from '../../../../testkit/json-body.js';

const search = searchTool();
const order = orderTool();
const guards: OrderGuardrails = {
  mode: 'enforce',
  arguments: { quantity: 'qty', orderType: 'type', side: 'side', symbol: 'symbol' },
  priceBy: { LIMIT: 'price', MARKET: 'quote' },
  buySides: ['BUY'],
  defaultOrderTypes: ['LIMIT'],
  defaultSides: ['BUY', 'SELL'],
  optionMultiplier: 100,
  quote: { tool: 'get_quote', symbolArgument: 'symbol', ask: 'results.askPrice', bid: 'results.bidPrice' },
};
const guarded = (patch: Partial<OrderGuardrails> = {}): ToolDefinition => orderTool({ guardrails: { ...guards, ...patch } });
const hints = (patch: Partial<ToolDefinition['annotations']>, base: ToolDefinition = search): Partial<ToolDefinition> => ({
  annotations: { ...base.annotations, ...patch },
});

/** [name, { given: old and new tools, want: `<tool> <change id> <class>` per change }] */
const CASES: [string, { given: { before: ToolDefinition[]; after: ToolDefinition[] }; want: string[] }][] = [
  // Tools
  ['a read-only tool added', { given: { before: [], after: [search] }, want: ['search_symbols tool.added compatible'] }],
  ['a write-capable tool added', { given: { before: [], after: [order] }, want: ['place_order tool.added risky'] }],
  ['a tool removed', { given: { before: [search], after: [] }, want: ['search_symbols tool.removed breaking'] }],
  ['a tool renamed', { given: { before: [search], after: [searchTool({ name: 'find_symbols' })] }, want: ['find_symbols tool.renamed breaking'] }],
  ['title changed', { given: { before: [search], after: [searchTool({ title: 'Find symbols' })] }, want: ['search_symbols tool.title-changed compatible'] }],
  [
    'description of a read-only tool changed',
    { given: { before: [search], after: [searchTool({ description: 'Finds tickers.' })] }, want: ['search_symbols tool.description-changed compatible'] },
  ],
  [
    'description of a destructive tool changed',
    { given: { before: [order], after: [orderTool({ description: 'Places an order.' })] }, want: ['place_order tool.description-changed risky'] },
  ],
  // Upstream operation and pinned values
  [
    'upstream method changed',
    {
      given: { before: [search], after: [searchTool({ operation: { ...search.operation, method: 'post' } })] },
      want: ['search_symbols upstream.method-changed breaking'],
    },
  ],
  [
    'upstream path changed',
    {
      given: { before: [search], after: [searchTool({ operation: { ...search.operation, path: '/v2/symbols/search' } })] },
      want: ['search_symbols upstream.path-changed breaking'],
    },
  ],
  [
    'upstream operationId changed',
    {
      given: { before: [search], after: [searchTool({ operation: { ...search.operation, operationId: 'findSymbols' } })] },
      want: ['search_symbols upstream.operation-id-changed breaking'],
    },
  ],
  [
    'pinned value added',
    {
      given: { before: [search], after: [searchTool({ pinned: [{ in: 'query', name: 'market', value: 'US' }] })] },
      want: ['search_symbols pinned.added:query market breaking'],
    },
  ],
  ['pinned value removed', { given: { before: [order], after: [orderTool({ pinned: [] })] }, want: ['place_order pinned.removed:body currency breaking'] }],
  [
    'pinned value changed',
    {
      given: { before: [order], after: [orderTool({ pinned: [{ ...order.pinned[0]!, value: 'EUR' }] })] },
      want: ['place_order pinned.value-changed:body currency breaking'],
    },
  ],
  // Annotations and scopes
  [
    'became write-capable',
    { given: { before: [search], after: [searchTool(hints({ readOnlyHint: false }))] }, want: ['search_symbols annotation.read-only-lost risky'] },
  ],
  [
    'became read-only',
    { given: { before: [searchTool(hints({ readOnlyHint: false }))], after: [search] }, want: ['search_symbols annotation.read-only-gained compatible'] },
  ],
  [
    'became destructive',
    {
      given: { before: [searchTool(hints({ readOnlyHint: false }))], after: [searchTool(hints({ readOnlyHint: false, destructiveHint: true }))] },
      want: ['search_symbols annotation.destructive-gained risky'],
    },
  ],
  [
    'no longer destructive, now read-only',
    {
      given: { before: [order], after: [orderTool(hints({ readOnlyHint: true, destructiveHint: false }, order))] },
      want: ['place_order annotation.read-only-gained compatible', 'place_order annotation.destructive-lost compatible'],
    },
  ],
  [
    'idempotentHint changed',
    { given: { before: [search], after: [searchTool(hints({ idempotentHint: false }))] }, want: ['search_symbols annotation.idempotent-changed compatible'] },
  ],
  [
    'openWorldHint changed',
    { given: { before: [search], after: [searchTool(hints({ openWorldHint: false }))] }, want: ['search_symbols annotation.open-world-changed compatible'] },
  ],
  [
    'annotations.title changed',
    { given: { before: [search], after: [searchTool(hints({ title: 'Find' }))] }, want: ['search_symbols annotation.title-changed compatible'] },
  ],
  [
    'scope added',
    {
      given: { before: [search], after: [searchTool({ scopes: ['market:information', 'account:information'] })] },
      want: ['search_symbols scope.added:account:information risky'],
    },
  ],
  ['scope removed', { given: { before: [order], after: [orderTool({ scopes: [] })] }, want: ['place_order scope.removed:order:execution compatible'] }],
  // Arguments
  [
    'argument removed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArguments({ venue: undefined }) })] },
      want: ['search_symbols argument.removed:venue breaking'],
    },
  ],
  [
    'optional argument added',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArguments({ cursor: { type: 'string' } }) })] },
      want: ['search_symbols argument.added:cursor compatible'],
    },
  ],
  [
    'required argument added',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArguments({ cursor: { type: 'string' } }, ['query', 'cursor']) })] },
      want: ['search_symbols argument.added-required:cursor breaking'],
    },
  ],
  [
    'argument newly required',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArguments({}, ['query', 'limit']) })] },
      want: ['search_symbols argument.now-required:limit breaking'],
    },
  ],
  [
    'argument no longer required',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArguments({}, []) })] },
      want: ['search_symbols argument.now-optional:query compatible'],
    },
  ],
  [
    'nested argument newly required',
    {
      given: {
        before: [search],
        after: [
          searchTool({
            inputSchema: searchArgument('legs', {
              items: {
                type: 'object',
                properties: { side: { type: 'string', enum: ['BUY', 'SELL'] }, ratio: { type: 'integer' } },
                required: ['side', 'ratio'],
              },
            }),
          }),
        ],
      },
      want: ['search_symbols argument.now-required:legs[].ratio breaking'],
    },
  ],
  [
    'argument type changed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('limit', { type: 'string' }) })] },
      want: ['search_symbols argument.type-changed:limit breaking'],
    },
  ],
  [
    'argument type widened to nullable',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('limit', { type: ['integer', 'null'] }) })] },
      want: ['search_symbols argument.type-widened:limit compatible'],
    },
  ],
  [
    'integer widened to number',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('limit', { type: 'number' }) })] },
      want: ['search_symbols argument.type-widened:limit compatible'],
    },
  ],
  [
    'enum narrowed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('venue', { enum: ['NYSE'] }) })] },
      want: ['search_symbols argument.enum-narrowed:venue breaking'],
    },
  ],
  [
    'enum value swapped',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('venue', { enum: ['NYSE', 'ARCA'] }) })] },
      want: ['search_symbols argument.enum-narrowed:venue breaking'],
    },
  ],
  [
    'enum added to a free argument',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('query', { enum: ['AAPL'] }) })] },
      want: ['search_symbols argument.enum-narrowed:query breaking'],
    },
  ],
  [
    'nested enum narrowed',
    {
      given: {
        before: [search],
        after: [
          searchTool({
            inputSchema: searchArgument('legs', {
              items: { type: 'object', properties: { side: { type: 'string', enum: ['BUY'] }, ratio: { type: 'integer' } }, required: ['side'] },
            }),
          }),
        ],
      },
      want: ['search_symbols argument.enum-narrowed:legs[].side breaking'],
    },
  ],
  [
    'enum widened',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('venue', { enum: ['NYSE', 'NASDAQ', 'ARCA'] }) })] },
      want: ['search_symbols argument.enum-widened:venue compatible'],
    },
  ],
  ['enum reordered', { given: { before: [search], after: [searchTool({ inputSchema: searchArgument('venue', { enum: ['NASDAQ', 'NYSE'] }) })] }, want: [] }],
  [
    'maximum lowered',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('limit', { maximum: 50 }) })] },
      want: ['search_symbols argument.constraint-tightened:limit breaking'],
    },
  ],
  [
    'pattern added',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('query', { pattern: '^[A-Z]+$' }) })] },
      want: ['search_symbols argument.constraint-tightened:query breaking'],
    },
  ],
  [
    'maxItems raised',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('legs', { maxItems: 8 }) })] },
      want: ['search_symbols argument.constraint-loosened:legs compatible'],
    },
  ],
  [
    'minimum removed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('limit', { minimum: undefined }) })] },
      want: ['search_symbols argument.constraint-loosened:limit compatible'],
    },
  ],
  [
    'other schema keyword changed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('query', { anyOf: [{ minLength: 2 }] }) })] },
      want: ['search_symbols argument.schema-changed:query breaking'],
    },
  ],
  [
    'argument sent elsewhere upstream',
    {
      given: {
        before: [search],
        after: [searchTool({ routes: search.routes.map((route) => (route.argument === 'limit' ? { ...route, name: 'max' } : route)) })],
      },
      want: ['search_symbols argument.route-changed:limit breaking'],
    },
  ],
  [
    'default changed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('limit', { default: 20 }) })] },
      want: ['search_symbols argument.default-changed:limit compatible'],
    },
  ],
  [
    'argument description changed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('query', { description: 'Ticker or name.' }) })] },
      want: ['search_symbols argument.description-changed:query compatible'],
    },
  ],
  [
    'argument description of a destructive tool changed',
    {
      given: {
        before: [order],
        after: [
          orderTool({
            inputSchema: {
              ...order.inputSchema,
              properties: { ...schemaMap.parse(order.inputSchema.properties), symbol: { type: 'string', description: 'Ticker or CUSIP.' } },
            },
          }),
        ],
      },
      want: ['place_order argument.description-changed:symbol risky'],
    },
  ],
  [
    'examples changed',
    {
      given: { before: [search], after: [searchTool({ inputSchema: searchArgument('query', { examples: ['MSFT'] }) })] },
      want: ['search_symbols argument.metadata-changed:query compatible'],
    },
  ],
  // Output schema
  [
    'output property added',
    {
      given: {
        before: [order],
        after: [orderTool({ outputSchema: { type: 'object', properties: { clOrdId: { type: 'string' }, status: { type: 'string' } } } })],
      },
      want: ['place_order output.property-added:status compatible'],
    },
  ],
  [
    'nested output property removed',
    {
      given: {
        before: [search],
        after: [
          searchTool({
            outputSchema: {
              ...search.outputSchema,
              properties: { items: { type: 'array', items: { type: 'object', properties: { symbol: { type: 'string' } } } } },
            },
          }),
        ],
      },
      want: ['search_symbols output.property-removed:items[].venue compatible'],
    },
  ],
  [
    'output type changed',
    {
      given: { before: [order], after: [orderTool({ outputSchema: { type: 'object', properties: { clOrdId: { type: 'integer' } } } })] },
      want: ['place_order output.type-changed:clOrdId compatible'],
    },
  ],
  [
    'output required changed',
    {
      given: { before: [order], after: [orderTool({ outputSchema: { ...order.outputSchema, required: ['clOrdId'] } })] },
      want: ['place_order output.schema-changed compatible'],
    },
  ],
  // Response shaping
  [
    'projection removed',
    {
      given: { before: [search], after: [searchTool({ response: { wrap: 'items', itemCaps: { items: 50 } } })] },
      want: ['search_symbols response.projection-removed risky'],
    },
  ],
  [
    'projection widened',
    {
      given: { before: [search], after: [searchTool({ response: { ...search.response, projection: ['items[].symbol', 'items[].venue', 'items[].owner'] } })] },
      want: ['search_symbols response.projection-widened risky'],
    },
  ],
  [
    'projection added',
    { given: { before: [order], after: [orderTool({ response: { projection: ['clOrdId'] } })] }, want: ['place_order response.projection-added compatible'] },
  ],
  [
    'projection narrowed',
    {
      given: { before: [search], after: [searchTool({ response: { ...search.response, projection: ['items[].symbol'] } })] },
      want: ['search_symbols response.projection-narrowed compatible'],
    },
  ],
  [
    'item cap raised',
    {
      given: { before: [search], after: [searchTool({ response: { ...search.response, itemCaps: { items: 500 } } })] },
      want: ['search_symbols response.item-cap-changed:items compatible'],
    },
  ],
  [
    'result budget set',
    {
      given: { before: [search], after: [searchTool({ response: { ...search.response, budgetChars: 4000 } })] },
      want: ['search_symbols response.budget-changed compatible'],
    },
  ],
  [
    'wrapping dropped',
    {
      given: { before: [search], after: [searchTool({ response: { ...search.response, wrap: undefined } })] },
      want: ['search_symbols response.wrap-changed compatible'],
    },
  ],
  // Trading guardrails: every change is safety-relevant
  ['guardrails removed', { given: { before: [guarded()], after: [order] }, want: ['place_order guardrails.removed risky'] }],
  ['guardrails added', { given: { before: [order], after: [guarded()] }, want: ['place_order guardrails.added risky'] }],
  [
    'guardrails only previewed',
    { given: { before: [guarded()], after: [guarded({ mode: 'preview' })] }, want: ['place_order guardrails.mode-changed:mode risky'] },
  ],
  [
    'guardrails read another argument',
    {
      given: { before: [guarded()], after: [guarded({ arguments: { ...guards.arguments, quantity: 'amount' } })] },
      want: ['place_order guardrails.argument-changed:arguments.quantity risky'],
    },
  ],
  [
    'order value computed otherwise',
    {
      given: { before: [guarded()], after: [guarded({ priceBy: { LIMIT: 'price', MARKET: 'price' } })] },
      want: ['place_order guardrails.valuation-changed:priceBy.MARKET risky'],
    },
  ],
  [
    'page defaults changed',
    {
      given: { before: [guarded()], after: [guarded({ defaultOrderTypes: ['LIMIT', 'MARKET'] })] },
      want: ['place_order guardrails.defaults-changed:defaultOrderTypes risky'],
    },
  ],
  // No change
  ['identical tools', { given: { before: [search, order], after: [orderTool(), searchTool()] }, want: [] }],
];

function changesOf(before: ToolDefinition[], after: ToolDefinition[]): string[] {
  return compareSurfaces(surfaceOf(...before), surfaceOf(...after)).tools.flatMap((tool) =>
    tool.changes.map((change) => `${change.tool} ${change.id} ${change.class}`),
  );
}

describe('classifyChange', () => {
  it.each(CASES)('%s', (_name, { given, want }) => {
    expect(changesOf(given.before, given.after)).toEqual(want);
  });

  it('has a case for every change kind', () => {
    const seen = new Set(CASES.flatMap(([, { want }]) => want.map((line) => line.split(' ')[1]!.split(':')[0])));
    expect(CHANGE_KINDS.filter((kind) => !seen.has(kind))).toEqual([]);
  });
});
