/**
 * Analytics tag with deterministic data: analyst rating actions from a fixed
 * set of firms (one action per firm and ticker every few weeks over the last
 * year, price targets around the base price), top losers and market breadth
 * computed from the simulated market against the previous close.
 */
import { hashUnit } from '../market/price-walk.js';
import { UNIVERSE, exchangeName, findInstrument, type Instrument } from '../market/universe.js';
import type { Market } from '../market/market.js';
import { roundCents } from '../state/money.js';
import { queryNumber, queryString, type ApiContext, type OperationHandlers } from './operation-handler.js';

const DAY_MS = 86_400_000;
const FIRMS = [
  ['Morgan Stanley', 'Erik Woodring'],
  ['Goldman Sachs', 'Michael Ng'],
  ['JP Morgan', 'Samik Chatterjee'],
  ['Wedbush', 'Dan Ives'],
  ['Bank of America', 'Wamsi Mohan'],
  ['Barclays', 'Tim Long'],
  ['UBS', 'David Vogt'],
  ['Evercore ISI', 'Amit Daryanani'],
] as const;
const RATING_LADDER = ['Underweight', 'Neutral', 'Overweight', 'Buy', 'Outperform'];

interface Rating {
  readonly date: string;
  readonly importance: number;
  readonly [field: string]: unknown;
}

function ratingsFor(seed: string, instrument: Instrument, now: number): Rating[] {
  const out: Rating[] = [];
  FIRMS.forEach(([firm, analyst], f) => {
    for (let k = 0; k < 6; k += 1) {
      const h = (key: string) => hashUnit(`${seed}|${instrument.symbol}|${firm}|${k}|${key}`);
      const when = now - (k * 60 + Math.floor(h('day') * 55) + f) * DAY_MS;
      const prior = Math.floor(h('prior') * RATING_LADDER.length);
      const move = h('move') < 0.2 ? 1 : h('move') > 0.9 ? -1 : 0;
      const current = Math.min(RATING_LADDER.length - 1, Math.max(0, prior + move));
      const ptPrior = roundCents(instrument.basePrice * (1 + 0.25 * h('ptp')));
      const ptCurrent = roundCents(ptPrior * (0.92 + 0.16 * h('ptc')));
      const date = new Date(when).toISOString();
      out.push({
        id:
          Math.floor(h('id') * 0xffffffff)
            .toString(16)
            .padStart(8, '0') + String(k),
        date: date.slice(0, 10),
        time: `${String(7 + (f % 4)).padStart(2, '0')}:${String(Math.floor(h('min') * 60)).padStart(2, '0')}:00`,
        ticker: instrument.symbol,
        exchange: exchangeName(instrument.mic),
        name: instrument.name,
        currency: 'USD',
        action_pt: ptCurrent > ptPrior ? 'Raises' : ptCurrent < ptPrior ? 'Lowers' : 'Maintains',
        action_company: move > 0 ? 'Upgrades' : move < 0 ? 'Downgrades' : 'Maintains',
        rating_current: RATING_LADDER[current],
        rating_prior: RATING_LADDER[prior],
        pt_current: ptCurrent.toFixed(2),
        pt_current_adjusted: ptCurrent.toFixed(2),
        pt_prior: ptPrior.toFixed(2),
        pt_prior_adjusted: ptPrior.toFixed(2),
        analyst: firm,
        analyst_id: `A${f + 100}`,
        analyst_name: analyst,
        importance: 1 + Math.floor(h('imp') * 5),
        notes: '',
        updated: Math.floor(when / 1000),
        ratings_accuracy: {
          smart_score: roundCents(40 + 50 * h('smart')),
          success_rate: roundCents(0.45 + 0.3 * h('rate')),
          total_ratings: 40 + Math.floor(200 * h('total')),
          gain_count_1m: 10 + Math.floor(20 * h('g1')),
          loss_count_1m: 5 + Math.floor(15 * h('l1')),
          avg_return_1m: roundCents(2 * h('r1') - 0.5),
        },
      });
    }
  });
  return out;
}

function listAnalystRatings(ctx: ApiContext) {
  const tickers = queryString(ctx, 'tickers')
    ?.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const instruments = tickers ? tickers.map(findInstrument).filter((i) => i !== undefined) : UNIVERSE.filter((i) => i.type === 'stock');
  const now = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const date = queryString(ctx, 'date');
  const dateFrom = date ?? queryString(ctx, 'dateFrom') ?? '0000-00-00';
  const dateTo = date ?? queryString(ctx, 'dateTo') ?? '9999-12-31';
  const importance = queryNumber(ctx, 'importance') ?? 0;
  const ratings = instruments
    .flatMap((instrument) => ratingsFor(ctx.state.market.seed, instrument, now))
    .filter((r) => r.date >= dateFrom && r.date <= dateTo && r.importance >= importance)
    .sort((a, b) => b.date.localeCompare(a.date) || String(a.ticker).localeCompare(String(b.ticker)));
  const pageSize = queryNumber(ctx, 'pageSize') ?? 20;
  const pageIndex = queryNumber(ctx, 'page') ?? 0;
  return { ratings: ratings.slice(pageIndex * pageSize, (pageIndex + 1) * pageSize) };
}

function dayMoves(market: Market) {
  return UNIVERSE.map((instrument) => {
    const quote = market.quote(instrument);
    const previousClose = market.previousClose(instrument);
    const change = roundCents(quote.last - previousClose);
    return { instrument, quote, previousClose, change, changePercent: roundCents((change / previousClose) * 100) };
  });
}

function listEquityTopLosers(ctx: ApiContext) {
  return dayMoves(ctx.state.market)
    .filter((move) => move.change < 0)
    .sort((a, b) => a.changePercent - b.changePercent)
    .slice(0, queryNumber(ctx, 'limit') ?? 10)
    .map(({ instrument, quote, previousClose, change, changePercent }) => ({
      symbol: instrument.symbol,
      description: instrument.name,
      type: instrument.type === 'etf' ? 'etf' : 'stock',
      lastPrice: quote.last,
      previousClose,
      change,
      changePercent,
      volume: Math.round(instrument.averageVolume * 0.6),
      timestamp: new Date(quote.timestamp).toISOString(),
      isETF: instrument.type === 'etf',
      sector: instrument.sector,
      tag: instrument.mic,
    }));
}

function getMarketBreadth(ctx: ApiContext) {
  const moves = dayMoves(ctx.state.market);
  const advancers = moves.filter((m) => m.change > 0).length;
  const decliners = moves.filter((m) => m.change < 0).length;
  const total = moves.length;
  return {
    success: true,
    data: {
      advanceDeclineRatio: decliners === 0 ? advancers : roundCents(advancers / decliners),
      advancers,
      advancersPercent: roundCents((advancers / total) * 100),
      decliners,
      declinersPercent: roundCents((decliners / total) * 100),
      unchanged: total - advancers - decliners,
      totalSymbols: total,
      timestamp: new Date().toISOString(),
    },
  };
}

export const analyticsHandlers: OperationHandlers = { listAnalystRatings, listEquityTopLosers, getMarketBreadth };
