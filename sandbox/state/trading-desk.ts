/**
 * The order lifecycle against the simulated market:
 * - MARKET orders fill at once, buys at the ask and sells at the bid;
 * - LIMIT orders rest (NEW) until the quote crosses the limit, then fill at the quote;
 * - STOP / STOP_LIMIT orders trigger when the last trade reaches the stop price,
 *   then behave as MARKET / LIMIT orders;
 * - IOC and FOK orders that cannot fill at once are canceled;
 * - an order the account cannot fund (buying power, or selling more than is held) is REJECTED.
 * Matching runs after every price change and before every API read.
 * Fills are whole (no partial fills) and commission-free.
 */
import type { Market, Quote } from '../market/market.js';
import { findInstrument } from '../market/universe.js';
import type { Account, AccountBook } from './accounts.js';
import { applyFill, isBuySide } from './apply-fill.js';
import { computeBalances } from './compute-balances.js';
import { isOpen, type Order, type OrderBook, type OrderTerms } from './order-book.js';

export class TradingDesk {
  constructor(
    readonly accounts: AccountBook,
    readonly orders: OrderBook,
    readonly market: Market,
  ) {
    market.onChange(() => this.match());
  }

  workingOrders(accountId: string): Order[] {
    return this.orders.listForAccount(accountId).filter(isOpen);
  }

  place(account: Account, terms: OrderTerms, origClOrdId?: string): Order {
    const rejection = this.fundingProblem(account, terms, origClOrdId);
    const order = this.orders.create(account.id, terms, origClOrdId);
    if (rejection) {
      order.status = 'REJECTED';
      order.rejectReason = rejection;
      order.text = rejection;
      return order;
    }
    this.matchOrder(order);
    if (isOpen(order) && (terms.timeInForce === 'IOC' || terms.timeInForce === 'FOK')) {
      this.close(order, 'CANCELED', `Not executable immediately: canceled (${terms.timeInForce})`);
    }
    return order;
  }

  /**
   * Cancels `original` and places its replacement, which gets a new clOrdId.
   * When the account cannot fund the new terms, nothing changes and the reason is returned.
   */
  replace(account: Account, original: Order, terms: OrderTerms): Order | string {
    const rejection = this.fundingProblem(account, terms, original.clOrdId);
    if (rejection) return rejection;
    this.close(original, 'SUPERSEDED', 'Replaced');
    return this.place(account, terms, original.clOrdId);
  }

  cancel(order: Order): void {
    this.close(order, 'CANCELED', 'Order canceled');
  }

  /** The price an order would execute at now, or undefined when it would rest. Triggers stops as a side effect. */
  executablePrice(order: Order, quote: Quote): number | undefined {
    const buy = isBuySide(order.side);
    if ((order.type === 'STOP' || order.type === 'STOP_LIMIT') && !order.triggered) {
      const stop = order.stopPrice ?? 0;
      if (buy ? quote.last < stop : quote.last > stop) return undefined;
      order.triggered = true;
      order.updatedAt = new Date();
    }
    const touch = buy ? quote.ask : quote.bid;
    if (order.type === 'MARKET' || order.type === 'STOP') return touch;
    const limit = order.price ?? 0;
    return (buy ? touch <= limit : touch >= limit) ? touch : undefined;
  }

  match(): void {
    for (const order of this.orders.listOpen()) this.matchOrder(order);
  }

  private matchOrder(order: Order): void {
    const instrument = findInstrument(order.symbol);
    const account = this.accounts.find(order.accountId);
    if (!instrument || !account) return;
    const price = this.executablePrice(order, this.market.quote(instrument));
    if (price === undefined) return;
    const now = new Date();
    applyFill(account, instrument.symbol, order.side, order.qty - order.cumQty, price, now);
    order.cumQty = order.qty;
    order.avgPrice = price;
    order.status = 'FILLED';
    order.text = 'Order filled';
    order.updatedAt = now;
  }

  private close(order: Order, status: 'CANCELED' | 'SUPERSEDED', text: string): void {
    order.status = status;
    order.text = text;
    order.updatedAt = new Date();
  }

  /** Why the account cannot take this order, or undefined. `replacing` is left out of what working orders reserve. */
  fundingProblem(account: Account, terms: OrderTerms, replacing: string | undefined): string | undefined {
    const working = this.workingOrders(account.id).filter((order) => order.clOrdId !== replacing);
    const held = account.positions.get(terms.symbol)?.quantity ?? 0;
    const committed = (side: OrderTerms['side']) =>
      working.filter((o) => o.symbol === terms.symbol && o.side === side).reduce((sum, o) => sum + o.qty - o.cumQty, 0);
    if (terms.side === 'SELL' && terms.qty > Math.max(0, held) - committed('SELL')) {
      return `Insufficient position: ${Math.max(0, held)} ${terms.symbol} held, ${committed('SELL')} already in working sell orders (use SELL_SHORT to sell short)`;
    }
    if (terms.side === 'BUY_TO_COVER' && terms.qty > Math.max(0, -held) - committed('BUY_TO_COVER')) {
      return `Insufficient short position: ${Math.max(0, -held)} ${terms.symbol} short`;
    }
    if (terms.side === 'SELL') return undefined;
    const instrument = findInstrument(terms.symbol);
    const quote = instrument ? this.market.quote(instrument) : undefined;
    const unitPrice = terms.price ?? terms.stopPrice ?? (quote ? (isBuySide(terms.side) ? quote.ask : quote.bid) : 0);
    const buyingPower = computeBalances(account, this.market, working).stockBuyingPower;
    const cost = terms.qty * unitPrice;
    if (terms.side === 'BUY_TO_COVER' || cost <= buyingPower) return undefined;
    return `Insufficient buying power: order needs ${cost.toFixed(2)}, stock buying power is ${buyingPower.toFixed(2)}`;
  }
}
