/**
 * Limits count in clock-aligned one-minute windows (`runtime/http/fixed-window.ts`);
 * a test that counts up to a limit on the real clock waits, when needed, so it
 * does not straddle a window boundary (the count would start over mid-test).
 */
export async function awayFromMinuteBoundary(secondsNeeded = 15): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - secondsNeeded * 1000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 50));
}
