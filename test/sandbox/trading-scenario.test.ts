/**
 * The trading API as a stateful brokerage: a resting limit order is listed,
 * replaced (new clOrdId, the old one refused) and canceled; market and
 * crossing limit orders fill and move positions and cash by exactly the fill
 * value; stops trigger; accounts are private to their user; history pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { admin, callApi, demoToken, errorCodes, startSandbox, type RunningSandbox } from './sandbox-client.js';

let running: RunningSandbox;
let token: string;
const ACCOUNT = 'TEST-ACCOUNT-001';

beforeAll(async () => {
  running = await startSandbox();
  token = (await demoToken(running)).accessToken;
});
afterAll(async () => {
  await running.server.close();
});

const api = (method: string, path: string, body?: unknown) => callApi(running.url, token, method, path, body);
const order = (over: Record<string, unknown> = {}) => ({
  tradingAccountId: ACCOUNT,
  symbol: 'MSFT',
  side: 'BUY',
  type: 'LIMIT',
  qty: '10',
  price: '400.00',
  timeInForce: 'DAY',
  ...over,
});
const money = (value: string) => Number(value);
const orderList = z.looseObject({ orders: z.array(z.looseObject({ clOrdId: z.string(), ordStatus: z.string() })) });
const records = z.looseObject({ orders: z.array(z.record(z.string(), z.unknown())) });
/** An order acknowledgement: the id the next request names and the status reached. */
const orderAck = z.looseObject({ clOrdId: z.string(), status: z.string() });
const balanceSheet = z.looseObject({
  settledFunds: z.string(),
  unsettledFunds: z.string(),
  valueBought: z.string(),
  valueSold: z.string(),
  realizedPl: z.string(),
  pendingOrdersCount: z.number(),
});
const activeIds = async () =>
  z
    .looseObject({ orders: z.array(z.looseObject({ clOrdId: z.string() })) })
    .parse((await api('GET', `/v2/accounts/${ACCOUNT}/orders`)).body)
    .orders.map((o) => o.clOrdId);
const balances = async () => balanceSheet.parse((await api('GET', `/v1/accounts/${ACCOUNT}/balances`)).body);
const position = async (symbol: string) =>
  z
    .looseObject({ positions: z.array(z.record(z.string(), z.unknown())) })
    .parse((await api('GET', `/v1/accounts/${ACCOUNT}/positions`)).body)
    .positions.find((p) => p.symbol === symbol);
const quoteResults = <T extends z.ZodType>(results: T) => z.looseObject({ results });
const askOf = async (symbol: string) =>
  quoteResults(z.looseObject({ askPrice: z.number() })).parse((await api('GET', `/v1/stocks/last-quote?ticker=${symbol}`)).body).results.askPrice;

describe('a limit order that rests, is replaced and canceled', () => {
  it('rests while MSFT trades near 420, then cycles its id on replace', async () => {
    const last = quoteResults(z.looseObject({ price: z.number() })).parse((await api('GET', '/v1/stocks/last-trade?ticker=MSFT')).body).results.price;
    expect(Math.abs(last - 420)).toBeLessThan(420 * 0.025);

    const placed = await api('POST', '/v1/orders', order());
    expect(placed.status).toBe(200);
    expect(placed.body).toMatchObject({ success: true, status: 'NEW', symbol: 'MSFT', side: 'BUY', qty: '10', cumQty: '0', leavesQty: '10' });
    const first = orderAck.parse(placed.body).clOrdId;
    expect(first).toMatch(/^ORDER-\d{8}-\d{6}$/);
    expect(await activeIds()).toContain(first);
    expect((await balances()).pendingOrdersCount).toBe(1);

    const replaced = await api('POST', '/v1/orders/replace', { origClOrdId: first, tradingAccountId: ACCOUNT, symbol: 'MSFT', price: '401.50' });
    expect(replaced.body).toMatchObject({ success: true, origClOrdId: first, status: 'REPLACED', price: '401.50', qty: '10' });
    const second = orderAck.parse(replaced.body).clOrdId;
    expect(second).not.toBe(first);
    expect(await activeIds()).toEqual([second]);

    const stale = await api('POST', '/v1/orders/cancel', { origClOrdId: first, tradingAccountId: ACCOUNT, symbol: 'MSFT', side: 'BUY' });
    expect(stale.status).toBe(400);
    expect(errorCodes.parse(stale.body).codes[0]).toMatchObject({ field: 'origClOrdId', description: expect.stringContaining('not found or not open') });
    const staleReplace = await api('POST', '/v1/orders/replace', { origClOrdId: first, tradingAccountId: ACCOUNT, symbol: 'MSFT', price: '402.00' });
    expect(staleReplace.status).toBe(400);

    const canceled = await api('POST', '/v1/orders/cancel', { origClOrdId: second, tradingAccountId: ACCOUNT, symbol: 'MSFT', side: 'BUY' });
    expect(canceled.body).toMatchObject({ success: true, status: 'CANCELED', origClOrdId: second });
    expect(await activeIds()).toEqual([]);
    expect((await api('POST', '/v1/orders/cancel', { origClOrdId: second, tradingAccountId: ACCOUNT, symbol: 'MSFT', side: 'BUY' })).status).toBe(400);

    const history = await api('GET', `/v2/accounts/${ACCOUNT}/orders/history?from=${new Date(Date.now() - 3_600_000).toISOString()}`);
    const ids = orderList.parse(history.body).orders.map((o) => [o.clOrdId, o.ordStatus]);
    expect(ids).toContainEqual([second, 'CANCELED']);
    expect(ids.map(([id]) => id)).not.toContain(first);
    const all = await admin(running.url, 'GET', `/admin/orders?account_id=${ACCOUNT}`);
    expect(orderList.parse(all.body).orders.map((o) => [o.clOrdId, o.ordStatus])).toContainEqual([first, 'SUPERSEDED']);
  });
});

