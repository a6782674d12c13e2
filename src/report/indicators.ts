/**
 * Technical indicators as full-length Float64Array series (index i = bar i; NaN until enough history).
 *
 * Conventions (also exported as INDICATOR_CONVENTIONS so every report states them):
 * - SMA n: arithmetic mean of the last n closes; first value at index n-1.
 * - EMA n: alpha = 2/(n+1), seeded with the SMA of the first n values (first value at index n-1).
 * - RSI 14: Wilder. First average gain/loss = simple mean of the first 14 close-to-close changes (index 14);
 *   then avg = (prev*13 + x)/14. RSI = 100 - 100/(1 + gain/loss); RSI = 100 when the average loss is 0.
 * - MACD 12/26/9: EMA12 - EMA26 (both SMA-seeded, so MACD starts at index 25); signal = EMA9 of the MACD series
 *   seeded with the SMA of its first 9 values (index 33); hist = macd - signal.
 * - Bollinger 20/2: SMA20 +/- 2 x POPULATION standard deviation (divide by 20) of the same 20 closes.
 * - ATR 14: Wilder. True range from the second bar on = max(H-L, |H-prevC|, |L-prevC|); first ATR = mean of the
 *   first 14 TRs (index 14); then (prev*13 + TR)/14. atrPct = ATR / close x 100.
 * - VWAP: 20-bar ROLLING volume-weighted typical price (H+L+C)/3 — not a session/intraday VWAP. NaN when the
 *   window's volume is 0.
 * - Volume SMA 20: mean of the last 20 volumes; volumeRatio = volume / volumeSma20 (NaN when the SMA is 0).
 *
 * Inputs must be finite: windows use running sums, so one NaN poisons everything after it (the caller validates).
 */
import type { DailyBar } from './daily-bar.js';

export const INDICATOR_CONVENTIONS = {
  sma: 'SMA n = arithmetic mean of the last n closes; first value at bar n-1.',
  ema: 'EMA n: alpha = 2/(n+1), seeded with the SMA of the first n values (first value at bar n-1).',
  rsi_14:
    "Wilder's RSI 14: first average gain/loss = simple mean of the first 14 close-to-close changes, then avg = (prev*13 + x)/14; RSI = 100 - 100/(1 + avg_gain/avg_loss), and 100 when avg_loss is 0.",
  macd: 'MACD 12/26/9: EMA12 - EMA26 (both SMA-seeded, MACD starts at bar 25); signal = EMA9 of MACD seeded with the SMA of its first 9 values; hist = macd - signal.',
  bollinger: 'Bollinger 20/2: SMA20 +/- 2 x population standard deviation (divisor 20) of the same 20 closes.',
  atr_14:
    "Wilder's ATR 14: true range from the second bar on = max(H-L, |H-prev close|, |L-prev close|); first ATR = mean of the first 14 true ranges, then (prev*13 + TR)/14. atr_pct = ATR / close x 100.",
  vwap: 'VWAP = 20-day rolling volume-weighted typical price (H+L+C)/3 over the last 20 daily bars (not a session VWAP).',
  volume: 'volume_sma_20 = mean of the last 20 daily volumes; volume_ratio = latest volume / volume_sma_20.',
} as const;

export interface IndicatorSeries {
  sma20: Float64Array;
  sma50: Float64Array;
  sma200: Float64Array;
  ema12: Float64Array;
  ema26: Float64Array;
  rsi14: Float64Array;
  macd: Float64Array;
  macdSignal: Float64Array;
  macdHist: Float64Array;
  bbUpper: Float64Array;
  bbMiddle: Float64Array;
  bbLower: Float64Array;
  atr14: Float64Array;
  atrPct: Float64Array;
  vwap20: Float64Array;
  volumeSma20: Float64Array;
  volumeRatio: Float64Array;
}

function nanArray(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

// Each loop below can write its whole series into `out` or, with `out` null, only return its last value: the full
// series (reports, charts, baselines) and the latest values a replayed call needs (`computeDecisionIndicators`) come
// from the same loop, in the same floating-point order, so they agree to the last bit.

/** Rolling mean over a running sum: O(n) whatever the period. Returns the last value (NaN with fewer than `period`). */
function rollingMean(values: Float64Array, period: number, out: Float64Array | null): number {
  const n = values.length;
  let sum = 0;
  let last = Number.NaN;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    if (i >= period) sum -= values[i - period]!;
    if (i >= period - 1) {
      last = sum / period;
      if (out) out[i] = last;
    }
  }
  return last;
}

