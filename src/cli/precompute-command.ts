import { SingleBar } from 'cli-progress';
import type { Daybreak } from '../composition-root.js';
import { deliverExecution } from '../delivery/deliver.js';
import { InputError } from '../errors.js';
import { summarizeExecution, type ExecutionSummary } from '../pipeline/execution-summary.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { ExecutionRequest } from '../store/store.js';
import { type CliIo, formatMs } from './cli-io.js';
import { formatDeliverySummary } from './deliver-command.js';

export interface PrecomputeFlags {
  limit?: number;
  tickers?: string[];
  onlyFailed?: string;
  json?: boolean;
  deliver?: boolean;
}

/** `daybreak precompute`: steps 2–6 in this process. Exit 0 all completed, 1 any failed, 2 bad input. */
export async function precomputeCommand(app: Daybreak, flags: PrecomputeFlags, io: CliIo): Promise<number> {
  if (flags.onlyFailed && flags.tickers) throw new InputError('--only-failed and --tickers cannot be combined');
  const request: ExecutionRequest = {
    ...(flags.limit !== undefined && { limit: flags.limit }),
    ...(flags.tickers && { tickers: flags.tickers }),
    ...(flags.onlyFailed && { only_failed: flags.onlyFailed }),
  };
  // With --json, stdout carries the summary only; everything else goes to stderr.
  const log = flags.json ? io.err : io.out;
  let bar: SingleBar | undefined;
  const queue = app.openQueue();
  const execution = await runPrecompute(app.deps, queue, request, 'manual', {
    onRecovered: (e) => io.err(`recovered execution ${e.execution_id} (${e.status}): its process had stopped or its deadline passed; unfinished jobs marked failed`),
    onAutoIngest: (tickers) => log(`no bars in the store for ${tickers.length} ticker(s): ingesting from ${app.deps.marketData.name} first`),
    onIngested: (r) => {
      if (r.status === 'failed') io.err(`ingest ${r.ticker} failed: ${r.error}`);
    },
    onStarted: (e) => {
      if (io.interactive && !flags.json) {
        io.err(`execution ${e.execution_id}: ${e.total} ticker(s)`);
        bar = new SingleBar({
          format: 'precompute [{bar}] {value}/{total} | failed {failed} | {ticker}',
          stream: process.stderr,
          hideCursor: true,
        });
        bar.start(e.total, 0, { failed: 0, ticker: '' });
      } else {
        log(`execution ${e.execution_id}: ${e.total} ticker(s)`);
      }
    },
    onJobEnded: ({ job, execution: e }) => {
      if (bar) {
        bar.update(e.completed + e.failed, { failed: e.failed, ticker: job.ticker });
      } else {
        const mark = job.status === 'completed' ? 'ok  ' : 'FAIL';
        log(`${mark} ${job.ticker.padEnd(12)} ${formatMs(job.duration_ms).padStart(9)}${job.error ? `  ${job.error}` : ''}`);
      }
    },
  });
  bar?.stop();
  await queue.close();
  const summary = summarizeExecution(execution, await app.deps.store.listJobs(execution.execution_id), {
    includeJobs: Boolean(flags.json),
    llmUsage: await app.deps.store.listLlmUsage(execution.execution_id),
  });
  let deliveryFailed = false;
  if (flags.deliver) {
    if (execution.completed === 0) {
      io.err('no report was made: nothing to deliver');
    } else {
      const delivery = await deliverExecution(app.delivery, execution, { selection: 'due', retryFailed: true });
      summary.delivery = delivery;
      deliveryFailed = delivery.failed > 0;
    }
  }
  if (flags.json) io.out(JSON.stringify(summary, null, 2));
  else {
    io.out(formatSummary(summary));
    if (summary.delivery) io.out(formatDeliverySummary(summary.delivery));
  }
  return summary.status === 'completed' && !deliveryFailed ? 0 : 1;
}

export function formatSummary(s: ExecutionSummary): string {
  const lines = [
    `${s.execution_id}: ${s.status} — ${s.completed}/${s.total} completed, ${s.failed} failed, ${s.pending} pending` +
      ` in ${formatMs(s.duration_ms)} (slowest job ${formatMs(s.slowest_job_ms)})`,
  ];
  if (s.llm) {
    lines.push(
      `llm: ${s.llm.llm_reports} report(s) written by the LLM, ${s.llm.calls} call(s), ` +
        `${s.llm.input_tokens + s.llm.output_tokens} tokens, $${s.llm.spent_usd.toFixed(4)}`,
    );
  }
  for (const warning of s.warnings) lines.push(`warning: ${warning}`);
  if (s.failures.length > 0) {
    lines.push('failures:');
    for (const f of s.failures) lines.push(`  ${f.ticker.padEnd(12)} ${f.error}`);
    lines.push(`run them again: daybreak precompute --only-failed ${s.execution_id}`);
  }
  return lines.join('\n');
}
