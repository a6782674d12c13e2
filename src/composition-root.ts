import { EventEmitter } from 'node:events';
import { type ChartRenderer, createChartRenderer } from './chart/chart-renderer.js';
import OpenAI from 'openai';
import { type Config, llmApiKey, type MarketDataChoice } from './config.js';
import { createReportWorker } from './pipeline/report-worker.js';
import type { PipelineDeps } from './pipeline/pipeline-deps.js';
import { processOwner } from './pipeline/recover-orphaned-executions.js';
import type { JobQueue } from './queue/job-queue.js';
import { MemoryQueue } from './queue/memory-queue.js';
import { loadDefaultTickers, loadTickersFile, TickerRegistry } from './registry/ticker-registry.js';
import { CsvMarketData } from './sources/csv-market-data.js';
import { DemoMarketData } from './sources/demo-market-data.js';
import type { MarketDataSource } from './sources/market-data.js';
import { CsvNewsSource } from './sources/csv-news.js';
import { DemoNewsSource } from './sources/demo-news.js';
import type { NewsSource } from './sources/news-source.js';
import { DEFAULT_MODEL_PRICES, LlmBudget } from './narrative/llm-budget.js';
import { LlmNarrativeWriter } from './narrative/llm-narrative-writer.js';
import type { NarrativeWriter } from './narrative/narrative-writer.js';
import { TemplateNarrativeWriter } from './narrative/template-narrative-writer.js';
import { createYahooClient, type YahooClient } from './sources/yahoo-client.js';
import { YahooMarketData } from './sources/yahoo-market-data.js';
import { YahooNewsSource } from './sources/yahoo-news.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';
import { DailyBudgetWriter } from './narrative/daily-budget-writer.js';
import type { DeliveryDeps } from './delivery/deliver.js';
import { DeliveryChannels } from './delivery/delivery-channels.js';
import { LineChannel } from './delivery/line-channel.js';
import { TelegramChannel } from './delivery/telegram-channel.js';
import { EmailChannel } from './delivery/email-channel.js';
import { WebhookChannel } from './delivery/webhook-channel.js';
import { OutageLog } from './queue/outage-log.js';

const DAY_MS = 86_400_000;

export type Mode = 'embedded' | 'distributed';

export interface Daybreak {
  config: Config;
  /** Embedded: reports are made in this process. Distributed (`REDIS_URL` set): by `daybreak worker` processes. */
  mode: Mode;
  deps: PipelineDeps;
  /** PostgreSQL or Redis going away and coming back, once each (text on stderr until a command sets its reporter). */
  outages: OutageLog;
  /**
   * The queue that `precompute` enqueues to. Embedded: an in-process queue already delivering to the report worker.
   * Distributed: a BullMQ producer; nothing in this process runs the jobs.
   */
  openQueue(): JobQueue;
  /** Distributed only: a BullMQ queue whose worker runs report jobs in this process (`daybreak worker`). */
  startWorker(): JobQueue;
  /** Step 7: the channels configured in this process and what delivering needs. */
  delivery: DeliveryDeps;
  /** The adapter for a market-data choice other than the configured one (`ingest --source`). */
  marketDataFor(choice: MarketDataChoice): MarketDataSource;
  close(): Promise<void>;
}

/** One Yahoo client per process: its throttle is the per-IP limit, so every Yahoo adapter must share it. */
function yahooClientOf(config: Config): () => YahooClient {
  let client: YahooClient | undefined;
  return () =>
    (client ??= createYahooClient({
      maxInFlight: config.YAHOO_MAX_IN_FLIGHT,
      timeoutMs: config.YAHOO_TIMEOUT_MS,
      retry: { attempts: config.JOB_ATTEMPTS, backoffMs: Math.max(config.JOB_BACKOFF_MS, 1) },
    }));
}

export function createMarketData(choice: MarketDataChoice, yahoo: () => YahooClient): MarketDataSource {
  switch (choice.kind) {
    case 'demo':
      return new DemoMarketData();
    case 'csv':
      return new CsvMarketData(choice.dir);
    case 'yahoo':
      return new YahooMarketData(yahoo());
  }
}

export function createNewsSource(choice: string, market: MarketDataChoice, yahoo: () => YahooClient): NewsSource | null {
  if (choice === 'none') return null;
  if (choice === 'demo') return new DemoNewsSource();
  if (choice === 'yahoo') return new YahooNewsSource(yahoo());
  if (choice.startsWith('csv:')) return new CsvNewsSource(choice.slice(4));
  if (market.kind === 'demo') return new DemoNewsSource();
  return market.kind === 'yahoo' ? new YahooNewsSource(yahoo()) : null;
}

/**
 * The narrative writer of each execution. The LLM writer shares one concurrency limit across executions but keeps
 * a budget per execution, so one run's spend never starves the next.
 */
