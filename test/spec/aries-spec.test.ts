/**
 * Checks spec/aries.openapi.yaml, the source of truth for the generator, the sandbox and the
 * runtime:
 * - it is a valid OpenAPI 3.1 document (swagger-parser) and lints with zero errors under
 *   redocly.yaml;
 * - every operationId other code depends on exists with its method, path and scope;
 * - every operation is secured with scopes the `ariesOAuth` scheme defines (the OAuth2 backend
 *   endpoints with `security: []`), has a unique camelCase operationId and a JSON 2xx response;
 * - money and quantity fields of the order and balance schemas are decimal strings;
 * - the schema facts named in the brief (names, required fields, enums) hold.
 * It does not check the spec against the live Aries API.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { lint, loadConfig } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isJsonObject } from '../../runtime/json-object.js';

type Json = Record<string, unknown>;

const specPath = fileURLToPath(new URL('../../spec/aries.openapi.yaml', import.meta.url));
const configPath = fileURLToPath(new URL('../../redocly.yaml', import.meta.url));
const doc = obj(parse(readFileSync(specPath, 'utf8')), 'the spec document');

const DECIMAL_PATTERN = String.raw`^-?\d+(\.\d+)?$`;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const SCOPES = [
  'user:management', 'user:information', 'account:information', 'order:execution',
  'order:information', 'position:information', 'market:information', 'calendar:information',
  'options:information', 'analytics:information', 'market:supplemental',
];

function obj(value: unknown, where: string): Json {
  if (!isJsonObject(value)) throw new Error(`${where} is not an object`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) throw new Error(`${where} is not a list of strings`);
  return value;
}

/** Follows a local `$ref` (`#/components/...`) until a non-reference node is reached. */
function deref(node: unknown, where: string): Json {
  let current = obj(node, where);
  while (typeof current.$ref === 'string') {
    const ref = current.$ref;
    const pointer = ref.replace(/^#\//, '').split('/');
    current = obj(pointer.reduce<unknown>((at, key) => obj(at, ref)[key], doc), ref);
  }
  return current;
}

const schemas = obj(obj(doc.components, 'components').schemas, 'components.schemas');
const schemaProps = (name: string): Json => obj(deref(schemas[name], name).properties, `${name}.properties`);

interface Operation { method: string; path: string; op: Json }
const operations: Operation[] = Object.entries(obj(doc.paths, 'paths')).flatMap(([path, item]) =>
  METHODS.filter((m) => m in obj(item, path)).map((method) => ({ method, path, op: obj(obj(item, path)[method], `${method} ${path}`) })),
);
const byId = new Map(operations.map((o) => [String(o.op.operationId), o]));

// operationId -> [method, path, scope]; scope null means `security: []`.
const EXPECTED: Record<string, [string, string, string | null]> = {
  authorizeOAuth2: ['post', '/v1/oauth2/authorize', null],
  authorizeOAuth2Mfa: ['post', '/v1/oauth2/authorize/mfa', null],
  confirmOAuth2Authorization: ['post', '/v1/oauth2/authorize/confirm', null],
  createOAuth2Token: ['post', '/v1/oauth2/token', null],
  getCurrentUser: ['get', '/v1/users/me', 'user:information'],
  updateCurrentUser: ['patch', '/v1/users/me', 'user:management'],
  setTradingPassword: ['post', '/v1/users/me/trading-password', 'user:management'],
  changeEmail: ['post', '/v1/users/me/email/change', 'user:management'],
  getUserProfile: ['get', '/v1/users/me/profile', 'user:information'],
  listUserAccounts: ['get', '/v1/users/me/accounts', 'account:information'],
  getAccountBalances: ['get', '/v1/accounts/{id}/balances', 'account:information'],
  getAccountPositions: ['get', '/v1/accounts/{id}/positions', 'position:information'],
  listAccountOrdersV1: ['get', '/v1/accounts/{id}/orders', 'order:information'],
  listActiveOrders: ['get', '/v2/accounts/{id}/orders', 'order:information'],
  listOrderHistory: ['get', '/v2/accounts/{id}/orders/history', 'order:information'],
  placeOrder: ['post', '/v1/orders', 'order:execution'],
  previewOrder: ['post', '/v1/orders/preview', 'order:execution'],
  replaceOrder: ['post', '/v1/orders/replace', 'order:execution'],
  cancelOrder: ['post', '/v1/orders/cancel', 'order:execution'],
  searchSymbols: ['get', '/v1/marketdata/search', 'market:information'],
  getOptionDetails: ['get', '/v1/marketdata/options/details', 'market:information'],
  getChartHistory: ['get', '/v1/chart/history', 'market:information'],
  getChartSymbolInfo: ['get', '/v1/chart/symbols', 'market:information'],
  getEconomicCalendar: ['get', '/v1/calendars/economics', 'calendar:information'],
  getEarningsCalendar: ['get', '/v1/calendars/earnings', 'calendar:information'],
  getHistoricalIndicator: ['get', '/v1/calendars/historical/{symbol}', 'calendar:information'],
  listTopVolumeStockOptions: ['get', '/v1/options/stocks/top-volume', 'options:information'],
  listTopVolumeEtfOptions: ['get', '/v1/options/etfs/top-volume', 'options:information'],
  listTopGainerStockOptions: ['get', '/v1/options/stocks/top-gainers', 'options:information'],
  listAnalystRatings: ['get', '/v1/analytics/ratings', 'analytics:information'],
  getMarketBreadth: ['get', '/v1/analytics/market-breadth', 'analytics:information'],
  listEquityTopLosers: ['get', '/v1/equity/top-losers', 'analytics:information'],
  getLastQuote: ['get', '/v1/stocks/last-quote', 'market:information'],
  getLastTrade: ['get', '/v1/stocks/last-trade', 'market:information'],
  getPreviousClose: ['get', '/v1/stocks/prev', 'market:information'],
  getStockAggregates: ['get', '/v1/stocks/aggs', 'market:information'],
  getIndexChartBars: ['get', '/v1/indices/chart-bars', 'market:information'],
  listFinancialRatios: ['get', '/v1/financials/ratios', 'market:supplemental'],
  getFinancialStatements: ['get', '/v1/financials/statements', 'market:supplemental'],
  listIncomeStatements: ['get', '/v1/financials/income-statements', 'market:supplemental'],
  getCompanyMetrics: ['get', '/v1/company/metrics', 'market:supplemental'],
  listDividends: ['get', '/v1/corporate-actions/dividends', 'market:supplemental'],
  listStockSplits: ['get', '/v1/stock/split', 'market:supplemental'],
  getHistoricalEsg: ['get', '/v1/stock/historical-esg', 'market:supplemental'],
  listUpgradesDowngrades: ['get', '/v1/stock/upgrade-downgrade', 'market:supplemental'],
  getNewsSentiment: ['get', '/v1/news-sentiment', 'market:supplemental'],
  getFilingSimilarityIndex: ['get', '/v1/filings/similarity-index', 'market:supplemental'],
  getTechnicalIndicator: ['get', '/v1/indicator', 'market:supplemental'],
  listOptionTrades: ['get', '/v1/options/trades', 'market:supplemental'],
  getOptionChainSnapshot: ['get', '/v1/options/snapshot/chain/{underlyingAsset}', 'market:supplemental'],
  listOptionContracts: ['get', '/v1/options/{symbol}/contracts/{expiryDate}', 'market:supplemental'],
  listUnusualOptionActivity: ['get', '/v1/options/unusual_activity/{symbol}', 'market:supplemental'],
  listNews: ['get', '/v1/news', 'market:supplemental'],
  getCompanyProfile: ['get', '/v1/company/profile', 'market:supplemental'],
};

// Schema -> its money and quantity fields, which must be decimal strings.
const MONEY_FIELDS: Record<string, string[]> = {
  PlaceOrderRequest: ['qty', 'price', 'stopPrice'],
  OrderLeg: ['ratioQty', 'strikePrice'],
  PlaceOrderResponse: ['qty', 'cumQty', 'leavesQty', 'avgPrice'],
  PreviewOrderResponse: ['estimatedCost', 'estimatedMargin', 'commission', 'fees', 'buyingPowerImpact', 'optionFees', 'optionRequirement', 'optionPremium'],
  ReplaceOrderRequest: ['qty', 'price', 'stopPrice'],
  ReplaceOrderResponse: ['qty', 'price'],
  CancelOrderRequest: ['strikePrice'],
  Order: ['qty', 'price', 'stopPrice', 'cumQty', 'leavesQty', 'avgPrice'],
  OrderV1: ['quantity', 'filledQty', 'leavesQty', 'price', 'stopPrice', 'avgPrice'],
  Position: ['quantity', 'averagePrice', 'marketValue', 'todayRealizedPnL', 'unrealizedPl', 'dailyPl'],
  AccountBalances: [
    'dayTradeBuyingPower', 'netBuyingPower', 'optionBuyingPower', 'stockBuyingPower', 'dayTradeOvernightRegTBuyingPower',
    'totalEquity', 'realizedPl', 'unrealizedPl', 'settledFunds', 'unsettledFunds', 'startOfDayCash', 'heldBackFunds',
    'maintReq', 'grossMargin', 'sma', 'credit', 'creditRemaining', 'pdt', 'pdtCreditRemaining',
    'pendingOrdersMarginRequirements', 'valueBought', 'valueSold', 'sodPositionsMarketValue', 'sodTtlEquity',
  ],
};

describe('spec/aries.openapi.yaml', () => {
  it('is a valid OpenAPI 3.1.0 document for https://api.aries.com', async () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'https://api.aries.com' })]);
    await expect(SwaggerParser.validate(specPath)).resolves.toBeTruthy();
  });

  it('lints with zero errors under redocly.yaml', async () => {
    const config = await loadConfig({ configPath });
    const problems = await lint({ ref: specPath, config });
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(errors).toEqual([]);
  });

  it('defines the ariesOAuth authorization-code scheme with exactly the documented scopes', () => {
    const scheme = obj(obj(obj(doc.components, 'components').securitySchemes, 'securitySchemes').ariesOAuth, 'ariesOAuth');
    expect(scheme.type).toBe('oauth2');
    const flow = obj(obj(scheme.flows, 'flows').authorizationCode, 'authorizationCode');
    expect(flow.authorizationUrl).toBe('https://app.aries.com/oauth2/authorize');
    expect(flow.tokenUrl).toBe('https://api.aries.com/v1/oauth2/token');
    expect(flow.refreshUrl).toBe('https://api.aries.com/v1/oauth2/token');
    expect(Object.keys(obj(flow.scopes, 'scopes')).sort()).toEqual([...SCOPES].sort());
  });

  it.each(Object.entries(EXPECTED))('%s is %j', (operationId, [method, path, scope]) => {
    const found = byId.get(operationId);
    expect(found, `${operationId} missing`).toBeDefined();
    expect([found?.method, found?.path]).toEqual([method, path]);
    expect(found?.op.security).toEqual(scope === null ? [] : [{ ariesOAuth: [scope] }]);
  });

  it('gives every operation a unique camelCase operationId, known scopes, tags and a JSON 2xx response', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { method, path, op } of operations) {
      const where = `${method} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(op.summary, where).toEqual(expect.any(String));
      expect(op.description, where).toEqual(expect.any(String));
      expect(op.tags, where).toHaveLength(1);
      const security = Array.isArray(op.security) ? op.security.map((requirement) => obj(requirement, `${where} security`)) : undefined;
      expect(Array.isArray(security), `${where} has no security`).toBe(true);
      for (const requirement of security ?? []) {
        expect(Object.keys(requirement), where).toEqual(['ariesOAuth']);
        for (const scope of strings(requirement.ariesOAuth, `${where} ariesOAuth`)) expect(SCOPES, where).toContain(scope);
      }
      const responses = obj(op.responses, `${where} responses`);
      const ok = Object.keys(responses).filter((code) => /^2\d\d$/.test(code));
      expect(ok.some((code) => 'application/json' in obj(deref(responses[code], where).content, `${where} ${code}`)), where).toBe(true);
      if ((security ?? []).length > 0) expect(Object.keys(responses), where).toEqual(expect.arrayContaining(['401', '403', '429', '500']));
    }
  });

  it.each(Object.entries(MONEY_FIELDS))('%s money fields are decimal strings', (schema, fields) => {
    const props = schemaProps(schema);
    for (const field of fields) {
      const prop = deref(props[field], `${schema}.${field}`);
      expect(prop.type, `${schema}.${field}`).toBe('string');
      expect(prop.pattern, `${schema}.${field}`).toBe(DECIMAL_PATTERN);
      expect(prop.examples, `${schema}.${field} examples`).toEqual([expect.stringMatching(new RegExp(DECIMAL_PATTERN))]);
    }
  });

  it('keeps the order schema facts other code depends on', () => {
    const place = deref(schemas.PlaceOrderRequest, 'PlaceOrderRequest');
    expect(place.required).toEqual(['tradingAccountId', 'symbol', 'side', 'type', 'qty', 'timeInForce']);
    const p = schemaProps('PlaceOrderRequest');
    expect(deref(p.side, 'side').enum).toEqual(['BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER']);
    expect(deref(p.type, 'type').enum).toEqual(['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT']);
    expect(deref(p.timeInForce, 'timeInForce').enum).toEqual(['DAY', 'GTC', 'IOC', 'FOK', 'EXTENDED_HOURS', 'AT_THE_OPENING', 'AT_THE_CLOSE']);
    expect(obj(p.legs, 'legs').maxItems).toBe(4);
    expect(schemaProps('OrderLeg').maturity).toMatchObject({ type: 'string', format: 'date' });
    expect(deref(schemas.ReplaceOrderRequest, 'ReplaceOrderRequest').required).toEqual(['origClOrdId', 'tradingAccountId', 'symbol']);
    expect(deref(schemas.CancelOrderRequest, 'CancelOrderRequest').required).toEqual(['origClOrdId', 'tradingAccountId', 'symbol', 'side']);
    expect(deref(schemas.OrderListResponse, 'OrderListResponse').required).toEqual(['orders', 'nextCursor']);
    expect(deref(schemaProps('Order').ordStatus, 'ordStatus').enum).toEqual([
      'NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'REPLACED', 'PENDING_NEW', 'PENDING_CANCEL', 'PENDING_REPLACE',
    ]);
    expect(byId.get('listAccountOrdersV1')?.op.deprecated).toBe(true);
  });

  it('keeps the account-id decision and the response shapes other code depends on', () => {
    expect(deref(schemas.Account, 'Account').required).toContain('sterling_account_id');
    expect(schemaProps('Account').sterling_account_id).toMatchObject({ type: 'string' });
    const accountId = obj(obj(obj(doc.components, 'components').parameters, 'parameters').AccountIdPath, 'AccountIdPath');
    expect(accountId).toMatchObject({ name: 'id', in: 'path', required: true, 'x-aries-note': expect.any(String) });
    const okSchema = (id: string): Json =>
      deref(obj(obj(deref(obj(byId.get(id)?.op.responses, id)['200'], id).content, id)['application/json'], id).schema, id);
    expect(okSchema('searchSymbols').type).toBe('array');
    expect(okSchema('getEarningsCalendar').type).toBe('array');
    expect(deref(schemaProps('ChartHistory').s, 's').enum).toEqual(['ok', 'no_data', 'error']);
    const token = obj(obj(byId.get('createOAuth2Token')?.op.requestBody, 'token body').content, 'token content');
    expect(Object.keys(token).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
  });
});
