/**
 * `valueOrder` reads an order's value by the rules place_order declares in
 * spec/tools.yaml (taken from the generated definition, so a change there is
 * seen here).
 */
import { describe, expect, it } from 'vitest';
import { definition as placeOrder } from '../../../../generated/tools/place-order.js';
import { definition as replaceOrder } from '../../../../generated/tools/replace-order.js';
import { valueOrder, ValuationProblem } from '../../../../runtime/guardrails/order-value.js';

const rules = placeOrder.guardrails!;
const quote = { results: { askPrice: 101.25, bidPrice: 100.75 } };

describe('valueOrder (place_order rules)', () => {
  const cases: [string, { given: Record<string, unknown>; want: { valueCents: number; instrument: string; priceSource: string } }][] = [
    [
      'limit: quantity x limit price',
      {
        given: { symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '3', price: '400.10' },
        want: { valueCents: 120_030, instrument: 'equity', priceSource: 'price' },
      },
    ],
    [
      'fractional cents round up',
      { given: { symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '0.5', price: '0.01' }, want: { valueCents: 1, instrument: 'equity', priceSource: 'price' } },
    ],
    [
      'stop: the stop price',
      {
        given: { symbol: 'MSFT', side: 'SELL', type: 'STOP', qty: '2', stopPrice: '90' },
        want: { valueCents: 18_000, instrument: 'equity', priceSource: 'stopPrice' },
      },
    ],
    [
      'market buy: the ask',
      { given: { symbol: 'MSFT', side: 'BUY', type: 'MARKET', qty: '2' }, want: { valueCents: 20_250, instrument: 'equity', priceSource: 'ask' } },
    ],
    [
      'market sell: the bid',
      { given: { symbol: 'MSFT', side: 'SELL', type: 'MARKET', qty: '2' }, want: { valueCents: 20_150, instrument: 'equity', priceSource: 'bid' } },
    ],
    [
      'option by legs: x 100 x premium',
      {
        given: { symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '2', price: '1.50', legs: [{ securityType: 'OPT' }] },
        want: { valueCents: 30_000, instrument: 'option', priceSource: 'price' },
      },
    ],
    [
      'option by OSI symbol; a net credit counts by its size',
      {
        given: { symbol: 'MSFT  270115C00400000', side: 'SELL', type: 'LIMIT', qty: '1', price: '-2.05' },
        want: { valueCents: 20_500, instrument: 'option', priceSource: 'price' },
      },
    ],
  ];
  it.each(cases)('%s', async (_name, { given, want }) => {
    const valuation = await valueOrder(rules, given, async () => quote);
    expect(valuation).toMatchObject(want);
  });

  const problems: [string, Record<string, unknown>, RegExp][] = [
    ['no limit price', { symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '3' }, /price is missing or not a decimal number/],
    ['a quantity that is no number', { symbol: 'MSFT', side: 'BUY', type: 'LIMIT', qty: '1e3', price: '1' }, /qty is missing or not a decimal number/],
    ['a type with no price rule', { symbol: 'MSFT', side: 'BUY', type: 'TRAILING', qty: '1', price: '1' }, /orders of type TRAILING cannot be valued/],
    ['a market option order', { symbol: 'MSFT  270115C00400000', side: 'BUY', type: 'MARKET', qty: '1' }, /a market option order cannot be valued/],
  ];
  it.each(problems)('refuses to guess: %s', async (_name, given, message) => {
    await expect(valueOrder(rules, given, async () => quote)).rejects.toThrow(ValuationProblem);
    await expect(valueOrder(rules, given, async () => quote)).rejects.toThrow(message);
  });

  it('replace_order without type and side (both kept) is valued at the price it gives; without a price it cannot be valued', async () => {
    const replace = replaceOrder.guardrails!;
    expect(await valueOrder(replace, { symbol: 'MSFT', qty: '4', price: '301.50', origClOrdId: 'x' }, async () => quote)).toMatchObject({
      orderType: undefined,
      side: undefined,
      valueCents: 120_600,
      priceSource: 'price',
    });
    await expect(valueOrder(replace, { symbol: 'MSFT', qty: '4', origClOrdId: 'x' }, async () => quote)).rejects.toThrow(
      /the order gives neither type nor a price/,
    );
  });

  it('a quote without an ask cannot value a market buy', async () => {
    await expect(valueOrder(rules, { symbol: 'MSFT', side: 'BUY', type: 'MARKET', qty: '1' }, async () => ({ results: { bidPrice: 100 } }))).rejects.toThrow(
      /the quote's ask is missing/,
    );
  });
});
