/**
 * Orders as the API shows them: the v2 domain shape (`/v2/accounts/{id}/orders*`),
 * the legacy v1 snapshot shape and the acknowledgements of place/replace/cancel.
 * Amounts are decimal strings; absent prices are "0" where the spec requires the field.
 */
import { formatMoney, formatQuantity } from '../state/money.js';
import { isOpen, type Order } from '../state/order-book.js';

const V1_STATUS: Record<string, string> = { NEW: 'WORKING', PARTIALLY_FILLED: 'PARTIALLY_FILLED' };

function leaves(order: Order): number {
  return isOpen(order) ? order.qty - order.cumQty : 0;
}

const price = (value: number | undefined) => (value === undefined ? '0' : formatMoney(value));

export function toOrderView(order: Order): Record<string, unknown> {
  return {
    clOrdId: order.clOrdId,
    ordId: order.ordId,
    accountId: order.accountId,
    ...(order.clientId !== undefined ? { clientId: order.clientId } : {}),
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.timeInForce,
    ordStatus: order.status,
    qty: formatQuantity(order.qty),
    price: price(order.price),
    stopPrice: price(order.stopPrice),
    cumQty: formatQuantity(order.cumQty),
    leavesQty: formatQuantity(leaves(order)),
    avgPrice: price(order.cumQty > 0 ? order.avgPrice : undefined),
    currency: order.currency,
    exDestination: order.exDestination,
    text: order.text,
    ...(order.rejectReason !== undefined ? { ordRejReason: order.rejectReason } : {}),
    securityType: 'CS',
    category: 'SINGLE_LEG',
    legs: [],
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function toOrderV1View(order: Order): Record<string, unknown> {
  return {
    orderId: order.ordId,
    clOrdId: order.clOrdId,
    accountId: order.accountId,
    ...(order.clientId !== undefined ? { clientId: order.clientId } : {}),
    symbol: order.symbol,
    side: order.side,
    orderType: order.type,
    status: V1_STATUS[order.status] ?? order.status,
    tif: order.timeInForce,
    quantity: formatQuantity(order.qty),
    filledQty: formatQuantity(order.cumQty),
    leavesQty: formatQuantity(leaves(order)),
    price: price(order.price),
    stopPrice: price(order.stopPrice),
    avgPrice: price(order.cumQty > 0 ? order.avgPrice : undefined),
    currency: order.currency,
    destination: order.exDestination,
    instrument: 'EQUITY',
    category: 'SINGLE_LEG',
    text: order.text,
    legs: [],
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** The acknowledgement of `POST /v1/orders`. */
export function toPlacementAck(order: Order): Record<string, unknown> {
  return {
    success: order.status !== 'REJECTED',
    clOrdId: order.clOrdId,
    status: order.status,
    symbol: order.symbol,
    side: order.side,
    qty: formatQuantity(order.qty),
    cumQty: formatQuantity(order.cumQty),
    leavesQty: formatQuantity(leaves(order)),
    avgPrice: price(order.cumQty > 0 ? order.avgPrice : undefined),
    text: order.text,
    ...(order.rejectReason !== undefined ? { ordRejReason: order.rejectReason } : {}),
    transactTime: order.updatedAt.toISOString(),
  };
}
