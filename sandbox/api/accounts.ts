/**
 * Accounts tag: the user's accounts, balances and positions (recomputed from
 * cash and live prices on every call). Order listings are in `account-orders.ts`.
 */
import { findInstrument } from '../market/universe.js';
import { computeBalances, markPosition } from '../state/compute-balances.js';
import { formatMoney, formatQuantity } from '../state/money.js';
import { ownAccount, type ApiContext, type OperationHandlers } from './operation-handler.js';

function startOfDay(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 13, 30));
}

function listUserAccounts(ctx: ApiContext) {
  const user = ctx.state.users.findById(ctx.caller.userId);
  return {
    accounts: ctx.state.accounts.listForUser(ctx.caller.userId).map((account) => ({
      id: account.numericId,
      sterling_account_id: account.id,
      fdid: `FD${String(account.numericId).padStart(8, '0')}`,
      apex_id: `APX${String(account.numericId).padStart(6, '0')}`,
      apex_account_id: `5SB${String(account.numericId).padStart(5, '0')}`,
      status: 'OPEN',
      is_sim: true,
      account_type: 'INDIVIDUAL',
      account_class: 'MARGIN',
      primary_user_id: account.userId,
      joint_user_id: null,
      primary_user: { id: account.userId, email: user?.email ?? '', country: 'US', plaid_status: 'COMPLETED' },
      joint_user: null,
      account_application: { status: 'APPROVED' },
      created_at: account.createdAt.toISOString(),
      updated_at: account.createdAt.toISOString(),
    })),
  };
}

function getAccountBalances(ctx: ApiContext) {
  const account = ownAccount(ctx, ctx.path.id);
  const b = computeBalances(account, ctx.state.market, ctx.state.desk.workingOrders(account.id));
  const sodEquity = account.startOfDayCash + account.sodPositionsMarketValue;
  return {
    accountId: account.id,
    dayTradeBuyingPower: formatMoney(b.dayTradeBuyingPower),
    netBuyingPower: formatMoney(b.stockBuyingPower),
    optionBuyingPower: formatMoney(b.optionBuyingPower),
    stockBuyingPower: formatMoney(b.stockBuyingPower),
    dayTradeOvernightRegTBuyingPower: formatMoney(b.stockBuyingPower),
    totalEquity: formatMoney(b.totalEquity),
    realizedPl: formatMoney(account.realizedPl),
    unrealizedPl: formatMoney(b.unrealizedPl),
    settledFunds: formatMoney(account.cash - account.unsettledFunds),
    unsettledFunds: formatMoney(account.unsettledFunds),
    startOfDayCash: formatMoney(account.startOfDayCash),
    heldBackFunds: '0.00',
    maintReq: formatMoney(b.maintenanceRequirement),
    grossMargin: formatMoney(b.initialRequirement),
    sma: formatMoney(Math.max(0, b.totalEquity - b.initialRequirement)),
    credit: formatMoney(Math.max(0, b.cash)),
    creditRemaining: formatMoney(b.stockBuyingPower),
    pdt: '0.00',
    pdtCreditRemaining: formatMoney(b.dayTradeBuyingPower),
    pendingOrdersCount: b.pendingOrdersCount,
    pendingOrdersMarginRequirements: formatMoney(b.pendingOrdersRequirement),
    valueBought: formatMoney(account.valueBought),
    valueSold: formatMoney(account.valueSold),
    sodPositionsMarketValue: formatMoney(account.sodPositionsMarketValue),
    sodTtlEquity: formatMoney(sodEquity),
    sodTtlEquityUpdatedAt: startOfDay().toISOString(),
  };
}

function getAccountPositions(ctx: ApiContext) {
  const account = ownAccount(ctx, ctx.path.id);
  const positions = [...account.positions.values()].map((position) => {
    const last = markPosition(position, ctx.state.market);
    const instrument = findInstrument(position.symbol);
    const previousClose = instrument ? ctx.state.market.previousClose(instrument) : last;
    return {
      accountId: account.id,
      symbol: position.symbol,
      securityType: 'CS',
      quantity: formatQuantity(position.quantity),
      averagePrice: formatMoney(position.averagePrice),
      marketValue: formatMoney(position.quantity * last),
      todayRealizedPnL: formatMoney(position.realizedToday),
      unrealizedPl: formatMoney(position.quantity * (last - position.averagePrice)),
      dailyPl: formatMoney(position.quantity * (last - previousClose)),
      createdAt: position.openedAt.toISOString(),
    };
  });
  return { positions, availability: { available: true, source: 'cache' } };
}

export const accountHandlers: OperationHandlers = { listUserAccounts, getAccountBalances, getAccountPositions };
