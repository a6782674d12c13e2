/**
 * Summaries of graded calls: per recommendation and horizon, calibration by confidence, the flip rate, and the plain
 * verdict against the baselines. Pure.
 */
import type { Confidence, Recommendation, Stance } from '../narrative-contract.js';
import { BASELINES, type Baseline } from './baselines.js';
import { HORIZON_KEYS, HORIZONS, type HorizonKey, type PerHorizon } from './grade-calls.js';
import { wilsonInterval } from './wilson-interval.js';

export type Strategy = 'daybreak' | Baseline;

export interface GradedCall {
  ticker: string;
  business_date: string;
  as_of: string;
  /** `backtest`, or the source of the execution whose report made the call (`scheduler`, `manual`, `api`). */
  source: string;
  strategy: Strategy;
  recommendation: Recommendation;
  stance: Stance | null;
  confidence: Confidence | null;
  close: number;
  returns: PerHorizon<number | null>;
  excess: PerHorizon<number | null>;
  hit: PerHorizon<boolean | null>;
}

export interface SummaryRow {
  recommendation: Recommendation;
  horizon: number;
  count: number;
  hit_rate: number | null;
  hit_rate_ci95: [number, number] | null;
  mean_return_pct: number | null;
  mean_excess_pct: number | null;
}

export interface CalibrationRow {
  confidence: Confidence;
  horizon: number;
  count: number;
  hit_rate: number | null;
  hit_rate_ci95: [number, number] | null;
}

export interface FlipRate {
  tickers: number;
  calls: number;
  /** Changes of recommendation between a ticker's consecutive calls. */
  changes: number;
  /** Months covered, summed over tickers (first to last call, 30.44-day months). */
  ticker_months: number;
  changes_per_ticker_month: number | null;
}

export interface VerdictRow {
  horizon: number;
  baseline: Baseline;
  /** BUY and SELL calls pooled: did the price go the way the call said? */
  daybreak: DirectionalRecord;
  baseline_record: DirectionalRecord;
  /** `better`, `worse` when the 95% intervals of the hit rates do not overlap; `no_clear_difference` otherwise. */
  outcome: 'better' | 'worse' | 'no_clear_difference' | 'not_enough_data';
}

export interface DirectionalRecord {
  count: number;
  hit_rate: number | null;
  hit_rate_ci95: [number, number] | null;
  /** Mean excess return in the call's direction (a SELL's excess counts with its sign flipped), percent. */
  mean_directional_excess_pct: number | null;
}

export const RECOMMENDATIONS: readonly Recommendation[] = ['BUY', 'HOLD', 'SELL'];
const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];
const DAYS_PER_MONTH = 30.4375;

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function pct(x: number | null): number | null {
  return x === null ? null : x * 100;
}

function record(calls: readonly GradedCall[], key: HorizonKey): { count: number; hits: number; returns: number[]; excess: number[] } {
  let hits = 0;
  const returns: number[] = [];
  const excess: number[] = [];
  for (const c of calls) {
    const hit = c.hit[key];
    if (hit === null) continue;
    if (hit) hits++;
    returns.push(c.returns[key]!);
    if (c.excess[key] !== null) excess.push(c.excess[key]!);
  }
  return { count: returns.length, hits, returns, excess };
}

/** Calls grouped by `groupOf` and graded per horizon: count, hits with their Wilson interval, and mean returns. */
function gradedGroups<G>(calls: readonly GradedCall[], groups: readonly G[], groupOf: (c: GradedCall) => G) {
  return groups.flatMap((group) => {
    const mine = calls.filter((c) => groupOf(c) === group);
    return HORIZON_KEYS.map((key) => {
      const r = record(mine, key);
      return {
        group,
        horizon: HORIZONS[key],
        count: r.count,
        hit_rate: r.count === 0 ? null : r.hits / r.count,
        hit_rate_ci95: wilsonInterval(r.hits, r.count),
        mean_return_pct: pct(mean(r.returns)),
        mean_excess_pct: pct(mean(r.excess)),
      };
    });
  });
}

