import { hostname } from 'node:os';
import type { ExecutionRecord } from '../store/store.js';
import type { PipelineDeps } from './pipeline-deps.js';

/** A follower on another host is presumed dead after this long without a heartbeat. */
export const ORPHAN_AFTER_MS = 2 * 60_000;

/**
 * Who answers for an execution's jobs. Embedded: this process runs them, so its death orphans them. Distributed:
 * the queue hands them to whichever worker is alive, so the process that started the run may stop freely.
 */
export function processOwner(mode: 'embedded' | 'distributed'): string {
  return `${mode}:${hostname()}:${process.pid}`;
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the process that follows `execution` is gone: it died on this host, or its heartbeat stopped. */
export function isOrphaned(execution: ExecutionRecord, now: Date, owner: string): boolean {
  if (execution.status !== 'running' || execution.owner === owner) return false;
  const [mode, host, pidText] = execution.owner.split(':');
  if (mode !== 'embedded') return false;
  const pid = Number(pidText);
  if (host === hostname() && Number.isInteger(pid) && !isPidAlive(pid)) return true;
  return now.getTime() - Date.parse(execution.heartbeat_at) > ORPHAN_AFTER_MS;
}

/**
 * After a crash (`kill -9`, power loss) an embedded execution stays `running` with jobs `in_progress`. Its jobs are
 * durable in the store, so it is not failed: `daybreak resume` (or `serve` at start) finishes it in the same
 * execution (`resumeExecution`). Reports written before the crash stay.
 */
export async function findInterruptedExecutions(deps: PipelineDeps): Promise<ExecutionRecord[]> {
  const now = deps.now();
  const running = await deps.store.listExecutions({ limit: 1000, status: 'running' });
  return running.filter((execution) => isOrphaned(execution, now, deps.owner));
}

/**
 * Closes executions still running past their deadline whoever started them: in distributed mode the process that
 * follows a run may be gone, and a job lost before it reached the queue would otherwise keep its run open forever.
 */
export async function closeOverdueExecutions(deps: PipelineDeps): Promise<ExecutionRecord[]> {
  const now = deps.now();
  const closed: ExecutionRecord[] = [];
  for (const execution of await deps.store.listExecutions({ limit: 1000, status: 'running' })) {
    if (Date.parse(execution.deadline_at) > now.getTime()) continue;
    closed.push(
      await deps.store.abandonExecution(
        execution.execution_id,
        'execution deadline passed before this job ended',
        now.toISOString(),
        'timed_out',
      ),
    );
  }
  return closed;
}
