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

    it('moves a job pending → in_progress once, back to pending for a retry, and counts attempts', async () => {
      await store.createExecution(execution('e1', ['NVDA19']));
      const id = jobIdFor('NVDA19', 'e1');
      expect((await store.startJob(id, '2026-11-28T00:00:01.000Z'))?.attempts).toBe(1);
      expect(await store.startJob(id, '2026-11-28T00:00:01.000Z')).toBeUndefined();
      await store.releaseJob(id, 'connection reset');
      expect(await store.getJob(id)).toMatchObject({ status: 'pending', error: 'connection reset' });
      expect((await store.startJob(id, '2026-11-28T00:00:02.000Z'))?.attempts).toBe(2);
    });

    it('finishes the execution in the same step as its last job (fan-in) and ignores duplicates', async () => {
      await store.createExecution(execution('e2', ['NVDA19', 'GOLD19', 'MSFT19']));
      for (const t of ['NVDA19', 'GOLD19', 'MSFT19']) await store.startJob(jobIdFor(t, 'e2'), '2026-11-28T00:00:01.000Z');

      const afterFirst = await store.finishJob(jobIdFor('NVDA19', 'e2'), {
        status: 'completed',
        finished_at: '2026-11-28T00:00:03.000Z',
      });
      expect(afterFirst).toMatchObject({ status: 'running', completed: 1, failed: 0, finished_at: null });
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
      await store.saveReport(report('2026-11-26', '{"v":1}'));
      await store.saveReport(report('2026-11-27', '{"v":2}'));
      await store.saveReport(report('2026-11-27', '{"v":3}'));
      expect((await store.getLatestReport('NVDA19'))?.body).toBe('{"v":3}');
      expect((await store.getReport('NVDA19', '2026-11-26'))?.body).toBe('{"v":1}');
      expect(await store.getLatestReport('MSFT19')).toBeUndefined();
    });
  });
}
