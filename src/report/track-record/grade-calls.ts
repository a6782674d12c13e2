/**
 * Grading a call by what followed. Pure: the price history is given.
 *
 * - Forward return at h bars: close[as_of + h bars of that ticker] / close[as_of] − 1 (a fraction), null until
 *   that bar exists.
 * - Excess: the forward return minus the median, across the universe's tickers, of each ticker's return over the same
 *   calendar span (its last close on or before `as_of` to its last close on or before the end bar's date). A ticker
 *   counts only when its history covers the whole span (a bar on or before the start, and one on or after the end).
 * - Hit: a BUY hits when its forward return is > 0, a SELL when it is < 0, a HOLD when the move stays inside
 *   ±HOLD_BAND_PCT[h] (about 1% × √h: a HOLD says "no move worth acting on", so a big move either way misses it).
 */
import type { Recommendation } from '../narrative-contract.js';
import { lastIndexOnOrBefore } from './replay-decisions.js';
import { median } from '../percentiles.js';

export const HORIZONS = { d1: 1, d5: 5, d21: 21 } as const;
export type HorizonKey = keyof typeof HORIZONS;
export const HORIZON_KEYS = Object.keys(HORIZONS) as HorizonKey[];

/** A HOLD hits when |forward return| ≤ this many percent: ≈ 1% × √(bars), a typical move over the horizon. */
export const HOLD_BAND_PCT: Record<HorizonKey, number> = { d1: 1, d5: 2.2, d21: 4.6 };

export type PerHorizon<T> = Record<HorizonKey, T>;

export interface CallGrades {
  returns: PerHorizon<number | null>;
  excess: PerHorizon<number | null>;
  hit: PerHorizon<boolean | null>;
}

export interface PriceSeries {
  dates: readonly string[];
  closes: ArrayLike<number>;
}

export function hitOf(recommendation: Recommendation, forwardReturn: number, horizon: HorizonKey): boolean {
  if (recommendation === 'BUY') return forwardReturn > 0;
  if (recommendation === 'SELL') return forwardReturn < 0;
  return Math.abs(forwardReturn) * 100 <= HOLD_BAND_PCT[horizon];
}

/** The universe's closes, with the median return over a (start, end) span computed once per span. */
export class UniverseReturns {
  private readonly medians = new Map<string, number | null>();
  private readonly series: PriceSeries[];
  constructor(private readonly byTicker: ReadonlyMap<string, PriceSeries>) {
    this.series = [...byTicker.values()];
  }

  has(ticker: string): boolean {
    return this.byTicker.has(ticker);
  }

  /** The bar h bars after `asOf` of `ticker`: its date and the return to it; null while that bar does not exist. */
  forward(ticker: string, asOf: string, h: number): { endDate: string; value: number } | null {
    const s = this.byTicker.get(ticker);
    if (!s) return null;
    const i = indexOnOrBefore(s.dates, asOf);
    return this.forwardAt(s, i, asOf, h);
  }

  forwardAt(s: PriceSeries, i: number, asOf: string, h: number): { endDate: string; value: number } | null {
    if (i < 0 || s.dates[i] !== asOf || i + h >= s.dates.length) return null;
    const start = s.closes[i]!;
    if (!(start > 0)) return null;
    return { endDate: s.dates[i + h]!, value: s.closes[i + h]! / start - 1 };
  }

  median(start: string, end: string): number | null {
    const key = `${start}|${end}`;
    if (this.medians.has(key)) return this.medians.get(key)!;
    const values: number[] = [];
    for (const s of this.series) {
      const n = s.dates.length;
      if (n === 0 || s.dates[n - 1]! < end || s.dates[0]! > start) continue;
      const i = indexOnOrBefore(s.dates, start);
      const j = indexOnOrBefore(s.dates, end);
      const a = s.closes[i]!;
      if (i < 0 || !(a > 0)) continue;
      values.push(s.closes[j]! / a - 1);
    }
    const m = median(values);
    this.medians.set(key, m);
    return m;
  }
}

const same = (d: string) => d;
const indexOnOrBefore = (dates: readonly string[], date: string) => lastIndexOnOrBefore(dates, date, same);

/**
 * The forward and excess returns of a call of `ticker` made on the close of `asOf`: the same for every call of that
 * ticker and date whatever it says (a replay grades six calls a decision from one of these). Horizons whose bar has
 * not arrived stay null.
 */
export function forwardGrades(
  ticker: string,
  asOf: string,
  universe: UniverseReturns,
  series?: { s: PriceSeries; index: number },
): Pick<CallGrades, 'returns' | 'excess'> {
  const at = (h: number) => (series ? universe.forwardAt(series.s, series.index, asOf, h) : universe.forward(ticker, asOf, h));
  const excessOf = (fwd: { endDate: string; value: number } | null) => {
    const m = fwd && universe.median(asOf, fwd.endDate);
    return m === null || m === undefined ? null : fwd!.value - m;
  };
  const d1 = at(HORIZONS.d1);
  const d5 = at(HORIZONS.d5);
  const d21 = at(HORIZONS.d21);
  // Built whole, never filled in later: every grade object has one shape, which keeps the summaries' loops fast.
  return {
    returns: { d1: d1 && d1.value, d5: d5 && d5.value, d21: d21 && d21.value },
    excess: { d1: excessOf(d1), d5: excessOf(d5), d21: excessOf(d21) },
  };
}

/** Hit or miss of `recommendation` at each horizon whose return is known. */
export function hitsOf(recommendation: Recommendation, returns: PerHorizon<number | null>): PerHorizon<boolean | null> {
  return {
    d1: returns.d1 === null ? null : hitOf(recommendation, returns.d1, 'd1'),
    d5: returns.d5 === null ? null : hitOf(recommendation, returns.d5, 'd5'),
    d21: returns.d21 === null ? null : hitOf(recommendation, returns.d21, 'd21'),
  };
}

/** Grades one call of `ticker` made on the close of `asOf`. Horizons whose bar has not arrived stay null. */
export function gradeCall(
  call: { ticker: string; as_of: string; recommendation: Recommendation },
  universe: UniverseReturns,
  series?: { s: PriceSeries; index: number },
): CallGrades {
  const { returns, excess } = forwardGrades(call.ticker, call.as_of, universe, series);
  return { returns, excess, hit: hitsOf(call.recommendation, returns) };
}
