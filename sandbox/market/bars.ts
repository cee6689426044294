/**
 * OHLCV bars for any window, generated from the seed: the same request gives
 * the same bars, and the most recent bar ends at the live price (the path is
 * scaled so that "now" equals the current last trade). Bars never extend past
 * now; intraday bars cover trading sessions only and daily bars skip weekends.
 */
import { roundCents } from '../state/money.js';
import { hashUnit, historyFactor } from './price-walk.js';
import { isInSession, isWeekday, nextSessionOpen } from './trading-session.js';
import type { Instrument } from './universe.js';

const TIMESPANS = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type Timespan = (typeof TIMESPANS)[number];

export function isTimespan(value: unknown): value is Timespan {
  return TIMESPANS.some((timespan) => timespan === value);
}

export interface Bar {
  /** Bucket start, ms since the epoch. */
  readonly t: number;
  readonly o: number;
  readonly h: number;
  readonly l: number;
  readonly c: number;
  readonly v: number;
  readonly vw: number;
  readonly n: number;
}

export interface BarRequest {
  readonly seed: string;
  readonly instrument: Instrument;
  /** The live last price, which the path is scaled to meet at `nowMs`. */
  readonly livePrice: number;
  readonly nowMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly timespan: Timespan;
  readonly multiplier: number;
  readonly limit: number;
  readonly includeExtended?: boolean;
}

const DAY_MS = 86_400_000;
const UNIT_MS: Partial<Record<Timespan, number>> = { second: 1000, minute: 60_000, hour: 3_600_000, day: DAY_MS, week: 7 * DAY_MS };
const MONTHS: Partial<Record<Timespan, number>> = { month: 1, quarter: 3, year: 12 };

export function generateBars(request: BarRequest): Bar[] {
  const { seed, instrument, livePrice, nowMs, timespan, limit } = request;
  const multiplier = Math.max(1, Math.floor(request.multiplier));
  const intraday = timespan === 'second' || timespan === 'minute' || timespan === 'hour';
  const extended = request.includeExtended === true;
  const end = Math.min(request.toMs, nowMs);
  const scale = livePrice / historyFactor(seed, instrument.symbol, nowMs / DAY_MS);
  const priceAt = (ms: number) => roundCents(scale * historyFactor(seed, instrument.symbol, ms / DAY_MS));
  const bars: Bar[] = [];
  let start = alignBucket(request.fromMs, timespan, multiplier);
  if (start < request.fromMs) start = stepBucket(start, timespan, multiplier);
  while (start <= end && bars.length < limit) {
    if (intraday && !isInSession(start, extended)) {
      start = alignUp(nextSessionOpen(start, extended), timespan, multiplier);
      continue;
    }
    const next = stepBucket(start, timespan, multiplier);
    if (timespan !== 'day' || isWeekday(start)) bars.push(makeBar(seed, instrument, start, Math.min(next, nowMs), priceAt));
    start = next;
  }
  return bars;
}

function makeBar(seed: string, instrument: Instrument, start: number, end: number, priceAt: (ms: number) => number): Bar {
  const o = priceAt(start);
  const c = priceAt(end);
  const spanDays = Math.max(end - start, 60_000) / DAY_MS;
  const wiggle = Math.min(0.02, 0.04 * Math.sqrt(spanDays));
  const h = roundCents(Math.max(o, c) * (1 + wiggle * hashUnit(`${seed}|${instrument.symbol}|${start}|h`)));
  const l = roundCents(Math.min(o, c) * (1 - wiggle * hashUnit(`${seed}|${instrument.symbol}|${start}|l`)));
  const tradingDays = spanDays >= 1 ? (spanDays * 5) / 7 : (spanDays * 24) / 6.5;
  const v = Math.max(1, Math.round(instrument.averageVolume * tradingDays * (0.6 + 0.8 * hashUnit(`${seed}|${instrument.symbol}|${start}|v`))));
  return { t: start, o, h, l, c, v, vw: roundCents((h + l + c) / 3), n: Math.max(1, Math.round(v / 120)) };
}

function alignBucket(ms: number, timespan: Timespan, multiplier: number): number {
  const unit = UNIT_MS[timespan];
  if (timespan === 'week') {
    const day = Math.floor(ms / DAY_MS) * DAY_MS;
    return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS; // Monday
  }
  if (unit !== undefined) {
    const step = timespan === 'day' ? DAY_MS : unit * multiplier;
    return Math.floor(ms / step) * step;
  }
  const date = new Date(ms);
  const months = MONTHS[timespan] ?? 1;
  const month = Math.floor(date.getUTCMonth() / months) * months;
  return Date.UTC(date.getUTCFullYear(), month, 1);
}

function alignUp(ms: number, timespan: Timespan, multiplier: number): number {
  const aligned = alignBucket(ms, timespan, multiplier);
  return aligned < ms ? stepBucket(aligned, timespan, multiplier) : aligned;
}

function stepBucket(ms: number, timespan: Timespan, multiplier: number): number {
  const unit = UNIT_MS[timespan];
  if (unit !== undefined) return ms + unit * multiplier;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + (MONTHS[timespan] ?? 1) * multiplier, 1);
}