/** SMA-seeded EMA of `values[from..]` (the first finite value must be at `from`). Returns the last value. */
function ema(values: Float64Array, period: number, from: number, out: Float64Array | null): number {
  const n = values.length;
  const seedAt = from + period - 1;
  if (seedAt >= n) return Number.NaN;
  let sum = 0;
  for (let i = from; i <= seedAt; i++) sum += values[i]!;
  let prev = sum / period;
  if (out) out[seedAt] = prev;
  const alpha = 2 / (period + 1);
  for (let i = seedAt + 1; i < n; i++) {
    prev = alpha * values[i]! + (1 - alpha) * prev;
    if (out) out[i] = prev;
  }
  return prev;
}

/** Wilder smoothing of `values[from..]`: mean of the first `period` values, then (prev*(p-1) + x)/p. Returns the last. */
function wilder(values: Float64Array, period: number, from: number, out: Float64Array | null): number {
  const n = values.length;
  const seedAt = from + period - 1;
  if (seedAt >= n) return Number.NaN;
  let sum = 0;
  for (let i = from; i <= seedAt; i++) sum += values[i]!;
  let prev = sum / period;
  if (out) out[seedAt] = prev;
  for (let i = seedAt + 1; i < n; i++) {
    prev = (prev * (period - 1) + values[i]!) / period;
    if (out) out[i] = prev;
  }
  return prev;
}

/** A series of `n` values, NaN until one of the loops above fills it in. */
function series(n: number, fill: (out: Float64Array) => unknown): Float64Array {
  const out = nanArray(n);
  fill(out);
  return out;
}

/** Bars as the columns every indicator loop reads. A window of a longer history is a set of views (`windowOf`). */
export interface BarColumns {
  close: Float64Array;
  high: Float64Array;
  low: Float64Array;
  volume: Float64Array;
}

export function columnsOf(bars: readonly DailyBar[]): BarColumns {
  const n = bars.length;
  const close = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = bars[i]!;
    close[i] = b.close;
    high[i] = b.high;
    low[i] = b.low;
    volume[i] = b.volume;
  }
  return { close, high, low, volume };
}

/** Bars [start, end) of `columns` as views: no copy, so a replay's window for each date costs nothing. */
export function windowOf(columns: BarColumns, start: number, end: number): BarColumns {
  return {
    close: columns.close.subarray(start, end),
    high: columns.high.subarray(start, end),
    low: columns.low.subarray(start, end),
    volume: columns.volume.subarray(start, end),
  };
}

/** EMA 12 and 26 and MACD = their difference, which exists where both EMAs do (from bar 25). */
function macdLines(close: Float64Array) {
  const n = close.length;
  const ema12 = series(n, (out) => ema(close, 12, 0, out));
  const ema26 = series(n, (out) => ema(close, 26, 0, out));
  const macd = nanArray(n);
  for (let i = 25; i < n; i++) macd[i] = ema12[i]! - ema26[i]!;
  return { ema12, ema26, macd };
}

/** Gains and losses of close-to-close changes, defined from bar 1 (the input of Wilder's RSI). */
function closeChanges(close: Float64Array) {
  const n = close.length;
  const gain = new Float64Array(n);
  const loss = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const d = close[i]! - close[i - 1]!;
    if (d > 0) gain[i] = d;
    else loss[i] = -d;
  }
  return { gain, loss };
}

const rsiOf = (avgGain: number, avgLoss: number) => (avgLoss === 0 ? 100 : 100 - 100 / (1 + avgGain / avgLoss));

/** Wilder's ATR 14 of the true ranges (from bar 1) and ATR as a percent of the close. */
function atrSeries(high: Float64Array, low: Float64Array, close: Float64Array) {
  const n = close.length;
  const tr = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const pc = close[i - 1]!;
    tr[i] = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - pc), Math.abs(low[i]! - pc));
  }
  const atr14 = series(n, (out) => wilder(tr, 14, 1, out));
  const atrPct = nanArray(n);
  for (let i = 14; i < n; i++) {
    const c = close[i]!;
    if (c !== 0) atrPct[i] = (atr14[i]! / c) * 100;
  }
  return { atr14, atrPct };
}

const volumeRatioOf = (volume: number, sma: number) => (sma > 0 ? volume / sma : Number.NaN);

export function computeIndicatorSeries(bars: readonly DailyBar[]): IndicatorSeries {
  return indicatorSeriesOf(columnsOf(bars));
}

