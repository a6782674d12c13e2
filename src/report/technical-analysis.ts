/**
 * The technical section of a report: latest indicator values, returns, risk figures and percentiles, as
 * snake_case JSON-ready numbers. Every number is finite or null (null = not enough history); nothing is rounded.
 */
import type { DailyBar } from './daily-bar.js';
import { type BarColumns, columnsOf, computeDecisionIndicators, INDICATOR_CONVENTIONS, indicatorSeriesOf, windowOf } from './indicators.js';
import { DEFAULT_LOOKBACK_BARS, describeAgainstHistory, type HistoryDescription } from './percentiles.js';

const BARS_PER_YEAR = 252;
const RETURN_WINDOWS = { '1d': 1, '5d': 5, '1m': 21, '3m': 63, '1y': 252 } as const;
const VOLATILITY_RETURNS = 30;

export interface TechnicalReturns {
  '1d': number | null;
  '5d': number | null;
  '1m': number | null;
  '3m': number | null;
  ytd: number | null;
  '1y': number | null;
}

export interface TechnicalIndicators {
  sma_20: number | null;
  sma_50: number | null;
  sma_200: number | null;
  ema_12: number | null;
  ema_26: number | null;
  rsi_14: number | null;
  macd: number | null;
  macd_signal: number | null;
  macd_hist: number | null;
  bb_upper: number | null;
  bb_middle: number | null;
  bb_lower: number | null;
  atr_14: number | null;
  atr_pct: number | null;
  vwap: number | null;
  volume: number;
  volume_sma_20: number | null;
  volume_ratio: number | null;
  high_52w: number | null;
  low_52w: number | null;
  returns: TechnicalReturns;
  volatility_30d_annualised: number | null;
}

export interface TechnicalPercentiles {
  rsi_14: HistoryDescription | null;
  atr_pct: HistoryDescription | null;
  volume_ratio: HistoryDescription | null;
  price_vs_sma_20: HistoryDescription | null;
  price_vs_sma_50: HistoryDescription | null;
  price_vs_sma_200: HistoryDescription | null;
  macd_hist: HistoryDescription | null;
}

export type TechnicalConventions = Record<keyof typeof INDICATOR_CONVENTIONS, string> & {
  percentiles: string;
  price_vs_sma: string;
  returns: string;
  high_low_52w: string;
  volatility_30d_annualised: string;
};

export interface TechnicalAnalysis {
  as_of: string;
  price: number;
  previous_close: number | null;
  price_change: number | null;
  price_change_pct: number | null;
  bars_used: number;
  indicators: TechnicalIndicators;
  percentiles: TechnicalPercentiles;
  conventions: TechnicalConventions;
}

function finiteOrNull(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? x : null;
}

function pctChange(now: number, base: number | undefined): number | null {
  if (base === undefined || base === 0) return null;
  return finiteOrNull((now / base - 1) * 100);
}

function last(series: Float64Array): number | null {
  return finiteOrNull(series[series.length - 1]);
}

/** Bad bars would silently poison every running window after them, so refuse them with the offending date. */
function assertUsableBars(bars: readonly DailyBar[]): void {
  if (bars.length === 0) throw new Error('analyzeTechnicals: no bars given; at least one daily bar is required');
  let prevDate = '';
  for (const b of bars) {
    if (!(b.date > prevDate)) {
      throw new Error(
        `analyzeTechnicals: bars must be in strictly ascending date order; ${b.date} follows ${prevDate}`,
      );
    }
    prevDate = b.date;
    if (!(Number.isFinite(b.open) && Number.isFinite(b.high) && Number.isFinite(b.low) && Number.isFinite(b.close) && Number.isFinite(b.volume))) {
      throw new Error(`analyzeTechnicals: bar ${b.date} has a non-finite open/high/low/close/volume`);
    }
  }
}

function ytdBase(bars: readonly DailyBar[]): number | undefined {
  const asOf = bars[bars.length - 1]!.date;
  const year = Number(asOf.slice(0, 4));
  const yearStart = `${year}-01-01`;
  const previousYear = String(year - 1);
  for (let i = bars.length - 1; i >= 0; i--) {
    const b = bars[i]!;
    if (b.date < yearStart) return b.date.startsWith(previousYear) ? b.close : undefined;
  }
  return undefined;
}

