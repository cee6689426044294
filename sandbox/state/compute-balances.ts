/**
 * Balances of a margin account, recomputed from cash, positions at live
 * prices and working orders (Reg T style: 50% initial, 25%/30% maintenance
 * on long/short market value; stock buying power is twice the excess equity
 * minus what working orders already reserve).
 */
import type { Market } from '../market/market.js';
import { findInstrument } from '../market/universe.js';
import type { Account, Position } from './accounts.js';
import { isBuySide } from './apply-fill.js';
import type { Order } from './order-book.js';

export interface BalanceFigures {
  readonly cash: number;
  readonly longMarketValue: number;
  readonly shortMarketValue: number;
  readonly totalEquity: number;
  readonly unrealizedPl: number;
  readonly initialRequirement: number;
  readonly maintenanceRequirement: number;
  readonly pendingOrdersCount: number;
  readonly pendingOrdersRequirement: number;
  readonly excessEquity: number;
  readonly stockBuyingPower: number;
  readonly optionBuyingPower: number;
  readonly dayTradeBuyingPower: number;
}

export function markPosition(position: Position, market: Market): number {
  const instrument = findInstrument(position.symbol);
  return instrument ? market.lastPrice(instrument) : position.averagePrice;
}

export function computeBalances(account: Account, market: Market, workingOrders: readonly Order[]): BalanceFigures {
  let longMarketValue = 0;
  let shortMarketValue = 0;
  let unrealizedPl = 0;
  for (const position of account.positions.values()) {
    const last = markPosition(position, market);
    if (position.quantity > 0) longMarketValue += position.quantity * last;
    else shortMarketValue += -position.quantity * last;
    unrealizedPl += position.quantity * (last - position.averagePrice);
  }
  const pendingOrdersRequirement = workingOrders.reduce((sum, order) => sum + reservedValue(order, market) * 0.5, 0);
  const totalEquity = account.cash + longMarketValue - shortMarketValue;
  const initialRequirement = 0.5 * (longMarketValue + shortMarketValue);
  const maintenanceRequirement = 0.25 * longMarketValue + 0.3 * shortMarketValue;
  const excessEquity = Math.max(0, totalEquity - initialRequirement - pendingOrdersRequirement);
  return {
    cash: account.cash,
    longMarketValue,
    shortMarketValue,
    totalEquity,
    unrealizedPl,
    initialRequirement,
    maintenanceRequirement,
    pendingOrdersCount: workingOrders.length,
    pendingOrdersRequirement,
    excessEquity,
    stockBuyingPower: 2 * excessEquity,
    optionBuyingPower: excessEquity,
    dayTradeBuyingPower: Math.max(0, 4 * (totalEquity - maintenanceRequirement - pendingOrdersRequirement)),
  };
}

/** The value a working order would trade at: its limit, else its stop, else the live quote. Sells of longs reserve nothing. */
function reservedValue(order: Order, market: Market): number {
  if (order.side === 'SELL') return 0;
  const instrument = findInstrument(order.symbol);
  const quote = instrument ? market.quote(instrument) : undefined;
  const live = quote ? (isBuySide(order.side) ? quote.ask : quote.bid) : 0;
  return (order.qty - order.cumQty) * (order.price ?? order.stopPrice ?? live);
}
