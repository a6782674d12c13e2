import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jobIdFor } from './sql-store.js';
import type { NewExecution, Store, StoredReport } from './store.js';

function execution(id: string, businessDate: string, tickers: string[]): NewExecution {
  return {
    execution_id: id,
    source: 'manual',
    requested: {},
    business_date: businessDate,
    started_at: `${businessDate}T00:00:00.000Z`,
    deadline_at: `${businessDate}T00:15:00.000Z`,
    owner: 'test:1',
    tickers,
    job_ttl_ms: 7 * 86_400_000,
  };
}

const report = (date: string, executionId: string, extra: Partial<StoredReport> = {}): StoredReport => ({
  ticker: 'NVDA19',
  business_date: date,
  as_of: '2026-11-27',
  execution_id: executionId,
  generated_at: `${date}T00:00:05.000Z`,
  data_source: 'demo',
  body: `{"execution_id":"${executionId}"}`,
  ...extra,
});

/** Incremental runs (DESIGN §13) on every store adapter. `open` returns a fresh, empty, migrated store. */
export function describeIncrementalStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`IncrementalStore contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps a report\'s fingerprint and fallback reason, and a rewrite without them clears them', async () => {
      expect(await store.getLatestReportInputs('NVDA19')).toBeUndefined();
      await store.saveReport(report('2026-11-27', 'e1', { inputs_fingerprint: 'sha256:aa', narrative_fallback: 'unavailable' }), null);
      await store.saveReport(report('2026-11-26', 'e0', { inputs_fingerprint: 'sha256:00' }), null);
      expect(await store.getLatestReportInputs('NVDA19')).toEqual({
        ticker: 'NVDA19',
        business_date: '2026-11-27',
        execution_id: 'e1',
        inputs_fingerprint: 'sha256:aa',
        reused_from: null,
        narrative_fallback: 'unavailable',
      });
      await store.saveReport(report('2026-11-27', 'e2'), null);
      expect(await store.getLatestReportInputs('NVDA19')).toMatchObject({ execution_id: 'e2', inputs_fingerprint: null, narrative_fallback: null });
    });

    it('carries a report forward to a new business date with its chart copied inside the database', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 7, 7, 7]);
      await store.saveReport(report('2026-11-27', 'e1', { inputs_fingerprint: 'sha256:aa', narrative_fallback: 'rejected' }), png);
      const carried = report('2026-11-30', 'e2', { inputs_fingerprint: 'sha256:aa', reused_from: 'e1', narrative_fallback: 'rejected', generated_at: '2026-11-27T00:00:05.000Z' });
      await store.carryReportForward(carried, '2026-11-27');
      expect(await store.getChartPng('NVDA19', '2026-11-30')).toEqual(png);
      expect(await store.getReport('NVDA19', '2026-11-30')).toEqual({
        ticker: 'NVDA19',
        business_date: '2026-11-30',
        as_of: '2026-11-27',
        execution_id: 'e2',
        generated_at: '2026-11-27T00:00:05.000Z',
        data_source: 'demo',
        body: '{"execution_id":"e2"}',
      });
      expect(await store.getLatestReportInputs('NVDA19')).toMatchObject({ business_date: '2026-11-30', execution_id: 'e2', reused_from: 'e1', inputs_fingerprint: 'sha256:aa' });
      // The row it came from is untouched, and carrying again onto the same date replaces (never duplicates) it.
      expect((await store.getReport('NVDA19', '2026-11-27'))?.execution_id).toBe('e1');
      await store.carryReportForward({ ...carried, execution_id: 'e3', body: '{"execution_id":"e3"}' }, '2026-11-27');
      expect((await store.getReport('NVDA19', '2026-11-30'))?.execution_id).toBe('e3');
      expect((await store.listLatestReportVersions()).filter((v) => v.ticker === 'NVDA19')).toHaveLength(1);
    });

    it('counts carried-forward jobs on the execution and says which execution each came from', async () => {
      await store.createExecution(execution('e2', '2026-11-30', ['NVDA19', 'DBS19']));
      await store.startJob(jobIdFor('NVDA19', 'e2'), '2026-11-30T00:00:01.000Z');
      await store.finishJob(jobIdFor('NVDA19', 'e2'), { status: 'completed', finished_at: '2026-11-30T00:00:02.000Z', reused_from: 'e1' });
      const closed = await store.finishJob(jobIdFor('DBS19', 'e2'), { status: 'completed', finished_at: '2026-11-30T00:00:03.000Z' });
      expect(closed).toMatchObject({ status: 'completed', completed: 2, reused: 1 });
      expect((await store.getExecution('e2'))?.reused).toBe(1);
      const jobs = await store.listJobs('e2');
      expect(jobs.map((j) => [j.ticker, j.reused_from])).toEqual([
        ['DBS19', null],
        ['NVDA19', 'e1'],
      ]);
    });

    it('sums the LLM spend of every execution of a business date, and only of that date', async () => {
      expect(await store.llmSpentOn('2026-11-30')).toBe(0);
      await store.createExecution(execution('a', '2026-11-30', ['NVDA19']));
      await store.createExecution(execution('b', '2026-11-30', ['NVDA19']));
      await store.createExecution(execution('c', '2026-11-29', ['NVDA19']));
      await store.finishJob(jobIdFor('NVDA19', 'a'), { status: 'completed', finished_at: '2026-11-30T00:00:02.000Z', cost_usd: 0.25 });
      await store.finishJob(jobIdFor('NVDA19', 'b'), { status: 'completed', finished_at: '2026-11-30T00:00:02.000Z', cost_usd: 0.125 });
      await store.finishJob(jobIdFor('NVDA19', 'c'), { status: 'completed', finished_at: '2026-11-29T00:00:02.000Z', cost_usd: 5 });
      expect(await store.llmSpentOn('2026-11-30')).toBeCloseTo(0.375, 9);
      expect(await store.llmSpentOn('2026-11-29')).toBe(5);
    });
  });
}
