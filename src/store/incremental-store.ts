import type { StoredReport } from './store.js';

/** What the reuse decision needs of a ticker's latest report, without its body. */
export interface LatestReportInputs {
  ticker: string;
  business_date: string;
  execution_id: string;
  inputs_fingerprint: string | null;
  reused_from: string | null;
  narrative_fallback: string | null;
}

/** Persistence of incremental runs (DESIGN §13): fingerprints, carried-forward reports, the day's LLM spend. */
export interface IncrementalStore {
  /** The latest report's fingerprint and provenance; undefined when the ticker has none. */
  getLatestReportInputs(ticker: string): Promise<LatestReportInputs | undefined>;
  /**
   * Writes `report` (a new business date's row carrying an older report forward) with the chart of the row
   * (`report.ticker`, `fromBusinessDate`), copied inside the database in the same statement.
   */
  carryReportForward(report: StoredReport, fromBusinessDate: string): Promise<void>;
  /** USD spent on the LLM by every execution of the business date (jobs that have ended), across all processes. */
  llmSpentOn(businessDate: string): Promise<number>;
}
