/**
 * Supplemental stock prices in the vendor envelope (`status`, `requestId`,
 * `results`) with JSON numbers: last quote (NBBO around the simulated last),
 * last trade, previous close and aggregate bars for any window.
 */
import { generateBars, isTimespan } from '../market/bars.js';
import { hashUnit } from '../market/price-walk.js';
import { isWeekday } from '../market/trading-session.js';
import { findInstrument, type Instrument } from '../market/universe.js';
import { roundCents } from '../state/money.js';
import { invalidField } from './api-error.js';
import { newRequestId, queryInstrument, queryNumber, queryString, type ApiContext, type OperationHandlers } from './operation-handler.js';

const EXCHANGE_ID: Record<Instrument['mic'], number> = { XNYS: 10, ARCX: 11, XNAS: 12 };
const TAPE: Record<Instrument['mic'], number> = { XNYS: 1, ARCX: 2, XNAS: 3 };
const DAY_MS = 86_400_000;

function getLastQuote(ctx: ApiContext) {
  const instrument = queryInstrument(ctx, 'ticker');
  const quote = ctx.state.market.quote(instrument);
  const ns = quote.timestamp * 1_000_000;
  return {
    requestId: newRequestId(),
    status: 'OK',
    results: {
      ticker: instrument.symbol,
      askPrice: quote.ask,
      askSize: quote.askSize,
      askExchange: EXCHANGE_ID[instrument.mic],
      bidPrice: quote.bid,
      bidSize: quote.bidSize,
      bidExchange: EXCHANGE_ID[instrument.mic],
      indicators: [],
      sequenceNumber: 1000 + quote.tick,
      sipTimestamp: ns,
      participantTimestamp: ns - 150_000,
      tape: TAPE[instrument.mic],
    },
  };
}

function getLastTrade(ctx: ApiContext) {
  const instrument = queryInstrument(ctx, 'ticker');
  const quote = ctx.state.market.quote(instrument);
  const ns = quote.timestamp * 1_000_000;
  return {
    requestId: newRequestId(),
    status: 'OK',
    results: {
      ticker: instrument.symbol,
      price: quote.last,
      size: quote.lastSize,
      exchange: EXCHANGE_ID[instrument.mic],
      conditions: [12],
      id: String(50_000 + quote.tick),
      sequenceNumber: 1000 + quote.tick,
      sipTimestamp: ns,
      participantTimestamp: ns - 150_000,
      tape: TAPE[instrument.mic],
    },
  };
}

function getPreviousClose(ctx: ApiContext) {
  const instrument = queryInstrument(ctx, 'ticker');
  const market = ctx.state.market;
  const c = market.previousClose(instrument);
  const wiggle = (key: string) => hashUnit(`${market.seed}|${instrument.symbol}|prev|${key}`);
  const o = roundCents(c * (1 + (wiggle('o') - 0.5) * 0.02));
  const h = roundCents(Math.max(o, c) * (1 + wiggle('h') * 0.01));
  const l = roundCents(Math.min(o, c) * (1 - wiggle('l') * 0.01));
  const v = Math.round(instrument.averageVolume * (0.7 + 0.6 * wiggle('v')));
  let t = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
  while (!isWeekday(t)) t -= DAY_MS;
  return {
    ticker: instrument.symbol,
    adjusted: ctx.query.adjusted !== false,
    queryCount: 1,
    resultsCount: 1,
    status: 'OK',
    requestId: newRequestId(),
    results: [{ T: instrument.symbol, o, h, l, c, v, vw: roundCents((o + h + l + c) / 4), n: Math.round(v / 120), t }],
  };
}

/** A date (`2026-01-02`, inclusive: `to` covers the whole day) or a millisecond timestamp. */
function parseBound(name: string, value: string | undefined, endOfDay: boolean): number {
  if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  const ms = Date.parse(value ?? '');
  if (Number.isNaN(ms)) throw invalidField(name, `${name} must be a date (YYYY-MM-DD) or a millisecond timestamp`);
  return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(value ?? '') ? ms + DAY_MS - 1 : ms;
}

function getStockAggregates(ctx: ApiContext) {
  const ticker = queryString(ctx, 'ticker') ?? '';
  const fromMs = parseBound('from', queryString(ctx, 'from'), false);
  const toMs = parseBound('to', queryString(ctx, 'to'), true);
  if (toMs < fromMs) throw invalidField('to', 'to must not be before from');
  const instrument = findInstrument(ticker);
  const envelope = { ticker: ticker.toUpperCase(), adjusted: ctx.query.adjusted !== false, status: 'OK', requestId: newRequestId() };
  if (!instrument) return { ...envelope, queryCount: 0, resultsCount: 0, results: [] };
  const timespan = queryString(ctx, 'timespan');
  // The spec's enum already rejected anything else; this guard only tells the type checker.
  if (!isTimespan(timespan)) throw invalidField('timespan', `unknown timespan ${String(timespan)}`);
  const bars = generateBars({
    seed: ctx.state.market.seed,
    instrument,
    livePrice: ctx.state.market.lastPrice(instrument),
    nowMs: Math.floor(Date.now() / 60_000) * 60_000,
    fromMs,
    toMs,
    timespan,
    multiplier: queryNumber(ctx, 'multiplier') ?? 1,
    limit: queryNumber(ctx, 'limit') ?? 5000,
  });
  if (queryString(ctx, 'sort') === 'desc') bars.reverse();
  return { ...envelope, queryCount: bars.length, resultsCount: bars.length, results: bars };
}

export const stockPriceHandlers: OperationHandlers = { getLastQuote, getLastTrade, getPreviousClose, getStockAggregates };
