/**
 * The `track_record` a report carries: its ticker's graded calls before the report's date, summarised. Pure.
 */
import type { StoredCall } from './call-store.js';
import { HORIZON_KEYS, HORIZONS } from './grade-calls.js';
import { type DirectionalRecord, directionalRecords, flipRate, summarizeCalls, type SummaryRow } from './summarize-track-record.js';
import { GRADING_RULES, oneCallPerDate } from './track-record.js';

/** BUY/SELL calls graded at 5 bars needed before the narrative quotes the record: below it a hit rate says little. */
export const NARRATIVE_MIN_SAMPLE = 30;
/** The horizon the narrative quotes. */
export const NARRATIVE_HORIZON = 'd5' as const;

export interface ReportTrackRecord {
  /** Daybreak calls of this ticker before the report's business date. */
  sample_size: number;
  from: string | null;
  to: string | null;
  grading: string;
  summary: SummaryRow[];
  /** BUY and SELL calls pooled, per horizon. */
  directional: ({ horizon: number } & DirectionalRecord)[];
  changes_per_ticker_month: number | null;
}

export function reportTrackRecord(calls: readonly StoredCall[], businessDate: string): ReportTrackRecord {
  const mine = oneCallPerDate(calls.filter((c) => c.strategy === 'daybreak' && c.business_date < businessDate));
  const dates = mine.map((c) => c.business_date).sort();
  const directional = directionalRecords(mine);
  return {
    sample_size: mine.length,
    from: dates[0] ?? null,
    to: dates[dates.length - 1] ?? null,
    grading: GRADING_RULES,
    summary: summarizeCalls(mine),
    directional: HORIZON_KEYS.map((key) => ({ horizon: HORIZONS[key], ...directional[key] })),
    changes_per_ticker_month: flipRate(mine).changes_per_ticker_month,
  };
}

/** What the narrative quotes, when the sample is large enough: the 5-bar record of BUY and SELL calls. */
export function narrativeTrackRecord(record: ReportTrackRecord | null): { count: number; hit_rate: number; ci95: [number, number] } | null {
  const d = record?.directional.find((r) => r.horizon === HORIZONS[NARRATIVE_HORIZON]);
  if (!d || d.count < NARRATIVE_MIN_SAMPLE || d.hit_rate === null || !d.hit_rate_ci95) return null;
  return { count: d.count, hit_rate: d.hit_rate, ci95: d.hit_rate_ci95 };
}
