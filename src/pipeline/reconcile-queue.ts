import { errorMessage } from '../errors.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { ExecutionRecord } from '../store/store.js';
import type { PipelineDeps } from './pipeline-deps.js';

export interface ReconcileOptions {
  /** Only these executions (resume); default: every running distributed execution. */
  executionIds?: string[];
  /**
   * A job `in_progress` for less than this long is presumed still in its worker's hands (its queue lock would be
   * live); older and absent from the queue, its worker is gone with it. Default 0.
   */
  inProgressGraceMs?: number;
}

/**
 * The store is the system of record; the queue only carries ids. This makes the queue agree with the store: every
 * unfinished job of a running execution that the queue no longer holds (a Redis that came back empty, a job failed
 * in the queue while the store was away) is enqueued again. Idempotent: a job the queue holds is left alone (BullMQ
 * job ids make a re-add of a present job a no-op) and a job that ended in the store is never enqueued. An execution
 * is reconciled only once its starter has fanned it out. Returns the executions and how many jobs each got back.
 */
export async function reconcileQueue(deps: PipelineDeps, queue: JobQueue, options: ReconcileOptions = {}): Promise<Map<string, number>> {
  const executions: ExecutionRecord[] = options.executionIds
    ? (await Promise.all(options.executionIds.map((id) => deps.store.getExecution(id)))).filter((e) => e !== undefined)
    : (await deps.store.listExecutions({ limit: 1000, status: 'running' })).filter((e) => e.owner.startsWith('distributed:'));
  const now = deps.now().getTime();
  const grace = options.inProgressGraceMs ?? 0;
  const requeued = new Map<string, number>();
  for (const execution of executions) {
    if (execution.status !== 'running' || !execution.fanned_out_at) continue;
    const unfinished = (await deps.store.listJobs(execution.execution_id)).filter(
      (j) => j.status === 'pending' || (j.status === 'in_progress' && now - Date.parse(j.started_at ?? j.created_at) >= grace),
    );
    if (unfinished.length === 0) continue;
    const added = await queue.requeueMissing(
      unfinished.map((j) => ({ jobId: j.job_id, executionId: j.execution_id, ticker: j.ticker })),
    );
    if (added > 0) requeued.set(execution.execution_id, added);
  }
  return requeued;
}

export interface Reconciler {
  stop(): void;
}

/**
 * Runs `reconcileQueue` every `intervalMs`, and at once each time Redis is back after an outage, one pass at a time.
 * Embedded mode has nothing to reconcile (the queue is this process) and gets a no-op.
 */
export function startReconciler(
  deps: PipelineDeps,
  queue: JobQueue,
  options: ReconcileOptions & {
    intervalMs: number;
    onRequeued?: (executionId: string, jobs: number) => void;
    onError?: (message: string) => void;
  },
): Reconciler {
  if (queue.kind === 'memory') return { stop: () => {} };
  let running: Promise<void> | undefined;
  let stopped = false;
  const pass = () => {
    if (running || stopped) return;
    running = reconcileQueue(deps, queue, options)
      .then((requeued) => {
        for (const [id, jobs] of requeued) options.onRequeued?.(id, jobs);
      })
      .catch((error) => options.onError?.(errorMessage(error)))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(pass, options.intervalMs);
  const unsubscribe = deps.outages.onBack((service) => {
    if (service === 'Redis') pass();
  });
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
