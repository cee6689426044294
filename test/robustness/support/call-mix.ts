/**
 * Valid arguments for every generated tool, for one user and one round, and
 * the output-schema check (Ajv 2020-12, formats on) every successful result
 * must pass. Order arguments differ per round (quantity and limit price), so
 * the duplicate-order guard never trips on legitimate traffic; limit buys are
 * far below the market, so they rest until cancelled.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { tools } from '../../../generated/index.js';

export const READ_TOOLS = [
  'list_accounts',
  'get_balances',
  'get_positions',
  'list_open_orders',
  'get_order_history',
  'get_quote',
  'get_last_trade',
  'get_price_bars',
  'search_symbols',
  'get_analyst_ratings',
  'get_earnings_calendar',
  'get_financial_ratios',
  'preview_order',
] as const;

export const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'SPY'] as const;

const day = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

export function readArguments(name: (typeof READ_TOOLS)[number], accountId: string, round: number): Record<string, unknown> {
  const symbol = SYMBOLS[round % SYMBOLS.length];
  switch (name) {
    case 'list_accounts':
      return {};
    case 'get_balances':
    case 'get_positions':
    case 'list_open_orders':
      return { account_id: accountId };
    case 'get_order_history':
      return { account_id: accountId, from: new Date(Date.now() - 7 * 86_400_000).toISOString() };
    case 'get_quote':
    case 'get_last_trade':
    case 'get_financial_ratios':
      return { symbol };
    case 'get_price_bars':
      return { symbol, from: day(-20), to: day(0), limit: 20 };
    case 'search_symbols':
      return { query: symbol.slice(0, 2), limit: 5 };
    case 'get_analyst_ratings':
      return { tickers: symbol, pageSize: 5 };
    case 'get_earnings_calendar':
      return { from: day(-10), to: day(10) };
    case 'preview_order':
      return limitBuy(accountId, round, 0);
  }
}

/** A resting limit buy of MSFT (market set to 420 by the tests), distinct per round and step. */
export function limitBuy(accountId: string, round: number, step: number): Record<string, unknown> {
  return {
    account_id: accountId,
    symbol: 'MSFT',
    side: 'BUY',
    type: 'LIMIT',
    qty: String(1 + round),
    price: `${300 + step}.${String(round % 100).padStart(2, '0')}`,
    timeInForce: 'DAY',
  };
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormatsModule.default(ajv);
const outputValidators = new Map<string, ValidateFunction>(tools.map((tool) => [tool.definition.name, ajv.compile(tool.definition.outputSchema)]));

/** Problems of `structured` against the tool's output schema (empty when valid). */
export function outputProblems(name: string, structured: unknown): string[] {
  const validate = outputValidators.get(name);
  if (validate === undefined) return [`no such tool ${name}`];
  if (typeof structured !== 'object' || structured === null) return ['structuredContent is missing'];
  return validate(structured) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

/** Every `TEST-ACCOUNT-nnn` id mentioned in a result's text. */
export function accountIdsIn(text: string): string[] {
  return [...new Set(text.match(/TEST-ACCOUNT-\d+/g) ?? [])];
}
