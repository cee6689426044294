/**
 * Every order ever placed, with its lifecycle status. Order ids are assigned
 * by the server: `clOrdId` like `ORDER-20261124-000001` (UTC date and a
 * sequence) and a numeric `ordId`. A replace creates a new order and marks
 * the old one SUPERSEDED; SUPERSEDED orders never appear in API lists.
 */
import type { OrderSide } from './apply-fill.js';

export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'SUPERSEDED';

export interface OrderTerms {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: string;
  readonly qty: number;
  readonly price: number | undefined;
  readonly stopPrice: number | undefined;
  readonly clientId: string | undefined;
  readonly currency: string;
  readonly exDestination: string;
}

export interface Order extends OrderTerms {
  readonly clOrdId: string;
  readonly ordId: string;
  readonly accountId: string;
  readonly createdAt: Date;
  status: OrderStatus;
  cumQty: number;
  avgPrice: number;
  /** A STOP or STOP_LIMIT order whose stop price was reached. */
  triggered: boolean;
  text: string;
  rejectReason: string | undefined;
  updatedAt: Date;
  /** The clOrdId this order replaced, if any. */
  readonly origClOrdId: string | undefined;
}

export const OPEN_STATUSES: readonly OrderStatus[] = ['NEW', 'PARTIALLY_FILLED'];

export function isOpen(order: Order): boolean {
  return OPEN_STATUSES.includes(order.status);
}

export class OrderBook {
  private readonly orders = new Map<string, Order>();
  private sequence = 0;

  create(accountId: string, terms: OrderTerms, origClOrdId?: string): Order {
    this.sequence += 1;
    const now = new Date();
    const day = now.toISOString().slice(0, 10).replaceAll('-', '');
    const order: Order = {
      ...terms,
      clOrdId: `ORDER-${day}-${String(this.sequence).padStart(6, '0')}`,
      ordId: String(700_000_000 + this.sequence),
      accountId,
      createdAt: now,
      updatedAt: now,
      status: 'NEW',
      cumQty: 0,
      avgPrice: 0,
      triggered: false,
      text: 'Order accepted',
      rejectReason: undefined,
      origClOrdId,
    };
    this.orders.set(order.clOrdId, order);
    return order;
  }

  /** The order when it exists in this account. */
  find(accountId: string, clOrdId: unknown): Order | undefined {
    const order = typeof clOrdId === 'string' ? this.orders.get(clOrdId) : undefined;
    return order && order.accountId === accountId ? order : undefined;
  }

  /** All orders of an account (including SUPERSEDED ones), oldest first. */
  listForAccount(accountId: string): Order[] {
    return [...this.orders.values()].filter((order) => order.accountId === accountId);
  }

  /** Every order of every account, oldest first. */
  list(): Order[] {
    return [...this.orders.values()];
  }

  listOpen(): Order[] {
    return [...this.orders.values()].filter(isOpen);
  }
}
