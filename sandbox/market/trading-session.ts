/**
 * US equity trading sessions in New York time: regular 09:30-16:00, extended
 * 04:00-20:00, Monday to Friday (exchange holidays are not modelled). Used to
 * leave nights and weekends out of intraday bars.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** New York's offset from UTC in hours (-4 in daylight saving time, else -5). */
export function newYorkOffsetHours(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const start = nthSundayUtc(year, 2, 2) + 7 * HOUR_MS; // second Sunday of March, 02:00 EST
  const end = nthSundayUtc(year, 10, 1) + 6 * HOUR_MS; // first Sunday of November, 02:00 EDT
  return ms >= start && ms < end ? -4 : -5;
}

export function isWeekday(ms: number): boolean {
  const day = new Date(ms).getUTCDay();
  return day !== 0 && day !== 6;
}

/** Minutes after New York midnight, and whether that local day is a weekday. */
function localClock(ms: number): { minutes: number; weekday: boolean; localMidnightMs: number } {
  const offset = newYorkOffsetHours(ms) * HOUR_MS;
  const local = ms + offset;
  const localMidnight = Math.floor(local / DAY_MS) * DAY_MS;
  return { minutes: (local - localMidnight) / 60_000, weekday: isWeekday(local), localMidnightMs: localMidnight - offset };
}

function sessionMinutes(extended: boolean): [number, number] {
  return extended ? [4 * 60, 20 * 60] : [9 * 60 + 30, 16 * 60];
}

export function isInSession(ms: number, extended: boolean): boolean {
  const { minutes, weekday } = localClock(ms);
  const [open, close] = sessionMinutes(extended);
  return weekday && minutes >= open && minutes < close;
}

/** The next session open at or after `ms`. */
export function nextSessionOpen(ms: number, extended: boolean): number {
  const [open] = sessionMinutes(extended);
  let { localMidnightMs, minutes } = localClock(ms);
  if (minutes >= open) localMidnightMs += DAY_MS;
  for (let i = 0; i < 8; i += 1) {
    const candidate = localMidnightMs + open * 60_000;
    if (localClock(candidate).weekday) return candidate;
    localMidnightMs += DAY_MS;
  }
  return localMidnightMs;
}

function nthSundayUtc(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  const day = 1 + ((7 - first) % 7) + (n - 1) * 7;
  return Date.UTC(year, month, day);
}
