import { InputError } from '../errors.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Ticker } from '../registry/ticker.js';
import { addDays, bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';
import { peerInputsDigest } from '../report/inputs-fingerprint.js';
import { comparePeersAcrossUniverse } from '../report/peers.js';
import { jobIdFor } from '../store/sql-store.js';
import type { ExecutionRecord, ExecutionRequest, ExecutionSource } from '../store/store.js';
import { companyInfoOf } from '../sources/company-info.js';
import { fxPairsFor } from '../sources/fx-pairs.js';
import { carryForwardUnchanged } from './carry-forward.js';
import { ingestFxPairs, ingestTickers, type IngestFxResult, type IngestTickerResult } from './ingest.js';
import { JOB_ENDED, type JobEndedEvent, type PipelineDeps } from './pipeline-deps.js';
import { reconcileQueue, startReconciler } from './reconcile-queue.js';
import { closeOverdueExecutions, findInterruptedExecutions } from './recover-orphaned-executions.js';

const HEARTBEAT_MS = 5_000;
const PROGRESS_INTERVAL_MS = 100;
/** How often a follower makes the queue agree with the store (and at once when Redis is back). */
export const FOLLOWER_RECONCILE_MS = 5_000;

export interface PrecomputeHooks {
  /** Before the run: tickers with no bars in the store are ingested first, so the first command works alone. */
  onAutoIngest?: (tickers: string[]) => void;
  onIngested?: (result: IngestTickerResult) => void;
  onFxIngested?: (result: IngestFxResult) => void;
  onRecovered?: (execution: ExecutionRecord) => void;
  /** A running execution whose process is gone: `daybreak resume` finishes it. */
  onInterrupted?: (execution: ExecutionRecord) => void;
  /** Jobs the queue had lost (e.g. a Redis that came back empty) were enqueued again. */
  onRequeued?: (executionId: string, jobs: number) => void;
  onStarted?: (execution: ExecutionRecord) => void;
  onJobEnded?: (event: JobEndedEvent) => void;
}

/** Step 2: which tickers a trigger asks for. Unknown symbols and executions are input errors. */
export async function selectTickers(deps: PipelineDeps, request: ExecutionRequest): Promise<Ticker[]> {
  let selected: Ticker[];
  if (request.only_failed) {
    const previous = await deps.store.getExecution(request.only_failed);
    if (!previous) throw new InputError(`no execution ${request.only_failed}: see \`daybreak executions\``);
    const failed = (await deps.store.listJobs(request.only_failed)).filter((j) => j.status === 'failed');
    selected = failed.map((j) => deps.registry.resolveOrThrow(j.ticker));
  } else if (request.tickers?.length) {
    selected = [...new Map(request.tickers.map((s) => deps.registry.resolveOrThrow(s)).map((t) => [t.symbol, t])).values()];
  } else {
    selected = deps.registry.active();
  }
  return request.limit === undefined ? selected : selected.slice(0, request.limit);
}

/** `precompute-YYYYMMDD-HHMMSS` in Asia/Bangkok time; `-2`, `-3`… when a second starts within the same second. */
export function executionIdFor(now: Date, attempt = 1): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Bangkok',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const base = `precompute-${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}${parts.second}`;
  return attempt === 1 ? base : `${base}-${attempt}`;
}

/**
 * Ingests the tickers that have no bars at all in the store (with their company info), and the FX pairs their
 * currencies need that have no rates yet; returns the reasons of the tickers that failed (a pair's failure only
 * takes the THB view out of the reports).
 */