describe('fills move positions and cash', () => {
  it('a market buy fills at the ask', async () => {
    const before = await balances();
    const ask = await askOf('MSFT');
    const placed = await api('POST', '/v1/orders', order({ type: 'MARKET', price: undefined, qty: '5' }));
    expect(placed.body).toMatchObject({ success: true, status: 'FILLED', cumQty: '5', leavesQty: '0', avgPrice: ask.toFixed(2) });
    expect(await position('MSFT')).toMatchObject({ quantity: '5', averagePrice: ask.toFixed(2) });
    const after = await balances();
    expect(money(after.settledFunds)).toBeCloseTo(money(before.settledFunds) - 5 * ask, 2);
    expect(money(after.valueBought)).toBeCloseTo(money(before.valueBought) + 5 * ask, 2);
  });

  it('a resting limit buy fills when the admin moves the price below the limit', async () => {
    const before = await balances();
    const held = await position('MSFT');
    const placed = await api('POST', '/v1/orders', order({ price: '400.00' }));
    const resting = orderAck.parse(placed.body);
    expect(resting.status).toBe('NEW');
    expect((await admin(running.url, 'POST', '/admin/market/prices', { MSFT: '395.00' })).status).toBe(200);
    const fill = 395.01;
    const filled = records
      .parse((await api('GET', `/v2/accounts/${ACCOUNT}/orders/history?from=${new Date(Date.now() - 60_000).toISOString()}`)).body)
      .orders.find((o) => o.clOrdId === resting.clOrdId);
    expect(filled).toMatchObject({ ordStatus: 'FILLED', avgPrice: '395.01', cumQty: '10', leavesQty: '0' });
    const heldQty = Number(held?.quantity);
    const expectedAvg = (heldQty * Number(held?.averagePrice) + 10 * fill) / (heldQty + 10);
    expect(await position('MSFT')).toMatchObject({
      quantity: String(heldQty + 10),
      averagePrice: expectedAvg.toFixed(2),
      marketValue: ((heldQty + 10) * 395).toFixed(2),
    });
    const after = await balances();
    expect(money(after.settledFunds)).toBeCloseTo(money(before.settledFunds) - 10 * fill, 2);
    expect(after.pendingOrdersCount).toBe(0);
    expect(await activeIds()).toEqual([]);
  });

  it('selling the starting AAPL position realizes P&L and leaves proceeds unsettled', async () => {
    const before = await balances();
    const aapl = await position('AAPL');
    expect(aapl).toMatchObject({ quantity: '50', averagePrice: '190.00' });
    const sold = await api('POST', '/v1/orders', order({ symbol: 'AAPL', side: 'SELL', type: 'MARKET', price: undefined, qty: '50' }));
    const sale = orderAck.extend({ avgPrice: z.string() }).parse(sold.body);
    expect(sale.status).toBe('FILLED');
    const bid = Number(sale.avgPrice);
    expect(await position('AAPL')).toBeUndefined();
    const after = await balances();
    expect(money(after.unsettledFunds)).toBeCloseTo(money(before.unsettledFunds) + 50 * bid, 2);
    expect(money(after.realizedPl)).toBeCloseTo(money(before.realizedPl) + 50 * (bid - 190), 2);
    expect(money(after.valueSold)).toBeCloseTo(50 * bid, 2);
  });

  it('selling more than is held is acknowledged as REJECTED and changes nothing', async () => {
    const rejected = await api('POST', '/v1/orders', order({ symbol: 'AAPL', side: 'SELL', type: 'MARKET', price: undefined, qty: '1' }));
    expect(rejected.body).toMatchObject({ success: false, status: 'REJECTED', ordRejReason: expect.stringContaining('Insufficient position') });
    const tooBig = await api('POST', '/v1/orders', order({ qty: '100000', price: '400.00' }));
    expect(tooBig.body).toMatchObject({ success: false, status: 'REJECTED', ordRejReason: expect.stringContaining('buying power') });
    expect(await activeIds()).toEqual([]);
  });

  it('a sell stop triggers when the last trade reaches the stop, then fills at the bid', async () => {
    const stop = await api('POST', '/v1/orders', order({ side: 'SELL', type: 'STOP', price: undefined, stopPrice: '390.00', qty: '5', timeInForce: 'GTC' }));
    const stopAck = orderAck.parse(stop.body);
    expect(stopAck.status).toBe('NEW');
    await admin(running.url, 'POST', '/admin/market/prices', { MSFT: '391.00' });
    expect(await activeIds()).toEqual([stopAck.clOrdId]);
    await admin(running.url, 'POST', '/admin/market/prices', { MSFT: '389.50' });
    expect(await activeIds()).toEqual([]);
    expect(await position('MSFT')).toMatchObject({ quantity: '10' });
  });

  it('preview estimates without changing anything', async () => {
    const before = await balances();
    const preview = await api('POST', '/v1/orders/preview', order({ qty: '2', price: '380.00' }));
    expect(preview.body).toMatchObject({
      estimatedCost: '760.00',
      estimatedMargin: '380.00',
      commission: '0.00',
      buyingPowerImpact: '760.00',
      errorMessages: [],
    });
    expect(await balances()).toEqual({ ...before, sodTtlEquityUpdatedAt: before.sodTtlEquityUpdatedAt });
    expect(await activeIds()).toEqual([]);
  });
});

