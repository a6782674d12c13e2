import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import type { BacktestSummary } from '../track-record/backtest.js';
import type { TrackRecord } from '../report/track-record/track-record.js';
import { daybreak } from './run-cli.test-support.js';

const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/market');
const SYMBOLS = ['NVDA19', 'AAPL19', 'MSFT19', 'JPMUS19'];

let env: NodeJS.ProcessEnv;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'daybreak-track-'));
  const tickersFile = join(dir, 'tickers.json');
  writeFileSync(tickersFile, JSON.stringify({ version: 1, updated: '2024-03-08', tickers: loadDefaultTickers().filter((t) => SYMBOLS.includes(t.symbol)) }));
  env = { DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`, MARKET_DATA: `csv:${FIXTURES}`, TICKERS_FILE: tickersFile };
});

describe('daybreak backtest and track-record (real prices from the fixtures)', () => {
  it('replays a range, stores calls with the baselines, replaces them on a rerun, and prints the table', async () => {
    expect((await daybreak(['ingest'], env)).code).toBe(0);
    const run = await daybreak(['backtest', '--from', '2023-06-01', '--to', '2023-12-29', '--json'], env);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as BacktestSummary;
    const bars = readFileSync(join(FIXTURES, 'NVDA.csv'), 'utf8').split('\n').filter((l) => l.slice(0, 10) >= '2023-06-01' && l.slice(0, 10) <= '2023-12-29').length;
    expect(bars).toBeGreaterThan(140);
    expect(summary).toMatchObject({ from: '2023-06-01', to: '2023-12-29', decisions: 4 * bars });
    expect(summary.tickers.slice().sort()).toEqual(SYMBOLS.slice().sort());
    expect(summary.hysteresis.flip_rate.with.changes).toBeLessThanOrEqual(summary.hysteresis.flip_rate.without.changes);
    expect(summary.baselines.map((b) => b.strategy)).toEqual(['sma_50_200', 'macd_signal', 'rsi_30_70', 'bollinger_reversion']);

    const first = JSON.parse((await daybreak(['track-record', '--json'], env)).out) as TrackRecord;
    expect(first.sample_size).toBe(4 * bars);
    expect(first.calls.every((c) => c.source === 'backtest')).toBe(true);
    const buy5 = first.summary.find((r) => r.recommendation === 'BUY' && r.horizon === 5)!;
    expect(buy5.count).toBeGreaterThan(0);
    expect(buy5.hit_rate_ci95![0]).toBeLessThan(buy5.hit_rate!);
    expect(buy5.hit_rate_ci95![1]).toBeGreaterThan(buy5.hit_rate!);

    // A rerun of an overlapping range replaces what it covers.
    expect((await daybreak(['backtest', '--from', '2023-09-01', '--to', '2023-12-29', '--json'], env)).code).toBe(0);
    const again = JSON.parse((await daybreak(['track-record', '--json'], env)).out) as TrackRecord;
    expect(again.sample_size).toBe(first.sample_size);
    expect(again.summary).toEqual(first.summary);

    const table = await daybreak(['track-record'], env);
    expect(table.code).toBe(0);
    for (const word of ['daybreak', 'sma_50_200', 'macd_signal', 'rsi_30_70', 'bollinger_reversion', '95% interval', 'Calibration', 'flip rate', 'HOLD when |return| <=']) {
      expect(table.out).toContain(word);
    }

    const nvda = JSON.parse((await daybreak(['track-record', 'nvda', '--horizon', '5', '--json'], env)).out) as TrackRecord;
    expect(nvda.ticker).toBe('NVDA19');
    expect(nvda.sample_size).toBe(bars);
    expect(nvda.calls.every((c) => c.ticker === 'NVDA19')).toBe(true);
    expect(new Set(nvda.summary.map((r) => r.horizon))).toEqual(new Set([5]));
  }, 120_000);

  it('refuses bad input with exit code 2 and the reason', async () => {
    expect((await daybreak(['ingest'], env)).code).toBe(0);
    const cases: [string[], RegExp][] = [
      [['backtest', '--from', '2024-02-01', '--to', '2024-01-01'], /--from 2024-02-01 is after --to 2024-01-01/],
      [['backtest', '--from', '2024-03-09', '--to', '2024-06-01'], /no stored bar between 2024-03-09 and 2024-06-01: the stored history is .*NVDA19 2000-01-03\.\.2024-03-08/],
      [['backtest', '--from', '2024-13-01', '--to', '2024-12-31'], /--from must be a date YYYY-MM-DD/],
      [['backtest', '--from', '2024-01-01', '--to', '2024-02-01', '--tickers', 'NVDX'], /unknown ticker "NVDX"; did you mean NVDA19/],
      [['backtest', '--from', '2024-01-01', '--to', '2024-02-01', '--tickers', 'DBS19'], /DBS19 is not in the ticker registry|unknown ticker "DBS19"/],
      [['backtest', '--to', '2024-02-01'], /required option '--from <date>'/],
      [['track-record', 'nvda', '--horizon', '3'], /--horizon must be 1, 5 or 21/],
      [['track-record', 'NVDX'], /unknown ticker "NVDX"/],
    ];
    for (const [argv, message] of cases) {
      const run = await daybreak(argv, env);
      expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      expect(run.err).toMatch(message);
      expect(run.err).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('grades calls as later bars arrive with each ingest', async () => {
    // The store first holds NVDA up to 2024-01-31 only, as a store would before February happened.
    const early = join(dir, 'early');
    mkdirSync(early);
    for (const symbol of ['NVDA', 'AAPL', 'MSFT', 'JPM']) {
      const lines = readFileSync(join(FIXTURES, `${symbol}.csv`), 'utf8').split('\n');
      writeFileSync(join(early, `${symbol}.csv`), lines.filter((l, i) => i === 0 || (l.length > 0 && l < '2024-02-01')).join('\n'));
    }
    expect((await daybreak(['ingest', '--source', `csv:${early}`], env)).code).toBe(0);
    expect((await daybreak(['backtest', '--from', '2024-01-24', '--to', '2024-01-31', '--tickers', 'NVDA19'], env)).code).toBe(0);
    const before = JSON.parse((await daybreak(['track-record', 'nvda', '--json'], env)).out) as TrackRecord;
    const last = before.calls.at(-1)!;
    expect(last).toMatchObject({ business_date: '2024-01-31', returns: { d1: null, d5: null, d21: null }, hit: { d1: null } });

    expect((await daybreak(['ingest'], env)).code).toBe(0); // the full files: February and March arrive
    const after = JSON.parse((await daybreak(['track-record', 'nvda', '--json'], env)).out) as TrackRecord;
    const graded = after.calls.find((c) => c.business_date === '2024-01-31')!;
    const nvda = readFileSync(join(FIXTURES, 'NVDA.csv'), 'utf8').split('\n');
    const at = nvda.findIndex((l) => l.startsWith('2024-01-31'));
    const close = (i: number) => Number(nvda[i]!.split(',')[4]);
    expect(graded.returns.d1).toBeCloseTo(close(at + 1) / close(at) - 1, 10);
    expect(graded.returns.d21).toBeCloseTo(close(at + 21) / close(at) - 1, 10);
    expect(graded.excess.d5).toEqual(expect.any(Number));
    expect(graded.hit.d5).toBe(graded.recommendation === 'BUY' ? graded.returns.d5! > 0 : graded.recommendation === 'SELL' ? graded.returns.d5! < 0 : Math.abs(graded.returns.d5!) <= 0.022);
  }, 60_000);
});
