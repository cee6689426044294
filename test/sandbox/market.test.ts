/**
 * The simulated market is deterministic: prices are a function of the seed and
 * the tick and stay near their base; bars are the same for the same request,
 * never run past now, skip weekends (daily) and nights (intraday); symbol
 * search ranks exact tickers first and also matches names.
 */
import { describe, expect, it } from 'vitest';
import { generateBars } from '../../sandbox/market/bars.js';
import { Market } from '../../sandbox/market/market.js';
import { searchSymbols } from '../../sandbox/market/search-symbols.js';
import { isInSession } from '../../sandbox/market/trading-session.js';
import { UNIVERSE, findInstrument } from '../../sandbox/market/universe.js';

const msft = findInstrument('MSFT')!;

describe('prices', () => {
  it('depend only on seed and tick', () => {
    const a = new Market('seed-1');
    const b = new Market('seed-1');
    const c = new Market('seed-2');
    a.advance(17);
    b.advance(17);
    c.advance(17);
    expect(a.quote(msft).last).toBe(b.quote(msft).last);
    expect(a.quote(msft).last).not.toBe(c.quote(msft).last);
  });

  it('stay within 2.5% of the base price and quote a one-cent spread', () => {
    const market = new Market('aries');
    for (let tick = 0; tick < 400; tick += 1) {
      for (const instrument of UNIVERSE) {
        const quote = market.quote(instrument);
        expect(Math.abs(quote.last / instrument.basePrice - 1)).toBeLessThan(0.025);
        expect(quote.ask - quote.bid).toBeCloseTo(0.02, 5);
      }
      market.advance();
    }
  });

  it('continue from an admin price', () => {
    const market = new Market('aries');
    market.setPrices({ MSFT: 395 });
    expect(market.lastPrice(msft)).toBe(395);
    market.advance();
    expect(Math.abs(market.lastPrice(msft) - 395)).toBeLessThan(395 * 0.04);
  });
});

describe('bars', () => {
  const now = Date.UTC(2026, 0, 15, 18, 0);
  const request = { seed: 'aries', instrument: msft, livePrice: 420, nowMs: now, multiplier: 1, limit: 5000 };

  it('are deterministic, end at the live price and never pass now', () => {
    const a = generateBars({ ...request, fromMs: now - 5 * 86_400_000, toMs: now + 86_400_000, timespan: 'minute' });
    const b = generateBars({ ...request, fromMs: now - 5 * 86_400_000, toMs: now + 86_400_000, timespan: 'minute' });
    expect(a).toEqual(b);
    expect(a.at(-1)!.t).toBeLessThanOrEqual(now);
    expect(a.at(-1)!.c).toBeCloseTo(420, 0);
    for (const bar of a) {
      expect(isInSession(bar.t, false)).toBe(true);
      expect(bar.h).toBeGreaterThanOrEqual(Math.max(bar.o, bar.c));
      expect(bar.l).toBeLessThanOrEqual(Math.min(bar.o, bar.c));
    }
  });

  it('daily bars skip weekends; limit caps the count', () => {
    const days = generateBars({ ...request, fromMs: Date.UTC(2025, 11, 1), toMs: Date.UTC(2025, 11, 31), timespan: 'day' });
    expect(days).toHaveLength(23);
    expect(days.every((bar) => ![0, 6].includes(new Date(bar.t).getUTCDay()))).toBe(true);
    expect(generateBars({ ...request, fromMs: Date.UTC(2025, 0, 1), toMs: now, timespan: 'day', limit: 10 })).toHaveLength(10);
    expect(generateBars({ ...request, fromMs: Date.UTC(2020, 0, 1), toMs: now, timespan: 'month' }).length).toBeGreaterThan(70);
  });
});

describe('symbol search', () => {
  it('ranks the exact ticker first, matches names and honours the limit', () => {
    expect(searchSymbols('msft', 5)[0]?.symbol).toBe('MSFT');
    expect(searchSymbols('micro', 5).map((i) => i.symbol)).toEqual(['AMD', 'MSFT']);
    expect(searchSymbols('A', 3)).toHaveLength(3);
    expect(searchSymbols('.AAPL', 5)).toEqual([]);
  });
});
