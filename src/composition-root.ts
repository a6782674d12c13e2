import { EventEmitter } from 'node:events';
import type { Config, MarketDataChoice } from './config.js';
import { createReportWorker } from './pipeline/report-worker.js';
import type { PipelineDeps } from './pipeline/pipeline-deps.js';
import { processOwner } from './pipeline/recover-orphaned-executions.js';
import type { JobQueue } from './queue/job-queue.js';
import { MemoryQueue } from './queue/memory-queue.js';
import { loadDefaultTickers, loadTickersFile, TickerRegistry } from './registry/ticker-registry.js';
import { CsvMarketData } from './sources/csv-market-data.js';
import { DemoMarketData } from './sources/demo-market-data.js';
import type { MarketDataSource } from './sources/market-data.js';
import { openStore } from './store/open-store.js';

const DAY_MS = 86_400_000;

export interface Daybreak {
  config: Config;
  deps: PipelineDeps;
  /** An in-process queue already delivering to the report worker (embedded mode). */
  startEmbeddedQueue(): JobQueue;
  close(): Promise<void>;
}

export function createMarketData(choice: MarketDataChoice): MarketDataSource {
  switch (choice.kind) {
    case 'demo':
      return new DemoMarketData();
    case 'csv':
      return new CsvMarketData(choice.dir);
  }
}

/**
 * The composition root: the one place that picks adapters from the config and wires them. The ticker file is the
 * registry's source of truth; it is upserted into the store so every process sees the same universe.
 */
export async function openDaybreak(config: Config, overrides: { now?: () => Date } = {}): Promise<Daybreak> {
  const tickers = config.TICKERS_FILE ? loadTickersFile(config.TICKERS_FILE) : loadDefaultTickers();
  const store = await openStore(config);
  try {
    await store.upsertTickers(tickers);
  } catch (error) {
    await store.close();
    throw error;
  }
  const deps: PipelineDeps = {
    store,
    registry: new TickerRegistry(tickers),
    marketData: createMarketData(config.MARKET_DATA),
    now: overrides.now ?? (() => new Date()),
    owner: processOwner(),
    events: new EventEmitter(),
    settings: {
      historyBars: config.HISTORY_BARS,
      executionTimeoutMs: config.EXECUTION_TIMEOUT_MS,
      jobTtlMs: config.JOB_TTL_DAYS * DAY_MS,
      ingestConcurrency: config.INGEST_CONCURRENCY,
      retry: { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS },
    },
  };
  const queues: JobQueue[] = [];
  return {
    config,
    deps,
    startEmbeddedQueue() {
      const queue = new MemoryQueue(config.WORKER_CONCURRENCY, deps.settings.retry);
      queue.process(createReportWorker(deps));
      queues.push(queue);
      return queue;
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await store.close();
    },
  };
}
