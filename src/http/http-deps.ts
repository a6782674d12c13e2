import type { FastifyServerOptions, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.js';
import type { DeliveryDeps } from '../delivery/deliver.js';
import type { PipelineDeps } from '../pipeline/pipeline-deps.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import type { Store } from '../store/store.js';
import type { BackgroundRuns } from './background-runs.js';
import type { ServerMetrics } from './metrics.js';
import type { ReportCache } from './report-cache.js';

/** What the scheduler tells the health endpoint and the web page. */
export interface ScheduleStatus {
  enabled: boolean;
  schedule: string;
  timezone: string;
  next_run: string | null;
  running_execution: string | null;
  last_fire: { scheduled_at: string; outcome: string; execution_id: string | null } | null;
}

/** Everything the HTTP server needs, built by `daybreak serve` (or a test) from the Daybreak app. */
export interface HttpDeps {
  store: Store;
  registry: TickerRegistry;
  deps: PipelineDeps;
  /** Where on-demand and admin runs enqueue: embedded, in-process workers; distributed, a BullMQ producer. */
  queue: JobQueue;
  config: Config;
  /** Step 7 (channels, settings); the admin subscription routes answer 503 without it. */
  delivery?: DeliveryDeps;
  /** The clock of `stale`, "today's report" and new executions (tests move it). */
  now: () => Date;
  mode?: 'embedded' | 'distributed';
  /** Readiness of the queue for the health endpoint; the embedded queue is always ready. */
  checkQueue?: () => Promise<{ ok: boolean; error?: string }>;
  /** Late-bound: the scheduler is made after the server. */
  scheduleStatus?: () => ScheduleStatus | undefined;
  /** Fastify logger option; off by default (tests), pino JSON lines in `serve`. */
  logger?: FastifyServerOptions['logger'];
  /** Folder of the web page (index.html, app.js, styles.css); found next to the sources by default; null: none. */
  webRoot?: string | null;
}

/** What the route modules share. */
export interface RouteContext {
  http: HttpDeps;
  cache: ReportCache;
  runs: BackgroundRuns;
  metrics: ServerMetrics;
  /** Per-IP limit shared by every write route. */
  writeLimit: preHandlerAsyncHookHandler;
  startedAt: number;
}
