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

/** Rolling mean over a running sum: O(n) whatever the period. */
function rollingMean(values: Float64Array, period: number): Float64Array {
  const n = values.length;
  const out = nanArray(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
    if (i >= period) sum -= values[i - period]!;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/** SMA-seeded EMA of `values[from..]` (the first finite value must be at `from`). */
function ema(values: Float64Array, period: number, from = 0): Float64Array {
  const n = values.length;
  const out = nanArray(n);
  const seedAt = from + period - 1;
  if (seedAt >= n) return out;
  let sum = 0;
  for (let i = from; i <= seedAt; i++) sum += values[i]!;
  let prev = sum / period;
  out[seedAt] = prev;
  const alpha = 2 / (period + 1);
  for (let i = seedAt + 1; i < n; i++) {
    prev = alpha * values[i]! + (1 - alpha) * prev;
    out[i] = prev;
  }
  return out;
}

/** Wilder smoothing of `values[from..]`: mean of the first `period` values, then (prev*(p-1) + x)/p. */
function wilder(values: Float64Array, period: number, from: number): Float64Array {
  const n = values.length;
  const out = nanArray(n);
  const seedAt = from + period - 1;
  if (seedAt >= n) return out;
  let sum = 0;
  for (let i = from; i <= seedAt; i++) sum += values[i]!;
  let prev = sum / period;
  out[seedAt] = prev;
  for (let i = seedAt + 1; i < n; i++) {
    prev = (prev * (period - 1) + values[i]!) / period;
    out[i] = prev;
  }
  return out;
}

export function computeIndicatorSeries(bars: readonly DailyBar[]): IndicatorSeries {
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

  const sma20 = rollingMean(close, 20);
  const sma50 = rollingMean(close, 50);
  const sma200 = rollingMean(close, 200);
  const ema12 = ema(close, 12);
  const ema26 = ema(close, 26);

  // MACD exists where both EMAs do (from bar 25); its signal is an EMA over that shorter series.
  const macd = nanArray(n);
  for (let i = 25; i < n; i++) macd[i] = ema12[i]! - ema26[i]!;
  const macdSignal = ema(macd, 9, 25);
  const macdHist = nanArray(n);
  for (let i = 33; i < n; i++) macdHist[i] = macd[i]! - macdSignal[i]!;

  // Gains and losses of close-to-close changes, defined from bar 1.
  const gain = new Float64Array(n);
  const loss = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const d = close[i]! - close[i - 1]!;
    if (d > 0) gain[i] = d;
    else loss[i] = -d;
  }
  const avgGain = wilder(gain, 14, 1);
  const avgLoss = wilder(loss, 14, 1);
  const rsi14 = nanArray(n);
  for (let i = 14; i < n; i++) {
    const l = avgLoss[i]!;
    rsi14[i] = l === 0 ? 100 : 100 - 100 / (1 + avgGain[i]! / l);
  }

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

  const tr = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const pc = close[i - 1]!;
    tr[i] = Math.max(high[i]! - low[i]!, Math.abs(high[i]! - pc), Math.abs(low[i]! - pc));
  }
  const atr14 = wilder(tr, 14, 1);
  const atrPct = nanArray(n);
  for (let i = 14; i < n; i++) {
    const c = close[i]!;
    if (c !== 0) atrPct[i] = (atr14[i]! / c) * 100;
  }

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

  const volumeSma20 = rollingMean(volume, 20);
  const volumeRatio = nanArray(n);
  for (let i = 19; i < n; i++) {
    const s = volumeSma20[i]!;
    if (s > 0) volumeRatio[i] = volume[i]! / s;
  }

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
