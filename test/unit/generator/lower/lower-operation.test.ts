import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaMap } from '../../../../testkit/json-body.js';
import { parse } from 'yaml';
import { lowerOperation } from '../../../../generator/lower/lower-operation.js';
import type { LoweredOperation, LowerInput } from '../../../../generator/lower/lower-types.js';
import { expectStrictSchema } from './strict-ajv.js';

const fixtures = new URL('../../../fixtures/specs/lower/', import.meta.url);
const load = (name: string): Record<string, unknown> => parse(readFileSync(new URL(name, fixtures), 'utf8'));

const ORDERS = '/v1/accounts/{tradingAccountId}/orders';
const str = { type: 'string' };
const body = (argument: string, ...bodyPath: string[]) => ({ argument, in: 'body', name: bodyPath.join('.'), bodyPath });

interface Want {
  readonly inputSchema?: unknown;
  readonly routes?: unknown;
  readonly pinned?: unknown;
  readonly outputSchema?: unknown;
  readonly wrap?: LoweredOperation['wrap'];
  readonly notes?: readonly string[];
  readonly issues: readonly string[];
}
type Case = [string, { fixture: string; path: string; method: LowerInput['method']; extra?: Partial<LowerInput>; want: Want }];

const legs = {
  type: 'array',
  items: { type: 'object', required: ['symbol'], properties: { symbol: { type: 'string', maxLength: 4096 }, ratio: { type: 'integer', minimum: 1 } } },
};

