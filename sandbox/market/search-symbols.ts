/**
 * Symbol search over the simulated universe: exact ticker first, then ticker
 * prefixes, then tickers and names containing the text (case-insensitive).
 * A leading `.` (options) or `/` (futures) searches instruments the sandbox
 * does not list, so it finds nothing.
 */
import { UNIVERSE, type Instrument } from './universe.js';

export function searchSymbols(query: string, limit: number): Instrument[] {
  const text = query.trim().toUpperCase();
  if (text.length === 0 || text.startsWith('.') || text.startsWith('/')) return [];
  const rank = (instrument: Instrument): number => {
    if (instrument.symbol === text) return 0;
    if (instrument.symbol.startsWith(text)) return 1;
    if (instrument.symbol.includes(text)) return 2;
    if (instrument.name.toUpperCase().includes(text)) return 3;
    return -1;
  };
  return UNIVERSE.map((instrument) => ({ instrument, score: rank(instrument) }))
    .filter(({ score }) => score >= 0)
    .sort((a, b) => a.score - b.score || a.instrument.symbol.localeCompare(b.instrument.symbol))
    .slice(0, Math.max(0, limit))
    .map(({ instrument }) => instrument);
}
