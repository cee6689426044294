/**
 * Conformance with spec/aries.openapi.yaml:
 * - every operation in the spec is called with valid arguments and its response validates
 *   against the spec's response schema for the returned status (Ajv 2020-12 + formats);
 * - requests the spec (or Aries' order rules) reject are rejected with 400 and the Aries
 *   error shape naming the field;
 * - the sandbox's scope list is the spec's.
 */
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isJsonObject } from '../../runtime/json-object.js';
import { OPERATION_HANDLERS } from '../../sandbox/api/operation-handlers.js';
import { sampleSchema } from '../../sandbox/api/sample-response.js';
import { KNOWN_SCOPES } from '../../sandbox/oauth/scopes.js';
import { admin, callApi, createdClient, demoToken, errorCodes, postJson, postToken, startSandbox, type RunningSandbox } from './sandbox-client.js';

type Json = Record<string, unknown>;
const jsonObject = z.record(z.string(), z.unknown());

/** The value at `keys` inside nested JSON objects, or undefined when a step is missing or not an object. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isJsonObject(current) ? current[key] : undefined;
  return current;
}

/** A JSON object at `keys`, or undefined. */
function objectAt(value: unknown, ...keys: string[]): Json | undefined {
  const found = at(value, ...keys);
  return isJsonObject(found) ? found : undefined;
}

const parameterList = z.array(z.looseObject({ name: z.string(), in: z.string(), required: z.boolean().optional(), schema: z.unknown() }));

const specPath = fileURLToPath(new URL('../../spec/aries.openapi.yaml', import.meta.url));
const spec = jsonObject.parse(await SwaggerParser.dereference(specPath));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly op: Json;
}

const operations: Operation[] = Object.entries(jsonObject.parse(spec.paths)).flatMap(([path, item]) =>
  Object.entries(jsonObject.parse(item))
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, op]) => {
      const operation = jsonObject.parse(op);
      return { operationId: String(operation.operationId), method: method.toUpperCase(), path, op: operation };
    }),
);

