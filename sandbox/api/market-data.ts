/**
 * Market Data and Chart tags over the simulated market: symbol search,
 * TradingView-style history (always HTTP 200, failures in `s`/`errmsg`) and
 * symbol info. Option quotes are not simulated and fall back to samples.
 */
import { generateBars, type Timespan } from '../market/bars.js';
import { searchSymbols as findSymbols } from '../market/search-symbols.js';
import { exchangeName, findInstrument } from '../market/universe.js';
import { queryInstrument, queryNumber, queryString, type ApiContext, type InvalidRequestAnswers, type OperationHandlers } from './operation-handler.js';

const RESOLUTIONS: Record<string, [Timespan, number]> = {
  D: ['day', 1],
  '1D': ['day', 1],
  '1d': ['day', 1],
  W: ['week', 1],
  '1W': ['week', 1],
  '1w': ['week', 1],
  M: ['month', 1],
  '1M': ['month', 1],
  '1m': ['month', 1],
  '3M': ['month', 3],
  '3m': ['month', 3],
  '6M': ['month', 6],
  '6m': ['month', 6],
  '12M': ['year', 1],
  '12m': ['year', 1],
};
const SUPPORTED_RESOLUTIONS = ['1', '3', '5', '15', '30', '45', '60', '120', '180', '240', 'D', 'W', 'M', '3M', '6M', '12M'];
const MAX_CHART_BARS = 5000;

function searchSymbols(ctx: ApiContext) {
  return findSymbols(queryString(ctx, 'query') ?? '', queryNumber(ctx, 'limit') ?? 20).map((instrument) => ({
    symbol: instrument.symbol,
    description: instrument.name,
    tag: instrument.mic,
    type: 'stock',
  }));
}

/** Unix seconds, accepting milliseconds too (values past year 5138 in seconds are taken as ms). */
function toMs(value: number): number {
  return value > 1e11 ? value : value * 1000;
}

function getChartHistory(ctx: ApiContext) {
  const instrument = findInstrument(queryString(ctx, 'symbol'));
  if (!instrument) return { s: 'error', errmsg: `unknown symbol ${queryString(ctx, 'symbol') ?? ''}` };
  const fromMs = toMs(queryNumber(ctx, 'from') ?? 0);
  const toMsValue = toMs(queryNumber(ctx, 'to') ?? 0);
  if (toMsValue <= fromMs) return { s: 'error', errmsg: 'to must be greater than from' };
  const resolution = queryString(ctx, 'resolution') ?? 'D';
  const [timespan, multiplier] = RESOLUTIONS[resolution] ?? ['minute', Number(resolution)];
  const bars = generateBars({
    seed: ctx.state.market.seed,
    instrument,
    livePrice: ctx.state.market.lastPrice(instrument),
    nowMs: Math.floor(Date.now() / 60_000) * 60_000,
    fromMs,
    toMs: toMsValue,
    timespan,
    multiplier,
    limit: MAX_CHART_BARS,
    includeExtended: ctx.query.includeExtended === true,
  });
  if (bars.length === 0) return { s: 'no_data', errmsg: 'no bars in the requested window' };
  return {
    s: 'ok',
    t: bars.map((bar) => Math.floor(bar.t / 1000)),
    o: bars.map((bar) => bar.o),
    h: bars.map((bar) => bar.h),
    l: bars.map((bar) => bar.l),
    c: bars.map((bar) => bar.c),
    v: bars.map((bar) => bar.v),
  };
}

function getChartSymbolInfo(ctx: ApiContext) {
  const instrument = queryInstrument(ctx, 'symbol');
  return {
    name: instrument.symbol,
    ticker: instrument.symbol,
    description: instrument.name,
    type: 'stock',
    exchange: exchangeName(instrument.mic),
    listed_exchange: exchangeName(instrument.mic),
    format: 'price',
    session: '0930-1600',
    timezone: 'America/New_York',
    minmov: 1,
    pricescale: 100,
    has_intraday: true,
    has_seconds: false,
    has_weekly_and_monthly: true,
    intraday_multipliers: ['1', '3', '5', '15', '30', '45', '60', '120', '180', '240'],
    supported_resolutions: SUPPORTED_RESOLUTIONS,
    visible_plots_set: 'ohlcv',
    volume_precision: 0,
  };
}

export const marketDataHandlers: OperationHandlers = { searchSymbols, getChartHistory, getChartSymbolInfo };

/** Chart history always answers HTTP 200 (API-REFERENCE §3.5); bad parameters come back as `s: "error"`. */
export const marketDataInvalidRequestAnswers: InvalidRequestAnswers = {
  getChartHistory: (errors) => ({ s: 'error', errmsg: errors.map((error) => error.description).join('; ') }),
};