async function ingestMissing(deps: PipelineDeps, tickers: Ticker[], hooks: PrecomputeHooks): Promise<Map<string, string>> {
  const pairs = fxPairsFor(tickers);
  // The store keeps a summary row per series with bars: a lookup of 1,000 rows, not a count of 600,000.
  const counts = await deps.store.getBarSeries([...tickers.map((t) => t.symbol), ...pairs]);
  const missing = tickers.filter((t) => !counts.has(t.symbol));
  const missingPairs = pairs.filter((p) => !counts.has(p));
  const failures = new Map<string, string>();
  if (missing.length === 0 && missingPairs.length === 0) return failures;
  if (missing.length > 0) hooks.onAutoIngest?.(missing.map((t) => t.symbol));
  const endDate = lastBusinessDayOnOrBefore(bangkokDate(deps.now()));
  const common = {
    store: deps.store,
    source: deps.marketData,
    endDate,
    minBars: deps.settings.historyBars,
    concurrency: deps.settings.ingestConcurrency,
    retry: deps.settings.retry,
  };
  const [results] = await Promise.all([
    ingestTickers({
      ...common,
      newsSource: deps.newsSource,
      companyInfo: companyInfoOf(deps.marketData),
      tickers: missing,
      today: bangkokDate(deps.now()),
      onTicker: hooks.onIngested,
    }),
    ingestFxPairs({ ...common, pairs: missingPairs, onPair: hooks.onFxIngested }),
  ]);
  for (const r of results) if (r.status === 'failed') failures.set(r.ticker, `ingest from ${deps.marketData.name} failed: ${r.error}`);
  return failures;
}

/**
 * Peers for the whole active universe, once per execution, so every report compares against the same table. When
 * an earlier execution's peers were computed from the same inputs (the same universe and bars since the same date),
 * its peer sets are copied inside the database instead.
 */
async function computePeers(deps: PipelineDeps, executionId: string, businessDate: string): Promise<void> {
  const universe = deps.registry.active();
  // ~120 calendar days hold the 61 closes of the correlation window even across long holidays.
  const since = addDays(businessDate, -120);
  // Digests before closes (as `readReportInputs` reads them): a bar written in between can only make the digest miss.
  const series = await deps.store.getBarSeries(universe.map((t) => t.symbol));
  const digest = peerInputsDigest(
    since,
    universe.map((t) => ({ ticker: t.symbol, name: t.name, sector: t.sector, bars_digest: series.get(t.symbol)?.digest ?? null })),
  );
  if (await deps.store.copyPeerSets(digest, executionId)) return;
  const closes = await deps.store.getClosesSince(universe.map((t) => t.symbol), since);
  const peers = comparePeersAcrossUniverse(
    universe.map((t) => ({ ticker: t.symbol, name: t.name, sector: t.sector, closes: closes.get(t.symbol) ?? [] })),
  );
  await deps.store.savePeerSets(executionId, peers);
  await deps.store.savePeerSetInputs(executionId, digest);
}

/** Steps 2–3: validate, create the execution and its jobs atomically, and fan out one queue job per ticker. */
export async function startExecution(
  deps: PipelineDeps,
  queue: JobQueue,
  request: ExecutionRequest,
  source: ExecutionSource,
  hooks: PrecomputeHooks = {},
): Promise<ExecutionRecord> {
  const execution = await startExecutionOnce(deps, queue, request, source, hooks);
  return execution!;
}

/**
 * Starts the run of a scheduled time: its id is made from that time, so however many schedulers fire for it, the
 * store lets exactly one create it. Returns undefined when another process already did.
 */
export function startScheduledExecution(
  deps: PipelineDeps,
  queue: JobQueue,
  scheduledAt: Date,
  hooks: PrecomputeHooks = {},
): Promise<ExecutionRecord | undefined> {
  return startExecutionOnce(deps, queue, {}, 'scheduler', hooks, scheduledAt);
}

