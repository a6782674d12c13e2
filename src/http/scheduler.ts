import { Cron } from 'croner';
import { errorMessage } from '../errors.js';
import { ingestTickers } from '../pipeline/ingest.js';
import type { PipelineDeps } from '../pipeline/pipeline-deps.js';
import { executionIdFor, startScheduledExecution } from '../pipeline/precompute.js';
import type { JobQueue } from '../queue/job-queue.js';
import { bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';
import type { ExecutionRecord } from '../store/store.js';
import type { BackgroundRuns, RunLog } from './background-runs.js';
import type { ScheduleStatus } from './http-deps.js';

/** Timers wake at most this far apart, so a sleeping laptop or a clock change cannot push a run far off. */
const MAX_SLEEP_MS = 60_000;
/** Catch-up looks at most this many occurrences into the last day (a per-second schedule has no catch-up). */
const MAX_CATCH_UP_STEPS = 2_000;

export type FireOutcome =
  | { status: 'started'; execution: ExecutionRecord; done: Promise<ExecutionRecord | undefined> }
  | { status: 'skipped'; reason: string; execution_id: string | null }
  | { status: 'failed'; error: string };

export interface SchedulerOptions {
  deps: PipelineDeps;
  queue: JobQueue;
  runs: BackgroundRuns;
  log: RunLog;
  /** Cron expression (croner syntax: 5 fields, or 6 with seconds first). */
  schedule: string;
  timezone: string;
  /** Fetch bars and news for every active ticker before the run (step 1). Default true. */
  ingest?: boolean;
  /** At start, run today's latest scheduled time if nobody ran it (the server was down then). Default false. */
  catchUp?: boolean;
  /** Called when a run this scheduler started has ended (step 7, deliver); never blocks the next fire. */
  onRunEnded?: (execution: ExecutionRecord) => Promise<void>;
}

/**
 * The daily schedule of `serve`: at each time of `SCHEDULE` in `SCHEDULE_TZ`, ingest then precompute (source
 * `scheduler`), followed in the background.
 *
 * One run per scheduled time across every process: the execution id is made from the scheduled time (whole
 * seconds, so `0 5 * * *` gives `precompute-YYYYMMDD-050000`), not from the clock at firing, and the store lets
 * only one process create it (`startScheduledExecution`). A fire is skipped while this scheduler's previous run is
 * still going, and while any scheduled run in the store is still running and within its deadline.
 *
 * croner parses the expression and finds the next time in the zone; the timer is ours, so the scheduled time of a
 * fire is known exactly.
 */
export class DailyScheduler {
  private readonly cron: Cron;
  private timer: NodeJS.Timeout | undefined;
  private next: Date | null = null;
  private busy = false;
  private current: string | null = null;
  private lastFire: ScheduleStatus['last_fire'] = null;
  private stopped = false;
  private firing: Promise<FireOutcome> | undefined;

  constructor(private readonly options: SchedulerOptions) {
    this.cron = new Cron(options.schedule, { timezone: options.timezone, paused: true });
  }

  start(): void {
    this.stopped = false;
    if (this.options.catchUp) {
      const firing = this.catchUp().then((outcome) => {
        if (outcome) this.logOutcome('catch-up', outcome);
        return outcome ?? ({ status: 'skipped', reason: 'nothing to catch up', execution_id: null } as const);
      });
      this.firing = firing;
      void firing.then(() => {
        if (this.firing === firing) this.firing = undefined;
      });
    }
    this.arm(new Date());
  }

  /** Stops firing; waits up to `waitMs` for a fire in progress (ingest, start) so the store is not closed under it. */
  async stop(waitMs = 10_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.cron.stop();
    if (this.firing) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.firing, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
  }

  nextRun(): Date | null {
    return this.next;
  }

  status(): ScheduleStatus {
    return {
      enabled: !this.stopped && this.timer !== undefined,
      schedule: this.options.schedule,
      timezone: this.options.timezone,
      next_run: this.next?.toISOString() ?? null,
      running_execution: this.current,
      last_fire: this.lastFire,
    };
  }

  private arm(after: Date): void {
    if (this.stopped) return;
    const next = this.cron.nextRun(after);
    this.next = next;
    if (!next) return;
    const wait = () => {
      if (this.stopped) return;
      const remaining = next.getTime() - Date.now();
      if (remaining > 0) {
        this.timer = setTimeout(wait, Math.min(remaining, MAX_SLEEP_MS));
        return;
      }
      const firing = this.fire(next);
      this.firing = firing;
      void firing.then((outcome) => {
        this.logOutcome('schedule', outcome);
        if (this.firing === firing) this.firing = undefined;
      });
      this.arm(next);
    };
    wait();
  }

  private logOutcome(trigger: string, outcome: FireOutcome): void {
    const { log } = this.options;
    if (outcome.status === 'started') log.info({ trigger, execution_id: outcome.execution.execution_id }, 'scheduled run started');
    else if (outcome.status === 'skipped') log.info({ trigger, reason: outcome.reason, execution_id: outcome.execution_id }, 'scheduled run skipped');
    else log.error({ trigger, err: outcome.error }, 'scheduled run failed to start');
  }

  /**
   * One scheduled time: ingest, then start the execution of `scheduledAt` unless someone already did, and follow it
   * in the background (`done` settles when it ends). Never throws.
   */
  async fire(scheduledAt: Date): Promise<FireOutcome> {
    const at = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000);
    const executionId = executionIdFor(at);
    if (this.busy) {
      return this.record(at, { status: 'skipped', reason: 'the previous scheduled run of this process is still going', execution_id: this.current });
    }
    this.busy = true;
    let started = false;
    try {
      const { deps } = this.options;
      if (await deps.store.getExecution(executionId)) {
        return this.record(at, { status: 'skipped', reason: 'another process already started this scheduled run', execution_id: executionId });
      }
      const now = deps.now().getTime();
      const going = (await deps.store.listExecutions({ limit: 100, status: 'running' })).find(
        (e) => e.source === 'scheduler' && Date.parse(e.deadline_at) > now,
      );
      if (going) {
        return this.record(at, { status: 'skipped', reason: `scheduled run ${going.execution_id} is still going`, execution_id: going.execution_id });
      }
      if (this.options.ingest ?? true) await this.ingest();
      const execution = await startScheduledExecution(deps, this.options.queue, at);
      if (!execution) {
        return this.record(at, { status: 'skipped', reason: 'another process started this scheduled run first', execution_id: executionId });
      }
      started = true;
      this.current = execution.execution_id;
      const done = this.options.runs.follow(execution).finally(() => {
        this.busy = false;
        this.current = null;
      });
      const { onRunEnded } = this.options;
      if (onRunEnded) void done.then((closed) => (closed ? onRunEnded(closed) : undefined)).catch(() => {});
      return this.record(at, { status: 'started', execution, done });
    } catch (error) {
      return this.record(at, { status: 'failed', error: errorMessage(error) });
    } finally {
      if (!started) this.busy = false;
    }
  }

  /** Step 1 for every active ticker; a ticker that fails keeps the bars it had (its report says how old they are). */
  private async ingest(): Promise<void> {
    const { deps, log } = this.options;
    const now = deps.now();
    const tickers = deps.registry.active();
    const started = performance.now();
    const results = await ingestTickers({
      store: deps.store,
      source: deps.marketData,
      newsSource: deps.newsSource,
      tickers,
      endDate: lastBusinessDayOnOrBefore(bangkokDate(now)),
      today: bangkokDate(now),
      minBars: deps.settings.historyBars,
      concurrency: deps.settings.ingestConcurrency,
      retry: deps.settings.retry,
    });
    const failed = results.filter((r) => r.status === 'failed');
    log.info(
      {
        source: deps.marketData.name,
        tickers: results.length,
        failed: failed.length,
        failures: failed.slice(0, 10).map((f) => `${f.ticker}: ${f.error}`),
        duration_ms: Math.round(performance.now() - started),
      },
      'scheduled ingest finished',
    );
  }

  /**
   * The latest scheduled time of today (Asia/Bangkok) that has passed, when no execution exists for it and no run
   * completed after it: the server was down at that time. Runs it now, under its own scheduled time.
   */
  async catchUp(): Promise<FireOutcome | undefined> {
    const { deps } = this.options;
    const now = deps.now();
    let last: Date | null = null;
    let t = this.cron.nextRun(new Date(now.getTime() - 86_400_000));
    for (let steps = 0; t && t <= now; steps++) {
      if (steps > MAX_CATCH_UP_STEPS) return undefined;
      last = t;
      t = this.cron.nextRun(t);
    }
    if (!last || bangkokDate(last) !== bangkokDate(now)) return undefined;
    const missed = last;
    try {
      if (await deps.store.getExecution(executionIdFor(missed))) return undefined;
      const recent = await deps.store.listExecutions({ limit: 20 });
      const fullRunSince = recent.some(
        (e) =>
          e.started_at >= missed.toISOString() &&
          (e.status === 'running' || e.completed > 0) &&
          e.requested.tickers === undefined &&
          e.requested.only_failed === undefined &&
          e.requested.limit === undefined,
      );
      if (fullRunSince) return undefined; // a full run started after that time: nothing was missed
    } catch (error) {
      return { status: 'failed', error: errorMessage(error) };
    }
    return this.fire(missed);
  }

  private record(at: Date, outcome: FireOutcome): FireOutcome {
    this.lastFire = {
      scheduled_at: at.toISOString(),
      outcome: outcome.status === 'skipped' ? `skipped: ${outcome.reason}` : outcome.status === 'failed' ? `failed: ${outcome.error}` : 'started',
      execution_id: outcome.status === 'started' ? outcome.execution.execution_id : outcome.status === 'skipped' ? outcome.execution_id : null,
    };
    return outcome;
  }
}
