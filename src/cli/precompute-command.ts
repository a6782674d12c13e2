import { SingleBar } from 'cli-progress';
import type { Daybreak } from '../composition-root.js';
import { deliverExecution } from '../delivery/deliver.js';
import { InputError } from '../errors.js';
import { summarizeExecution, type ExecutionSummary } from '../pipeline/execution-summary.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { ExecutionRequest, JobRecord } from '../store/store.js';
import { type CliIo, formatMs } from './cli-io.js';
import { formatDeliverySummary } from './deliver-command.js';

export interface PrecomputeFlags {
  limit?: number;
  tickers?: string[];
  onlyFailed?: string;
  json?: boolean;
  /** Recompute every report even when its inputs have not changed. */
  force?: boolean;
  deliver?: boolean;
}

/** `daybreak precompute`: steps 2–6 in this process. Exit 0 all completed, 1 any failed, 2 bad input. */
export async function precomputeCommand(app: Daybreak, flags: PrecomputeFlags, io: CliIo): Promise<number> {
  if (flags.onlyFailed && flags.tickers) throw new InputError('--only-failed and --tickers cannot be combined');
  const request: ExecutionRequest = {
    ...(flags.limit !== undefined && { limit: flags.limit }),
    ...(flags.tickers && { tickers: flags.tickers }),
    ...(flags.onlyFailed && { only_failed: flags.onlyFailed }),
    ...(flags.force && { force: true }),
  };
  // With --json, stdout carries the summary only; everything else goes to stderr.
  const log = flags.json ? io.err : io.out;
  let bar: SingleBar | undefined;
  const queue = app.openQueue();
  const execution = await runPrecompute(app.deps, queue, request, 'manual', {
    onRecovered: (e) => io.err(`recovered execution ${e.execution_id} (${e.status}): its deadline passed; unfinished jobs marked failed`),
    onInterrupted: (e) =>
      io.err(
        `execution ${e.execution_id} was interrupted (its process ${e.owner} stopped) with ${e.total - e.completed - e.failed} job(s) unfinished: ` +
          `finish it with \`daybreak resume ${e.execution_id}\``,
      ),
    onRequeued: (id, jobs) => io.err(`${jobs} job(s) of ${id} were missing from the queue: enqueued again`),
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
        log(formatJobLine(job));
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

/** One line per ended job: `ok   NVDA19   1.20 s`, or `FAIL` with the reason. */
export function formatJobLine(job: JobRecord): string {
  const mark = job.status !== 'completed' ? 'FAIL' : job.reused_from ? 'same' : 'ok  ';
  const note = job.error ? `  ${job.error}` : job.reused_from ? `  inputs unchanged: report of ${job.reused_from} carried forward` : '';
  return `${mark} ${job.ticker.padEnd(12)} ${formatMs(job.duration_ms).padStart(9)}${note}`;
}

export function formatSummary(s: ExecutionSummary): string {
  const lines = [
    `${s.execution_id}: ${s.status} — ${s.completed}/${s.total} completed, ${s.failed} failed, ${s.pending} pending` +
      ` in ${formatMs(s.duration_ms)} (slowest job ${formatMs(s.slowest_job_ms)})`,
  ];
  if (s.reused > 0) {
    lines.push(
      `reused: ${s.reused} report(s) carried forward, their inputs unchanged since the latest report (no chart, no LLM call); ` +
        '`daybreak precompute --force` recomputes them',
    );
  }
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