/** One row per recommendation and horizon, over the calls graded at that horizon. */
export function summarizeCalls(calls: readonly GradedCall[]): SummaryRow[] {
  return gradedGroups(calls, RECOMMENDATIONS, (c) => c.recommendation).map(({ group, ...row }) => ({ recommendation: group, ...row }));
}

/** Hit rate of the BUY and SELL calls by their confidence: a calibrated call hits more often when it is surer. */
export function calibrateByConfidence(calls: readonly GradedCall[]): CalibrationRow[] {
  const directional = calls.filter((c) => c.recommendation !== 'HOLD');
  return gradedGroups(directional, CONFIDENCES, (c) => c.confidence).map(({ group, horizon, count, hit_rate, hit_rate_ci95 }) => ({
    confidence: group as Confidence,
    horizon,
    count,
    hit_rate,
    hit_rate_ci95,
  }));
}

/** Changes of call per ticker per month, over calls in date order per ticker. */
export function flipRate(calls: readonly Pick<GradedCall, 'ticker' | 'business_date' | 'recommendation'>[]): FlipRate {
  const byTicker = new Map<string, Pick<GradedCall, 'business_date' | 'recommendation'>[]>();
  for (const c of calls) {
    let list = byTicker.get(c.ticker);
    if (!list) byTicker.set(c.ticker, (list = []));
    list.push(c);
  }
  let changes = 0;
  let months = 0;
  for (const list of byTicker.values()) {
    list.sort((a, b) => (a.business_date < b.business_date ? -1 : a.business_date > b.business_date ? 1 : 0));
    for (let i = 1; i < list.length; i++) if (list[i]!.recommendation !== list[i - 1]!.recommendation) changes++;
    if (list.length > 1) months += (Date.parse(list[list.length - 1]!.business_date) - Date.parse(list[0]!.business_date)) / 86_400_000 / DAYS_PER_MONTH;
  }
  return {
    tickers: byTicker.size,
    calls: calls.length,
    changes,
    ticker_months: months,
    changes_per_ticker_month: months > 0 ? changes / months : null,
  };
}

export function directionalRecord(calls: readonly GradedCall[], key: HorizonKey): DirectionalRecord {
  const directional = calls.filter((c) => c.recommendation !== 'HOLD');
  const r = record(directional, key);
  const signed: number[] = [];
  for (const c of directional) {
    const x = c.excess[key];
    if (c.hit[key] !== null && x !== null) signed.push(c.recommendation === 'SELL' ? -x : x);
  }
  return {
    count: r.count,
    hit_rate: r.count === 0 ? null : r.hits / r.count,
    hit_rate_ci95: wilsonInterval(r.hits, r.count),
    mean_directional_excess_pct: pct(mean(signed)),
  };
}

/** Daybreak's BUY/SELL calls against each baseline's, horizon by horizon, said plainly. */
export function verdictAgainstBaselines(daybreak: readonly GradedCall[], baselines: ReadonlyMap<Baseline, readonly GradedCall[]>): VerdictRow[] {
  const rows: VerdictRow[] = [];
  for (const key of HORIZON_KEYS) {
    const mine = directionalRecord(daybreak, key);
    for (const baseline of BASELINES) {
      const theirs = directionalRecord(baselines.get(baseline) ?? [], key);
      let outcome: VerdictRow['outcome'] = 'not_enough_data';
      if (mine.hit_rate_ci95 && theirs.hit_rate_ci95) {
        if (mine.hit_rate_ci95[0] > theirs.hit_rate_ci95[1]) outcome = 'better';
        else if (mine.hit_rate_ci95[1] < theirs.hit_rate_ci95[0]) outcome = 'worse';
        else outcome = 'no_clear_difference';
      }
      rows.push({ horizon: HORIZONS[key], baseline, daybreak: mine, baseline_record: theirs, outcome });
    }
  }
  return rows;
}
