import type { PeerComparison } from '../report/peers.js';
import type { ExecutionRecord, JobRecord, StoredHeadline, StoredReport } from './store.js';

/** What the store keeps of a ticker's (or FX pair's) bars, rewritten with every bar write (`bar_series`). */
export interface BarSeries {
  ticker: string;
  bars: number;
  last_date: string;
  last_close: number;
  /** The source that wrote the newest bar. */
  source: string;
  /** `barsDigest` of all its bars (report/inputs-fingerprint.ts). */
  digest: string;
}

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
  /** The latest report's fingerprint and provenance of each of `tickers` that has one, in one query. */
  listLatestReportInputs(tickers: string[]): Promise<Map<string, LatestReportInputs>>;
  /** The bar digests of those of `tickers` (tickers or FX pairs) that have bars. */
  getBarSeries(tickers: string[]): Promise<Map<string, BarSeries>>;
  /** `getNews` for many tickers in one query: each one's headlines in the window, newest first, at most `limit`. */
  getNewsOf(tickers: string[], sinceIso: string, untilIso: string, limit: number): Promise<Map<string, StoredHeadline[]>>;
  /** Every peer set of an execution, by ticker. */
  getPeerSets(executionId: string): Promise<Map<string, PeerComparison>>;
  /** Records the digest of what the execution's peer sets were computed from. */
  savePeerSetInputs(executionId: string, digest: string): Promise<void>;
  /**
   * Copies the peer sets of the latest other execution whose peer inputs had `digest` to `toExecutionId` (and records
   * the digest for it), inside the database. False when there is none.
   */
  copyPeerSets(digest: string, toExecutionId: string): Promise<boolean>;
  /**
   * Completes, in one transaction, the pending jobs of the execution for `reused` tickers as having carried the
   * report of `reused_from` forward, counts them (`completed`, `reused`), and closes the execution when they were
   * its last. Returns the execution after it and the jobs ended (a job no longer pending is left as it is).
   */
  finishReusedJobs(
    executionId: string,
    reused: { ticker: string; reused_from: string }[],
    at: string,
  ): Promise<{ execution: ExecutionRecord; jobs: JobRecord[] } | undefined>;
  /** USD spent on the LLM by every execution of the business date (jobs that have ended), across all processes. */
  llmSpentOn(businessDate: string): Promise<number>;
}