function createWriterFor(config: Config, store: Store): {
  usesLlm: boolean;
  writerFor: (executionId: string, businessDate: string) => NarrativeWriter;
  usageOf: (executionId: string) => unknown;
  identity: { name: string; model: string | null };
  available: (executionId: string, businessDate: string) => Promise<boolean>;
} {
  const template = new TemplateNarrativeWriter();
  const apiKey = llmApiKey(config);
  const useLlm = config.NARRATIVE_WRITER === 'llm' || (config.NARRATIVE_WRITER === 'auto' && apiKey !== undefined);
  if (!useLlm || !apiKey) {
    return {
      usesLlm: false,
      writerFor: () => template,
      usageOf: () => undefined,
      identity: { name: template.name, model: null },
      available: async () => false,
    };
  }
  const base = new LlmNarrativeWriter({
    client: new OpenAI({ baseURL: config.LLM_BASE_URL, apiKey, maxRetries: 0 }),
    model: config.LLM_MODEL,
    maxConcurrent: config.LLM_CONCURRENCY,
    timeoutMs: config.LLM_TIMEOUT_MS,
    retry: { attempts: config.JOB_ATTEMPTS, backoffMs: Math.max(config.JOB_BACKOFF_MS, 1) },
    budget: new LlmBudget({ limitUsd: config.LLM_BUDGET_USD }),
    fallback: template,
    prices: DEFAULT_MODEL_PRICES,
  });
  const budgets = new Map<string, { writer: NarrativeWriter; budget: LlmBudget; daily: DailyBudgetWriter | undefined }>();
  const dailyLimit = config.LLM_DAILY_BUDGET_USD;
  const entryOf = (executionId: string, businessDate: string) => {
    let entry = budgets.get(executionId);
    if (!entry) {
      const budget = new LlmBudget({ limitUsd: config.LLM_BUDGET_USD });
      const llm = base.withBudget(budget);
      const daily =
        dailyLimit === null
          ? undefined
          : new DailyBudgetWriter({
              inner: llm,
              fallback: template,
              limitUsd: dailyLimit,
              spentToday: async () => ({ businessDate, spentUsd: await store.llmSpentOn(businessDate) }),
              onExhausted: (warning) => {
                budget.noteFallback('budget');
                budget.warnOnce(warning.replace(/: template writer used$/, ': the rest of the run used the template writer'));
              },
            });
      entry = { writer: daily ?? llm, budget, daily };
      budgets.set(executionId, entry);
      // A long-lived worker sees many executions: keep the accounts of the recent ones only.
      if (budgets.size > 50) budgets.delete(budgets.keys().next().value!);
    }
    return entry;
  };
  return {
    usesLlm: true,
    writerFor: (id, businessDate) => entryOf(id, businessDate).writer,
    usageOf: (id) => budgets.get(id)?.budget.summary(),
    identity: { name: base.name, model: base.model },
    available: async (id, businessDate) => {
      const entry = entryOf(id, businessDate);
      return !entry.budget.exhausted && (entry.daily ? await entry.daily.canSpend() : true);
    },
  };
}

/**
 * The delivery channels, ChannelName → adapter, from the config. Adding one is an entry here: the variables it
 * needs (missing ones make it absent, and say so) and its factory.
 */
function createDeliveryChannels(config: Config): DeliveryChannels {
  const timeoutMs = config.DELIVERY_TIMEOUT_MS;
  return new DeliveryChannels(
    {
      email: {
        requires: ['SMTP_URL', 'MAIL_FROM'],
        create: () =>
          new EmailChannel({ smtpUrl: config.SMTP_URL!, from: config.MAIL_FROM!, maxConnections: config.SMTP_MAX_CONNECTIONS, timeoutMs }),
      },
      webhook: {
        requires: ['WEBHOOK_SECRET', 'PUBLIC_BASE_URL'],
        create: () => new WebhookChannel({ secret: config.WEBHOOK_SECRET!, timeoutMs }),
      },
      line: {
        requires: ['LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN', 'PUBLIC_BASE_URL'],
        create: () => new LineChannel({ channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN!, baseURL: config.LINE_API_BASE_URL }),
      },
      telegram: {
        requires: ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'PUBLIC_BASE_URL'],
        create: () => new TelegramChannel({ botToken: config.TELEGRAM_BOT_TOKEN!, apiRoot: config.TELEGRAM_API_BASE_URL }),
      },
    },
    (variable) => (config as Record<string, unknown>)[variable] !== undefined,
  );
}

/**
 * The composition root: the one place that picks adapters from the config and wires them. The ticker file is the
 * registry's source of truth; it is upserted into the store so every process sees the same universe.
 */