const cases: Case[] = [
  [
    'orders: parameters, body, flattening, collisions, patterns (3.1)',
    {
      fixture: 'orders.yaml',
      path: ORDERS,
      method: 'post',
      want: {
        inputSchema: {
          type: 'object',
          properties: {
            tradingAccountId: { type: 'string', description: 'Trading account id.', maxLength: 256 },
            dryRun: { type: 'boolean', default: false, description: 'Validate only.' },
            'Idempotency-Key': { type: 'string', description: 'Retry key. (in: header)', maxLength: 256 },
            symbol: { type: 'string', description: 'Ticker symbol.', examples: ['AAPL'], maxLength: 4096 },
            clientOrderId: { type: 'string', maxLength: 4096 },
            side: { type: 'string', enum: ['buy', 'sell'] },
            quantity: { type: ['string', 'null'], description: 'Decimal quantity.', maxLength: 4096 },
            tradingAccountId_body: { type: 'string', pattern: '^\\d+$', description: 'Account to book the order in, if not the path one.', maxLength: 4096 },
            limit_price: { type: 'string', description: 'Limit price.', maxLength: 4096 },
            limit_stopPrice: { type: 'string', maxLength: 4096 },
            legs,
            metadata: { type: 'string', description: 'Free-form tags. JSON-encoded object: {[key: string]: string}', maxLength: 65536 },
          },
          required: ['tradingAccountId', 'symbol', 'limit_price'],
          additionalProperties: false,
        },
        routes: [
          { argument: 'tradingAccountId', in: 'path', name: 'tradingAccountId' },
          { argument: 'dryRun', in: 'query', name: 'dryRun' },
          { argument: 'Idempotency-Key', in: 'header', name: 'Idempotency-Key' },
          body('symbol', 'symbol'),
          body('clientOrderId', 'clientOrderId'),
          body('side', 'side'),
          body('quantity', 'quantity'),
          body('tradingAccountId_body', 'tradingAccountId'),
          body('limit_price', 'limit', 'price'),
          body('limit_stopPrice', 'limit', 'stopPrice'),
          body('legs', 'legs'),
          { ...body('metadata', 'metadata'), jsonString: true },
        ],
        pinned: [],
        outputSchema: {
          type: 'object',
          properties: { orderId: str, symbol: str, clientOrderId: str, side: str, quantity: str, status: str },
        },
        notes: [
          'skipped headers the gateway sets: Authorization',
          'dropped schema keywords: x-*',
          'dropped read-only properties from the input: orderId',
          'flattened object "limit" into limit_price, limit_stopPrice',
          'took as JSON strings: metadata (free-form object)',
          'added a default maxLength to strings the spec leaves unbounded: tradingAccountId, Idempotency-Key, symbol, clientOrderId, quantity, limit_price, limit_stopPrice, legs, metadata',
          'renamed body "tradingAccountId" to "tradingAccountId_body" (the name is taken by an earlier argument)',
        ],
        issues: [
          'warning lower.cookie-skipped #/paths/~1v1~1accounts~1{tradingAccountId}~1orders/post/parameters/3',
          'warning lower.pattern-dropped #/components/schemas/OrderBase/properties/clientOrderId/pattern',
        ],
      },
    },
  ],
  [
    'orders with overrides and a projection',
    {
      fixture: 'orders.yaml',
      path: ORDERS,
      method: 'post',
      extra: {
        overrides: {
          dryRun: { pin: true },
          metadata: { hidden: true },
          'limit.stopPrice': { hidden: true },
          'limit.price': { rename: 'price', description: 'Price per share.' },
          legs: { rename: 'orderLegs' },
          side: { default: 'buy' },
          qty: { default: 1 },
        },
        projection: ['status', 'symbol'],
      },
      want: {
        routes: [
          { argument: 'tradingAccountId', in: 'path', name: 'tradingAccountId' },
          { argument: 'Idempotency-Key', in: 'header', name: 'Idempotency-Key' },
          body('symbol', 'symbol'),
          body('clientOrderId', 'clientOrderId'),
          body('side', 'side'),
          body('quantity', 'quantity'),
          body('tradingAccountId_body', 'tradingAccountId'),
          body('price', 'limit', 'price'),
          body('orderLegs', 'legs'),
        ],
        pinned: [{ in: 'query', name: 'dryRun', value: true }],
        outputSchema: { type: 'object', properties: { status: str, symbol: str } },
        issues: [
          'warning lower.cookie-skipped #/paths/~1v1~1accounts~1{tradingAccountId}~1orders/post/parameters/3',
          'warning lower.pattern-dropped #/components/schemas/OrderBase/properties/clientOrderId/pattern',
          'error lower.unknown-override #/paths/~1v1~1accounts~1{tradingAccountId}~1orders/post',
        ],
      },
    },
  ],
  [
    'orders with the compact surface options (inputExamples: none, outputSchemaDetail: fields)',
    {
      fixture: 'orders.yaml',
      path: ORDERS,
      method: 'post',
      extra: { inputExamples: 'none', outputSchemaDetail: 'fields', overrides: { metadata: { hidden: true }, legs: { hidden: true } } },
      want: {
        inputSchema: {
          type: 'object',
          properties: {
            tradingAccountId: { type: 'string', description: 'Trading account id.', maxLength: 256 },
            dryRun: { type: 'boolean', default: false, description: 'Validate only.' },
            'Idempotency-Key': { type: 'string', description: 'Retry key. (in: header)', maxLength: 256 },
            symbol: { type: 'string', description: 'Ticker symbol.', maxLength: 4096 },
            clientOrderId: { type: 'string', maxLength: 4096 },
            side: { type: 'string', enum: ['buy', 'sell'] },
            quantity: { type: ['string', 'null'], description: 'Decimal quantity.', maxLength: 4096 },
            tradingAccountId_body: { type: 'string', pattern: '^\\d+$', description: 'Account to book the order in, if not the path one.', maxLength: 4096 },
            limit_price: { type: 'string', description: 'Limit price.', maxLength: 4096 },
            limit_stopPrice: { type: 'string', maxLength: 4096 },
          },
          required: ['tradingAccountId', 'symbol', 'limit_price'],
          additionalProperties: false,
        },
        outputSchema: { type: 'object', properties: { orderId: {}, symbol: {}, clientOrderId: {}, side: {}, quantity: {}, status: {} } },
        notes: [
          'skipped headers the gateway sets: Authorization',
          'dropped schema keywords: x-*',
          'dropped read-only properties from the input: orderId',
          'hid body "legs"',
          'hid body "metadata"',
          'flattened object "limit" into limit_price, limit_stopPrice',
          'added a default maxLength to strings the spec leaves unbounded: tradingAccountId, Idempotency-Key, symbol, clientOrderId, quantity, limit_price, limit_stopPrice',
          'dropped examples (inputExamples: none): symbol',
          'renamed body "tradingAccountId" to "tradingAccountId_body" (the name is taken by an earlier argument)',
          'left scalar types out of the output schema (outputSchemaDetail: fields)',
        ],
        issues: [
          'warning lower.cookie-skipped #/paths/~1v1~1accounts~1{tradingAccountId}~1orders/post/parameters/3',
          'warning lower.pattern-dropped #/components/schemas/OrderBase/properties/clientOrderId/pattern',
        ],
      },
    },
  ],
  [
    'OpenAPI 3.0 spellings, query objects and array responses',
    {
      fixture: 'nullable-3-0.yaml',
      path: '/quotes',
      method: 'get',
      want: {
        inputSchema: {
          type: 'object',
          properties: {
            symbols: { type: 'array', items: { type: 'string', maxLength: 256 } },
            minPrice: { type: 'number', exclusiveMinimum: 0 },
            filter: { type: 'string', description: 'JSON-encoded object: {venue?: string | null}', maxLength: 65536 },
            page_size_: { type: 'integer', format: 'int32' },
          },
          required: ['symbols'],
          additionalProperties: false,
        },
        routes: [
          { argument: 'symbols', in: 'query', name: 'symbols' },
          { argument: 'minPrice', in: 'query', name: 'minPrice' },
          { argument: 'filter', in: 'query', name: 'filter', jsonString: true },
          { argument: 'page_size_', in: 'query', name: 'page[size]' },
        ],
        outputSchema: {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: { type: ['object', 'null'], properties: { symbol: str, bid: str, venue: { type: 'object', properties: { mic: str } } } },
            },
          },
          required: ['items'],
        },
        wrap: 'items',
        notes: [
          'converted to JSON Schema 2020-12: boolean exclusive bounds, nullable',
          'dropped schema keywords: x-*',
          'took as JSON strings: filter (object in a query parameter)',
          'added a default maxLength to strings the spec leaves unbounded: symbols, filter',
          'renamed query "page[size]" to "page_size_" (allowed characters: a-z A-Z 0-9 _ -, at most 64)',
          'the response is an array: returned as { items: [...] }',
        ],
        issues: [],
      },
    },
  ],
  [
    'recursive body and response are cut at the depth',
    {
      fixture: 'recursion.yaml',
      path: '/categories',
      method: 'post',
      extra: { maxRecursionDepth: 2 },
      want: {
        inputSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 4096 },
            parent_name: { type: 'string', maxLength: 4096 },
            parent_parent: {
              type: 'string',
              description: 'Category nested deeper than 2 levels is not described. JSON-encoded object: object',
              maxLength: 65536,
            },
          },
          required: ['name'],
          additionalProperties: false,
        },
        outputSchema: { type: 'object', properties: { name: str, parent: { type: 'object', properties: { name: str, parent: { type: 'object' } } } } },
        notes: [
          'cut recursive schemas after 2 levels: Category',
          'took as JSON strings: parent_parent (nested value that cannot be flattened)',
          'flattened object "parent" into parent_name, parent_parent',
          'added a default maxLength to strings the spec leaves unbounded: name, parent_name, parent_parent',
        ],
        issues: [],
      },
    },
  ],
  [
    'a oneOf body becomes one object; a nullable anyOf response is merged',
    {
      fixture: 'unions.yaml',
      path: '/v1/orders/preview',
      method: 'post',
      want: {
        inputSchema: {
          type: 'object',
          properties: { symbol: { type: 'string', maxLength: 4096 }, type: { enum: ['market', 'limit'] }, price: { type: 'string', maxLength: 4096 } },
          required: ['symbol', 'type'],
          additionalProperties: false,
        },
        outputSchema: { type: 'object', properties: { symbol: str, type: {}, price: str } },
        notes: [
          'merged oneOf request body into one object; one of: MarketOrder (fields symbol, type) | LimitOrder (fields symbol, type, price)',
          'added a default maxLength to strings the spec leaves unbounded: symbol, price',
        ],
        issues: [],
      },
    },
  ],
  [
    'a scalar response is wrapped in value',
    {
      fixture: 'unions.yaml',
      path: '/v1/clock',
      method: 'get',
      want: {
        inputSchema: { type: 'object', properties: {}, additionalProperties: false },
        outputSchema: { type: 'object', properties: { value: str } },
        wrap: 'value',
        issues: [],
      },
    },
  ],
  [
    'no response body: an open output object',
    {
      fixture: 'unions.yaml',
      path: '/v1/orders/{id}',
      method: 'delete',
      want: { outputSchema: { type: 'object', properties: {}, additionalProperties: true }, wrap: undefined, issues: [] },
    },
  ],
  [
    'over the input budget is an error',
    {
      fixture: 'orders.yaml',
      path: ORDERS,
      method: 'post',
      extra: { maxInputSchemaBytes: 200 },
      want: {
        issues: [
          'warning lower.cookie-skipped #/paths/~1v1~1accounts~1{tradingAccountId}~1orders/post/parameters/3',
          'warning lower.pattern-dropped #/components/schemas/OrderBase/properties/clientOrderId/pattern',
          'error lower.input-too-large #/paths/~1v1~1accounts~1{tradingAccountId}~1orders/post',
        ],
      },
    },
  ],
  [
    'a missing operation is an error',
    {
      fixture: 'unions.yaml',
      path: '/v1/nope',
      method: 'get',
      want: {
        inputSchema: { type: 'object', properties: {}, additionalProperties: false },
        outputSchema: { type: 'object', properties: {}, additionalProperties: true },
        issues: ['error lower.operation-missing #/paths/~1v1~1nope/get'],
      },
    },
  ],
];

