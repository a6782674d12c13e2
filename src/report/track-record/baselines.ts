/**
 * The four rule-of-thumb strategies Daybreak's calls are measured against (the reference system's backtests), as a
 * call per bar. Each reads an indicator series at bar i, which depends only on bars 0..i: no look-ahead.
 * - sma_50_200: BUY while SMA 50 is above SMA 200, SELL while below (the golden/death-cross position).
 * - macd_signal: BUY while MACD is above its signal line, SELL while below.
 * - rsi_30_70: BUY when RSI 14 < 30 (oversold, expect a rebound), SELL when > 70, HOLD between.
 * - bollinger_reversion: BUY when the close is below the lower band, SELL when above the upper band, HOLD inside.
 */
import type { DailyBar } from '../daily-bar.js';
import { computeIndicatorSeries } from '../indicators.js';
import type { Recommendation } from '../narrative-contract.js';

export const BASELINES = ['sma_50_200', 'macd_signal', 'rsi_30_70', 'bollinger_reversion'] as const;
export type Baseline = (typeof BASELINES)[number];

export const BASELINE_RULES: Record<Baseline, string> = {
  sma_50_200: 'BUY while SMA 50 > SMA 200, SELL while below',
  macd_signal: 'BUY while MACD > its signal line, SELL while below',
  rsi_30_70: 'BUY when RSI 14 < 30, SELL when RSI 14 > 70, HOLD between',
  bollinger_reversion: 'BUY when the close is below the lower Bollinger band, SELL when above the upper band, HOLD inside',
};

/** Calls of every baseline for each bar of `bars` (null before the indicator exists). */
export function baselineCalls(bars: readonly DailyBar[]): Record<Baseline, (Recommendation | null)[]> {
  const s = computeIndicatorSeries(bars);
  const n = bars.length;
  const out: Record<Baseline, (Recommendation | null)[]> = {
    sma_50_200: new Array(n).fill(null),
    macd_signal: new Array(n).fill(null),
    rsi_30_70: new Array(n).fill(null),
    bollinger_reversion: new Array(n).fill(null),
  };
  const side = (a: number, b: number): Recommendation | null =>
    Number.isFinite(a) && Number.isFinite(b) ? (a > b ? 'BUY' : a < b ? 'SELL' : 'HOLD') : null;
  for (let i = 0; i < n; i++) {
    const close = bars[i]!.close;
    out.sma_50_200[i] = side(s.sma50[i]!, s.sma200[i]!);
    out.macd_signal[i] = side(s.macd[i]!, s.macdSignal[i]!);
    const rsi = s.rsi14[i]!;
    out.rsi_30_70[i] = Number.isFinite(rsi) ? (rsi < 30 ? 'BUY' : rsi > 70 ? 'SELL' : 'HOLD') : null;
    const lo = s.bbLower[i]!;
    const hi = s.bbUpper[i]!;
    out.bollinger_reversion[i] = Number.isFinite(lo) && Number.isFinite(hi) ? (close < lo ? 'BUY' : close > hi ? 'SELL' : 'HOLD') : null;
  }
  return out;
}