function annualisedVolatility(close: Float64Array): number | null {
  const n = close.length;
  if (n < VOLATILITY_RETURNS + 1) return null;
  const r = new Float64Array(VOLATILITY_RETURNS);
  let sum = 0;
  for (let k = 0; k < VOLATILITY_RETURNS; k++) {
    const i = n - VOLATILITY_RETURNS + k;
    r[k] = Math.log(close[i]! / close[i - 1]!);
    sum += r[k]!;
  }
  const mean = sum / VOLATILITY_RETURNS;
  let ss = 0;
  for (let k = 0; k < VOLATILITY_RETURNS; k++) ss += (r[k]! - mean) ** 2;
  return finiteOrNull(Math.sqrt(ss / (VOLATILITY_RETURNS - 1)) * Math.sqrt(BARS_PER_YEAR) * 100);
}

/** Highest high and lowest low of the last 252 bars; null with fewer. */
function range52w({ high, low }: BarColumns): { high52: number | null; low52: number | null } {
  const n = high.length;
  if (n < BARS_PER_YEAR) return { high52: null, low52: null };
  let hi = Number.NEGATIVE_INFINITY;
  let lo = Number.POSITIVE_INFINITY;
  for (let i = n - BARS_PER_YEAR; i < n; i++) {
    if (high[i]! > hi) hi = high[i]!;
    if (low[i]! < lo) lo = low[i]!;
  }
  return { high52: hi, low52: lo };
}

function priceVsSma(close: Float64Array, sma: Float64Array): Float64Array {
  const out = new Float64Array(close.length);
  for (let i = 0; i < close.length; i++) {
    const s = sma[i]!;
    out[i] = s === 0 ? Number.NaN : (close[i]! / s - 1) * 100;
  }
  return out;
}

export function analyzeTechnicals(
  bars: readonly DailyBar[],
  options: { lookbackBars?: number } = {},
): TechnicalAnalysis {
  assertUsableBars(bars);
  const lookbackBars = options.lookbackBars ?? DEFAULT_LOOKBACK_BARS;
  const n = bars.length;
  const columns = columnsOf(bars);
  const s = indicatorSeriesOf(columns);
  const lastBar = bars[n - 1]!;
  const price = lastBar.close;
  const previousClose = n >= 2 ? bars[n - 2]!.close : undefined;

  const close = columns.close;
  const closeAgo = (k: number): number | undefined => (n - 1 - k >= 0 ? close[n - 1 - k] : undefined);

  const { high52, low52 } = range52w(columns);

  const describe = (series: ArrayLike<number>) => describeAgainstHistory(series, { lookbackBars });

  return {
    as_of: lastBar.date,
    price,
    previous_close: previousClose ?? null,
    price_change: previousClose === undefined ? null : price - previousClose,
    price_change_pct: pctChange(price, previousClose),
    bars_used: n,
    indicators: {
      sma_20: last(s.sma20),
      sma_50: last(s.sma50),
      sma_200: last(s.sma200),
      ema_12: last(s.ema12),
      ema_26: last(s.ema26),
      rsi_14: last(s.rsi14),
      macd: last(s.macd),
      macd_signal: last(s.macdSignal),
      macd_hist: last(s.macdHist),
      bb_upper: last(s.bbUpper),
      bb_middle: last(s.bbMiddle),
      bb_lower: last(s.bbLower),
      atr_14: last(s.atr14),
      atr_pct: last(s.atrPct),
      vwap: last(s.vwap20),
      volume: lastBar.volume,
      volume_sma_20: last(s.volumeSma20),
      volume_ratio: last(s.volumeRatio),
      high_52w: high52,
      low_52w: low52,
      returns: {
        '1d': pctChange(price, closeAgo(RETURN_WINDOWS['1d'])),
        '5d': pctChange(price, closeAgo(RETURN_WINDOWS['5d'])),
        '1m': pctChange(price, closeAgo(RETURN_WINDOWS['1m'])),
        '3m': pctChange(price, closeAgo(RETURN_WINDOWS['3m'])),
        ytd: pctChange(price, ytdBase(bars)),
        '1y': pctChange(price, closeAgo(RETURN_WINDOWS['1y'])),
      },
      volatility_30d_annualised: annualisedVolatility(close),
    },
    percentiles: {
      rsi_14: describe(s.rsi14),
      atr_pct: describe(s.atrPct),
      volume_ratio: describe(s.volumeRatio),
      price_vs_sma_20: describe(priceVsSma(close, s.sma20)),
      price_vs_sma_50: describe(priceVsSma(close, s.sma50)),
      price_vs_sma_200: describe(priceVsSma(close, s.sma200)),
      macd_hist: describe(s.macdHist),
    },
    conventions: {
      ...INDICATOR_CONVENTIONS,
      percentiles: `Each percentile = share (0-100) of the metric's last ${lookbackBars} finite daily values (today's included) that are <= today's value; also gives mean/min/max of that sample. Null when today's value is missing or fewer than 20 values exist.`,
      price_vs_sma: 'price_vs_sma_N = (close / SMA N - 1) x 100, as a daily series.',
      returns:
        "Percent change of the last close vs the close 1 (1d), 5 (5d), 21 (1m), 63 (3m) and 252 (1y) bars earlier; ytd vs the last close of the previous calendar year (by bar date). Null when history is too short.",
      high_low_52w: 'high_52w / low_52w = highest high / lowest low over the last 252 bars; null with fewer than 252 bars.',
      volatility_30d_annualised:
        'Sample standard deviation (n-1) of the last 30 daily log returns x sqrt(252) x 100 (percent).',
    },
  };
}

