import { EventEmitter } from 'node:events';
import { type ChartRenderer, createChartRenderer } from './chart/chart-renderer.js';
import type { Config, MarketDataChoice } from './config.js';
import { createReportWorker } from './pipeline/report-worker.js';
import type { PipelineDeps } from './pipeline/pipeline-deps.js';
import { processOwner } from './pipeline/recover-orphaned-executions.js';
import { BullmqQueue } from './queue/bullmq-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { MemoryQueue } from './queue/memory-queue.js';
import { loadDefaultTickers, loadTickersFile, TickerRegistry } from './registry/ticker-registry.js';
import { CsvMarketData } from './sources/csv-market-data.js';
import { DemoMarketData } from './sources/demo-market-data.js';
import type { MarketDataSource } from './sources/market-data.js';
import { CsvNewsSource } from './sources/csv-news.js';
import { DemoNewsSource } from './sources/demo-news.js';
import type { NewsSource } from './sources/news-source.js';
import { TemplateNarrativeWriter } from './sources/template-narrative-writer.js';
import { openStore } from './store/open-store.js';

const DAY_MS = 86_400_000;

export type Mode = 'embedded' | 'distributed';

export interface Daybreak {
  config: Config;
  /** Embedded: reports are made in this process. Distributed (`REDIS_URL` set): by `daybreak worker` processes. */
  mode: Mode;
  deps: PipelineDeps;
  /**
   * The queue that `precompute` enqueues to. Embedded: an in-process queue already delivering to the report worker.
   * Distributed: a BullMQ producer; nothing in this process runs the jobs.
   */
  openQueue(): JobQueue;
  /** Distributed only: a BullMQ queue whose worker runs report jobs in this process (`daybreak worker`). */
  startWorker(): JobQueue;
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

export function createNewsSource(choice: string, market: MarketDataChoice): NewsSource | null {
  if (choice === 'none') return null;
  if (choice === 'demo') return new DemoNewsSource();
  if (choice.startsWith('csv:')) return new CsvNewsSource(choice.slice(4));
  return market.kind === 'demo' ? new DemoNewsSource() : null;
}

/**
 * The composition root: the one place that picks adapters from the config and wires them. The ticker file is the
 * registry's source of truth; it is upserted into the store so every process sees the same universe.
 */
export async function openDaybreak(config: Config, overrides: { now?: () => Date } = {}): Promise<Daybreak> {
  const mode: Mode = config.REDIS_URL ? 'distributed' : 'embedded';
  const tickers = config.TICKERS_FILE ? loadTickersFile(config.TICKERS_FILE) : loadDefaultTickers();
  const store = await openStore(config);
  try {
    await store.upsertTickers(tickers);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Threads start lazily on the first chart, so commands that draw none pay nothing.
  let charts: ChartRenderer | undefined;
  const lazyCharts: ChartRenderer = {
    threads: config.CHART_THREADS,
    render: (input) => (charts ??= createChartRenderer({ threads: config.CHART_THREADS })).render(input),
    close: async () => charts?.close(),
  };
  const deps: PipelineDeps = {
    store,
    registry: new TickerRegistry(tickers),
    marketData: createMarketData(config.MARKET_DATA),
    newsSource: createNewsSource(config.NEWS_SOURCE, config.MARKET_DATA),
    writer: new TemplateNarrativeWriter(),
    charts: lazyCharts,
    now: overrides.now ?? (() => new Date()),
    owner: processOwner(mode),
    events: new EventEmitter(),
    settings: {
      historyBars: config.HISTORY_BARS,
      executionTimeoutMs: config.EXECUTION_TIMEOUT_MS,
      jobTtlMs: config.JOB_TTL_DAYS * DAY_MS,
      ingestConcurrency: config.INGEST_CONCURRENCY,
      language: config.REPORT_LANGUAGE,
      newsWindowDays: config.NEWS_WINDOW_DAYS,
      retry: { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS },
    },
  };
  const queues: JobQueue[] = [];
  const bullmq = () =>
    new BullmqQueue({
      redisUrl: config.REDIS_URL!,
      name: 'reports',
      prefix: config.QUEUE_PREFIX,
      concurrency: config.WORKER_CONCURRENCY,
      retry: deps.settings.retry,
      lockDurationMs: config.QUEUE_LOCK_MS,
    });
  const track = <Q extends JobQueue>(queue: Q): Q => {
    queues.push(queue);
    return queue;
  };
  return {
    config,
    mode,
    deps,
    openQueue() {
      if (mode === 'distributed') return track(bullmq());
      const queue = new MemoryQueue(config.WORKER_CONCURRENCY, deps.settings.retry);
      queue.process(createReportWorker(deps));
      return track(queue);
    },
    startWorker() {
      if (mode !== 'distributed') throw new Error('startWorker needs REDIS_URL (distributed mode)');
      const queue = bullmq();
      queue.process(createReportWorker(deps));
      return track(queue);
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await lazyCharts.close();
      await store.close();
    },
  };
}
