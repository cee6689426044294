/**
 * Orders tag: place, preview, replace and cancel. Responses are
 * acknowledgements, as in Aries; an order the account cannot fund is
 * acknowledged with `success: false`, status REJECTED and the reason.
 * Preview estimates cost, margin and regulatory fees without changing state.
 */
import { findInstrument } from '../market/universe.js';
import { isBuySide } from '../state/apply-fill.js';
import { formatMoney, formatQuantity, roundCents } from '../state/money.js';
import { readCancelRequest, readPlaceRequest, readReplaceRequest } from './check-order-terms.js';
import { toPlacementAck } from './order-views.js';
import type { ApiContext, OperationHandlers } from './operation-handler.js';
import { isJsonObject } from '../json-object.js';

function placeOrder(ctx: ApiContext) {
  const { account, terms } = readPlaceRequest(ctx, isJsonObject(ctx.body) ? ctx.body : {});
  return toPlacementAck(ctx.state.desk.place(account, terms));
}

function previewOrder(ctx: ApiContext) {
  const { account, terms } = readPlaceRequest(ctx, isJsonObject(ctx.body) ? ctx.body : {});
  const instrument = findInstrument(terms.symbol);
  const quote = instrument ? ctx.state.market.quote(instrument) : undefined;
  const buy = isBuySide(terms.side);
  const unitPrice = terms.price ?? terms.stopPrice ?? (quote ? (buy ? quote.ask : quote.bid) : 0);
  const cost = roundCents(terms.qty * unitPrice);
  // SEC fee and FINRA TAF apply to sales only.
  const fees = buy ? 0 : roundCents(Math.ceil(cost * 0.0000278 * 100) / 100 + Math.min(terms.qty * 0.000166, 8.3));
  const impact = terms.side === 'SELL' ? 0 : cost + fees;
  const problem = ctx.state.desk.fundingProblem(account, terms, undefined);
  return {
    estimatedCost: formatMoney(cost),
    estimatedMargin: formatMoney(terms.side === 'SELL' ? 0 : cost * 0.5),
    commission: '0.00',
    fees: formatMoney(fees),
    buyingPowerImpact: formatMoney(impact),
    numDayTrades: 0,
    warnRuleId: '',
    optionFees: '0.00',
    optionRequirement: '0.00',
    optionPremium: '0.00',
    warningMessages: terms.type === 'MARKET' ? [`Market orders execute at the best available price; the estimate uses ${formatMoney(unitPrice)}.`] : [],
    errorMessages: problem ? [problem] : [],
  };
}

function replaceOrder(ctx: ApiContext) {
  const { account, original, terms } = readReplaceRequest(ctx, isJsonObject(ctx.body) ? ctx.body : {});
  const result = ctx.state.desk.replace(account, original, terms);
  if (typeof result === 'string') {
    return {
      success: false,
      origClOrdId: original.clOrdId,
      clOrdId: original.clOrdId,
      status: 'REJECTED',
      text: result,
      transactTime: new Date().toISOString(),
    };
  }
  return {
    success: true,
    clOrdId: result.clOrdId,
    origClOrdId: original.clOrdId,
    status: 'REPLACED',
    qty: formatQuantity(result.qty),
    ...(result.price !== undefined ? { price: formatMoney(result.price) } : {}),
    text: result.status === 'FILLED' ? 'Order replaced and filled' : 'Order replaced',
    transactTime: result.updatedAt.toISOString(),
  };
}

function cancelOrder(ctx: ApiContext) {
  const { order } = readCancelRequest(ctx, isJsonObject(ctx.body) ? ctx.body : {});
  ctx.state.desk.cancel(order);
  return { success: true, clOrdId: order.clOrdId, origClOrdId: order.clOrdId, status: 'CANCELED', text: 'Order canceled' };
}

export const orderHandlers: OperationHandlers = { placeOrder, previewOrder, replaceOrder, cancelOrder };
