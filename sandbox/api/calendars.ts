/**
 * Calendars tag with deterministic data: quarterly earnings for every stock in
 * the universe (a fixed report day per symbol and quarter, past reports with
 * actuals and surprises, future ones with estimates only) and a US economic
 * calendar built from recurring releases (payrolls on the first Friday, CPI
 * mid-month, weekly jobless claims, ...).
 */
import { hashUnit } from '../market/price-walk.js';
import { isWeekday } from '../market/trading-session.js';
import { UNIVERSE, findInstrument } from '../market/universe.js';
import { roundCents } from '../state/money.js';
import { invalidField } from './api-error.js';
import { queryString, type ApiContext, type OperationHandlers } from './operation-handler.js';

const DAY_MS = 86_400_000;
const HOURS = ['bmo', 'amc', 'amc'] as const;
const RATINGS = ['Strong Buy', 'Buy', 'Buy', 'Hold'];

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function weekdayOnOrAfter(ms: number): number {
  let t = ms;
  while (!isWeekday(t)) t += DAY_MS;
  return t;
}

function getEarningsCalendar(ctx: ApiContext) {
  const from = Date.parse(queryString(ctx, 'from') ?? '');
  const to = Date.parse(queryString(ctx, 'to') ?? '');
  if (to < from) throw invalidField('to', 'to must not be before from');
  const symbol = queryString(ctx, 'symbol');
  const seed = ctx.state.market.seed;
  const instruments = symbol ? [findInstrument(symbol)].filter((i) => i !== undefined) : UNIVERSE;
  const events = [];
  for (const instrument of instruments) {
    if (instrument.type !== 'stock') continue;
    const live = ctx.state.market.lastPrice(instrument);
    for (let year = new Date(from).getUTCFullYear(); year <= new Date(to).getUTCFullYear(); year += 1) {
      for (let q = 0; q < 4; q += 1) {
        const h = (key: string) => hashUnit(`${seed}|${instrument.symbol}|${year}|${q}|${key}`);
        const offset = 20 + Math.floor(hashUnit(`${seed}|${instrument.symbol}|day`) * 15);
        const date = weekdayOnOrAfter(Date.UTC(year, 3 * q, 1) + offset * DAY_MS);
        if (date < from || date > to) continue;
        const reported = date + DAY_MS < Date.now();
        const epsEstimate = roundCents((instrument.eps / 4) * (0.9 + 0.2 * h('eps')));
        const revenueEstimate = Math.round((instrument.sharesOutstanding * instrument.basePrice * 0.08) / 4 / 1e6) * 1e6;
        const surprise = (h('surprise') - 0.35) * 0.12;
        const epsActual = reported ? roundCents(epsEstimate * (1 + surprise)) : null;
        const revenueActual = reported ? Math.round(revenueEstimate * (1 + surprise / 3)) : null;
        events.push({
          date: isoDate(date),
          symbol: instrument.symbol,
          name: instrument.name,
          hour: HOURS[Math.floor(hashUnit(`${seed}|${instrument.symbol}|hour`) * HOURS.length)],
          quarter: q === 0 ? 4 : q,
          year: q === 0 ? year - 1 : year,
          epsActual,
          epsEstimate,
          epsSurprise: epsActual === null ? null : roundCents(epsActual - epsEstimate),
          revenueActual,
          revenueEstimate,
          revenueSurprise: revenueActual === null ? null : revenueActual - revenueEstimate,
          marketCap: Math.round(instrument.sharesOutstanding * live),
          logo: { logoLight: `https://example.com/logos/${instrument.symbol}-light.png`, logoDark: `https://example.com/logos/${instrument.symbol}-dark.png` },
          analystRating: {
            currentRating: RATINGS[Math.floor(h('rating') * RATINGS.length)],
            priceTarget: roundCents(live * (1.05 + 0.2 * h('pt'))),
            totalRatings: 20 + Math.floor(h('count') * 30),
            successRate: roundCents(0.5 + 0.3 * h('success')),
            averageReturn: roundCents(0.02 + 0.1 * h('return')),
          },
        });
      }
    }
  }
  return events.sort((a, b) => a.date.localeCompare(b.date) || a.symbol.localeCompare(b.symbol));
}

