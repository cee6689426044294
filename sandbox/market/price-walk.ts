/**
 * Deterministic price paths. Live prices are a function of (seed, symbol,
 * tick): two slow sines plus a little hashed noise, within about ±2% of the
 * base price, so a limit buy of MSFT at 400 rests while MSFT trades near 420.
 * Historical bars are a function of (seed, symbol, time in days) with larger,
 * slower swings. No Math.random: the same seed always gives the same market.
 */

/** FNV-1a over a string, mapped to [0, 1). */
export function hashUnit(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

/** Multiplier on the base price at a market tick (0.98 to 1.02). */
export function tickFactor(seed: string, symbol: string, tick: number): number {
  const phase1 = hashUnit(`${seed}|${symbol}|p1`) * 2 * Math.PI;
  const phase2 = hashUnit(`${seed}|${symbol}|p2`) * 2 * Math.PI;
  const noise = hashUnit(`${seed}|${symbol}|${tick}`) - 0.5;
  return 1 + 0.012 * Math.sin((2 * Math.PI * tick) / 97 + phase1) + 0.006 * Math.sin((2 * Math.PI * tick) / 23 + phase2) + 0.004 * noise;
}

/** Multiplier for historical prices at a time given in (fractional) days since the epoch. */
export function historyFactor(seed: string, symbol: string, days: number): number {
  const phase1 = hashUnit(`${seed}|${symbol}|h1`) * 2 * Math.PI;
  const phase2 = hashUnit(`${seed}|${symbol}|h2`) * 2 * Math.PI;
  const phase3 = hashUnit(`${seed}|${symbol}|h3`) * 2 * Math.PI;
  const drift = 0.08 * Math.sin((2 * Math.PI * days) / 251 + phase1);
  const swing = 0.03 * Math.sin((2 * Math.PI * days) / 29 + phase2);
  const intraday = 0.006 * Math.sin((2 * Math.PI * days) / 0.9 + phase3);
  return 1 + drift + swing + intraday;
}
