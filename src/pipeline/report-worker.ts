import { errorMessage, PermanentError } from '../errors.js';
import type { JobHandler } from '../queue/job-queue.js';
import { willRetry } from '../queue/retry-policy.js';
import { assembleReport } from '../report/report.js';
import { analyzeTechnicals } from '../report/technical-analysis.js';
import type { JobOutcome } from '../store/store.js';
import { JOB_ENDED, type JobEndedEvent, type PipelineDeps } from './pipeline-deps.js';

/**
 * Step 4 of the daily flow, one job per ticker: in_progress → read bars from the store (never from a source) →
 * indicators and percentiles → report JSON → upsert → completed | failed. The same handler runs under every queue.
 */
export function createReportWorker(deps: PipelineDeps): JobHandler {
  const { store, registry } = deps;
  const businessDates = new Map<string, string>();

  async function businessDateOf(executionId: string): Promise<string> {
    let date = businessDates.get(executionId);
    if (!date) {
      const execution = await store.getExecution(executionId);
      if (!execution) throw new PermanentError(`execution ${executionId} does not exist`);
      date = execution.business_date;
      businessDates.set(executionId, date);
    }
    return date;
  }

  async function end(jobId: string, outcome: Omit<JobOutcome, 'finished_at'>): Promise<void> {
    const execution = await store.finishJob(jobId, { ...outcome, finished_at: deps.now().toISOString() });
    if (!execution) return;
    const job = await store.getJob(jobId);
    if (job) deps.events.emit(JOB_ENDED, { job, execution } satisfies JobEndedEvent);
  }

  return async (queued, attempt) => {
    const started = await store.startJob(queued.jobId, deps.now().toISOString());
    if (!started) return; // ended already: completed, or failed at a deadline or by crash recovery
    try {
      const t0 = performance.now();
      const ticker = registry.get(queued.ticker);
      if (!ticker) throw new PermanentError(`${queued.ticker} is not in the ticker registry`);
      const businessDate = await businessDateOf(queued.executionId);
      const stored = await store.getDailyBars(ticker.symbol, deps.settings.historyBars);
      if (!stored) {
        throw new PermanentError(`no daily bars in the store for ${ticker.symbol}: run \`daybreak ingest --tickers ${ticker.symbol}\``);
      }
      const t1 = performance.now();
      let technicals;
      try {
        technicals = analyzeTechnicals(stored.bars);
      } catch (error) {
        throw new PermanentError(`invalid price data for ${ticker.symbol}: ${errorMessage(error)}`, { cause: error });
      }
      const t2 = performance.now();
      const report = assembleReport({
        ticker,
        technicals,
        bars: stored.bars,
        dataSource: stored.source,
        executionId: queued.executionId,
        businessDate,
        generatedAt: deps.now().toISOString(),
        timings: { read_bars_ms: round(t1 - t0), indicators_ms: round(t2 - t1) },
      });
      report.timing_metrics.total_ms = round(performance.now() - t0);
      await store.saveReport({
        ticker: ticker.symbol,
        business_date: businessDate,
        as_of: report.as_of,
        execution_id: queued.executionId,
        generated_at: report.generated_at,
        data_source: report.data_source,
        body: JSON.stringify(report),
      }, null);
      await end(queued.jobId, { status: 'completed' });
    } catch (error) {
      if (willRetry(error, attempt)) {
        await store.releaseJob(queued.jobId, errorMessage(error));
      } else {
        await end(queued.jobId, { status: 'failed', error: errorMessage(error) });
      }
      throw error;
    }
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
