/**
 * Order checks beyond the schema (which already enforced enums, required
 * fields and decimal strings), reported together as 400 field errors:
 * - `tradingAccountId` must be one of the caller's accounts;
 * - `symbol` must be a ticker the sandbox trades; option legs are not simulated;
 * - `qty` a positive whole number of shares (at most 1,000,000);
 * - price fields by type: MARKET none, LIMIT `price`, STOP `stopPrice`, STOP_LIMIT both;
 *   prices positive with at most 2 decimals;
 * - `currency`, when sent, is USD.
 * Replace and cancel also need `origClOrdId` to name an open order of that account
 * with the same symbol (and side), else "order not found or not open".
 */
import { findInstrument } from '../market/universe.js';
import type { Account } from '../state/accounts.js';
import type { OrderSide } from '../state/apply-fill.js';
import { parseDecimal } from '../state/money.js';
import { isOpen, type Order, type OrderTerms, type OrderType } from '../state/order-book.js';
import type { FieldError } from '../openapi/validate-request.js';
import { invalidRequest } from './api-error.js';
import type { ApiContext } from './operation-handler.js';

type Body = Readonly<Record<string, unknown>>;

const PRICE_FIELDS: Record<OrderType, { price: boolean; stopPrice: boolean }> = {
  MARKET: { price: false, stopPrice: false },
  LIMIT: { price: true, stopPrice: false },
  STOP: { price: false, stopPrice: true },
  STOP_LIMIT: { price: true, stopPrice: true },
};
const ORDER_SIDES: readonly OrderSide[] = ['BUY', 'SELL', 'SELL_SHORT', 'BUY_TO_COVER'];

const isOrderType = (value: unknown): value is OrderType => typeof value === 'string' && Object.hasOwn(PRICE_FIELDS, value);
const isOrderSide = (value: unknown): value is OrderSide => ORDER_SIDES.some((side) => side === value);

export function readPlaceRequest(ctx: ApiContext, body: Body): { account: Account; terms: OrderTerms } {
  const errors: FieldError[] = [];
  const account = readAccount(ctx, body, errors);
  const terms = readTerms(body, undefined, errors);
  if (errors.length > 0 || !account || !terms) throw invalidRequest(errors);
  return { account, terms };
}

export function readReplaceRequest(ctx: ApiContext, body: Body): { account: Account; original: Order; terms: OrderTerms } {
  const errors: FieldError[] = [];
  const account = readAccount(ctx, body, errors);
  const original = account ? readOpenOrder(ctx, account, body, errors) : undefined;
  if (original && body.side !== undefined && body.side !== original.side)
    errors.push(field('side', 'side cannot change on replace; cancel and place a new order'));
  const terms = original ? readTerms(body, original, errors) : undefined;
  if (errors.length > 0 || !account || !original || !terms) throw invalidRequest(errors);
  return { account, original, terms };
}

export function readCancelRequest(ctx: ApiContext, body: Body): { account: Account; order: Order } {
  const errors: FieldError[] = [];
  const account = readAccount(ctx, body, errors);
  const order = account ? readOpenOrder(ctx, account, body, errors) : undefined;
  if (order && body.side !== order.side) errors.push(field('side', `side does not match the order (${order.side})`));
  if (errors.length > 0 || !account || !order) throw invalidRequest(errors);
  return { account, order };
}

function readAccount(ctx: ApiContext, body: Body, errors: FieldError[]): Account | undefined {
  const account = ctx.state.accounts.findOwned(ctx.caller.userId, body.tradingAccountId);
  if (!account) errors.push(field('tradingAccountId', `trading account ${String(body.tradingAccountId)} not found`));
  return account;
}

function readOpenOrder(ctx: ApiContext, account: Account, body: Body, errors: FieldError[]): Order | undefined {
  const order = ctx.state.orders.find(account.id, body.origClOrdId);
  if (!order || !isOpen(order)) {
    errors.push(field('origClOrdId', `order ${String(body.origClOrdId)} not found or not open`));
    return undefined;
  }
  if (String(body.symbol).toUpperCase() !== order.symbol) errors.push(field('symbol', `symbol does not match the order (${order.symbol})`));
  return order;
}

/** Terms from the body, falling back to `base` (the order being replaced) for fields not sent. */
function readTerms(body: Body, base: Order | undefined, errors: FieldError[]): OrderTerms | undefined {
  const instrument = findInstrument(body.symbol);
  if (!instrument) errors.push(field('symbol', `unknown symbol ${String(body.symbol)}: search symbols first`));
  if (Array.isArray(body.legs) && body.legs.length > 0) errors.push(field('legs', 'option orders are not available in the sandbox; trade equities'));
  const type = body.type ?? base?.type;
  const side = body.side ?? base?.side;
  // The spec's enums already rejected anything else; these guards only tell the type checker.
  if (!isOrderType(type)) {
    errors.push(field('type', `unknown order type ${String(type)}`));
    return undefined;
  }
  if (!isOrderSide(side)) {
    errors.push(field('side', `unknown side ${String(side)}`));
    return undefined;
  }
  const sends = PRICE_FIELDS[type];
  const qty = body.qty === undefined ? base?.qty : parseDecimal(body.qty);
  if (qty === undefined || qty <= 0 || !Number.isInteger(qty) || qty > 1_000_000) {
    errors.push(field('qty', 'qty must be a whole number of shares from 1 to 1000000'));
  }
  const price = readPrice(body, 'price', sends.price, type, base?.type === type ? base?.price : undefined, errors);
  const stopPrice = readPrice(body, 'stopPrice', sends.stopPrice, type, base?.type === type ? base?.stopPrice : undefined, errors);
  if (body.currency !== undefined && body.currency !== 'USD') errors.push(field('currency', 'only USD is supported'));
  if (!instrument || qty === undefined) return undefined;
  return {
    symbol: instrument.symbol,
    side,
    type,
    timeInForce: String(body.timeInForce ?? base?.timeInForce),
    qty,
    price,
    stopPrice,
    clientId: typeof body.clientId === 'string' ? body.clientId : base?.clientId,
    currency: 'USD',
    exDestination: typeof body.exDestination === 'string' ? body.exDestination : (base?.exDestination ?? 'MNGD'),
  };
}

function readPrice(
  body: Body,
  name: 'price' | 'stopPrice',
  wanted: boolean,
  type: OrderType,
  fallback: number | undefined,
  errors: FieldError[],
): number | undefined {
  if (!wanted) {
    if (body[name] !== undefined) errors.push(field(name, `${name} is not allowed for ${type} orders`));
    return undefined;
  }
  const raw = body[name];
  if (raw === undefined) {
    if (fallback === undefined) errors.push(field(name, `${name} is required for ${type} orders`));
    return fallback;
  }
  const value = parseDecimal(raw);
  if (value === undefined || value <= 0) errors.push(field(name, `${name} must be a positive decimal string such as "175.50"`));
  else if (!/^\d+(\.\d{1,2})?$/.test(String(raw))) errors.push(field(name, `${name} must have at most 2 decimals`));
  else return value;
  return undefined;
}

function field(name: string, description: string): FieldError {
  return { code: 'INVALID_FIELD', description, field: name };
}