describe('accounts are private', () => {
  it("another user's account is a 404 and cannot be traded; their own works", async () => {
    const created = await admin(running.url, 'POST', '/admin/users', { email: 'second@aries.test', password: 'second-pw' });
    expect(created.body).toMatchObject({ account_id: 'TEST-ACCOUNT-002' });
    const other = (await demoToken(running, undefined, { email: 'second@aries.test', password: 'second-pw' })).accessToken;
    expect((await callApi(running.url, other, 'GET', `/v1/accounts/${ACCOUNT}/balances`)).status).toBe(404);
    expect((await callApi(running.url, other, 'GET', `/v2/accounts/${ACCOUNT}/orders`)).status).toBe(404);
    expect((await callApi(running.url, other, 'GET', '/v1/accounts/TEST-ACCOUNT-999/positions')).status).toBe(404);
    const theirs = await callApi(running.url, other, 'GET', '/v1/accounts/TEST-ACCOUNT-002/balances');
    expect(theirs.body).toMatchObject({ accountId: 'TEST-ACCOUNT-002', settledFunds: '100000.00' });
    const accounts = await callApi(running.url, other, 'GET', '/v1/users/me/accounts');
    expect(
      z
        .looseObject({ accounts: z.array(z.looseObject({ sterling_account_id: z.string() })) })
        .parse(accounts.body)
        .accounts.map((a) => a.sterling_account_id),
    ).toEqual(['TEST-ACCOUNT-002']);
    const trade = await callApi(running.url, other, 'POST', '/v1/orders', order());
    expect(trade.status).toBe(400);
    expect(errorCodes.parse(trade.body).codes[0]?.field).toBe('tradingAccountId');
  });
});

describe('order history', () => {
  it('pages with cursor/nextCursor and sorts by order_by', async () => {
    for (let i = 0; i < 55; i += 1) await api('POST', '/v1/orders', order({ qty: '1', price: '100.00', clientId: `bulk-${i}` }));
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const page = z.looseObject({ orders: z.array(z.looseObject({ createdAt: z.string() })), nextCursor: z.unknown() });
    const first = page.parse((await api('GET', `/v2/accounts/${ACCOUNT}/orders/history?from=${from}&order_by=asc`)).body);
    expect(first.orders).toHaveLength(50);
    expect(first.nextCursor).toBe(50);
    const second = page.parse((await api('GET', `/v2/accounts/${ACCOUNT}/orders/history?from=${from}&order_by=asc&cursor=50`)).body);
    expect(second.nextCursor).toBe(0);
    const all = [...first.orders, ...second.orders].map((o) => o.createdAt);
    expect(all).toEqual([...all].sort());
    const active = await api('GET', `/v2/accounts/${ACCOUNT}/orders`);
    expect(active.body).toMatchObject({ nextCursor: 50 });
    expect((await api('GET', `/v2/accounts/${ACCOUNT}/orders?cursor=50`)).body).toMatchObject({ nextCursor: 0 });
  });
});