function responseSchema(operation: Operation, status: number): Json | undefined {
  return objectAt(operation.op, 'responses', String(status), 'content', 'application/json', 'schema');
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The first Friday of the current month: payrolls day, so the economic calendar is not empty. */
function firstFriday(): string {
  const now = new Date();
  let t = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  while (new Date(t).getUTCDay() !== 5) t += DAY;
  return isoDate(t);
}

let running: RunningSandbox;
let token: string;
let accountId: string;
const results = new Map<string, { status: number; body: unknown }>();

/** Arguments for operations whose sampled arguments would not make sense (dates, live ids). */
function argumentsFor(operationId: string, orders: { replace: string; cancel: string }): { query?: Json; path?: Json; body?: unknown } {
  const now = Date.now();
  const order = { tradingAccountId: accountId, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '1', price: '400.00', timeInForce: 'DAY' };
  const table: Record<string, { query?: Json; path?: Json; body?: unknown }> = {
    listOrderHistory: { query: { from: new Date(now - DAY).toISOString() } },
    getChartHistory: { query: { symbol: 'AAPL', resolution: 'D', from: Math.floor((now - 30 * DAY) / 1000), to: Math.floor(now / 1000) } },
    getStockAggregates: { query: { ticker: 'AAPL', multiplier: 1, timespan: 'day', from: isoDate(now - 30 * DAY), to: isoDate(now) } },
    getEarningsCalendar: { query: { from: isoDate(now - 120 * DAY), to: isoDate(now + 120 * DAY) } },
    getEconomicCalendar: { query: { date: firstFriday() } },
    listAnalystRatings: { query: { tickers: 'AAPL,MSFT' } },
    listFinancialRatios: { query: { tickersAnyOf: 'AAPL,MSFT' } },
    placeOrder: { body: order },
    previewOrder: { body: { ...order, side: 'SELL', type: 'MARKET', price: undefined, qty: '5', symbol: 'AAPL' } },
    replaceOrder: { body: { origClOrdId: orders.replace, tradingAccountId: accountId, symbol: 'MSFT', price: '401.00' } },
    cancelOrder: { body: { origClOrdId: orders.cancel, tradingAccountId: accountId, symbol: 'MSFT', side: 'BUY' } },
    updateCurrentUser: { body: { plaid_status: 'PENDING' } },
    setTradingPassword: { body: { password: 'trading-secret-1' } },
    changeEmail: { body: { email: 'new-address@aries.test' } },
  };
  return table[operationId] ?? {};
}

function buildRequest(operation: Operation, args: { query?: Json; path?: Json; body?: unknown }): { url: string; body: unknown } {
  let path = operation.path;
  const query = new URLSearchParams();
  for (const param of parameterList.parse(operation.op.parameters ?? [])) {
    const given = param.in === 'path' ? args.path?.[param.name] : args.query?.[param.name];
    const value = given ?? (param.name === 'id' && param.in === 'path' ? accountId : param.required ? sampleSchema(param.schema) : undefined);
    if (value === undefined) continue;
    if (param.in === 'path') path = path.replace(`{${param.name}}`, encodeURIComponent(String(value)));
    else if (param.in === 'query') query.set(param.name, String(value));
  }
  for (const [name, value] of Object.entries(args.query ?? {})) if (!query.has(name)) query.set(name, String(value));
  const bodySchema = at(operation.op, 'requestBody', 'content', 'application/json', 'schema');
  const body = args.body ?? (bodySchema ? sampleSchema(bodySchema) : undefined);
  return { url: `${path}${query.size > 0 ? `?${query}` : ''}`, body };
}

/** The OAuth operations, run as one real flow (an MFA user, so every step has a response). */
async function runOAuthChain(): Promise<void> {
  const redirect = 'http://127.0.0.1:8787/auth/callback';
  const client = createdClient.parse(
    (await admin(running.url, 'POST', '/admin/clients', { name: 'Conformance', redirect_uris: [redirect], scopes: ['market:information'] })).body,
  );
  await admin(running.url, 'POST', '/admin/users', { email: 'conformance@aries.test', password: 'pw', mfa: true });
  const start = await postJson(running.url, '/v1/oauth2/authorize', {
    client_id: client.client_id,
    email: 'conformance@aries.test',
    password: 'pw',
    redirect_uri: redirect,
    scope: 'market:information',
    state: 'c',
  });
  results.set('authorizeOAuth2', start);
  const mfa = await postJson(running.url, '/v1/oauth2/authorize/mfa', { next_step_auth_id: start.body.next_step_auth_id, verification_code: '123456' });
  results.set('authorizeOAuth2Mfa', mfa);
  const confirm = await postJson(running.url, '/v1/oauth2/authorize/confirm', { next_step_auth_id: mfa.body.next_step_auth_id });
  results.set('confirmOAuth2Authorization', confirm);
  results.set(
    'createOAuth2Token',
    await postToken(running.url, {
      grant_type: 'authorization_code',
      client_id: client.client_id,
      client_secret: client.client_secret,
      code: String(confirm.body.code),
      redirect_uri: redirect,
    }),
  );
}

beforeAll(async () => {
  running = await startSandbox();
  token = (await demoToken(running)).accessToken;
  accountId = running.sandbox.demo.accountId;
  await runOAuthChain();
  const resting = { tradingAccountId: accountId, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '1', price: '400.00', timeInForce: 'GTC' };
  const placed = z.looseObject({ clOrdId: z.string() });
  const replace = placed.parse((await callApi(running.url, token, 'POST', '/v1/orders', resting)).body).clOrdId;
  const cancel = placed.parse((await callApi(running.url, token, 'POST', '/v1/orders', resting)).body).clOrdId;
  await callApi(running.url, token, 'POST', '/v1/orders', { ...resting, symbol: 'AAPL', type: 'MARKET', price: undefined, timeInForce: 'DAY' });
  for (const operation of operations) {
    if (results.has(operation.operationId)) continue;
    const request = buildRequest(operation, argumentsFor(operation.operationId, { replace, cancel }));
    const response = await callApi(running.url, token, operation.method, request.url, request.body);
    results.set(operation.operationId, { status: response.status, body: response.body });
  }
});

afterAll(async () => {
  await running.server.close();
});

describe('every operation answers with a spec-valid response', () => {
  it('the spec has the operations the sandbox implements by hand', () => {
    const ids = operations.map((o) => o.operationId);
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const handled of Object.keys(OPERATION_HANDLERS)) expect(ids).toContain(handled);
  });

  it.each(operations.map((o) => [o.operationId, o] as const))('%s', (operationId, operation) => {
    const result = results.get(operationId);
    expect(result, 'called').toBeDefined();
    expect(result?.status, JSON.stringify(result?.body)).toBeGreaterThanOrEqual(200);
    expect(result?.status, JSON.stringify(result?.body)).toBeLessThan(300);
    const schema = responseSchema(operation, result?.status ?? 0);
    expect(schema, 'the spec documents this status').toBeDefined();
    if (schema === undefined) return;
    const validate = ajv.compile(schema);
    expect(validate(result?.body), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the sandbox scopes are the spec scopes', () => {
    const flows = jsonObject.parse(at(spec, 'components', 'securitySchemes', 'ariesOAuth', 'flows', 'authorizationCode', 'scopes'));
    expect(Object.keys(flows).sort()).toEqual([...KNOWN_SCOPES].sort());
  });
});

describe('requests the spec rejects are rejected', () => {
  const order = () => ({ tradingAccountId: accountId, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '10', price: '400.00', timeInForce: 'DAY' });
  const cases: Array<[string, string, string, () => unknown, string]> = [
    ['wrong side enum', 'POST', '/v1/orders', () => ({ ...order(), side: 'HOLD' }), 'side'],
    ['wrong timeInForce enum', 'POST', '/v1/orders', () => ({ ...order(), timeInForce: 'NEVER' }), 'timeInForce'],
    ['missing qty', 'POST', '/v1/orders', () => ({ ...order(), qty: undefined }), 'qty'],
    ['non-decimal qty', 'POST', '/v1/orders', () => ({ ...order(), qty: '10 shares' }), 'qty'],
    ['numeric qty', 'POST', '/v1/orders', () => ({ ...order(), qty: 10 }), 'qty'],
    ['negative qty', 'POST', '/v1/orders', () => ({ ...order(), qty: '-5' }), 'qty'],
    ['LIMIT without price', 'POST', '/v1/orders', () => ({ ...order(), price: undefined }), 'price'],
    ['STOP without stopPrice', 'POST', '/v1/orders', () => ({ ...order(), type: 'STOP', price: undefined }), 'stopPrice'],
    ['STOP_LIMIT without price', 'POST', '/v1/orders', () => ({ ...order(), type: 'STOP_LIMIT', price: undefined, stopPrice: '390.00' }), 'price'],
    ['MARKET with a price', 'POST', '/v1/orders', () => ({ ...order(), type: 'MARKET' }), 'price'],
    ['price with 3 decimals', 'POST', '/v1/orders', () => ({ ...order(), price: '400.125' }), 'price'],
    ['unknown symbol', 'POST', '/v1/orders', () => ({ ...order(), symbol: 'ZZZZ' }), 'symbol'],
    ['lowercase symbol', 'POST', '/v1/orders', () => ({ ...order(), symbol: 'msft' }), 'symbol'],
    ["another user's account", 'POST', '/v1/orders', () => ({ ...order(), tradingAccountId: 'TEST-ACCOUNT-002' }), 'tradingAccountId'],
    ['preview without price', 'POST', '/v1/orders/preview', () => ({ ...order(), price: undefined }), 'price'],
    [
      'cancel an unknown order',
      'POST',
      '/v1/orders/cancel',
      () => ({ origClOrdId: 'ORDER-19990101-000001', tradingAccountId: accountId, symbol: 'MSFT', side: 'BUY' }),
      'origClOrdId',
    ],
    ['search without query', 'GET', '/v1/marketdata/search', () => undefined, 'query'],
    ['search limit not a number', 'GET', '/v1/marketdata/search?query=A&limit=abc', () => undefined, 'limit'],
    ['search limit over 100', 'GET', '/v1/marketdata/search?query=A&limit=500', () => undefined, 'limit'],
    ['history without from', 'GET', '/v2/accounts/TEST-ACCOUNT-001/orders/history', () => undefined, 'from'],
    ['history from not RFC 3339', 'GET', '/v2/accounts/TEST-ACCOUNT-001/orders/history?from=yesterday', () => undefined, 'from'],
    [
      'history window over 90 days',
      'GET',
      '/v2/accounts/TEST-ACCOUNT-001/orders/history?from=2025-01-01T00:00:00Z&to=2025-06-01T00:00:00Z',
      () => undefined,
      'to',
    ],
    ['negative cursor', 'GET', '/v2/accounts/TEST-ACCOUNT-001/orders?cursor=-1', () => undefined, 'cursor'],
    [
      'aggs timespan not in the enum',
      'GET',
      '/v1/stocks/aggs?ticker=AAPL&multiplier=1&timespan=fortnight&from=2026-01-01&to=2026-01-31',
      () => undefined,
      'timespan',
    ],
  ];

  it.each(cases)('%s', async (_name, method, path, body, field) => {
    const response = await callApi(running.url, token, method, path, body());
    expect(response.status, JSON.stringify(response.body)).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid request', metadata: {} });
    const { codes } = errorCodes.parse(response.body);
    expect(codes.map((c) => c.field)).toContain(field);
    for (const code of codes) expect(code).toEqual({ code: 'INVALID_FIELD', description: expect.any(String), field: expect.any(String) });
    const operation = operations.find((o) => o.method === method && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0] ?? ''));
    expect(operation, 'the spec has this operation').toBeDefined();
    const schema = operation && responseSchema(operation, 400);
    expect(schema, 'the spec documents the 400').toBeDefined();
    if (schema === undefined) return;
    const validate = ajv.compile(schema);
    expect(validate(response.body)).toBe(true);
  });

  it('chart history reports bad parameters with HTTP 200 and s: "error", as documented', async () => {
    const response = await callApi(running.url, token, 'GET', '/v1/chart/history?symbol=AAPL&resolution=7&from=1&to=2');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ s: 'error', errmsg: expect.stringContaining('resolution') });
  });

  it('a body that is not JSON is a 400 on field body', async () => {
    const response = await fetch(new URL('/v1/orders', running.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"qty":',
    });
    expect(response.status).toBe(400);
    expect(errorCodes.parse(await response.json()).codes[0]?.field).toBe('body');
  });

  it('unknown paths are a JSON 404, a wrong method a 405', async () => {
    const unknown = await callApi(running.url, token, 'GET', '/v1/nothing-here');
    expect(unknown).toMatchObject({ status: 404, body: { error: 'not_found' } });
    const wrongMethod = await callApi(running.url, token, 'DELETE', '/v1/orders');
    expect(wrongMethod.status).toBe(405);
  });
});
