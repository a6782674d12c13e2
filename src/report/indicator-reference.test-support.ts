/**
 * Deliberately naive reference indicators, for tests only. Written separately from indicators.ts and on purpose
 * in a different style, so a shared mistake is unlikely:
 * - plain number[] in, (number | null)[] out (null = undefined), no running sums: every window is re-summed from
 *   scratch with slice();
 * - each indicator is spelt out straight from its textbook definition:
 *   SMA n = sum(window)/n; EMA = SMA seed at n-1, then e = x*k + e_prev*(1-k), k = 2/(n+1);
 *   RSI = Wilder: seed averages = mean of the first 14 gains / losses, then (prev*13 + x)/14, RS = gain/loss,
 *   RSI = 100 - 100/(1+RS), 100 when the average loss is 0;
 *   MACD = EMA12 - EMA26, signal = EMA9 of the defined MACD values, hist = MACD - signal;
 *   Bollinger = mean ± 2 * sqrt(sum((x-mean)^2)/20);
 *   ATR = Wilder average of TR, TR from the second bar: max(H-L, |H-Cprev|, |L-Cprev|);
 *   VWAP = sum(typical*volume)/sum(volume) over the last 20 bars.
 * Also holds the fixture loader for the real market CSVs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DailyBar } from './daily-bar.js';

export type RefSeries = (number | null)[];

function mean(xs: number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total / xs.length;
}

export function refSma(xs: number[], n: number): RefSeries {
  return xs.map((_, i) => (i + 1 < n ? null : mean(xs.slice(i + 1 - n, i + 1))));
}

/** EMA over the values that are defined; nulls before them stay null. */
export function refEma(xs: RefSeries, n: number): RefSeries {
  const out: RefSeries = xs.map(() => null);
  const firstDefined = xs.findIndex((x) => x !== null);
  if (firstDefined < 0) return out;
  const k = 2 / (n + 1);
  const values = xs.slice(firstDefined) as number[];
  if (values.length < n) return out;
  let e = mean(values.slice(0, n));
  out[firstDefined + n - 1] = e;
  for (let j = n; j < values.length; j++) {
    e = values[j]! * k + e * (1 - k);
    out[firstDefined + j] = e;
  }
  return out;
}

function refWilder(xs: number[], n: number): number[] {
  // xs: the raw inputs (gains, losses or TRs); returns the averages, the first one after n inputs.
  const averages: number[] = [];
  if (xs.length < n) return averages;
  let avg = mean(xs.slice(0, n));
  averages.push(avg);
  for (let j = n; j < xs.length; j++) {
    avg = (avg * (n - 1) + xs[j]!) / n;
    averages.push(avg);
  }
  return averages;
}

export function refRsi(closes: number[], n = 14): RefSeries {
  const gains: number[] = [];
  const losses: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const change = closes[i]! - closes[i - 1]!;
    gains.push(Math.max(change, 0));
    losses.push(Math.max(-change, 0));
  }
  const g = refWilder(gains, n);
  const l = refWilder(losses, n);
  const out: RefSeries = closes.map(() => null);
  // The j-th average uses changes up to change index n-1+j, i.e. up to bar n+j.
  for (let j = 0; j < g.length; j++) {
    const avgLoss = l[j]!;
    out[n + j] = avgLoss === 0 ? 100 : 100 - 100 / (1 + g[j]! / avgLoss);
  }
  return out;
}

export function refMacd(closes: number[]): { macd: RefSeries; signal: RefSeries; hist: RefSeries } {
  const fast = refEma(closes, 12);
  const slow = refEma(closes, 26);
  const macd: RefSeries = closes.map((_, i) => {
    const f = fast[i];
    const s = slow[i];
    return f == null || s == null ? null : f - s;
  });
  const signal = refEma(macd, 9);
  const hist: RefSeries = macd.map((m, i) => {
    const sg = signal[i];
    return m == null || sg == null ? null : m - sg;
  });
  return { macd, signal, hist };
}

export function refBollinger(closes: number[], n = 20, k = 2): { upper: RefSeries; middle: RefSeries; lower: RefSeries } {
  const upper: RefSeries = [];
  const middle: RefSeries = [];
  const lower: RefSeries = [];
  for (let i = 0; i < closes.length; i++) {
    if (i + 1 < n) {
      upper.push(null);
      middle.push(null);
      lower.push(null);
      continue;
    }
    const window = closes.slice(i + 1 - n, i + 1);
    const m = mean(window);
    const sd = Math.sqrt(mean(window.map((x) => (x - m) ** 2)));
    upper.push(m + k * sd);
    middle.push(m);
    lower.push(m - k * sd);
  }
  return { upper, middle, lower };
}

export function refAtr(bars: DailyBar[], n = 14): RefSeries {
  const trs: number[] = [];
  for (let i = 1; i < bars.length; i++) {
    const { high, low } = bars[i]!;
    const prevClose = bars[i - 1]!.close;
    trs.push(Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose)));
  }
  const averages = refWilder(trs, n);
  const out: RefSeries = bars.map(() => null);
  for (let j = 0; j < averages.length; j++) out[n + j] = averages[j]!;
  return out;
}

export function refVwap(bars: DailyBar[], n = 20): RefSeries {
  return bars.map((_, i) => {
    if (i + 1 < n) return null;
    const window = bars.slice(i + 1 - n, i + 1);
    const volume = window.reduce((acc, b) => acc + b.volume, 0);
    if (volume === 0) return null;
    return window.reduce((acc, b) => acc + ((b.high + b.low + b.close) / 3) * b.volume, 0) / volume;
  });
}

const FIXTURE_DIR = fileURLToPath(new URL('../../../shared/fixtures/market/', import.meta.url));

/** Reads `<symbol>.csv` (date,open,high,low,close,adj_close,volume) from the shared fixtures; last `lastRows` rows. */
export function loadFixtureBars(symbol: string, lastRows = 600): DailyBar[] {
  const text = readFileSync(`${FIXTURE_DIR}${symbol}.csv`, 'utf8');
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header !== 'date,open,high,low,close,adj_close,volume') throw new Error(`unexpected header in ${symbol}.csv`);
  const bars = lines.map((line) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    // Number('') is 0, so an empty field must be caught before conversion.
    const num = (field: string | undefined): number => {
      const x = field === undefined || field === '' ? Number.NaN : Number(field);
      if (!Number.isFinite(x)) throw new Error(`non-numeric field in ${symbol}.csv: ${line}`);
      return x;
    };
    return { date: date!, open: num(open), high: num(high), low: num(low), close: num(close), volume: num(volume) };
  });
  return bars.slice(-lastRows);
}
