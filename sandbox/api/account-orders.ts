/**
 * Order listings of an account:
 * - v2 active orders: open orders only, newest first;
 * - v2 history: every order created in [from, to] except SUPERSEDED ones, `to` defaulting to now
 *   (truncated to the minute) and at most 90 days after `from`, sorted by `order_by`;
 * - both page with `cursor` (an offset; `nextCursor` 0 when there are no more pages);
 * - v1 snapshot: all orders except SUPERSEDED ones, in the legacy shape.
 */
import type { Order } from '../state/order-book.js';
import { invalidField } from './api-error.js';
import { toOrderV1View, toOrderView } from './order-views.js';
import { ownAccount, queryNumber, queryString, type ApiContext, type OperationHandlers } from './operation-handler.js';

const PAGE_SIZE = 50;
const MAX_WINDOW_MS = 90 * 24 * 3600 * 1000;

function visibleOrders(ctx: ApiContext): Order[] {
  const account = ownAccount(ctx, ctx.path.id);
  return ctx.state.orders.listForAccount(account.id).filter((order) => order.status !== 'SUPERSEDED');
}

function page(ctx: ApiContext, orders: Order[]) {
  const cursor = queryNumber(ctx, 'cursor') ?? 0;
  const slice = orders.slice(cursor, cursor + PAGE_SIZE);
  const next = cursor + PAGE_SIZE < orders.length ? cursor + PAGE_SIZE : 0;
  return { orders: slice.map(toOrderView), nextCursor: next };
}

const newestFirst = (a: Order, b: Order) => b.createdAt.getTime() - a.createdAt.getTime() || b.clOrdId.localeCompare(a.clOrdId);

function listActiveOrders(ctx: ApiContext) {
  return page(
    ctx,
    visibleOrders(ctx)
      .filter((order) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED')
      .sort(newestFirst),
  );
}

function listOrderHistory(ctx: ApiContext) {
  const orders = visibleOrders(ctx);
  const from = Date.parse(queryString(ctx, 'from') ?? '');
  const toParam = queryString(ctx, 'to');
  const to = toParam === undefined ? Math.floor(Date.now() / 60_000) * 60_000 + 59_999 : Date.parse(toParam);
  if (to < from) throw invalidField('to', 'to must not be before from');
  if (to - from > MAX_WINDOW_MS) throw invalidField('to', 'the window from..to is capped at 90 days');
  const inWindow = orders.filter((order) => order.createdAt.getTime() >= from && order.createdAt.getTime() <= to).sort(newestFirst);
  return page(ctx, queryString(ctx, 'order_by') === 'asc' ? inWindow.reverse() : inWindow);
}

function listAccountOrdersV1(ctx: ApiContext) {
  return { orders: visibleOrders(ctx).sort(newestFirst).map(toOrderV1View), availability: { available: true, source: 'cache' } };
}

export const accountOrderHandlers: OperationHandlers = { listActiveOrders, listOrderHistory, listAccountOrdersV1 };
