/**
 * Distributed precompute on a PostgreSQL and a Redis of our own (`dedicated-services.ts`), two `daybreak worker`
 * processes pinned one per core as in `distributed-bench-child.ts`, this process following. Modes:
 *   clean TICKERS_FILE      no faults: the baseline;
 *   chaos TICKERS_FILE      PostgreSQL restarted at 15% and 75% of the jobs, Redis killed and started empty at 35%,
 *                           a worker killed with SIGKILL at 55% (its supervisor starts another at once);
 *   recovery TICKERS_FILE   one worker killed with SIGKILL while it holds jobs: the time until the last job that was
 *                           in progress at the kill is done (QUEUE_LOCK_MS from the environment).
 * Timed from trigger to the execution's end (ingest is done before the clock starts). Prints one JSON line.
 */
import type { ChildProcess } from 'node:child_process';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { ExecutionRecord } from '../store/store.js';
import { ingestUniverse, startPinnedWorker } from './bench-processes.js';
import { startDedicatedPostgres, startDedicatedRedis } from '../cli/dedicated-services.js';

const [mode = 'clean', tickersFile] = process.argv.slice(2);
const postgres = await startDedicatedPostgres();
const redis = await startDedicatedRedis();
const env: NodeJS.ProcessEnv = {
  ...process.env,
  TICKERS_FILE: tickersFile,
  CHART_THREADS: '0',
  WORKER_CONCURRENCY: '2',
  DATABASE_URL: postgres.url,
  DATABASE_POOL_SIZE: '4',
  REDIS_URL: redis.url,
};
const app = await openDaybreak(loadConfig(env));
app.outages.setReporter(() => {}); // this process is the stopwatch; the outages are the point
await ingestUniverse(app);

const workers: ChildProcess[] = [];
async function startWorker(core: number): Promise<ChildProcess> {
  const child = await startPinnedWorker(env, core);
  workers.push(child);
  return child;
}
await startWorker(0);
await startWorker(1);

let execution: ExecutionRecord | undefined;
const faults: { at_ms: number; fault: string }[] = [];
let recoveryMs: number | undefined;
let stopFaults = false;
const started = performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const progress = async () => {
  const current = execution && (await app.deps.store.getExecution(execution.execution_id));
  return current ? (current.completed + current.failed) / current.total : 0;
};
const at = async (share: number) => {
  while (!stopFaults && (await progress()) < share) await sleep(100);
  return !stopFaults;
};
const note = (fault: string) => faults.push({ at_ms: Math.round(performance.now() - started), fault });

const chaos = async () => {
  if (!(await at(0.15))) return;
  note('PostgreSQL restart');
  await postgres.restart();
  if (!(await at(0.35))) return;
  note('Redis killed, started empty');
  await redis.restartEmpty();
  if (!(await at(0.55))) return;
  note('worker killed with SIGKILL, another started');
  workers[0]!.kill('SIGKILL');
  await startWorker(0);
  if (!(await at(0.75))) return;
  note('PostgreSQL restart');
  await postgres.restart();
};

const recovery = async () => {
  if (!(await at(0.2))) return;
  // Right after it finishes a job a busy worker has taken the next: killed then, it holds jobs.
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      if (!/^ok /m.test(chunk.toString())) return;
      workers[0]!.stdout!.off('data', onData);
      resolve();
    };
    workers[0]!.stdout!.on('data', onData);
  });
  const inProgress = (await app.deps.store.listJobs(execution!.execution_id)).filter((j) => j.status === 'in_progress').map((j) => j.job_id);
  workers[0]!.kill('SIGKILL');
  const killedAt = performance.now();
  note(`worker killed with SIGKILL just after it took a job (${inProgress.length} job(s) in progress in both workers)`);
  for (;;) {
    const jobs = await Promise.all(inProgress.map((id) => app.deps.store.getJob(id)));
    if (jobs.every((j) => j?.status === 'completed' || j?.status === 'failed')) break;
    await sleep(100);
  }
  recoveryMs = performance.now() - killedAt;
};

const run = runPrecompute(app.deps, app.openQueue(), {}, 'manual', { onStarted: (e) => (execution = e) });
const injecting = mode === 'chaos' ? chaos() : mode === 'recovery' ? recovery() : Promise.resolve();
const closed = await run;
const wallMs = performance.now() - started;
stopFaults = true;
await injecting;

const jobs = await app.deps.store.listJobs(closed.execution_id);
const finished = jobs.map((j) => Date.parse(j.finished_at ?? '')).filter(Number.isFinite).sort((a, b) => a - b);
let longestGapMs = 0;
for (let i = 1; i < finished.length; i++) longestGapMs = Math.max(longestGapMs, finished[i]! - finished[i - 1]!);
const reportRows = new Set<string>();
for (const job of jobs) {
  const report = await app.deps.store.getReport(job.ticker, closed.business_date);
  if (report?.execution_id === closed.execution_id) reportRows.add(job.ticker);
}

for (const child of workers) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
await Promise.all(workers.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((resolve) => c.once('exit', resolve)) : undefined)));
await app.close();
postgres.stop();
await redis.stop();
process.stdout.write(
  `${JSON.stringify({
    mode,
    queue_lock_ms: app.config.QUEUE_LOCK_MS,
    status: closed.status,
    completed: closed.completed,
    failed: closed.failed,
    total: closed.total,
    // Each job completed exactly once: every job row completed and one report of this execution per ticker.
    completed_once: jobs.length === closed.total && jobs.every((j) => j.status === 'completed') && reportRows.size === closed.total,
    wall_ms: wallMs,
    longest_gap_ms: longestGapMs,
    recovery_ms: recoveryMs ?? null,
    faults,
  })}\n`,
);
