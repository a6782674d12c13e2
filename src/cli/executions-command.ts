import type { Daybreak } from '../composition-root.js';
import { InputError } from '../errors.js';
import { summarizeExecution } from '../pipeline/execution-summary.js';
import { type CliIo, formatMs, formatTable } from './cli-io.js';
import { formatDeliverySummary } from './deliver-command.js';
import { formatSummary } from './precompute-command.js';

/** `daybreak executions [ID]`: recent executions, or one with per-ticker status. */
export async function executionsCommand(
  app: Daybreak,
  id: string | undefined,
  flags: { json?: boolean; limit?: number },
  io: CliIo,
): Promise<number> {
  const { store } = app.deps;
  if (id) {
    const execution = await store.getExecution(id);
    if (!execution) throw new InputError(`no execution ${id}: see \`daybreak executions\``);
    const summary = summarizeExecution(execution, await store.listJobs(id), {
      includeJobs: true,
      llmUsage: await store.listLlmUsage(id),
      delivery: (await store.getDeliverySummary(id)) ?? null,
    });
    if (flags.json) {
      io.out(JSON.stringify(summary, null, 2));
      return 0;
    }
    io.out(formatSummary(summary));
    if (summary.delivery) io.out(formatDeliverySummary(summary.delivery));
    io.out(
      formatTable(
        ['TICKER', 'STATUS', 'ATTEMPTS', 'DURATION', 'ERROR'],
        (summary.jobs ?? []).map((j) => [j.ticker, j.status, j.attempts, formatMs(j.duration_ms), j.error]),
      ),
    );
    return 0;
  }
  const executions = await store.listExecutions({ limit: flags.limit ?? 20 });
  if (flags.json) {
    io.out(JSON.stringify(executions.map((e) => summarizeExecution(e, [], { includeJobs: false })).map(({ failures: _, ...rest }) => rest), null, 2));
    return 0;
  }
  if (executions.length === 0) {
    io.out('no executions yet: run `daybreak precompute`');
    return 0;
  }
  io.out(
    formatTable(
      ['EXECUTION', 'STATUS', 'SOURCE', 'TOTAL', 'DONE', 'FAILED', 'STARTED', 'DURATION'],
      executions.map((e) => [e.execution_id, e.status, e.source, e.total, e.completed, e.failed, e.started_at, formatMs(e.duration_ms)]),
    ),
  );
  return 0;
}
