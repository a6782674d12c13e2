import type { EventEmitter } from 'node:events';
import type { RetryOptions } from '../queue/job-queue.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import type { ChartRenderer } from '../chart/chart-renderer.js';
import type { Language } from '../report/narrative-contract.js';
import type { MarketDataSource } from '../sources/market-data.js';
import type { NarrativeWriter } from '../narrative/narrative-writer.js';
import type { NewsSource } from '../sources/news-source.js';
import type { OutageLog } from '../queue/outage-log.js';
import type { ExecutionRecord, JobRecord, Store } from '../store/store.js';

/** Emitted on `PipelineDeps.events` by a worker in this process each time one of its jobs ends. */
export interface JobEndedEvent {
  job: JobRecord;
  execution: ExecutionRecord;
}
export const JOB_ENDED = 'job-ended';

/** Everything the pipeline needs from the outside, built once by the composition root. */
export interface PipelineDeps {
  store: Store;
  registry: TickerRegistry;
  marketData: MarketDataSource;
  /** Null: reports go without news (a CSV price folder has no news unless one is configured). */
  newsSource: NewsSource | null;
  /** The narrative writer for a job of this execution (the LLM writer keeps a budget per execution and a daily one per business date). */
  writerFor: (executionId: string, businessDate: string) => NarrativeWriter;
  /** This process's LLM account for the execution, when an LLM writer is in use; saved on the execution. */
  llmUsageOf: (executionId: string) => unknown;
  /** The configured narrative writer and model: part of every report's inputs fingerprint. */
  narrativeWriter: { name: string; model: string | null };
  /**
   * Whether a report of this execution could be written by the LLM now (an LLM writer is configured, and neither
   * the run's nor the day's budget is spent): a carried-forward candidate that fell back to the template because
   * the LLM was unavailable is then made again.
   */
  llmAvailable: (executionId: string, businessDate: string) => Promise<boolean>;
  charts: ChartRenderer;
  /** The only clock the pipeline reads. */
  now: () => Date;
  /** `host:pid` of this process. */
  owner: string;
  events: EventEmitter;
  /** The store or the queue going away and coming back (reconciliation runs again when Redis is back). */
  outages: OutageLog;
  settings: {
    historyBars: number;
    executionTimeoutMs: number;
    jobTtlMs: number;
    ingestConcurrency: number;
    language: Language;
    newsWindowDays: number;
    retry: RetryOptions;
    /** Distributed: how long a job stays with a worker that stopped renewing its lock (`QUEUE_LOCK_MS`). */
    queueLockMs: number;
  };
}
