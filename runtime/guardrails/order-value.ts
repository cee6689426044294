/**
 * What one order is worth, read from a tool's arguments by the rules the tool
 * declares (`ToolDefinition.guardrails`):
 * - the order type picks the price: an argument (`price` for a limit order),
 *   or `quote`: the current ask for a buy, the bid for a sell, from the
 *   declared quote tool (asked with the caller's own token by `quotePrice`);
 * - an option order (legs given, or an option symbol) is worth
 *   quantity x multiplier (100) x premium; anything else quantity x price;
 * - the value is rounded up to whole cents, and a negative price (a credit
 *   spread's net credit) counts by its size.
 * - an order type or side left out (a replace that keeps the order's own)
 *   is `undefined`: the type is then priced by whichever declared price
 *   argument is given, and a market price (which needs the side) by the ask.
 * A missing or unusable number is a `ValuationProblem` naming the argument:
 * the guardrail cannot be checked, so the order is refused, never guessed.
 */
import type { OrderGuardrails, ToolArguments } from '../contract/tool-definition.js';
import type { Instrument } from './guardrails.js';

export interface Valuation {
  /** Undefined when the call leaves it unchanged (replace). */
  readonly orderType: string | undefined;
  readonly side: string | undefined;
  readonly instrument: Instrument;
  readonly symbol: string;
  readonly quantity: number;
  /** Per share or contract premium used. */
  readonly price: number;
  /** Where `price` came from: the argument's name, or `ask`/`bid`. */
  readonly priceSource: string;
  readonly valueCents: number;
}

export class ValuationProblem extends Error {
  override readonly name = 'ValuationProblem';
}

/** Asks the declared quote tool for `symbol`; resolves to its answer's body or rejects with a `ValuationProblem`. */
export type QuoteSource = (tool: string, args: ToolArguments) => Promise<unknown>;

const DECIMAL = /^-?\d{1,12}(\.\d{1,8})?$/;

/** What the order is, before any price is looked up (enough for the type, side and instrument guardrails). */
export function describeOrder(rules: OrderGuardrails, args: ToolArguments): Pick<Valuation, 'orderType' | 'side' | 'instrument' | 'symbol'> {
  const optional = (argument: string): string | undefined => {
    const value = args[argument];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new ValuationProblem(`${argument} is not text`);
    return value;
  };
  const symbol = optional(rules.arguments.symbol);
  if (symbol === undefined) throw new ValuationProblem(`the order has no ${rules.arguments.symbol}`);
  const legs = rules.arguments.optionLegs === undefined ? undefined : args[rules.arguments.optionLegs];
  const optionSymbol = rules.optionSymbolPattern !== undefined && new RegExp(rules.optionSymbolPattern).test(symbol);
  const instrument: Instrument = (Array.isArray(legs) && legs.length > 0) || optionSymbol ? 'option' : 'equity';
  return { orderType: optional(rules.arguments.orderType), side: optional(rules.arguments.side), instrument, symbol };
}

export async function valueOrder(rules: OrderGuardrails, args: ToolArguments, quote: QuoteSource): Promise<Valuation> {
  const order = describeOrder(rules, args);
  const quantity = decimal(args[rules.arguments.quantity], rules.arguments.quantity);
  const by = order.orderType === undefined ? givenPriceArgument(rules, args) : rules.priceBy[order.orderType];
  if (by === undefined)
    throw new ValuationProblem(
      order.orderType === undefined ? `the order gives neither ${rules.arguments.orderType} nor a price` : `orders of type ${order.orderType} cannot be valued`,
    );
  let price: number;
  let priceSource: string;
  if (by === 'quote') {
    if (order.instrument === 'option') throw new ValuationProblem('a market option order cannot be valued from a stock quote; use a limit order');
    // Without a side, the ask: the higher of the two, so the value is never understated.
    priceSource = order.side === undefined || rules.buySides.includes(order.side) ? 'ask' : 'bid';
    const body = await quote(rules.quote.tool, { [rules.quote.symbolArgument]: order.symbol });
    price = decimal(atPath(body, priceSource === 'ask' ? rules.quote.ask : rules.quote.bid), `the quote's ${priceSource}`);
    if (price <= 0) throw new ValuationProblem(`the quote for ${order.symbol} has no ${priceSource} price`);
  } else {
    price = decimal(args[by], by);
    priceSource = by;
  }
  const multiplier = order.instrument === 'option' ? rules.optionMultiplier : 1;
  const valueCents = Math.ceil(Math.abs(quantity) * multiplier * Math.abs(price) * 100 - 1e-6);
  if (!Number.isSafeInteger(valueCents)) throw new ValuationProblem('the order value is too large to count');
  return { ...order, quantity, price: Math.abs(price), priceSource, valueCents };
}

/** For an order that keeps its type: the first declared price argument the call gives. */
function givenPriceArgument(rules: OrderGuardrails, args: ToolArguments): string | undefined {
  return Object.values(rules.priceBy).find((argument) => argument !== 'quote' && args[argument] !== undefined);
}

function decimal(value: unknown, name: string): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !DECIMAL.test(text)) throw new ValuationProblem(`${name} is missing or not a decimal number`);
  return Number(text);
}

/** `results.askPrice` in a JSON answer. */
function atPath(body: unknown, path: string): unknown {
  let current = body;
  for (const key of path.split('.'))
    current = typeof current === 'object' && current !== null && !Array.isArray(current) ? Reflect.get(current, key) : undefined;
  return current;
}
