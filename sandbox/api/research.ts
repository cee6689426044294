/**
 * Supplemental research with deterministic data: financial ratios (valuation
 * from the live price and the universe's fundamentals, other ratios fixed per
 * symbol), company profiles and a simple sandbox news feed about the day's
 * simulated moves. Filters follow the spec's parameter names.
 */
import { hashUnit } from '../market/price-walk.js';
import { UNIVERSE, exchangeName, findInstrument, type Instrument } from '../market/universe.js';
import { roundCents } from '../state/money.js';
import { newRequestId, queryInstrument, queryNumber, queryString, type ApiContext, type OperationHandlers } from './operation-handler.js';

function matchesTickerFilters(ctx: ApiContext, instrument: Instrument): boolean {
  const s = instrument.symbol;
  const q = (name: string) => queryString(ctx, name)?.toUpperCase();
  const anyOf = q('tickersAnyOf')
    ?.split(',')
    .map((t) => t.trim());
  const cik = (value: string | undefined) => value?.replace(/^0+/, '');
  const ownCik = cik(instrument.cik) ?? '';
  const ciks = queryString(ctx, 'ciks')
    ?.split(',')
    .map((c) => cik(c.trim()));
  const checks: Array<[string | undefined, (v: string) => boolean]> = [
    [q('tickers'), (v) => s === v],
    [q('tickerFrom'), (v) => s >= v],
    [q('tickerAfter'), (v) => s > v],
    [q('tickerTo'), (v) => s <= v],
    [q('tickerBefore'), (v) => s < v],
    [cik(queryString(ctx, 'cik')), (v) => ownCik === v],
  ];
  return checks.every(([value, test]) => value === undefined || test(value)) && (!anyOf || anyOf.includes(s)) && (!ciks || ciks.includes(ownCik));
}

function listFinancialRatios(ctx: ApiContext) {
  const seed = ctx.state.market.seed;
  const priceChecks: Array<[string, (p: number, v: number) => boolean]> = [
    ['price', (p, v) => p === v],
    ['priceAbove', (p, v) => p > v],
    ['priceMin', (p, v) => p >= v],
    ['priceBelow', (p, v) => p < v],
    ['priceMax', (p, v) => p <= v],
  ];
  const results = UNIVERSE.filter((i) => i.type === 'stock' && matchesTickerFilters(ctx, i)).flatMap((instrument) => {
    const price = ctx.state.market.lastPrice(instrument);
    if (
      !priceChecks.every(([name, test]) => {
        const bound = queryNumber(ctx, name);
        return bound === undefined || test(price, bound);
      })
    )
      return [];
    const h = (key: string) => hashUnit(`${seed}|${instrument.symbol}|ratio|${key}`);
    const marketCap = Math.round(price * instrument.sharesOutstanding);
    const sales = instrument.sharesOutstanding * instrument.basePrice * (0.08 + 0.1 * h('sales'));
    const freeCashFlow = Math.round(sales * (0.1 + 0.2 * h('fcf')));
    const cash = Math.round(marketCap * (0.02 + 0.05 * h('cash')));
    const enterpriseValue = Math.round(marketCap * (1 + 0.05 * h('debt')) - cash);
    return [
      {
        ticker: instrument.symbol,
        cik: instrument.cik,
        date: new Date().toISOString().slice(0, 10),
        price,
        averageVolume: instrument.averageVolume,
        marketCap,
        earningsPerShare: instrument.eps,
        priceToEarnings: roundCents(price / instrument.eps),
        priceToBook: roundCents(3 + 40 * h('pb')),
        priceToSales: roundCents(marketCap / sales),
        priceToCashFlow: roundCents(marketCap / (freeCashFlow * 1.2)),
        priceToFreeCashFlow: roundCents(marketCap / freeCashFlow),
        dividendYield: instrument.dividendYield,
        returnOnAssets: roundCents(0.05 + 0.2 * h('roa')),
        returnOnEquity: roundCents(0.1 + 0.9 * h('roe')),
        debtToEquity: roundCents(0.1 + 1.8 * h('de')),
        current: roundCents(0.8 + 2 * h('current')),
        quick: roundCents(0.6 + 1.8 * h('quick')),
        cash,
        evToSales: roundCents(enterpriseValue / sales),
        evToEbitda: roundCents(enterpriseValue / (sales * (0.2 + 0.3 * h('ebitda')))),
        enterpriseValue,
        freeCashFlow,
      },
    ];
  });
  return { status: 'OK', requestId: newRequestId(), results };
}

function getCompanyProfile(ctx: ApiContext) {
  const instrument = queryInstrument(ctx, 'symbol');
  return {
    symbol: instrument.symbol,
    name: instrument.name,
    exchange: exchangeName(instrument.mic),
    mic: instrument.mic,
    type: instrument.type,
    sector: instrument.sector,
    country: 'US',
    currency: 'USD',
    cik: instrument.cik,
    marketCap: Math.round(ctx.state.market.lastPrice(instrument) * instrument.sharesOutstanding),
    sharesOutstanding: instrument.sharesOutstanding,
    description: `${instrument.name} (${instrument.symbol}) is listed on ${exchangeName(instrument.mic)}. Sandbox profile: figures are simulated.`,
  };
}

function listNews(ctx: ApiContext) {
  const symbol = queryString(ctx, 'symbol');
  const instruments = symbol ? [findInstrument(symbol)].filter((i) => i !== undefined) : UNIVERSE.slice(0, 8);
  const market = ctx.state.market;
  const results = instruments.map((instrument, i) => {
    const last = market.lastPrice(instrument);
    const change = ((last - market.previousClose(instrument)) / market.previousClose(instrument)) * 100;
    const verb = change >= 0 ? 'rises' : 'falls';
    return {
      id: `sandbox-${instrument.symbol}-${market.tick}`,
      headline: `${instrument.name} ${verb} ${Math.abs(change).toFixed(2)}% in simulated trading`,
      summary: `${instrument.symbol} last traded at ${last.toFixed(2)} against a previous close of ${market.previousClose(instrument).toFixed(2)}. Sandbox news is generated from simulated prices.`,
      source: 'Sandbox Newswire',
      tickers: [instrument.symbol],
      publishedAt: new Date(Date.now() - i * 600_000).toISOString(),
      url: `https://example.com/news/${instrument.symbol.toLowerCase()}`,
    };
  });
  return { status: 'OK', count: results.length, results };
}

export const researchHandlers: OperationHandlers = { listFinancialRatios, getCompanyProfile, listNews };
