import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Daybreak } from '../composition-root.js';
import { errorMessage, InputError } from '../errors.js';
import { resumeExecution } from '../pipeline/precompute.js';
import { startReconciler } from '../pipeline/reconcile-queue.js';
import { closeOverdueExecutions, findInterruptedExecutions } from '../pipeline/recover-orphaned-executions.js';
import { withoutOutageRetry } from '../store/retrying-store.js';
import type { ScheduleStatus } from '../http/http-deps.js';
import { DeliveryTicker } from '../http/delivery-ticker.js';
import { DailyScheduler } from '../http/scheduler.js';
import { buildServer } from '../http/server.js';
import { SnapshotExporter } from '../export/snapshot-exporter.js';
import type { CliIo } from './cli-io.js';
import { exportApp } from './export-command.js';

/** Interrupted executions are resumed and overdue ones closed this often (another process may have died mid-run). */
const SWEEP_MS = 60_000;
const PURGE_MS = 3_600_000;
/** Distributed: how often jobs the queue lost (a Redis restart) are enqueued again; at once when Redis is back. */
const RECONCILE_MS = 10_000;

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Run the daily schedule in this process. Default true. */
  schedule?: boolean;
}

export interface RunningServe {
  server: FastifyInstance;
  /** `http://HOST:PORT` actually bound (port 0 picks one). */
  url: string;
  scheduler: DailyScheduler | undefined;
  /** `EXPORT_DIR` set: exports the static snapshot after every execution. */
  exporter: SnapshotExporter | undefined;
  /** Delivers after each scheduled run and at each subscription's `deliver_at` (with the schedule). */
  deliveries: DeliveryTicker | undefined;
  /** Graceful stop: scheduler, then HTTP, then the queue (jobs in hand finish), then runs left unfinished. */
  stop(): Promise<void>;
}

/**
 * Starts `serve` on an open Daybreak app: closes what dead processes left running, opens the queue (embedded:
 * in-process workers; distributed: a BullMQ producer), builds the server with every report in memory, listens,
 * and starts the schedule. The caller closes the app after `stop()`.
 */
