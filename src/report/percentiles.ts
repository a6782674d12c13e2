/**
 * Where a metric's latest value sits against its own recent history.
 * Percentile rank here is "share of values <= x" (the empirical CDF), so the maximum of the sample is 100.
 */

export const DEFAULT_LOOKBACK_BARS = 252;
/** Below this many finite values a percentile says more about the sample than about the metric. */
export const MIN_PERCENTILE_SAMPLE = 20;

export interface HistoryDescription {
  value: number;
  percentile: number;
  lookback_bars: number;
  sample_size: number;
  mean: number;
  min: number;
  max: number;
}

/** Share (0–100) of the finite values of `history` that are <= `value`. NaN when `history` has no finite value. */
export function percentileRank(history: ArrayLike<number>, value: number): number {
  let count = 0;
  let atOrBelow = 0;
  for (let i = 0; i < history.length; i++) {
    const h = history[i]!;
    if (!Number.isFinite(h)) continue;
    count++;
    if (h <= value) atOrBelow++;
  }
  return count === 0 ? Number.NaN : (atOrBelow * 100) / count;
}

/**
 * Describes the series' last value against the last `lookbackBars` finite values of the series (the last value
 * included). Null when the last value is not finite (a stale value would be misleading) or fewer than
 * MIN_PERCENTILE_SAMPLE finite values exist.
 */
export function describeAgainstHistory(
  series: ArrayLike<number>,
  options: { lookbackBars?: number } = {},
): HistoryDescription | null {
  const lookbackBars = options.lookbackBars ?? DEFAULT_LOOKBACK_BARS;
  if (!Number.isInteger(lookbackBars) || lookbackBars < 1) {
    throw new Error(`lookbackBars must be a positive integer, got ${lookbackBars}`);
  }
  const n = series.length;
  if (n === 0) return null;
  const value = series[n - 1]!;
  if (!Number.isFinite(value)) return null;

  let size = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let atOrBelow = 0;
  for (let i = n - 1; i >= 0 && size < lookbackBars; i--) {
    const h = series[i]!;
    if (!Number.isFinite(h)) continue;
    size++;
    sum += h;
    if (h < min) min = h;
    if (h > max) max = h;
    if (h <= value) atOrBelow++;
  }
  if (size < MIN_PERCENTILE_SAMPLE) return null;
  return {
    value,
    percentile: (atOrBelow * 100) / size,
    lookback_bars: lookbackBars,
    sample_size: size,
    mean: sum / size,
    min,
    max,
  };
}

/** The median of `values` (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
