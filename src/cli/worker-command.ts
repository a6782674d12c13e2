import { once } from 'node:events';
import type { Daybreak } from '../composition-root.js';
import { InputError } from '../errors.js';
import { JOB_ENDED, type JobEndedEvent } from '../pipeline/pipeline-deps.js';
import { startReconciler } from '../pipeline/reconcile-queue.js';
import { closeOverdueExecutions } from '../pipeline/recover-orphaned-executions.js';
import { type CliIo, formatMs } from './cli-io.js';

const OVERDUE_SWEEP_MS = 30_000;
/** How often a worker enqueues again the jobs the queue lost (a Redis restart); at once when Redis is back. */
const RECONCILE_MS = 10_000;

/**
 * `daybreak worker`: runs report jobs from the distributed queue until SIGTERM/SIGINT, then finishes the jobs in
 * hand before exiting (a job it cannot finish is handed to another worker when its lock expires).
 */
export async function workerCommand(app: Daybreak, io: CliIo): Promise<number> {
  if (app.mode !== 'distributed') {
    throw new InputError('daybreak worker takes report jobs from Redis: set REDIS_URL (and DATABASE_URL=postgres://… for several machines)');
  }
  app.deps.events.on(JOB_ENDED, ({ job }: JobEndedEvent) =>
    io.out(`${job.status === 'completed' ? 'ok  ' : 'FAIL'} ${job.ticker.padEnd(12)} ${formatMs(job.duration_ms).padStart(9)}  ${job.execution_id}${job.error ? `  ${job.error}` : ''}`),
  );
  const queue = app.startWorker();
  io.out(`worker ${app.deps.owner} taking jobs (concurrency ${app.config.WORKER_CONCURRENCY}); SIGTERM to stop`);
  const sweep = setInterval(() => {
    closeOverdueExecutions(app.deps).catch((error) => io.err(`overdue sweep failed: ${(error as Error).message}`));
  }, OVERDUE_SWEEP_MS);
  const reconciler = startReconciler(app.deps, queue, {
    intervalMs: RECONCILE_MS,
    inProgressGraceMs: app.config.QUEUE_LOCK_MS,
    onRequeued: (executionId, jobs) => io.err(`${jobs} job(s) of ${executionId} were missing from the queue: enqueued again`),
    onError: (message) => io.err(`queue reconciliation failed: ${message}`),
  });
  await Promise.race([once(process, 'SIGTERM'), once(process, 'SIGINT')]);
  clearInterval(sweep);
  reconciler.stop();
  io.out('stopping: finishing the jobs in hand');
  await queue.close();
  io.out('stopped');
  return 0;
}
