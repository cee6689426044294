/** The daily guardrail total counts per New York calendar date, whatever the server's time zone. */
import { describe, expect, it } from 'vitest';
import { marketDay } from '../../../../runtime/guardrails/market-day.js';

describe('marketDay', () => {
  const cases: [string, { given: string; want: string }][] = [
    ['winter evening in New York is still that day (UTC-5)', { given: '2026-12-06T04:59:59Z', want: '2026-12-05' }],
    ['winter midnight in New York starts the next day', { given: '2026-12-06T05:00:00Z', want: '2026-12-06' }],
    ['summer midnight in New York (UTC-4)', { given: '2026-07-01T04:00:00Z', want: '2026-07-01' }],
    ['summer evening in New York', { given: '2026-07-01T03:59:59Z', want: '2026-06-30' }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(marketDay(Date.parse(given))).toBe(want);
  });
});
