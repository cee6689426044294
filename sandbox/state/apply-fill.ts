/**
 * Applies one execution to an account: cash, the position (average price on
 * the side that grows, realized P&L on the side that shrinks, flipping
 * through zero when an order covers more than the position) and the day's
 * bought/sold totals. Commission-free, like the preview says.
 */
import type { Account } from './accounts.js';
import { roundCents } from './money.js';

export type OrderSide = 'BUY' | 'SELL' | 'SELL_SHORT' | 'BUY_TO_COVER';

export function isBuySide(side: OrderSide): boolean {
  return side === 'BUY' || side === 'BUY_TO_COVER';
}

export function applyFill(account: Account, symbol: string, side: OrderSide, quantity: number, price: number, at: Date): void {
  const value = roundCents(quantity * price);
  const signed = isBuySide(side) ? quantity : -quantity;
  if (signed > 0) {
    account.cash = roundCents(account.cash - value);
    account.valueBought = roundCents(account.valueBought + value);
  } else {
    account.cash = roundCents(account.cash + value);
    account.valueSold = roundCents(account.valueSold + value);
    account.unsettledFunds = roundCents(account.unsettledFunds + value);
  }

  const position = account.positions.get(symbol) ?? { symbol, quantity: 0, averagePrice: 0, realizedToday: 0, openedAt: at };
  const held = position.quantity;
  // Part of the fill that closes the existing position (opposite sign), and the part that opens or adds.
  const closing = held !== 0 && Math.sign(held) !== Math.sign(signed) ? Math.min(Math.abs(held), Math.abs(signed)) : 0;
  const opening = Math.abs(signed) - closing;
  if (closing > 0) {
    const realized = roundCents((price - position.averagePrice) * closing * Math.sign(held));
    position.realizedToday = roundCents(position.realizedToday + realized);
    account.realizedPl = roundCents(account.realizedPl + realized);
    position.quantity = held + Math.sign(signed) * closing;
  }
  if (opening > 0) {
    const current = Math.abs(position.quantity);
    position.averagePrice = (current * position.averagePrice + opening * price) / (current + opening);
    position.quantity += Math.sign(signed) * opening;
  }
  position.quantity = Math.round(position.quantity * 1e6) / 1e6;
  if (position.quantity === 0) account.positions.delete(symbol);
  else account.positions.set(symbol, position);
}