async function startExecutionOnce(
  deps: PipelineDeps,
  queue: JobQueue,
  request: ExecutionRequest,
  source: ExecutionSource,
  hooks: PrecomputeHooks,
  scheduledAt?: Date,
): Promise<ExecutionRecord | undefined> {
  if (scheduledAt && (await deps.store.getExecution(executionIdFor(scheduledAt)))) return undefined;
  const tickers = await selectTickers(deps, request);
  if (tickers.length === 0) {
    throw new InputError(
      request.only_failed ? `execution ${request.only_failed} has no failed jobs to run again` : 'no tickers to run',
    );
  }
  const ingestFailures = await ingestMissing(deps, tickers, hooks);

  const now = deps.now();
  const symbols = tickers.map((t) => t.symbol);
  for (let attempt = 1; ; attempt++) {
    const executionId = executionIdFor(scheduledAt ?? now, attempt);
    const created = await deps.store.createExecution({
      execution_id: executionId,
      source,
      requested: request,
      business_date: bangkokDate(now),
      started_at: now.toISOString(),
      deadline_at: new Date(now.getTime() + deps.settings.executionTimeoutMs).toISOString(),
      owner: deps.owner,
      tickers: symbols,
      job_ttl_ms: deps.settings.jobTtlMs,
    });
    if (!created) {
      if (scheduledAt) return undefined;
      continue;
    }
    const execution = (await deps.store.getExecution(executionId))!;
    await computePeers(deps, executionId, execution.business_date);
    hooks.onStarted?.(execution);
    // A ticker whose data could not be fetched fails with the fetch's reason rather than a vaguer one later.
    for (const [ticker, reason] of ingestFailures) {
      await deps.store.finishJob(jobIdFor(ticker, executionId), { status: 'failed', error: reason, finished_at: deps.now().toISOString() });
    }
    // Unchanged inputs: carried forward here in bulk; only the rest become queue jobs.
    const reused = await carryForwardUnchanged(deps, execution, symbols.filter((s) => !ingestFailures.has(s)));
    const runnable = symbols.filter((s) => !ingestFailures.has(s) && !reused.has(s));
    await queue.enqueue(runnable.map((ticker) => ({ jobId: jobIdFor(ticker, executionId), executionId, ticker })));
    await deps.store.markFannedOut(executionId, deps.now().toISOString());
    return execution;
  }
}

/**
 * Step 5: wait for the fan-in. The store closes the execution in the same transaction as its last job, so this
 * only has to notice it: at once when a worker of this process wakes it, by polling the store otherwise (workers
 * in other processes). Progress is read from the store the same way in both modes. At the deadline the jobs still
 * open are failed and the execution is closed as `timed_out`.
 */
export async function followExecution(
  deps: PipelineDeps,
  executionId: string,
  hooks: PrecomputeHooks = {},
  pollMs = 250,
): Promise<ExecutionRecord> {
  let execution = await deps.store.getExecution(executionId);
  if (!execution) throw new InputError(`no execution ${executionId}`);
  let woken = false;
  let wake: (() => void) | undefined;
  const onJobEnded = (event: JobEndedEvent) => {
    if (event.execution.execution_id !== executionId) return;
    woken = true;
    wake?.();
  };
  deps.events.on(JOB_ENDED, onJobEnded);
  const reported = new Set<string>();
  let endedSeen = 0;
  let lastProgressAt = 0;
  let lastHeartbeat = deps.now().getTime();
  const reportProgress = async (current: ExecutionRecord) => {
    endedSeen = current.completed + current.failed;
    lastProgressAt = performance.now();
    if (!hooks.onJobEnded) return;
    for (const job of await deps.store.listJobs(executionId)) {
      if ((job.status === 'completed' || job.status === 'failed') && !reported.has(job.job_id)) {
        reported.add(job.job_id);
        hooks.onJobEnded({ job, execution: current });
      }
    }
  };
  try {
    for (;;) {
      const closed = execution.status !== 'running';
      const ended = execution.completed + execution.failed;
      // Reading every job is O(jobs): at most ten times a second while running, and once at the end.
      if (ended !== endedSeen && (closed || performance.now() - lastProgressAt >= PROGRESS_INTERVAL_MS)) {
        await reportProgress(execution);
      }
      if (closed) return execution;
      const now = deps.now().getTime();
      const deadline = Date.parse(execution.deadline_at);
      if (now >= deadline) {
        execution = await deps.store.abandonExecution(
          executionId,
          `execution deadline passed (${describeDuration(deps.settings.executionTimeoutMs)}) before this job ended`,
          new Date(now).toISOString(),
          'timed_out',
        );
        continue;
      }
      if (now - lastHeartbeat >= HEARTBEAT_MS) {
        await deps.store.heartbeat(executionId, new Date(now).toISOString());
        lastHeartbeat = now;
      }
      // A plain timer, not AbortSignal.any([…, AbortSignal.timeout()]): Node may garbage-collect a timeout signal held
      // only by the composite, which then never fires (nodejs/node#57736), and its unref'd timer lets the process exit
      // mid-wait. Followers of other processes' workers have nothing else to wake them.
      if (!woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(pollMs, deadline - now));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      woken = false;
      wake = undefined;
      execution = (await deps.store.getExecution(executionId))!;
    }
  } finally {
    deps.events.off(JOB_ENDED, onJobEnded);
  }
}

