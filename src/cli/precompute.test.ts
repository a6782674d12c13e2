import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import type { JobQueue } from '../queue/job-queue.js';
import { executionIdFor, runPrecompute } from '../pipeline/precompute.js';

let app: Daybreak | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function open(env: NodeJS.ProcessEnv = {}): Promise<Daybreak> {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-pipeline-'));
  app = await openDaybreak(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'd.db')}`, JOB_BACKOFF_MS: '1', ...env }));
  return app;
}

describe('executionIdFor', () => {
  it('formats Asia/Bangkok wall time and suffixes a second execution in the same second', () => {
    const now = new Date('2026-11-27T22:00:05.123Z'); // 05:00:05 on the 28th in Bangkok
    expect(executionIdFor(now)).toBe('precompute-20261128-050005');
    expect(executionIdFor(now, 2)).toBe('precompute-20261128-050005-2');
  });
});

describe('runPrecompute', () => {
  it('closes the execution as timed_out at its deadline, failing the jobs nobody ran', async () => {
    const { deps } = await open({ EXECUTION_TIMEOUT_MS: '300' });
    // Workers that never show up: the jobs are enqueued and nothing consumes them.
    const idle: JobQueue = { kind: 'idle', enqueue: async () => {}, requeueMissing: async () => 0, process: () => {}, close: async () => {} };
    const execution = await runPrecompute(deps, idle, { limit: 3 }, 'manual');
    expect(execution).toMatchObject({ status: 'timed_out', total: 3, completed: 0, failed: 3 });
    const jobs = await deps.store.listJobs(execution.execution_id);
    expect(jobs.map((j) => j.error)).toEqual(Array(3).fill('execution deadline passed (300 ms) before this job ended'));
  });

  it('retries a transient failure and completes the job on a later attempt', async () => {
    const daybreak = await open();
    const { deps } = daybreak;
    const realGetDailyBars = deps.store.getDailyBars.bind(deps.store);
    let failures = 0;
    deps.store.getDailyBars = async (ticker, limit) => {
      if (ticker === 'NVDA19' && failures++ === 0) throw new Error('database is locked');
      return realGetDailyBars(ticker, limit);
    };
    const execution = await runPrecompute(deps, daybreak.openQueue(), { tickers: ['NVDA19', 'DBS19'] }, 'manual');
    expect(execution).toMatchObject({ status: 'completed', completed: 2, failed: 0 });
    const nvda = (await deps.store.listJobs(execution.execution_id)).find((j) => j.ticker === 'NVDA19');
    expect(nvda).toMatchObject({ status: 'completed', attempts: 2, error: null });
  });

  it('fails a job after its last attempt with the error of that attempt', async () => {
    const daybreak = await open({ JOB_ATTEMPTS: '2' });
    const { deps } = daybreak;
    const realGetDailyBars = deps.store.getDailyBars.bind(deps.store);
    deps.store.getDailyBars = async (ticker, limit) => {
      if (ticker === 'NVDA19') throw new Error('disk I/O error');
      return realGetDailyBars(ticker, limit);
    };
    const execution = await runPrecompute(deps, daybreak.openQueue(), { tickers: ['NVDA19', 'DBS19'] }, 'manual');
    expect(execution).toMatchObject({ status: 'completed_with_failures', completed: 1, failed: 1 });
    const nvda = (await deps.store.listJobs(execution.execution_id)).find((j) => j.ticker === 'NVDA19');
    expect(nvda).toMatchObject({ status: 'failed', attempts: 2, error: 'disk I/O error' });
  });
});
