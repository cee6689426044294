/**
 * The simulated market: a tick counter and the price of every instrument at
 * the current tick. Ticks advance on a timer (when started) or on demand;
 * admins can pin a price, after which the walk continues from that level.
 * Listeners run after every price change (the order matcher is one).
 */
import { roundCents } from '../state/money.js';
import { tickFactor } from './price-walk.js';
import { findInstrument, type Instrument } from './universe.js';

export interface Quote {
  readonly symbol: string;
  readonly last: number;
  readonly bid: number;
  readonly ask: number;
  readonly bidSize: number;
  readonly askSize: number;
  readonly lastSize: number;
  readonly tick: number;
  /** When the current tick started (ms since the epoch). */
  readonly timestamp: number;
}

interface Anchor {
  readonly price: number;
  readonly tick: number;
}

/** Quoted half-spread: one cent each side of the last trade. */
const HALF_SPREAD = 0.01;

export class Market {
  private currentTick = 0;
  private tickStartedAt = Date.now();
  private readonly anchors = new Map<string, Anchor>();
  private readonly listeners: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly seed: string) {}

  get tick(): number {
    return this.currentTick;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  lastPrice(instrument: Instrument): number {
    const anchor = this.anchors.get(instrument.symbol);
    const factor = tickFactor(this.seed, instrument.symbol, this.currentTick);
    if (!anchor) return roundCents(instrument.basePrice * factor);
    return roundCents((anchor.price * factor) / tickFactor(this.seed, instrument.symbol, anchor.tick));
  }

  /** Yesterday's close: fixed per seed, so the day's change is last minus this. */
  previousClose(instrument: Instrument): number {
    return roundCents(instrument.basePrice * tickFactor(this.seed, instrument.symbol, -1));
  }

  quote(instrument: Instrument): Quote {
    const last = this.lastPrice(instrument);
    const sizes = (this.currentTick * 7 + instrument.symbol.length * 13) % 9;
    return {
      symbol: instrument.symbol,
      last,
      bid: roundCents(Math.max(0.01, last - HALF_SPREAD)),
      ask: roundCents(last + HALF_SPREAD),
      bidSize: 100 * (1 + sizes),
      askSize: 100 * (9 - sizes),
      lastSize: 100 + ((this.currentTick * 31) % 400),
      tick: this.currentTick,
      timestamp: this.tickStartedAt,
    };
  }

  advance(ticks = 1): void {
    this.currentTick += Math.max(1, Math.floor(ticks));
    this.tickStartedAt = Date.now();
    this.notify();
  }

  /** Pins prices (`{ MSFT: 395 }`); unknown symbols are returned, nothing else changes for them. */
  setPrices(prices: Readonly<Record<string, number>>): string[] {
    const unknown: string[] = [];
    for (const [symbol, price] of Object.entries(prices)) {
      const instrument = findInstrument(symbol);
      if (!instrument) unknown.push(symbol);
      else this.anchors.set(instrument.symbol, { price, tick: this.currentTick });
    }
    this.notify();
    return unknown;
  }

  start(intervalMs: number): void {
    if (this.timer || intervalMs <= 0) return;
    this.timer = setInterval(() => this.advance(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
