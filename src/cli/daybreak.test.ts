import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import type { Report } from '../report/report.js';
import { daybreak } from './run-cli.test-support.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/market');



let env: NodeJS.ProcessEnv;
beforeEach(() => {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-cli-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`, JOB_BACKOFF_MS: '1' };
});

describe('daybreak precompute (embedded, demo data)', () => {
  it('ingests by itself on an empty store and completes every active ticker', async () => {
    const run = await daybreak(['precompute', '--json'], env);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as ExecutionSummary;
    expect(summary).toMatchObject({ status: 'completed', source: 'manual', total: 56, completed: 56, failed: 0, pending: 0 });
    expect(summary.execution_id).toMatch(/^precompute-\d{8}-\d{6}(-\d+)?$/);
    expect(summary.jobs).toHaveLength(56);
    expect(summary.jobs!.every((j) => j.status === 'completed' && j.attempts === 1)).toBe(true);
    expect(summary.jobs![0]!.job_id).toBe(`rpt_${summary.jobs![0]!.ticker}_${summary.execution_id}`);
    expect(run.err).toMatch(/ingesting from demo first/);

    const report = await daybreak(['report', 'nvda', '--json'], env);
    expect(report.code).toBe(0);
    const body = JSON.parse(report.out) as Report;
    expect(body).toMatchObject({ ticker: 'NVDA19', yahoo_symbol: 'NVDA', data_source: 'demo', execution_id: summary.execution_id });
    expect(body.warnings.join(' ')).toMatch(/demo data/);
    expect(body.as_of).toBe(body.price_history.at(-1)!.date);
    expect(body.price).toBe(body.price_history.at(-1)!.close);
    for (const key of ['sma_20', 'sma_200', 'rsi_14', 'macd', 'bb_upper', 'atr_14', 'vwap', 'volatility_30d_annualised'] as const) {
      expect(body.indicators[key], key).toEqual(expect.any(Number));
    }
    expect(body.percentiles.rsi_14?.lookback_bars).toBe(252);
    expect(body.timing_metrics.total_ms).toBeGreaterThan(0);
  });

  it('prints one line per ticker and a summary without --json, and a readable report', async () => {
    const run = await daybreak(['precompute', '--tickers', 'NVDA19,d05.si,tencent', '--limit', '2'], env);
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines.filter((l) => /^ok\s+(NVDA19|DBS19)\s/.test(l))).toHaveLength(2);
    expect(run.out).toMatch(/completed — 2\/2 completed, 0 failed/);

    const report = await daybreak(['report', 'DBS19'], env);
    expect(report.out).toMatch(/^DBS19 {2}DBS Group/);
    expect(report.out).toMatch(/DEMO DATA/);
    expect(report.out).toMatch(/RSI14 \d+\.\d/);
  });

  it('gives two executions started in the same second distinct ids', async () => {
    const first = JSON.parse((await daybreak(['precompute', '--limit', '1', '--json'], env)).out) as ExecutionSummary;
    const second = JSON.parse((await daybreak(['precompute', '--limit', '1', '--json'], env)).out) as ExecutionSummary;
    expect(second.execution_id).not.toBe(first.execution_id);
    const list = await daybreak(['executions', '--json'], env);
    expect((JSON.parse(list.out) as ExecutionSummary[]).map((e) => e.execution_id).sort()).toEqual(
      [first.execution_id, second.execution_id].sort(),
    );
  });
});

describe('daybreak precompute with broken inputs (csv source)', () => {
  it('fails the two broken tickers with reasons, completes the rest, exits 1, and reruns only the failures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-csv-'));
    copyFileSync(join(FIXTURES, 'NVDA.csv'), join(dir, 'NVDA.csv'));
    copyFileSync(join(FIXTURES, 'D05.SI.csv'), join(dir, 'D05.SI.csv'));
    copyFileSync(join(FIXTURES, '0700.HK.csv'), join(dir, '0700.HK.csv'));
    const good = readFileSync(join(FIXTURES, 'AAPL.csv'), 'utf8').split('\n');
    good[10] = '2000-01-18,3.0,2.0,2.9,2.95,2.5,100'; // high below low
    writeFileSync(join(dir, 'AAPL.csv'), good.join('\n'));
    writeFileSync(join(dir, 'MSFT.csv'), 'date,open,high,low,close,adj_close,volume\n2024-01-02,1,2,0.5,abc,,10\n');
    const tickersFile = join(dir, 'universe.json');
    const pick = ['NVDA19', 'DBS19', 'TENCENT19', 'AAPL19', 'MSFT19'];
    writeFileSync(tickersFile, JSON.stringify({ version: 1, updated: '2026-11-28', tickers: loadDefaultTickers().filter((t) => pick.includes(t.symbol)) }));
    const csvEnv = { ...env, MARKET_DATA: `csv:${dir}`, TICKERS_FILE: tickersFile };

    const run = await daybreak(['precompute', '--json'], csvEnv);
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.out) as ExecutionSummary;
    expect(summary).toMatchObject({ status: 'completed_with_failures', total: 5, completed: 3, failed: 2, pending: 0 });
    const reasons = Object.fromEntries(summary.failures.map((f) => [f.ticker, f.error]));
    expect(reasons.AAPL19).toMatch(/AAPL\.csv/);
    expect(reasons.AAPL19).toMatch(/AAPL\.csv:11: high 2 is below low 2\.9/);
    expect(reasons.AAPL19).toMatch(/high .* low/i);
    expect(reasons.MSFT19).toMatch(/MSFT\.csv/);
    expect(reasons.MSFT19).toMatch(/abc|numeric|number/i);

    const nvda = JSON.parse((await daybreak(['report', 'NVDA19', '--json'], csvEnv)).out) as Report;
    expect(nvda).toMatchObject({ data_source: 'csv', as_of: '2024-03-08' });
    expect(nvda.price).toBeCloseTo(875.280029, 5);
    expect(nvda.warnings.join(' ')).toMatch(/old data: the last bar is from 2024-03-08/);

    // Fix one file, then rerun only the failures of that execution.
    copyFileSync(join(FIXTURES, 'AAPL.csv'), join(dir, 'AAPL.csv'));
    expect((await daybreak(['ingest', '--tickers', 'AAPL19'], csvEnv)).code).toBe(0);
    const rerun = await daybreak(['precompute', '--only-failed', summary.execution_id, '--json'], csvEnv);
    const rerunSummary = JSON.parse(rerun.out) as ExecutionSummary;
    expect(rerunSummary).toMatchObject({ total: 2, completed: 1, failed: 1, requested: { only_failed: summary.execution_id } });
    expect(rerunSummary.failures.map((f) => f.ticker)).toEqual(['MSFT19']);
    expect(rerun.code).toBe(1);
  });

  it('ingest names the file and the problem and exits 1 when any ticker fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-csv-'));
    copyFileSync(join(FIXTURES, 'NVDA.csv'), join(dir, 'NVDA.csv'));
    const run = await daybreak(['ingest', '--source', `csv:${dir}`, '--tickers', 'NVDA19,DBS19'], env);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/ok\s+NVDA19\s+6084 bars to 2024-03-08/);
    expect(run.out).toMatch(/FAIL DBS19 .*D05\.SI/);
  });
});

describe('bad input exits 2 with a message and no stack trace', () => {
  const cases: [string, string[], RegExp, NodeJS.ProcessEnv?][] = [
    ['non-numeric --limit', ['precompute', '--limit', 'abc'], /--limit must be a positive whole number/],
    ['zero --limit', ['precompute', '--limit', '0'], /--limit must be a positive whole number/],
    ['empty --tickers', ['precompute', '--tickers', ' , '], /--tickers needs at least one symbol/],
    ['unknown ticker', ['precompute', '--tickers', 'NVDX'], /unknown ticker "NVDX"; did you mean NVDA19/],
    ['unknown execution', ['precompute', '--only-failed', 'precompute-20200101-000000'], /no execution precompute-20200101-000000/],
    ['--only-failed with --tickers', ['precompute', '--only-failed', 'x', '--tickers', 'NVDA19'], /cannot be combined/],
    ['unknown option', ['precompute', '--fast'], /unknown option '--fast'/],
    ['unknown command', ['precomptue'], /unknown command 'precomptue'/],
    ['unknown report symbol', ['report', 'XYZ123'], /unknown ticker "XYZ123"/],
    ['missing csv directory', ['ingest', '--source', 'csv:/no/such/dir'], /--source csv:\/no\/such\/dir: no such directory/],
    ['missing csv directory in MARKET_DATA', ['precompute'], /MARKET_DATA: csv:\/no\/such\/dir: no such directory/, { MARKET_DATA: 'csv:/no/such/dir' }],
    ['bad --source', ['ingest', '--source', 'bloomberg'], /--source must be demo, yahoo or csv:DIR/],
    ['bad configuration', ['tickers'], /invalid configuration:\n.*WORKER_CONCURRENCY/s, { WORKER_CONCURRENCY: 'many' }],
  ];
  it.each(cases)('%s', async (_name, argv, message, extraEnv) => {
    const run = await daybreak(argv, { ...env, ...extraEnv });
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.out).toBe('');
  });

  it('says when a known ticker has no report yet (exit 1)', async () => {
    const run = await daybreak(['report', 'NVDA19'], env);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/no report for NVDA19 yet: run `daybreak precompute --tickers NVDA19`/);
  });
});

describe('daybreak tickers', () => {
  it('lists the 56 DRs with the registry fixes, in the snake_case of every other JSON', async () => {
    const run = await daybreak(['tickers', '--json'], env);
    const tickers = JSON.parse(run.out) as Record<string, unknown>[];
    expect(tickers).toHaveLength(56);
    expect(tickers.find((t) => t.ticker === 'MSN19')?.yahoo_symbol).toBe('MSN.VN');
    expect(tickers.find((t) => t.ticker === 'STEG19')?.company_name).toMatch(/ST Engineering|Singapore Technologies Engineering/);
    expect(tickers.find((t) => t.ticker === 'MITSU19')?.company_name).toMatch(/Mitsubishi Heavy/);
    for (const t of tickers) expect(Object.keys(t).every((k) => /^[a-z0-9_]+$/.test(k))).toBe(true);
  });
});
