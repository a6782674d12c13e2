import type { DailyBar } from '../report/daily-bar.js';
import type { PeerComparison } from '../report/peers.js';
import type { Headline } from '../sources/news-source.js';
import type { Ticker } from '../registry/ticker.js';
import type { IncrementalStore } from './incremental-store.js';
import type { SubscriptionStore } from './subscription-store.js';
import type { CallStore } from '../report/track-record/call-store.js';
import type { CompanyInfoStore } from './company-info-store.js';
import type { ExecutionRecoveryStore } from './execution-recovery-store.js';
import type { WebhookEventStore } from './webhook-event-store.js';

export type ExecutionStatus = 'running' | 'completed' | 'completed_with_failures' | 'failed' | 'timed_out';
export type ExecutionSource = 'scheduler' | 'manual' | 'api';
export type JobStatus = 'pending' | 'in_progress' | 'completed' | 'failed';

/** What started an execution, as validated; kept on the execution record as `requested`. */
export interface ExecutionRequest {
  limit?: number;
  tickers?: string[];
  only_failed?: string;
  /** Recompute every report even when its inputs are those of the latest stored one (`precompute --force`). */
  force?: boolean;
}

export interface ExecutionRecord {
  execution_id: string;
  status: ExecutionStatus;
  source: ExecutionSource;
  requested: ExecutionRequest;
  /** Asia/Bangkok calendar date the reports of this execution belong to. */
  business_date: string;
  total: number;
  completed: number;
  failed: number;
  started_at: string;
  finished_at: string | null;
  deadline_at: string;
  duration_ms: number | null;
  slowest_job_ms: number | null;
  cost_usd: number;
  /** `host:pid` of the process that follows this execution; lets a later start recognise an orphan. */
  owner: string;
  heartbeat_at: string;
  /** Jobs that carried the ticker's latest report forward (unchanged inputs) instead of making a new one. */
  reused: number;
  /** When its jobs were handed to the queue; until then only its starter enqueues them (see `reconcileQueue`). */
  fanned_out_at: string | null;
}

export interface JobRecord {
  job_id: string;
  execution_id: string;
  ticker: string;
  source: ExecutionSource;
  status: JobStatus;
  attempts: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  expires_at: string;
  /** Set when the job carried a report forward: the execution that made it. */
  reused_from: string | null;
}

export interface NewExecution {
  execution_id: string;
  source: ExecutionSource;
  requested: ExecutionRequest;
  business_date: string;
  started_at: string;
  deadline_at: string;
  owner: string;
  tickers: string[];
  /** How long job rows are kept after creation. */
  job_ttl_ms: number;
}

export interface StoredBars {
  bars: DailyBar[];
  /** The source that wrote the newest bar (`demo`, `csv`, `yahoo`). */
  source: string;
}

/** A report as stored: the serialized JSON is kept as is, so readers can serve its bytes without re-serializing. */
export interface StoredReport {
  ticker: string;
  business_date: string;
  as_of: string;
  execution_id: string;
  generated_at: string;
  data_source: string;
  body: string;
  /** Hash of everything the report was made from (report/inputs-fingerprint.ts). */
  inputs_fingerprint?: string | null;
  /** A carried-forward copy: the execution that made the report. */
  reused_from?: string | null;
  /** Why an LLM-writer report was written by the template instead (`budget`, `unavailable`, `rejected`…). */
  narrative_fallback?: string | null;
}

/** Identifies the latest report of a ticker: a new business date, or a rewrite of the same one, changes it. */
export interface ReportVersion {
  ticker: string;
  business_date: string;
  generated_at: string;
  execution_id: string;
}

export interface StoredHeadline extends Headline {
  /** The news source that wrote it (`demo`, `csv`, `yahoo`). */
  source: string;
}

export interface JobOutcome {
  status: 'completed' | 'failed';
  error?: string;
  finished_at: string;
  /** Spent on paid APIs (the LLM) by this job; added to the execution's `cost_usd`. */
  cost_usd?: number;
  /** The job carried the latest report forward instead of making one: the execution that made it. */
  reused_from?: string;
}

/**
 * The persistence port. Every adapter passes `store.contract.ts`. Timestamps are ISO-8601 UTC strings,
 * dates are `YYYY-MM-DD`. Methods that change more than one row are atomic.
 */
export interface Store extends SubscriptionStore, CallStore, CompanyInfoStore, IncrementalStore, ExecutionRecoveryStore, WebhookEventStore {
  readonly kind: string;
  close(): Promise<void>;

