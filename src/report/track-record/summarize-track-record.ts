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

function pct(x: number | null): number | null {
  return x === null ? null : x * 100;
}

/**
 * Counts and sums of a set of calls at one horizon, added one call at a time. Each sum runs over the calls in their
 * given order from 0, so it equals the sum of the filtered list: one pass over the calls makes every group's figures
 * (a replay summarises ~170,000 calls).
 */
class Tally {
  count = 0;
  hits = 0;
  returnSum = 0;
  excessCount = 0;
  excessSum = 0;
  /** Excess in the call's direction (a SELL's with its sign flipped), over the graded calls that have one. */
  signedCount = 0;
  signedSum = 0;

  add(c: GradedCall, key: HorizonKey): void {
    const hit = c.hit[key];
    if (hit === null) return;
    this.count++;
    if (hit) this.hits++;
    this.returnSum += c.returns[key]!;
    const x = c.excess[key];
    if (x === null) return;
    this.excessCount++;
    this.excessSum += x;
    this.signedCount++;
    this.signedSum += c.recommendation === 'SELL' ? -x : x;
  }

  get hitRate(): number | null {
    return this.count === 0 ? null : this.hits / this.count;
  }
}

const meanOf = (sum: number, count: number) => (count === 0 ? null : sum / count);
const perHorizon = (): Tally[] => HORIZON_KEYS.map(() => new Tally());

/** Calls grouped by `groupOf` and graded per horizon: count, hits with their Wilson interval, and mean returns. */
function gradedGroups<G>(calls: readonly GradedCall[], groups: readonly G[], groupOf: (c: GradedCall) => G) {
  const tallies = new Map<G, Tally[]>(groups.map((g) => [g, perHorizon()]));
  for (const c of calls) {
    const t = tallies.get(groupOf(c));
    if (!t) continue;
    for (let h = 0; h < HORIZON_KEYS.length; h++) t[h]!.add(c, HORIZON_KEYS[h]!);
  }
  return groups.flatMap((group) =>
    HORIZON_KEYS.map((key, h) => {
      const r = tallies.get(group)![h]!;
      return {
        group,
        horizon: HORIZONS[key],
        count: r.count,
        hit_rate: r.hitRate,
        hit_rate_ci95: wilsonInterval(r.hits, r.count),
        mean_return_pct: pct(meanOf(r.returnSum, r.count)),
        mean_excess_pct: pct(meanOf(r.excessSum, r.excessCount)),
      };
    }),
  );
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

/** The BUY and SELL calls' record at every horizon, in one pass. */
export function directionalRecords(calls: readonly GradedCall[]): PerHorizon<DirectionalRecord> {
  const tallies = perHorizon();
  for (const c of calls) {
    if (c.recommendation === 'HOLD') continue;
    for (let h = 0; h < HORIZON_KEYS.length; h++) tallies[h]!.add(c, HORIZON_KEYS[h]!);
  }
  const recordAt = (h: number): DirectionalRecord => {
    const r = tallies[h]!;
    return {
      count: r.count,
      hit_rate: r.hitRate,
      hit_rate_ci95: wilsonInterval(r.hits, r.count),
      mean_directional_excess_pct: pct(meanOf(r.signedSum, r.signedCount)),
    };
  };
  return { d1: recordAt(0), d5: recordAt(1), d21: recordAt(2) };
}

/** Daybreak's BUY/SELL calls against each baseline's, horizon by horizon, said plainly. */
export function verdictAgainstBaselines(daybreak: readonly GradedCall[], baselines: ReadonlyMap<Baseline, readonly GradedCall[]>): VerdictRow[] {
  const rows: VerdictRow[] = [];
  const ours = directionalRecords(daybreak);
  const others = new Map(BASELINES.map((b) => [b, directionalRecords(baselines.get(b) ?? [])]));
  for (const key of HORIZON_KEYS) {
    const mine = ours[key];
    for (const baseline of BASELINES) {
      const theirs = others.get(baseline)![key];
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
