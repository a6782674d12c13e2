/**
 * The track record as the CLI and the API show it (DESIGN §12): the calls, their summary per recommendation and
 * horizon, the baselines graded the same way, the verdict against them, calibration by confidence and the flip rate.
 * Pure: built from stored calls.
 */
import { BASELINE_RULES, BASELINES, type Baseline } from './baselines.js';
import type { StoredCall } from './call-store.js';
import { HOLD_BAND_PCT, type PerHorizon } from './grade-calls.js';
import {
  calibrateByConfidence,
  type CalibrationRow,
  type FlipRate,
  flipRate,
  type GradedCall,
  summarizeCalls,
  type SummaryRow,
  verdictAgainstBaselines,
  type VerdictRow,
} from './summarize-track-record.js';

export const GRADING_RULES =
  'Forward return at h = 1, 5, 21 trading bars: close[as_of + h] / close[as_of] - 1 (a fraction; summaries in percent). ' +
  'Excess: minus the median return of the universe over the same dates. A BUY hits when the forward return is > 0, ' +
  `a SELL when it is < 0, a HOLD when |return| <= ${HOLD_BAND_PCT.d1}% (1 bar), ${HOLD_BAND_PCT.d5}% (5 bars), ` +
  `${HOLD_BAND_PCT.d21}% (21 bars), about 1% x sqrt(h). Hit-rate intervals are Wilson 95%.`;

export interface TrackRecordCall {
  ticker: string;
  business_date: string;
  as_of: string;
  source: string;
  recommendation: StoredCall['recommendation'];
  stance: StoredCall['stance'];
  confidence: StoredCall['confidence'];
  close: number;
  returns: PerHorizon<number | null>;
  excess: PerHorizon<number | null>;
  hit: PerHorizon<boolean | null>;
}

export interface TrackRecord {
  ticker: string | null;
  from: string | null;
  to: string | null;
  sample_size: number;
  grading: string;
  hold_band_pct: typeof HOLD_BAND_PCT;
  calls_total: number;
  /** The newest `limit` calls, oldest first. */
  calls: TrackRecordCall[];
  summary: SummaryRow[];
  baselines: { strategy: Baseline; rule: string; summary: SummaryRow[] }[];
  verdict: VerdictRow[];
  calibration: CalibrationRow[];
  flip_rate: FlipRate;
}

/**
 * One Daybreak call per (ticker, business date): a live report's call where one exists, else the backtest's (both
 * come from the same pure decision, so they agree when made from the same history).
 */
export function oneCallPerDate(calls: readonly StoredCall[]): StoredCall[] {
  const kept = new Map<string, StoredCall>();
  for (const c of calls) {
    const key = `${c.strategy}|${c.ticker}|${c.business_date}`;
    const existing = kept.get(key);
    if (!existing || (existing.origin === 'backtest' && c.origin === 'report')) kept.set(key, c);
  }
  return [...kept.values()];
}

function publicCall(c: StoredCall): TrackRecordCall {
  return {
    ticker: c.ticker,
    business_date: c.business_date,
    as_of: c.as_of,
    source: c.source,
    recommendation: c.recommendation,
    stance: c.stance,
    confidence: c.confidence,
    close: c.close,
    returns: c.returns,
    excess: c.excess,
    hit: c.hit,
  };
}

export function buildTrackRecord(
  stored: readonly StoredCall[],
  options: { ticker?: string; horizon?: number; limit?: number } = {},
): TrackRecord {
  const calls = oneCallPerDate(stored);
  const daybreak = calls.filter((c) => c.strategy === 'daybreak');
  const byBaseline = new Map<Baseline, GradedCall[]>(BASELINES.map((b) => [b, calls.filter((c) => c.strategy === b)]));
  const onHorizon = <T extends { horizon: number }>(rows: T[]) => (options.horizon === undefined ? rows : rows.filter((r) => r.horizon === options.horizon));
  const sorted = [...daybreak].sort((a, b) => (a.business_date < b.business_date ? -1 : a.business_date > b.business_date ? 1 : a.ticker.localeCompare(b.ticker)));
  const limit = options.limit ?? sorted.length;
  return {
    ticker: options.ticker ?? null,
    from: sorted[0]?.business_date ?? null,
    to: sorted[sorted.length - 1]?.business_date ?? null,
    sample_size: daybreak.length,
    grading: GRADING_RULES,
    hold_band_pct: HOLD_BAND_PCT,
    calls_total: sorted.length,
    calls: sorted.slice(Math.max(0, sorted.length - limit)).map(publicCall),
    summary: onHorizon(summarizeCalls(daybreak)),
    baselines: BASELINES.map((strategy) => ({ strategy, rule: BASELINE_RULES[strategy], summary: onHorizon(summarizeCalls(byBaseline.get(strategy)!)) })),
    verdict: onHorizon(verdictAgainstBaselines(daybreak, byBaseline)),
    calibration: onHorizon(calibrateByConfidence(daybreak)),
    flip_rate: flipRate(daybreak),
  };
}