interface Release {
  readonly event: string;
  readonly category: string;
  readonly ticker: string;
  readonly time: string;
  readonly importance: number;
  readonly unit: string;
  readonly base: number;
  readonly spread: number;
  readonly on: (d: Date) => boolean;
}

const RELEASES: readonly Release[] = [
  {
    event: 'Non Farm Payrolls',
    category: 'Non Farm Payrolls',
    ticker: 'NFP TCH',
    time: '13:30',
    importance: 3,
    unit: 'K',
    base: 150,
    spread: 120,
    on: (d) => d.getUTCDay() === 5 && d.getUTCDate() <= 7,
  },
  {
    event: 'Unemployment Rate',
    category: 'Unemployment Rate',
    ticker: 'USURTOT',
    time: '13:30',
    importance: 3,
    unit: '%',
    base: 4.2,
    spread: 0.3,
    on: (d) => d.getUTCDay() === 5 && d.getUTCDate() <= 7,
  },
  {
    event: 'Inflation Rate YoY',
    category: 'Inflation Rate',
    ticker: 'CPI YOY',
    time: '13:30',
    importance: 3,
    unit: '%',
    base: 2.8,
    spread: 0.5,
    on: (d) => d.getUTCDate() === weekdayDate(d, 12),
  },
  {
    event: 'Retail Sales MoM',
    category: 'Retail Sales MoM',
    ticker: 'RSTAMOM',
    time: '13:30',
    importance: 2,
    unit: '%',
    base: 0.3,
    spread: 0.8,
    on: (d) => d.getUTCDate() === weekdayDate(d, 16),
  },
  {
    event: 'Initial Jobless Claims',
    category: 'Initial Jobless Claims',
    ticker: 'IJCUSA',
    time: '13:30',
    importance: 2,
    unit: 'K',
    base: 225,
    spread: 30,
    on: (d) => d.getUTCDay() === 4,
  },
  {
    event: 'EIA Crude Oil Stocks Change',
    category: 'Crude Oil Stocks Change',
    ticker: 'USACOSC',
    time: '15:30',
    importance: 1,
    unit: 'M',
    base: 0,
    spread: 6,
    on: (d) => d.getUTCDay() === 3,
  },
  {
    event: 'ISM Manufacturing PMI',
    category: 'Business Confidence',
    ticker: 'NAPMPMI',
    time: '15:00',
    importance: 2,
    unit: '',
    base: 49,
    spread: 3,
    on: (d) => d.getUTCDate() === weekdayDate(d, 1),
  },
];

/** The day of month of the first weekday on or after `day` in `d`'s month. */
function weekdayDate(d: Date, day: number): number {
  return new Date(weekdayOnOrAfter(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day))).getUTCDate();
}

function getEconomicCalendar(ctx: ApiContext) {
  const date = queryString(ctx, 'date') ?? '';
  const day = new Date(`${date}T00:00:00Z`);
  const seed = ctx.state.market.seed;
  const month = day.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const events = RELEASES.filter((release) => release.on(day)).map((release, i) => {
    const value = (key: string) => (release.base + (hashUnit(`${seed}|${release.ticker}|${date}|${key}`) - 0.5) * release.spread).toFixed(1);
    const previous = value('previous');
    const forecast = value('forecast');
    return {
      calendarID: String(300_000 + Math.floor(hashUnit(`${release.ticker}|${date}`) * 600_000) + i),
      date: `${date}T${release.time}:00`,
      time: release.time,
      country: 'United States',
      category: release.category,
      event: release.event,
      importance: release.importance,
      reference: month,
      referenceDate: date,
      previous: `${previous}${release.unit}`,
      forecast: `${forecast}${release.unit}`,
      teForecast: `${forecast}${release.unit}`,
      source: 'Sandbox Statistics Office',
      sourceUrl: 'https://example.com/economic-data',
      unit: release.unit,
      ticker: release.ticker,
      symbol: release.ticker,
      lastUpdate: `${date}T${release.time}:00`,
    };
  });
  return { events, importantDates: events.some((e) => e.importance === 3) ? [date] : [] };
}

export const calendarHandlers: OperationHandlers = { getEarningsCalendar, getEconomicCalendar };
