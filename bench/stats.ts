/**
 * Order statistics for the benchmark: median and nearest-rank percentiles
 * over a list of samples, and a ratio that survives a zero baseline.
 *
 * Nearest-rank (not interpolated) percentiles: p99 of 2,000 latencies is the
 * 1,980th smallest sample, a value that was actually observed.
 */

/** The p-th percentile (0 < p <= 100) by the nearest-rank method. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The middle sample (the mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `value / baseline`, NaN when the baseline is not positive. */
export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  return {
    count: samplesMs.length,
    p50: percentile(samplesMs, 50),
    p90: percentile(samplesMs, 90),
    p99: percentile(samplesMs, 99),
    max: percentile(samplesMs, 100),
  };
}