  upsertTickers(tickers: Ticker[]): Promise<void>;
  listTickers(): Promise<Ticker[]>;

  /** Inserts or replaces bars by (ticker, date). Returns the number of rows written. */
  upsertDailyBars(ticker: string, bars: DailyBar[], source: string): Promise<number>;
  /** The newest `limit` bars in ascending date order; undefined when the store holds none. */
  getDailyBars(ticker: string, limit: number): Promise<StoredBars | undefined>;
  /** Bar counts for the given tickers (tickers with none are absent from the map). */
  countDailyBars(tickers: string[]): Promise<Map<string, number>>;
  /** Closes on or after `sinceDate` per ticker, ascending: the input of the peer correlation. */
  getClosesSince(tickers: string[], sinceDate: string): Promise<Map<string, { date: string; close: number }[]>>;

  /** Inserts or replaces headlines by (ticker, url). Returns the number written. */
  upsertNews(ticker: string, headlines: Headline[], source: string): Promise<number>;
  /** Headlines published at or after `sinceIso` and at or before `untilIso`, newest first. */
  getNews(ticker: string, sinceIso: string, untilIso: string, limit: number): Promise<StoredHeadline[]>;

  /** The peer comparison of every ticker, computed once per execution. */
  savePeerSets(executionId: string, peers: Map<string, PeerComparison>): Promise<void>;
  /** Replaces the LLM account one process keeps for an execution (JSON as the writer's budget summarises it). */
  saveLlmUsage(executionId: string, owner: string, usage: unknown): Promise<void>;
  /** Every process's LLM account for the execution. */
  listLlmUsage(executionId: string): Promise<unknown[]>;
  getPeerSet(executionId: string, ticker: string): Promise<PeerComparison | undefined>;

  /** Creates the execution and one pending job per ticker, atomically. Returns false if the id is taken. */
  createExecution(execution: NewExecution): Promise<boolean>;
  getExecution(executionId: string): Promise<ExecutionRecord | undefined>;
  /** Newest first, optionally only those with `status`. */
  listExecutions(options: { limit: number; status?: ExecutionStatus }): Promise<ExecutionRecord[]>;
  listJobs(executionId: string): Promise<JobRecord[]>;
  getJob(jobId: string): Promise<JobRecord | undefined>;
  heartbeat(executionId: string, at: string): Promise<void>;

  /**
   * → in_progress, attempts + 1, for a job that has not ended. A job already in_progress is taken again: queues
   * deliver a job to one worker at a time, so that is a redelivery after its worker died. Returns undefined for an
   * ended job (completed, failed, abandoned at a deadline), which must not run again.
   */
  startJob(jobId: string, at: string): Promise<JobRecord | undefined>;
  /** in_progress → pending after a failed attempt that will be retried; the error is kept. */
  releaseJob(jobId: string, error: string): Promise<void>;
  /**
   * Ends a job and counts it on its execution in one transaction (the fan-in). When it was the last job, the
   * execution is finished in the same transaction. Returns the execution as it stands after the update, or
   * undefined when the job had already ended (a duplicate delivery).
   */
  finishJob(jobId: string, outcome: JobOutcome): Promise<ExecutionRecord | undefined>;
  /**
   * Fails every job of the execution that has not ended, with `reason`, and closes the execution with `status`
   * (or, when `status` is omitted, with the status its counts imply). Returns the closed execution.
   */
  abandonExecution(executionId: string, reason: string, at: string, status?: ExecutionStatus): Promise<ExecutionRecord>;
  /** Deletes jobs whose `expires_at` is before `now`. Returns how many. */
  purgeExpiredJobs(now: string): Promise<number>;

  /** Inserts or replaces the report of (ticker, business_date), with its chart, in one statement. */
  saveReport(report: StoredReport, chartPng: Uint8Array | null): Promise<void>;
  getChartPng(ticker: string, businessDate: string): Promise<Buffer | undefined>;
  getLatestReport(ticker: string): Promise<StoredReport | undefined>;
  getReport(ticker: string, businessDate: string): Promise<StoredReport | undefined>;
  /**
   * Which report is the latest of each ticker, without the bodies: one cheap indexed query, so a reader can poll it
   * (every second in `serve`) and reload only the tickers whose latest report changed, whoever wrote it.
   */
  listLatestReportVersions(): Promise<ReportVersion[]>;
}