export async function openDaybreak(config: Config, overrides: { now?: () => Date } = {}): Promise<Daybreak> {
  const mode: Mode = config.REDIS_URL ? 'distributed' : 'embedded';
  const tickers = config.TICKERS_FILE ? loadTickersFile(config.TICKERS_FILE) : loadDefaultTickers();
  const outages = new OutageLog();
  const store = await openStore(config, outages);
  try {
    await store.upsertTickers(tickers);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Threads start when this process takes report jobs (warmed while the run ingests), so commands that draw no
  // chart pay nothing.
  let charts: ChartRenderer | undefined;
  const chartRenderer = () => (charts ??= createChartRenderer({ threads: config.CHART_THREADS }));
  const lazyCharts: ChartRenderer = {
    threads: config.CHART_THREADS,
    render: (input) => chartRenderer().render(input),
    warm: () => chartRenderer().warm(),
    close: async () => {
      const closing = charts;
      charts = undefined;
      await closing?.close();
    },
  };
  // A failed warm-up is not an error of its own: the same failure reaches the first report's chart, which says so.
  const warmCharts = () => void lazyCharts.warm().catch(() => {});
  const yahoo = yahooClientOf(config);
  const now = overrides.now ?? (() => new Date());
  const writers = createWriterFor(config, store);
  const deps: PipelineDeps = {
    store,
    registry: new TickerRegistry(tickers),
    marketData: createMarketData(config.MARKET_DATA, yahoo),
    newsSource: createNewsSource(config.NEWS_SOURCE, config.MARKET_DATA, yahoo),
    writerFor: writers.writerFor,
    llmUsageOf: writers.usageOf,
    narrativeWriter: writers.identity,
    llmAvailable: writers.available,
    charts: lazyCharts,
    now,
    owner: processOwner(mode),
    events: new EventEmitter(),
    outages,
    settings: {
      historyBars: config.HISTORY_BARS,
      executionTimeoutMs: config.EXECUTION_TIMEOUT_MS,
      jobTtlMs: config.JOB_TTL_DAYS * DAY_MS,
      ingestConcurrency: config.INGEST_CONCURRENCY,
      language: config.REPORT_LANGUAGE,
      newsWindowDays: config.NEWS_WINDOW_DAYS,
      retry: { attempts: config.JOB_ATTEMPTS, backoffMs: config.JOB_BACKOFF_MS },
      queueLockMs: config.QUEUE_LOCK_MS,
    },
  };
  const channels = createDeliveryChannels(config);
  const delivery: DeliveryDeps = {
    store,
    channels,
    now: deps.now,
    owner: deps.owner,
    events: deps.events,
    settings: {
      concurrency: config.DELIVERY_CONCURRENCY,
      attempts: config.JOB_ATTEMPTS,
      backoffMs: config.JOB_BACKOFF_MS,
      leaseMs: config.DELIVERY_LEASE_MS,
      claimBatch: config.DELIVERY_CLAIM_BATCH,
      timeoutMs: config.DELIVERY_TIMEOUT_MS,
      baseUrl: config.PUBLIC_BASE_URL ?? '',
      timezone: config.SCHEDULE_TZ,
    },
  };
  const queues: JobQueue[] = [];
  // BullMQ and ioredis are loaded only in distributed mode.
  const { BullmqQueue } = mode === 'distributed' ? await import('./queue/bullmq-queue.js') : { BullmqQueue: undefined };
  // LLM calls wait on the network, not the CPU: enough reports must be in flight for the LLM limit to be reached.
  const workerConcurrency = writers.usesLlm ? Math.max(config.WORKER_CONCURRENCY, config.LLM_CONCURRENCY) : config.WORKER_CONCURRENCY;
  const bullmq = () =>
    new BullmqQueue!({
      redisUrl: config.REDIS_URL!,
      name: 'reports',
      prefix: config.QUEUE_PREFIX,
      concurrency: workerConcurrency,
      retry: deps.settings.retry,
      lockDurationMs: config.QUEUE_LOCK_MS,
      outages,
      giveUpAfterMs: config.EXECUTION_TIMEOUT_MS,
    });
  // Only report jobs draw charts: once the last queue this process opened is closed (precompute before it delivers),
  // the chart threads and their ~100 MB each go too; a queue opened later starts them again.
  const track = <Q extends JobQueue>(queue: Q): Q => {
    queues.push(queue);
    const close = queue.close.bind(queue);
    queue.close = async () => {
      await close();
      const at = queues.indexOf(queue);
      if (at === -1) return; // closed before
      queues.splice(at, 1);
      if (queues.length === 0) await lazyCharts.close();
    };
    return queue;
  };
  return {
    config,
    mode,
    deps,
    delivery,
    outages,
    openQueue() {
      if (mode === 'distributed') return track(bullmq());
      const queue = new MemoryQueue(workerConcurrency, deps.settings.retry);
      queue.process(createReportWorker(deps));
      warmCharts();
      return track(queue);
    },
    marketDataFor: (choice) => createMarketData(choice, yahoo),
    startWorker() {
      if (mode !== 'distributed') throw new Error('startWorker needs REDIS_URL (distributed mode)');
      const queue = bullmq();
      queue.process(createReportWorker(deps));
      warmCharts();
      return track(queue);
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await lazyCharts.close();
      await channels.close();
      await store.close();
    },
  };
}