describe('lowerOperation', () => {
  it.each(cases)('%s', (_name, { fixture, path, method, extra, want }) => {
    const input: LowerInput = { doc: load(fixture), file: 'spec.yaml', path, method, operationId: 'op', ...extra };
    const { value, issues } = lowerOperation(input);
    const { issues: wantIssues, ...wantValue } = want;
    const actual: Record<string, unknown> = Object.fromEntries(Object.entries(value));
    for (const [key, expected] of Object.entries(wantValue)) expect({ [key]: actual[key] }).toEqual({ [key]: expected });
    expect(issues.map((issue) => `${issue.severity} ${issue.code} ${issue.pointer}`)).toEqual(wantIssues);
    expect(issues.every((issue) => issue.file === 'spec.yaml' && issue.message !== '')).toBe(true);
    expect(value.routes.map((route) => route.argument)).toEqual(Object.keys(schemaMap.parse(value.inputSchema.properties)));
    expectStrictSchema(value.inputSchema);
    expectStrictSchema(value.outputSchema);
  });

  it('is deterministic and does not touch the document', () => {
    const doc = load('orders.yaml');
    const before = JSON.stringify(doc);
    const input: LowerInput = { doc, file: 'spec.yaml', path: ORDERS, method: 'post', operationId: 'op' };
    expect(JSON.stringify(lowerOperation(input))).toBe(JSON.stringify(lowerOperation(input)));
    expect(JSON.stringify(doc)).toBe(before);
  });
});
