import type { EventEmitter } from 'node:events';
import type { RetryOptions } from '../queue/job-queue.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import type { ChartRenderer } from '../chart/chart-renderer.js';
import type { Language } from '../report/narrative-contract.js';
import type { MarketDataSource } from '../sources/market-data.js';
import type { NarrativeWriter } from '../narrative/narrative-writer.js';
import type { NewsSource } from '../sources/news-source.js';
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
  /** The narrative writer for a job of this execution (the LLM writer keeps a budget per execution). */
  writerFor: (executionId: string) => NarrativeWriter;
  /** This process's LLM account for the execution, when an LLM writer is in use; saved on the execution. */
  llmUsageOf: (executionId: string) => unknown;
  charts: ChartRenderer;
  /** The only clock the pipeline reads. */
  now: () => Date;
  /** `host:pid` of this process. */
  owner: string;
  events: EventEmitter;
  settings: {
    historyBars: number;
    executionTimeoutMs: number;
    jobTtlMs: number;
    ingestConcurrency: number;
    language: Language;
    newsWindowDays: number;
    retry: RetryOptions;
  };
}
