/**
 * The US market day an order counts toward: the calendar date in New York
 * (NYSE and Nasdaq hours are set in Eastern time, so an order at 23:30 UTC in
 * winter still belongs to that New York day). Weekends and holidays simply
 * have their own dates; the gateway does not decide whether the market is
 * open (Aries does).
 */
const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `2026-12-05` for an instant (epoch ms). */
export function marketDay(epochMs: number): string {
  return NEW_YORK_DATE.format(new Date(epochMs));
}
