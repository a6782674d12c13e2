import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from '../report/daily-bar.js';
import { jobIdFor } from './sql-store.js';
import type { NewExecution, Store } from './store.js';

const DAY_MS = 86_400_000;

const tickers: Ticker[] = [
  { symbol: 'NVDA19', yahooSymbol: 'NVDA', name: 'NVIDIA', exchange: 'NASDAQ', currency: 'USD', sector: 'Semiconductors', type: 'stock', active: true },
  { symbol: 'GOLD19', yahooSymbol: 'GSD.SI', name: 'SPDR Gold', exchange: 'SGX', currency: 'USD', sector: null, type: 'etf', active: false },
];

function bar(date: string, close: number): DailyBar {
  return { date, open: close - 1, high: close + 2, low: close - 2, close, volume: 1000 + close };
}

function execution(id: string, tickerSymbols: string[], startedAt = '2026-11-28T00:00:00.000Z'): NewExecution {
  return {
    execution_id: id,
    source: 'manual',
    requested: { limit: tickerSymbols.length },
    business_date: '2026-11-28',
    started_at: startedAt,
    deadline_at: '2026-11-28T00:15:00.000Z',
    owner: 'test:1',
    tickers: tickerSymbols,
    job_ttl_ms: 7 * DAY_MS,
  };
}

