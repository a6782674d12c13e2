import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import type { JobQueue } from '../queue/job-queue.js';
import { MemoryQueue } from '../queue/memory-queue.js';
import type { Store } from '../store/store.js';
import type { PipelineDeps } from '../pipeline/pipeline-deps.js';
import { followAndReconcile, resumeExecution, startExecution } from '../pipeline/precompute.js';
import { findInterruptedExecutions } from '../pipeline/recover-orphaned-executions.js';
import { createReportWorker } from '../pipeline/report-worker.js';

let app: Daybreak | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const idleQueue: JobQueue = { kind: 'memory', enqueue: async () => {}, requeueMissing: async () => 0, process: () => {}, close: async () => {} };

const until = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
};

describe('resuming an interrupted execution', () => {
  it('after a crash between writing a report and closing its job: closes that job without making the report again, runs the rest, completes the execution', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-resume-'));
    app = await openDaybreak(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'd.db')}`, JOB_BACKOFF_MS: '1', CHART_THREADS: '0' }));
    const [first, second, third] = app.deps.registry.active().slice(0, 3).map((t) => t.symbol);

    // The process that crashes: a pid that is not alive on this host, whose job for `first` saves its report and
    // then never gets to close the job (the process "dies" inside finishJob); `third` it never starts.
    const crashing: Store = new Proxy(app.deps.store, {
      get(target, property, receiver) {
        if (property === 'finishJob') {
          return (jobId: string, outcome: Parameters<Store['finishJob']>[1]) =>
            jobId.startsWith(`rpt_${first}_`) ? new Promise(() => {}) : target.finishJob(jobId, outcome);
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const dead: PipelineDeps = { ...app.deps, store: crashing, owner: `embedded:${hostname()}:2147483646` };
    const doomedQueue = new MemoryQueue(2, dead.settings.retry);
    doomedQueue.process(createReportWorker(dead));
    const firstTwoOnly: JobQueue = { ...idleQueue, enqueue: (jobs) => doomedQueue.enqueue(jobs.slice(0, 2)) };
    const execution = await startExecution(dead, firstTwoOnly, { tickers: [first!, second!, third!] }, 'manual');
    const store = app.deps.store;
    await until(async () => (await store.getReport(first!, execution.business_date)) !== undefined && (await store.getJob(`rpt_${second}_${execution.execution_id}`))?.status === 'completed');
    const savedBeforeCrash = (await store.getReport(first!, execution.business_date))!;
    expect((await store.getExecution(execution.execution_id))).toMatchObject({ status: 'running', completed: 1 });

    // The next process finds it interrupted and resumes it in the same execution.
    const interrupted = await findInterruptedExecutions(app.deps);
    expect(interrupted.map((e) => e.execution_id)).toEqual([execution.execution_id]);
    let charts = 0;
    const counting: PipelineDeps = { ...app.deps, charts: { ...app.deps.charts, render: (input) => (charts++, app!.deps.charts.render(input)) } };
    const queue = new MemoryQueue(2, counting.settings.retry);
    queue.process(createReportWorker(counting));
    try {
      await resumeExecution(counting, queue, interrupted[0]!);
      const closed = await followAndReconcile(counting, queue, execution.execution_id);
      expect(closed).toMatchObject({ execution_id: execution.execution_id, status: 'completed', total: 3, completed: 3, failed: 0, owner: app.deps.owner });
    } finally {
      await queue.close();
    }

    // `first` was closed with the report it already had (one chart drawn on resume: `third`'s), `third` was made.
    expect(charts).toBe(1);
    const reportOfFirst = await store.getReport(first!, execution.business_date);
    expect(reportOfFirst?.generated_at).toBe(savedBeforeCrash.generated_at);
    expect(reportOfFirst?.execution_id).toBe(execution.execution_id);
    expect((await store.getReport(third!, execution.business_date))?.execution_id).toBe(execution.execution_id);
    const jobs = await store.listJobs(execution.execution_id);
    expect(jobs.every((j) => j.status === 'completed')).toBe(true);
    expect(jobs.find((j) => j.ticker === first)?.attempts).toBe(2);
  });
});