export function indicatorSeriesOf(columns: BarColumns): IndicatorSeries {
  const { close, high, low, volume } = columns;
  const n = close.length;

  const sma20 = series(n, (out) => rollingMean(close, 20, out));
  const sma50 = series(n, (out) => rollingMean(close, 50, out));
  const sma200 = series(n, (out) => rollingMean(close, 200, out));

  // MACD's signal is an EMA over MACD's shorter series (from bar 25, so it starts at bar 33).
  const { ema12, ema26, macd } = macdLines(close);
  const macdSignal = series(n, (out) => ema(macd, 9, 25, out));
  const macdHist = nanArray(n);
  for (let i = 33; i < n; i++) macdHist[i] = macd[i]! - macdSignal[i]!;

  const { gain, loss } = closeChanges(close);
  const avgGain = series(n, (out) => wilder(gain, 14, 1, out));
  const avgLoss = series(n, (out) => wilder(loss, 14, 1, out));
  const rsi14 = nanArray(n);
  for (let i = 14; i < n; i++) rsi14[i] = rsiOf(avgGain[i]!, avgLoss[i]!);

  // Two-pass population std per window: a running sum of squares loses precision when std << price.
  const bbUpper = nanArray(n);
  const bbLower = nanArray(n);
  const bbMiddle = sma20.slice();
  for (let i = 19; i < n; i++) {
    const m = sma20[i]!;
    let ss = 0;
    for (let j = i - 19; j <= i; j++) {
      const d = close[j]! - m;
      ss += d * d;
    }
    const width = 2 * Math.sqrt(ss / 20);
    bbUpper[i] = m + width;
    bbLower[i] = m - width;
  }

  const { atr14, atrPct } = atrSeries(high, low, close);

  const vwap20 = nanArray(n);
  let pv = 0;
  let vol = 0;
  for (let i = 0; i < n; i++) {
    pv += ((high[i]! + low[i]! + close[i]!) / 3) * volume[i]!;
    vol += volume[i]!;
    if (i >= 20) {
      const j = i - 20;
      pv -= ((high[j]! + low[j]! + close[j]!) / 3) * volume[j]!;
      vol -= volume[j]!;
    }
    if (i >= 19 && vol > 0) vwap20[i] = pv / vol;
  }

  const volumeSma20 = series(n, (out) => rollingMean(volume, 20, out));
  const volumeRatio = nanArray(n);
  for (let i = 19; i < n; i++) volumeRatio[i] = volumeRatioOf(volume[i]!, volumeSma20[i]!);

  return {
    sma20,
    sma50,
    sma200,
    ema12,
    ema26,
    rsi14,
    macd,
    macdSignal,
    macdHist,
    bbUpper,
    bbMiddle,
    bbLower,
    atr14,
    atrPct,
    vwap20,
    volumeSma20,
    volumeRatio,
  };
}

/**
 * What a call is decided from (report/semantic-states.ts): the last bar's SMAs, MACD and its histogram, RSI and
 * volume ratio, and the whole ATR% series (its percentile is part of the call). A replay asks this for every date, so
 * it skips what only the report shows (Bollinger bands, VWAP, the other series); every value is the one
 * `indicatorSeriesOf(columns)` gives for the last bar, bit for bit (the same loops).
 */
export interface DecisionIndicators {
  sma20: number;
  sma50: number;
  sma200: number;
  macd: number;
  macdHist: number;
  rsi14: number;
  volumeRatio: number;
  atrPct: Float64Array;
}

export function computeDecisionIndicators(columns: BarColumns): DecisionIndicators {
  const { close, high, low, volume } = columns;
  const n = close.length;
  const { macd } = macdLines(close);
  const last = n - 1;
  const { gain, loss } = closeChanges(close);
  return {
    sma20: rollingMean(close, 20, null),
    sma50: rollingMean(close, 50, null),
    sma200: rollingMean(close, 200, null),
    macd: macd[last]!,
    // NaN before bar 33, where the signal is NaN.
    macdHist: macd[last]! - ema(macd, 9, 25, null),
    rsi14: last >= 14 ? rsiOf(wilder(gain, 14, 1, null), wilder(loss, 14, 1, null)) : Number.NaN,
    volumeRatio: last >= 19 ? volumeRatioOf(volume[last]!, rollingMean(volume, 20, null)) : Number.NaN,
    atrPct: atrSeries(high, low, close).atrPct,
  };
}
