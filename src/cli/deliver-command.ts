import type { Daybreak } from '../composition-root.js';
import { deliverExecution, type DeliverOptions, latestDeliverableExecution } from '../delivery/deliver.js';
import type { DeliverySummary } from '../store/subscription-store.js';
import { InputError } from '../errors.js';
import type { ExecutionRecord } from '../store/store.js';
import type { CliIo } from './cli-io.js';

export interface DeliverFlags {
  execution?: string;
  json?: boolean;
}

/** The execution to deliver: the one named (it must have ended), else the newest that ended with reports. */
async function executionToDeliver(app: Daybreak, id: string | undefined): Promise<ExecutionRecord> {
  const { store } = app.deps;
  if (id) {
    const execution = await store.getExecution(id);
    if (!execution) throw new InputError(`no execution ${id}: see \`daybreak executions\``);
    if (execution.status === 'running') throw new InputError(`execution ${id} is still running: deliver it once it has ended`);
    if (execution.completed === 0) throw new InputError(`execution ${id} made no report: nothing to deliver`);
    return execution;
  }
  const latest = await latestDeliverableExecution(store);
  if (!latest) throw new InputError('no finished execution with reports yet: run `daybreak precompute` first');
  return latest;
}

/** Runs step 7 and prints its summary; exit 1 when any delivery failed. */
export async function runDelivery(app: Daybreak, execution: ExecutionRecord, options: DeliverOptions, json: boolean | undefined, io: CliIo): Promise<number> {
  const summary = await deliverExecution(app.delivery, execution, options);
  if (json) io.out(JSON.stringify(summary, null, 2));
  else io.out(formatDeliverySummary(summary));
  return summary.failed === 0 ? 0 : 1;
}

/** `daybreak deliver [--execution ID] [--json]`: every active subscription, now, whatever its `deliver_at`. */
export async function deliverCommand(app: Daybreak, flags: DeliverFlags, io: CliIo): Promise<number> {
  const execution = await executionToDeliver(app, flags.execution);
  return runDelivery(app, execution, { selection: 'all', retryFailed: true }, flags.json, io);
}

export function formatDeliverySummary(s: DeliverySummary): string {
  const lines = [
    `delivery of ${s.execution_id} (${s.business_date}): ${s.total} subscription(s) — ${s.delivered} delivered, ${s.failed} failed, ` +
      `${s.skipped} skipped (already delivered for this business date, or not due yet)`,
  ];
  for (const f of s.failures) lines.push(`  FAIL ${f.subscription_id} (${f.channel}): ${f.error}`);
  return lines.join('\n');
}
