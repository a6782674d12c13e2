import { errorMessage } from '../errors.js';
import { followExecution } from '../pipeline/precompute.js';
import type { PipelineDeps } from '../pipeline/pipeline-deps.js';
import type { ExecutionRecord } from '../store/store.js';

export interface RunLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Executions that `serve` started (API, admin, scheduler) and follows to the end without anyone waiting on the
 * request: `followExecution` applies the deadline, heartbeats the run and notices its fan-in. One log line when a
 * run starts and one when it ends.
 */
export class BackgroundRuns {
  private readonly runs = new Map<string, { source: string; done: Promise<ExecutionRecord | undefined> }>();
  private closing = false;
  private readonly finishedListeners: ((execution: ExecutionRecord) => void)[] = [];

  constructor(
    private readonly deps: PipelineDeps,
    private readonly log: RunLog,
    private readonly embedded: boolean,
  ) {}

  follow(execution: ExecutionRecord): Promise<ExecutionRecord | undefined> {
    const existing = this.runs.get(execution.execution_id);
    if (existing) return existing.done;
    const id = execution.execution_id;
    this.log.info({ execution_id: id, source: execution.source, total: execution.total }, 'execution started');
    const done = followExecution(this.deps, id).then(
      (closed) => {
        this.log.info(
          { execution_id: id, source: closed.source, status: closed.status, completed: closed.completed, failed: closed.failed, duration_ms: closed.duration_ms },
          'execution finished',
        );
        for (const listener of this.finishedListeners) listener(closed);
        return closed;
      },
      (error) => {
        if (!this.closing) this.log.error({ execution_id: id, err: errorMessage(error) }, 'following the execution failed');
        return undefined;
      },
    );
    this.runs.set(id, { source: execution.source, done });
    void done.finally(() => this.runs.delete(id));
    return done;
  }

  /** Called with each followed execution once it has closed (e.g. to export the static snapshot). */
  onFinished(listener: (execution: ExecutionRecord) => void): void {
    this.finishedListeners.push(listener);
  }

  /** Ids of the executions being followed, optionally only those of one source. */
  active(source?: string): string[] {
    return [...this.runs].filter(([, r]) => !source || r.source === source).map(([id]) => id);
  }

  /**
   * At shutdown, after the queue has stopped: embedded runs cannot go on without this process, so their unfinished
   * jobs are failed now with a reason that says how to run them again (instead of waiting for the orphan recovery
   * of the next start). Distributed runs go on in the workers and are left alone. Then waits briefly for the
   * followers to notice.
   */
  async close(waitMs = 2_000): Promise<void> {
    this.closing = true;
    if (this.embedded) {
      for (const id of this.runs.keys()) {
        try {
          const execution = await this.deps.store.getExecution(id);
          if (execution?.status !== 'running') continue;
          await this.deps.store.abandonExecution(
            id,
            `interrupted: daybreak serve stopped before this job ran; rerun with \`daybreak precompute --only-failed ${id}\``,
            this.deps.now().toISOString(),
          );
          this.log.warn({ execution_id: id }, 'execution interrupted by shutdown');
        } catch (error) {
          this.log.warn({ execution_id: id, err: errorMessage(error) }, 'could not close the execution at shutdown');
        }
      }
    }
    const pending = [...this.runs.values()].map((r) => r.done);
    await Promise.race([Promise.allSettled(pending), new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  }
}