/** The part of a TechnicalAnalysis a call is decided from (`deriveSemanticStates` reads nothing else). */
export interface DecisionTechnicals {
  as_of: string;
  price: number;
  indicators: Pick<
    TechnicalIndicators,
    'sma_20' | 'sma_50' | 'sma_200' | 'rsi_14' | 'macd' | 'macd_hist' | 'atr_pct' | 'volume_ratio' | 'high_52w' | 'low_52w' | 'volatility_30d_annualised'
  >;
  percentiles: Pick<TechnicalPercentiles, 'atr_pct'>;
}

/** A ticker's history checked once (see assertUsableBars) and held as columns, for `decisionTechnicalsAt`. */
export interface CheckedHistory {
  dates: readonly string[];
  columns: BarColumns;
}

export function checkedHistory(bars: readonly DailyBar[]): CheckedHistory {
  assertUsableBars(bars);
  return { dates: bars.map((b) => b.date), columns: columnsOf(bars) };
}

/**
 * Exactly the values `analyzeTechnicals(bars)` gives for the fields a call reads, without the report-only rest
 * (bands, VWAP, returns, six of the seven percentiles, conventions).
 */
export function decisionTechnicals(bars: readonly DailyBar[], options: { lookbackBars?: number } = {}): DecisionTechnicals {
  return decisionTechnicalsAt(checkedHistory(bars), 0, bars.length, options);
}

/**
 * `decisionTechnicals` of the bars [start, end) of a checked history: what a replay computes for each past date,
 * on a view of the ticker's columns (no copy, no second check).
 */
export function decisionTechnicalsAt(history: CheckedHistory, start: number, end: number, options: { lookbackBars?: number } = {}): DecisionTechnicals {
  const columns = windowOf(history.columns, start, end);
  const s = computeDecisionIndicators(columns);
  const { high52, low52 } = range52w(columns);
  return {
    as_of: history.dates[end - 1]!,
    price: columns.close[end - 1 - start]!,
    indicators: {
      sma_20: finiteOrNull(s.sma20),
      sma_50: finiteOrNull(s.sma50),
      sma_200: finiteOrNull(s.sma200),
      rsi_14: finiteOrNull(s.rsi14),
      macd: finiteOrNull(s.macd),
      macd_hist: finiteOrNull(s.macdHist),
      atr_pct: last(s.atrPct),
      volume_ratio: finiteOrNull(s.volumeRatio),
      high_52w: high52,
      low_52w: low52,
      volatility_30d_annualised: annualisedVolatility(columns.close),
    },
    percentiles: { atr_pct: describeAgainstHistory(s.atrPct, { lookbackBars: options.lookbackBars ?? DEFAULT_LOOKBACK_BARS }) },
  };
}
