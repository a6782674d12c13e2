import type { Daybreak } from '../composition-root.js';
import { InputError } from '../errors.js';
import { summarizeExecution, type ExecutionSummary } from '../pipeline/execution-summary.js';
import { followAndReconcile, resumeExecution } from '../pipeline/precompute.js';
import { findInterruptedExecutions, isOrphaned } from '../pipeline/recover-orphaned-executions.js';
import type { ExecutionRecord } from '../store/store.js';
import type { CliIo } from './cli-io.js';
import { formatJobLine, formatSummary } from './precompute-command.js';

export interface ResumeFlags {
  json?: boolean;
}

/** The execution to resume, or why it cannot be (an input error: exit 2). */
async function resumable(app: Daybreak, id: string): Promise<ExecutionRecord> {
  const execution = await app.deps.store.getExecution(id);
  if (!execution) throw new InputError(`no execution ${id}: see \`daybreak executions\``);
  if (execution.status !== 'running') {
    const rerun = execution.failed > 0 ? `; run its failed jobs again with \`daybreak precompute --only-failed ${id}\`` : '';
    throw new InputError(`execution ${id} is ${execution.status}, not interrupted: nothing to resume${rerun}`);
  }
  const distributed = execution.owner.startsWith('distributed:');
  if (!distributed && execution.owner !== app.deps.owner && !isOrphaned(execution, app.deps.now(), app.deps.owner)) {
    throw new InputError(`execution ${id} is still running in process ${execution.owner}: follow it with \`daybreak executions ${id}\``);
  }
  return execution;
}

/**
 * `daybreak resume [EXEC_ID] [--json]`: finishes the unfinished jobs of an interrupted execution (default: every
 * interrupted one) in that same execution, and prints its summary. Exit 0 when they all completed, 1 when any job
 * failed, 2 when there is no such execution or it is not interrupted. `--json` prints the summary (an array of them
 * without EXEC_ID).
 */
export async function resumeCommand(app: Daybreak, id: string | undefined, flags: ResumeFlags, io: CliIo): Promise<number> {
  const log = flags.json ? io.err : io.out;
  const targets = id ? [await resumable(app, id)] : await findInterruptedExecutions(app.deps);
  if (targets.length === 0) {
    if (flags.json) io.out('[]');
    else log('no interrupted execution to resume');
    return 0;
  }
  const queue = app.openQueue();
  const summaries: ExecutionSummary[] = [];
  try {
    for (const target of targets) {
      const resumed = await resumeExecution(app.deps, queue, target);
      log(`resuming ${resumed.execution_id}: ${resumed.total - resumed.completed - resumed.failed} of ${resumed.total} job(s) unfinished`);
      const closed = await followAndReconcile(app.deps, queue, resumed.execution_id, {
        onJobEnded: ({ job }) => log(formatJobLine(job)),
        onRequeued: (executionId, jobs) => io.err(`${jobs} job(s) of ${executionId} were missing from the queue: enqueued again`),
      });
      summaries.push(
        summarizeExecution(closed, await app.deps.store.listJobs(closed.execution_id), {
          includeJobs: Boolean(flags.json),
          llmUsage: await app.deps.store.listLlmUsage(closed.execution_id),
        }),
      );
    }
  } finally {
    await queue.close();
  }
  if (flags.json) io.out(JSON.stringify(id ? summaries[0] : summaries, null, 2));
  else for (const summary of summaries) io.out(formatSummary(summary));
  return summaries.every((s) => s.status === 'completed') ? 0 : 1;
}