/** The behaviour every store adapter must have. `open` returns a fresh, empty, migrated store. */
export function describeStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps the ticker registry and updates rows in place', async () => {
      await store.upsertTickers(tickers);
      await store.upsertTickers([{ ...tickers[0]!, name: 'NVIDIA Corporation' }]);
      const listed = await store.listTickers();
      expect(listed).toHaveLength(2);
      expect(listed.find((t) => t.symbol === 'NVDA19')).toEqual({ ...tickers[0], name: 'NVIDIA Corporation' });
      expect(listed.find((t) => t.symbol === 'GOLD19')).toEqual(tickers[1]);
    });

    it('stores one bar per ticker per date and returns the newest ones in ascending order', async () => {
      await store.upsertDailyBars('NVDA19', [bar('2026-11-24', 10), bar('2026-11-25', 11), bar('2026-11-26', 12)], 'demo');
      await store.upsertDailyBars('NVDA19', [bar('2026-11-26', 13), bar('2026-11-27', 14)], 'csv');
      await store.upsertDailyBars('GOLD19', [bar('2026-11-27', 50)], 'demo');

      const stored = await store.getDailyBars('NVDA19', 3);
      expect(stored?.bars.map((b) => b.date)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
      expect(stored?.bars[1]).toEqual(bar('2026-11-26', 13));
      expect(stored?.source).toBe('csv');
      expect(await store.getDailyBars('MSFT19', 10)).toBeUndefined();
      const counts = await store.countDailyBars(['NVDA19', 'GOLD19', 'MSFT19']);
      expect(Object.fromEntries(counts)).toEqual({ NVDA19: 4, GOLD19: 1 });
    });

    it('creates an execution with one pending job per ticker that expires after the TTL', async () => {
      expect(await store.createExecution(execution('precompute-20261128-070000', ['NVDA19', 'GOLD19']))).toBe(true);
      expect(await store.createExecution(execution('precompute-20261128-070000', ['NVDA19']))).toBe(false);

      const created = await store.getExecution('precompute-20261128-070000');
      expect(created).toMatchObject({ status: 'running', total: 2, completed: 0, failed: 0, source: 'manual' });
      expect(created?.requested).toEqual({ limit: 2 });
      const jobs = await store.listJobs('precompute-20261128-070000');
      expect(jobs.map((j) => j.job_id)).toEqual([
        'rpt_GOLD19_precompute-20261128-070000',
        'rpt_NVDA19_precompute-20261128-070000',
      ]);
      expect(jobs.every((j) => j.status === 'pending' && j.attempts === 0)).toBe(true);
      expect(jobs[0]!.expires_at).toBe('2026-12-05T00:00:00.000Z');
    });

    it('moves a job to in_progress, back to pending for a retry, counts attempts, and never restarts an ended job', async () => {
      await store.createExecution(execution('e1', ['NVDA19']));
      const id = jobIdFor('NVDA19', 'e1');
      expect((await store.startJob(id, '2026-11-28T00:00:01.000Z'))?.attempts).toBe(1);
      await store.releaseJob(id, 'connection reset');
      expect(await store.getJob(id)).toMatchObject({ status: 'pending', error: 'connection reset' });
      expect((await store.startJob(id, '2026-11-28T00:00:02.000Z'))?.attempts).toBe(2);
      // Redelivered after its worker died while in_progress.
      expect(await store.startJob(id, '2026-11-28T00:00:09.000Z')).toMatchObject({ attempts: 3, started_at: '2026-11-28T00:00:09.000Z' });
      await store.finishJob(id, { status: 'completed', finished_at: '2026-11-28T00:00:10.000Z' });
      expect(await store.startJob(id, '2026-11-28T00:00:11.000Z')).toBeUndefined();
    });

    it('finishes the execution in the same step as its last job (fan-in) and ignores duplicates', async () => {
      await store.createExecution(execution('e2', ['NVDA19', 'GOLD19', 'MSFT19']));
      for (const t of ['NVDA19', 'GOLD19', 'MSFT19']) await store.startJob(jobIdFor(t, 'e2'), '2026-11-28T00:00:01.000Z');

      const afterFirst = await store.finishJob(jobIdFor('NVDA19', 'e2'), {
        status: 'completed',
        finished_at: '2026-11-28T00:00:03.000Z',
        cost_usd: 0.0125,
      });
      expect(afterFirst).toMatchObject({ status: 'running', completed: 1, failed: 0, finished_at: null, cost_usd: 0.0125 });
      expect(await store.finishJob(jobIdFor('NVDA19', 'e2'), { status: 'completed', finished_at: '2026-11-28T00:00:04.000Z' })).toBeUndefined();

      await store.finishJob(jobIdFor('GOLD19', 'e2'), { status: 'failed', error: 'no data', finished_at: '2026-11-28T00:00:05.000Z' });
      const last = await store.finishJob(jobIdFor('MSFT19', 'e2'), {
        status: 'completed',
        finished_at: '2026-11-28T00:00:06.000Z',
      });
      expect(last).toMatchObject({
        status: 'completed_with_failures',
        completed: 2,
        failed: 1,
        finished_at: '2026-11-28T00:00:06.000Z',
        duration_ms: 6000,
        slowest_job_ms: 5000,
        cost_usd: 0.0125,
      });
      const failedJob = await store.getJob(jobIdFor('GOLD19', 'e2'));
      expect(failedJob).toMatchObject({ status: 'failed', error: 'no data', duration_ms: 4000 });
    });

    it('closes an execution exactly once when many jobs end concurrently', async () => {
      const symbols = Array.from({ length: 40 }, (_, i) => `T${i}`);
      await store.createExecution(execution('e3', symbols));
      await Promise.all(symbols.map((t) => store.startJob(jobIdFor(t, 'e3'), '2026-11-28T00:00:01.000Z')));
      const results = await Promise.all(
        symbols.map((t, i) =>
          store.finishJob(jobIdFor(t, 'e3'), {
            status: i % 10 === 0 ? 'failed' : 'completed',
            finished_at: '2026-11-28T00:00:02.000Z',
          }),
        ),
      );
      const closing = results.filter((r) => r?.status !== 'running');
      expect(closing).toHaveLength(1);
      expect(await store.getExecution('e3')).toMatchObject({ status: 'completed_with_failures', completed: 36, failed: 4 });
    });

    it('abandons the unfinished jobs of an execution with a reason', async () => {
      await store.createExecution(execution('e4', ['NVDA19', 'GOLD19', 'MSFT19']));
      await store.startJob(jobIdFor('NVDA19', 'e4'), '2026-11-28T00:00:01.000Z');
      await store.finishJob(jobIdFor('NVDA19', 'e4'), { status: 'completed', finished_at: '2026-11-28T00:00:02.000Z' });
      await store.startJob(jobIdFor('GOLD19', 'e4'), '2026-11-28T00:00:02.000Z');

      const closed = await store.abandonExecution('e4', 'deadline passed', '2026-11-28T00:15:00.000Z', 'timed_out');
      expect(closed).toMatchObject({ status: 'timed_out', completed: 1, failed: 2, finished_at: '2026-11-28T00:15:00.000Z' });
      const jobs = await store.listJobs('e4');
      expect(jobs.filter((j) => j.status === 'failed').map((j) => j.error)).toEqual(['deadline passed', 'deadline passed']);
      expect(jobs.some((j) => j.status === 'pending' || j.status === 'in_progress')).toBe(false);
      // A late finish of an abandoned job changes nothing.
      expect(await store.finishJob(jobIdFor('GOLD19', 'e4'), { status: 'completed', finished_at: '2026-11-28T00:16:00.000Z' })).toBeUndefined();
    });

    it('lists executions newest first and purges expired jobs', async () => {
      await store.createExecution(execution('old', ['NVDA19'], '2026-11-01T00:00:00.000Z'));
      await store.createExecution(execution('new', ['NVDA19'], '2026-11-27T00:00:00.000Z'));
      expect((await store.listExecutions({ limit: 10 })).map((e) => e.execution_id)).toEqual(['new', 'old']);
      await store.abandonExecution('old', 'stopped', '2026-11-02T00:00:00.000Z');
      expect((await store.listExecutions({ limit: 10, status: 'running' })).map((e) => e.execution_id)).toEqual(['new']);
      expect(await store.purgeExpiredJobs('2026-11-28T00:00:00.000Z')).toBe(1);
      expect(await store.listJobs('old')).toEqual([]);
      expect(await store.listJobs('new')).toHaveLength(1);
    });

    it('keeps one report per ticker per business date and finds the latest', async () => {
      const report = (date: string, body: string) => ({
        ticker: 'NVDA19',
        business_date: date,
        as_of: date,
        execution_id: `x-${date}`,
        generated_at: `${date}T00:00:00.000Z`,
        data_source: 'demo',
        body,
      });
      await store.saveReport(report('2026-11-26', '{"v":1}'), null);
      await store.saveReport(report('2026-11-27', '{"v":2}'), Buffer.from([1, 2, 3]));
      await store.saveReport(report('2026-11-27', '{"v":3}'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
      expect(await store.getLatestReport('NVDA19')).toEqual(report('2026-11-27', '{"v":3}'));
      expect((await store.getReport('NVDA19', '2026-11-26'))?.body).toBe('{"v":1}');
      expect(await store.getLatestReport('MSFT19')).toBeUndefined();
      expect(await store.getChartPng('NVDA19', '2026-11-27')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
      expect(await store.getChartPng('NVDA19', '2026-11-26')).toBeUndefined();
    });

    it('keeps headlines once per URL and returns those in a window, newest first', async () => {
      const headline = (url: string, at: string, title = `story ${url}`) => ({ title, published_at: at, site: 'Wire', url, text: null });
      await store.upsertNews('NVDA19', [headline('u1', '2026-11-20T01:00:00.000Z'), headline('u2', '2026-11-26T01:00:00.000Z')], 'demo');
      await store.upsertNews('NVDA19', [headline('u2', '2026-11-26T01:00:00.000Z', 'story u2, updated'), headline('u3', '2026-11-27T09:00:00.000Z')], 'csv');
      await store.upsertNews('DBS19', [headline('u9', '2026-11-26T01:00:00.000Z')], 'demo');
      const inWindow = await store.getNews('NVDA19', '2026-11-21T00:00:00.000Z', '2026-11-28T00:00:00.000Z', 10);
      expect(inWindow.map((h) => [h.url, h.title, h.source])).toEqual([
        ['u3', 'story u3', 'csv'],
        ['u2', 'story u2, updated', 'csv'],
      ]);
      expect(await store.getNews('NVDA19', '2026-11-01T00:00:00.000Z', '2026-11-28T00:00:00.000Z', 1)).toHaveLength(1);
    });

    it('keeps one peer comparison per execution and ticker, and serves closes for the correlation', async () => {
      const comparison = {
        method: 'pearson',
        top: [{ ticker: 'DBS19', name: 'DBS', sector: 'Banks', correlation: 0.8, overlap: 60, return_1m_pct: 1, volatility_30d_pct: 20 }],
        sector_mates: ['DBS19'],
        return_1m_pct: 2,
        volatility_30d_pct: 25,
        peers_median_return_1m_pct: 1,
        peers_median_volatility_30d_pct: 20,
        return_1m_vs_median_pct: 1,
        volatility_vs_median_pct: 25,
      };
      await store.saveLlmUsage('e1', 'worker-a', { calls: 1 });
      await store.saveLlmUsage('e1', 'worker-b', { calls: 2 });
      await store.saveLlmUsage('e1', 'worker-a', { calls: 3 });
      expect(await store.listLlmUsage('e1')).toEqual([{ calls: 3 }, { calls: 2 }]);
      await store.savePeerSets('e1', new Map([['NVDA19', comparison]]));
      expect(await store.getPeerSet('e1', 'NVDA19')).toEqual(comparison);
      expect(await store.getPeerSet('e2', 'NVDA19')).toBeUndefined();

      await store.upsertDailyBars('NVDA19', [bar('2026-11-24', 10), bar('2026-11-25', 11), bar('2026-11-26', 12)], 'demo');
      await store.upsertDailyBars('DBS19', [bar('2026-11-26', 30)], 'demo');
      const closes = await store.getClosesSince(['NVDA19', 'DBS19', 'MSFT19'], '2026-11-25');
      expect(Object.fromEntries(closes)).toEqual({
        NVDA19: [{ date: '2026-11-25', close: 11 }, { date: '2026-11-26', close: 12 }],
        DBS19: [{ date: '2026-11-26', close: 30 }],
      });
    });

    it('lists the latest report version of each ticker, changing when a report lands or is rewritten', async () => {
      const save = (ticker: string, date: string, generatedAt: string, executionId: string) =>
        store.saveReport(
          { ticker, business_date: date, as_of: date, execution_id: executionId, generated_at: generatedAt, data_source: 'demo', body: '{}' },
          null,
        );
      expect(await store.listLatestReportVersions()).toEqual([]);
      await save('NVDA19', '2026-11-26', '2026-11-25T22:00:00.000Z', 'x1');
      await save('NVDA19', '2026-11-27', '2026-11-26T22:00:00.000Z', 'x2');
      await save('DBS19', '2026-11-26', '2026-11-25T22:00:01.000Z', 'x1');
      expect(await store.listLatestReportVersions()).toEqual([
        { ticker: 'DBS19', business_date: '2026-11-26', generated_at: '2026-11-25T22:00:01.000Z', execution_id: 'x1' },
        { ticker: 'NVDA19', business_date: '2026-11-27', generated_at: '2026-11-26T22:00:00.000Z', execution_id: 'x2' },
      ]);
      // Rewriting the same business date (an on-demand refresh) changes the version; an older date never wins.
      await save('NVDA19', '2026-11-27', '2026-11-27T03:00:00.000Z', 'x3');
      await save('NVDA19', '2026-11-20', '2026-11-27T04:00:00.000Z', 'x4');
      expect((await store.listLatestReportVersions()).find((v) => v.ticker === 'NVDA19')).toEqual({
        ticker: 'NVDA19',
        business_date: '2026-11-27',
        generated_at: '2026-11-27T03:00:00.000Z',
        execution_id: 'x3',
      });
    });

    describe('execution recovery', () => {
      it('records the fan-out once, and lets exactly one process take over an interrupted execution', async () => {
        await store.createExecution(execution('x1', ['NVDA19', 'DBS19']));
        expect((await store.getExecution('x1'))?.fanned_out_at).toBeNull();
        await store.markFannedOut('x1', '2026-11-28T00:00:01.000Z');
        await store.markFannedOut('x1', '2026-11-28T00:00:09.000Z');
        expect((await store.getExecution('x1'))?.fanned_out_at).toBe('2026-11-28T00:00:01.000Z');

        const claim = (owner: string) =>
          store.claimExecution('x1', 'test:1', { owner, at: '2026-11-29T01:00:00.000Z', deadline_at: '2026-11-29T01:15:00.000Z' });
        const [a, b] = await Promise.all([claim('resumer:a'), claim('resumer:b')]);
        const winner = a ?? b;
        expect([a, b].filter(Boolean)).toHaveLength(1);
        expect(winner).toMatchObject({ status: 'running', heartbeat_at: '2026-11-29T01:00:00.000Z', deadline_at: '2026-11-29T01:15:00.000Z' });
        expect((await store.getExecution('x1'))?.owner).toBe(winner!.owner);

        // A closed execution is never taken over.
        await store.abandonExecution('x1', 'stopped', '2026-11-29T01:01:00.000Z');
        expect(await store.claimExecution('x1', winner!.owner, { owner: 'late', at: 'x', deadline_at: 'y' })).toBeUndefined();
      });
    });
  });
}
