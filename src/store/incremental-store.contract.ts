import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { barsDigest } from '../report/inputs-fingerprint.js';
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

    it('keeps a digest of every series\'s bars, rewritten with each write, that names the bars without reading them', async () => {
      const bars = [
        { date: '2026-11-26', open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
        { date: '2026-11-27', open: 10.5, high: 12, low: 10, close: 11.25, volume: 200 },
      ];
      expect(await store.getBarSeries(['NVDA19'])).toEqual(new Map());
      await store.upsertDailyBars('NVDA19', bars, 'csv');
      await store.upsertDailyBars('USDTHB=X', [{ date: '2026-11-27', open: 32, high: 32, low: 32, close: 32.5, volume: 0 }], 'csv');
      const first = (await store.getBarSeries(['NVDA19', 'USDTHB=X', 'DBS19'])).get('NVDA19');
      expect(first).toEqual({ ticker: 'NVDA19', bars: 2, last_date: '2026-11-27', last_close: 11.25, source: 'csv', digest: barsDigest(bars) });
      expect((await store.getBarSeries(['NVDA19', 'USDTHB=X', 'DBS19'])).size).toBe(2);
      // Rewriting the same bars leaves the digest; a corrected old bar or a new one changes it.
      await store.upsertDailyBars('NVDA19', bars.slice(1), 'csv');
      expect((await store.getBarSeries(['NVDA19'])).get('NVDA19')?.digest).toBe(first!.digest);
      await store.upsertDailyBars('NVDA19', [{ ...bars[0]!, close: 10.51 }], 'csv');
      const corrected = (await store.getBarSeries(['NVDA19'])).get('NVDA19')!;
      expect(corrected.digest).not.toBe(first!.digest);
      await store.upsertDailyBars('NVDA19', [{ date: '2026-11-30', open: 11, high: 11.5, low: 10.8, close: 11.1, volume: 50 }], 'yahoo');
      expect((await store.getBarSeries(['NVDA19'])).get('NVDA19')).toMatchObject({ bars: 3, last_date: '2026-11-30', last_close: 11.1, source: 'yahoo' });
      expect((await store.getBarSeries(['NVDA19'])).get('NVDA19')?.digest).not.toBe(corrected.digest);
    });

    it('leaves the digest of every committed bar when two writers of one ticker\'s bars run at once', async () => {
      const day = (n: number) => ({ date: `2026-10-${String(n).padStart(2, '0')}`, open: n, high: n + 1, low: n - 1, close: n + 0.5, volume: n * 10 });
      const writes = Array.from({ length: 6 }, (_, w) => store.upsertDailyBars('NVDA19', [day(w * 4 + 1), day(w * 4 + 2), day(w * 4 + 3)], 'csv'));
      await Promise.all(writes);
      const stored = (await store.getDailyBars('NVDA19', 100))!.bars;
      expect(stored).toHaveLength(18);
      expect((await store.getBarSeries(['NVDA19'])).get('NVDA19')).toMatchObject({ bars: 18, digest: barsDigest(stored) });
    });

    it('reads the latest report inputs and the headlines of many tickers in one call each', async () => {
      await store.saveReport(report('2026-11-26', 'e0', { inputs_fingerprint: 'sha256:00' }), null);
      await store.saveReport(report('2026-11-27', 'e1', { inputs_fingerprint: 'sha256:aa' }), null);
      await store.saveReport({ ...report('2026-11-27', 'e1', { inputs_fingerprint: 'sha256:bb', reused_from: 'e0' }), ticker: 'DBS19' }, null);
      const latest = await store.listLatestReportInputs(['NVDA19', 'DBS19', 'AAPL19']);
      expect([...latest.keys()].sort()).toEqual(['DBS19', 'NVDA19']);
      expect(latest.get('NVDA19')).toEqual(await store.getLatestReportInputs('NVDA19'));
      expect(latest.get('DBS19')).toMatchObject({ inputs_fingerprint: 'sha256:bb', reused_from: 'e0' });
      const headline = (url: string, at: string) => ({ title: `t ${url}`, published_at: at, site: 's', url, text: null });
      await store.upsertNews('NVDA19', [headline('u1', '2026-11-25T00:00:00.000Z'), headline('u2', '2026-11-26T00:00:00.000Z'), headline('u0', '2026-11-01T00:00:00.000Z')], 'csv');
      await store.upsertNews('DBS19', [headline('d1', '2026-11-26T01:00:00.000Z')], 'csv');
      const news = await store.getNewsOf(['NVDA19', 'DBS19', 'AAPL19'], '2026-11-20T00:00:00.000Z', '2026-11-27T00:00:00.000Z', 500);
      expect(news.get('NVDA19')).toEqual(await store.getNews('NVDA19', '2026-11-20T00:00:00.000Z', '2026-11-27T00:00:00.000Z', 500));
      expect(news.get('NVDA19')?.map((h) => h.url)).toEqual(['u2', 'u1']);
      expect(news.get('DBS19')?.map((h) => h.url)).toEqual(['d1']);
      expect(news.has('AAPL19')).toBe(false);
      expect((await store.getNewsOf(['NVDA19'], '2026-11-20T00:00:00.000Z', '2026-11-27T00:00:00.000Z', 1)).get('NVDA19')?.map((h) => h.url)).toEqual(['u2']);
    });

    it('copies an earlier execution\'s peer sets when their inputs had the same digest', async () => {
      const peers = (n: number) => ({ method: 'm', top: [], sector_mates: [`S${n}`], return_1m_pct: n, volatility_30d_pct: null, peers_median_return_1m_pct: null, peers_median_volatility_30d_pct: null, return_1m_vs_median_pct: null, volatility_vs_median_pct: null });
      await store.createExecution(execution('e1', '2026-11-27', ['NVDA19', 'DBS19']));
      await store.createExecution(execution('e2', '2026-11-27', ['NVDA19', 'DBS19']));
      expect(await store.copyPeerSets('sha256:p1', 'e2')).toBe(false);
      await store.savePeerSets('e1', new Map([['NVDA19', peers(1)], ['DBS19', peers(2)]]) as never);
      await store.savePeerSetInputs('e1', 'sha256:p1');
      expect(await store.copyPeerSets('sha256:other', 'e2')).toBe(false);
      expect(await store.getPeerSets('e2')).toEqual(new Map());
      expect(await store.copyPeerSets('sha256:p1', 'e2')).toBe(true);
      expect(await store.getPeerSets('e2')).toEqual(await store.getPeerSets('e1'));
      expect((await store.getPeerSets('e2')).get('DBS19')).toEqual(peers(2));
      expect(await store.getPeerSet('e2', 'NVDA19')).toEqual(peers(1));
    });

    it('completes the reused jobs of an execution in one call, and closes it when they were the last', async () => {
      await store.createExecution(execution('e2', '2026-11-30', ['NVDA19', 'DBS19', 'AAPL19']));
      expect(await store.finishReusedJobs('e2', [], '2026-11-30T00:00:01.000Z')).toBeUndefined();
      const first = await store.finishReusedJobs('e2', [{ ticker: 'NVDA19', reused_from: 'e1' }, { ticker: 'DBS19', reused_from: 'e0' }], '2026-11-30T00:00:01.000Z');
      expect(first?.execution).toMatchObject({ status: 'running', completed: 2, reused: 2 });
      expect(first?.jobs.map((j) => [j.ticker, j.status, j.reused_from]).sort()).toEqual([
        ['DBS19', 'completed', 'e0'],
        ['NVDA19', 'completed', 'e1'],
      ]);
      // A job no longer pending is left alone (not counted twice).
      expect((await store.finishReusedJobs('e2', [{ ticker: 'NVDA19', reused_from: 'e1' }], '2026-11-30T00:00:02.000Z'))?.jobs).toEqual([]);
      expect((await store.getExecution('e2'))?.completed).toBe(2);
      const last = await store.finishReusedJobs('e2', [{ ticker: 'AAPL19', reused_from: 'e1' }], '2026-11-30T00:00:03.000Z');
      expect(last?.execution).toMatchObject({ status: 'completed', completed: 3, failed: 0, reused: 3, finished_at: '2026-11-30T00:00:03.000Z' });
      expect((await store.listJobs('e2')).map((j) => j.reused_from)).toEqual(['e1', 'e0', 'e1']);
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