/**
 * Follows an execution to its end while keeping the queue in agreement with the store: jobs a Redis restart lost are
 * enqueued again within seconds instead of waiting for the deadline.
 */
export async function followAndReconcile(
  deps: PipelineDeps,
  queue: JobQueue,
  executionId: string,
  hooks: PrecomputeHooks = {},
): Promise<ExecutionRecord> {
  const reconciler = startReconciler(deps, queue, {
    intervalMs: FOLLOWER_RECONCILE_MS,
    inProgressGraceMs: deps.settings.queueLockMs,
    onRequeued: hooks.onRequeued,
  });
  try {
    return await followExecution(deps, executionId, hooks);
  } finally {
    reconciler.stop();
  }
}

/**
 * Steps 2–5: close what is past its deadline, point at interrupted runs, start, and follow to the end (the workers may
 * be elsewhere).
 */
export async function runPrecompute(
  deps: PipelineDeps,
  queue: JobQueue,
  request: ExecutionRequest,
  source: ExecutionSource,
  hooks: PrecomputeHooks = {},
): Promise<ExecutionRecord> {
  for (const overdue of await closeOverdueExecutions(deps)) hooks.onRecovered?.(overdue);
  for (const interrupted of await findInterruptedExecutions(deps)) hooks.onInterrupted?.(interrupted);
  await deps.store.purgeExpiredJobs(deps.now().toISOString());
  const execution = await startExecution(deps, queue, request, source, hooks);
  return followAndReconcile(deps, queue, execution.execution_id, hooks);
}

/**
 * Takes over an execution and enqueues its unfinished jobs in `queue`, in that same execution: an interrupted
 * embedded run (its process died) is claimed by this process with a fresh deadline; a distributed one goes on in
 * the workers and only gets back what the queue lost. A run interrupted before its fan-out gets its peers first.
 * The caller follows it (`followAndReconcile`).
 */
export async function resumeExecution(deps: PipelineDeps, queue: JobQueue, execution: ExecutionRecord): Promise<ExecutionRecord> {
  const id = execution.execution_id;
  let resumed: ExecutionRecord | undefined = execution;
  if (execution.owner !== deps.owner && !execution.owner.startsWith('distributed:')) {
    const now = deps.now();
    resumed = await deps.store.claimExecution(id, execution.owner, {
      owner: deps.owner,
      at: now.toISOString(),
      deadline_at: new Date(now.getTime() + deps.settings.executionTimeoutMs).toISOString(),
    });
    if (!resumed) throw new InputError(`execution ${id} was taken over by another process in the meantime`);
  }
  if (!resumed.fanned_out_at) {
    await computePeers(deps, id, resumed.business_date);
    await deps.store.markFannedOut(id, deps.now().toISOString());
  }
  await reconcileQueue(deps, queue, { executionIds: [id] });
  return (await deps.store.getExecution(id))!;
}

function describeDuration(ms: number): string {
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1_000) return `${+(ms / 1_000).toFixed(1)} s`;
  return `${ms} ms`;
}