export async function startServe(app: Daybreak, options: ServeOptions = {}): Promise<RunningServe> {
  const { deps, config } = app;
  let scheduler: DailyScheduler | undefined;
  let ticker: DeliveryTicker | undefined;
  let redis: Redis | undefined;
  const queue = app.openQueue();
  let server: FastifyInstance;
  try {
    if (app.mode === 'distributed') {
      redis = new Redis(config.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
      redis.on('error', () => {}); // reported by the health check
    }
    server = await buildServer({
      // Requests answer now (a 5xx while PostgreSQL is away); the runs this process follows wait the outage out.
      store: withoutOutageRetry(deps.store),
      registry: deps.registry,
      deps,
      queue,
      config,
      delivery: app.delivery,
      now: deps.now,
      mode: app.mode,
      logger: { level: config.LOG_LEVEL },
      scheduleStatus: (): ScheduleStatus | undefined => scheduler?.status(),
      ...(redis && {
        checkQueue: async () => {
          if (redis!.status === 'wait' || redis!.status === 'end') await redis!.connect().catch(() => {});
          return { ok: (await redis!.ping()) === 'PONG' };
        },
      }),
    });
  } catch (error) {
    await queue.close();
    redis?.disconnect();
    throw error;
  }
  const log = server.log;
  // One JSON line per state change of PostgreSQL or Redis, like every other event of serve.
  app.outages.setReporter((event, line) => (event.state === 'down' ? log.warn(event, line) : log.info(event, line)));

  const sweep = async () => {
    for (const e of await closeOverdueExecutions(deps)) log.warn({ execution_id: e.execution_id }, 'closed an execution past its deadline');
    // A run whose process died (a precompute or serve killed mid-run) is finished here, in the same execution.
    for (const interrupted of await findInterruptedExecutions(deps)) {
      const resumed = await resumeExecution(deps, queue, interrupted);
      log.warn({ execution_id: resumed.execution_id, previous_owner: interrupted.owner, unfinished: resumed.total - resumed.completed - resumed.failed }, 'resuming an interrupted execution');
      void server.backgroundRuns.follow(resumed);
    }
  };
  const reconciler = startReconciler(deps, queue, {
    intervalMs: RECONCILE_MS,
    inProgressGraceMs: deps.settings.queueLockMs,
    onRequeued: (executionId, jobs) => log.warn({ execution_id: executionId, jobs }, 'jobs missing from the queue enqueued again'),
    onError: (message) => log.warn({ err: message }, 'queue reconciliation failed'),
  });
  const purge = async () => {
    const purged = await deps.store.purgeExpiredJobs(deps.now().toISOString());
    if (purged > 0) log.info({ purged }, 'expired job records purged');
  };
  await sweep().catch((error) => log.warn({ err: errorMessage(error) }, 'startup recovery failed'));
  await purge().catch((error) => log.warn({ err: errorMessage(error) }, 'job purge failed'));
  const timers = [
    setInterval(() => void sweep().catch((error) => log.warn({ err: errorMessage(error) }, 'execution sweep failed')), SWEEP_MS).unref(),
    setInterval(() => void purge().catch((error) => log.warn({ err: errorMessage(error) }, 'job purge failed')), PURGE_MS).unref(),
  ];

  const port = options.port ?? config.PORT;
  const host = options.host ?? config.HOST;
  let url: string;
  try {
    url = await server.listen({ port, host });
  } catch (error) {
    timers.forEach(clearInterval);
    reconciler.stop();
    await server.close();
    await queue.close();
    redis?.disconnect();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new InputError(`port ${port} on ${host} is already in use: pick another with --port or PORT`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new InputError(`cannot listen on ${host}: set HOST to an address of this machine`);
    throw error;
  }

  // EXPORT_DIR: the static snapshot, written at start and after every execution this process follows.
  let exporter: SnapshotExporter | undefined;
  if (config.EXPORT_DIR) {
    const outDir = config.EXPORT_DIR;
    exporter = new SnapshotExporter(() => exportApp(app, outDir, server.reportCache), log);
    server.backgroundRuns.onFinished(() => {
      // The cache reloads finished reports on the job-ended event; one refresh makes sure the snapshot has them all.
      void server.reportCache.refresh().catch(() => {}).then(() => exporter!.request());
    });
    void exporter.request();
  }

  if (options.schedule ?? true) {
    ticker = new DeliveryTicker(app.delivery, log);
    const deliveries = ticker;
    scheduler = new DailyScheduler({
      deps,
      queue,
      runs: server.backgroundRuns,
      log,
      schedule: config.SCHEDULE,
      timezone: config.SCHEDULE_TZ,
      catchUp: config.SCHEDULE_CATCH_UP,
      onRunEnded: (execution) => deliveries.afterRun(execution),
    });
    scheduler.start();
    ticker.start();
  }
  log.info(
    {
      url,
      mode: app.mode,
      store: deps.store.kind,
      queue: queue.kind,
      reports_cached: server.reportCache.size,
      schedule: scheduler ? `${config.SCHEDULE} ${config.SCHEDULE_TZ}` : 'off',
      next_run: scheduler?.nextRun()?.toISOString() ?? null,
    },
    'daybreak serve listening',
  );

  let stopping: Promise<void> | undefined;
  return {
    server,
    url,
    scheduler,
    exporter,
    deliveries: ticker,
    stop: () =>
      (stopping ??= (async () => {
        timers.forEach(clearInterval);
        reconciler.stop();
        await scheduler?.stop();
        await ticker?.stop();
        await server.close();
        await queue.close();
        await server.backgroundRuns.close();
        await exporter?.idle();
        redis?.disconnect();
        log.info({}, 'daybreak serve stopped');
      })()),
  };
}

export interface ServeFlags {
  port?: number;
  host?: string;
  schedule?: boolean;
}

/** `daybreak serve`: runs until SIGTERM or SIGINT, then stops gracefully. */
export async function serveCommand(app: Daybreak, flags: ServeFlags, io: CliIo): Promise<number> {
  const running = await startServe(app, {
    ...(flags.port !== undefined && { port: flags.port }),
    ...(flags.host !== undefined && { host: flags.host }),
    schedule: flags.schedule ?? true,
  });
  const next = running.scheduler?.nextRun();
  io.err(
    `daybreak serve: ${running.url} (${app.mode}, ${running.server.reportCache.size} reports in memory, ` +
      `schedule ${running.scheduler ? `${app.config.SCHEDULE} ${app.config.SCHEDULE_TZ}, next ${next?.toISOString() ?? 'never'}` : 'off'}); ` +
      'Ctrl-C or SIGTERM to stop',
  );
  await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  io.err('daybreak serve: stopping');
  await running.stop();
  return 0;
}
