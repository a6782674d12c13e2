/**
 * Fundamentals and FX end to end: ingest from the loopback Yahoo (real yahoo-finance2 client) into SQLite, then a
 * precompute whose reports carry fundamentals, valuation and the THB view — and a failed company-info fetch that
 * stays a warning on its report.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import type { Report } from '../report/report.js';
import { companyInfoOf } from '../sources/company-info.js';
import { fxPairsFor } from '../sources/fx-pairs.js';
import { createYahooClient } from '../sources/yahoo-client.js';
import { startFakeYahoo, type FakeYahoo } from '../sources/yahoo-fake-server.js';
import { YahooMarketData } from '../sources/yahoo-market-data.js';
import { ingestFxPairs, ingestTickers } from '../pipeline/ingest.js';
import { runPrecompute } from '../pipeline/precompute.js';

const LAST_DATE = '2026-03-06';
let fake: FakeYahoo;
let app: Daybreak;

beforeEach(async () => {
  fake = await startFakeYahoo({ lastDate: LAST_DATE });
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-fundamentals-'));
  // Monday 2026-03-09, 05:00 in Bangkok: the run after the fake's last trading day.
  app = await openDaybreak(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'd.db')}`, JOB_BACKOFF_MS: '1', NEWS_SOURCE: 'none' }), {
    now: () => new Date('2026-03-08T22:00:00Z'),
  });
});
afterEach(async () => {
  await app.close();
  await fake.close();
});

async function ingestFromFake(symbols: string[]) {
  const yahoo = new YahooMarketData(createYahooClient({ fetch: fake.fetch, timeoutMs: 2000, retry: { attempts: 2, backoffMs: 5 }, warn: () => {} }));
  const tickers = symbols.map((s) => app.deps.registry.resolveOrThrow(s));
  const common = { store: app.deps.store, source: yahoo, endDate: LAST_DATE, minBars: 400, concurrency: 5, retry: { attempts: 1, backoffMs: 0 } };
  const [results, fx] = await Promise.all([
    ingestTickers({ ...common, newsSource: null, companyInfo: companyInfoOf(yahoo), tickers, today: LAST_DATE }),
    ingestFxPairs({ ...common, pairs: fxPairsFor(tickers) }),
  ]);
  return { results, fx };
}

async function reportOf(symbol: string): Promise<Report> {
  return JSON.parse((await app.deps.store.getLatestReport(symbol))!.body) as Report;
}

describe('fundamentals and FX through ingest and precompute', () => {
  it('stores company info and FX from Yahoo; a failed company-info fetch leaves the ticker ingested with the reason', async () => {
    fake.symbol('D05.SI', { fault: { kind: '500', endpoints: ['quoteSummary'] } });
    const { results, fx } = await ingestFromFake(['NVDA19', 'NINTENDO19', 'QQQM19', 'DBS19']);
    expect(results.map((r) => [r.ticker, r.status, r.company_info])).toEqual([
      ['NVDA19', 'ok', 'ok'],
      ['NINTENDO19', 'ok', 'ok'],
      ['QQQM19', 'ok', 'ok'],
      ['DBS19', 'ok', 'failed'],
    ]);
    expect(results[3]!.company_info_error).toMatch(/Yahoo unavailable for D05\.SI.*HTTP 500.*quoteSummary, gave up after 2 attempts/);
    expect(fx.map((r) => [r.pair, r.status])).toEqual([
      ['JPYTHB=X', 'ok'],
      ['SGDTHB=X', 'ok'],
      ['USDTHB=X', 'ok'],
    ]);
    const stored = await app.deps.store.getDailyBars('USDTHB=X', 1);
    const served = fake.series('USDTHB=X').filter((r) => r.close !== null).at(-1)!;
    expect(stored!.bars[0]!.close).toBe(served.close);
    expect(stored!.bars[0]!.date).toBe(LAST_DATE);
    const info = await app.deps.store.getLatestCompanyInfo(['NVDA19', 'DBS19'], LAST_DATE);
    expect(info.get('NVDA19')!.info.pe_ratio).toBe(fake.fundamentals('NVDA').trailingPE);
    expect(info.has('DBS19')).toBe(false);
  });

  it('puts fundamentals, valuation, the THB view and the valuation score in the reports; the failed one only warns', async () => {
    fake.symbol('D05.SI', { fault: { kind: '500', endpoints: ['quoteSummary'] } });
    fake.symbol('QQQM', { kind: 'etf' });
    // NVDA reports in 3 days: the report's risk must say so.
    fake.symbol('NVDA', { earningsDate: Date.parse('2026-03-12T21:00:00Z') / 1000 });
    await ingestFromFake(['NVDA19', 'MICRON19', 'ADVANT19', 'NINTENDO19', 'QQQM19', 'DBS19']);
    const execution = await runPrecompute(app.deps, app.openQueue(), { tickers: ['NVDA19', 'MICRON19', 'ADVANT19', 'NINTENDO19', 'QQQM19', 'DBS19'] }, 'manual');
    expect(execution).toMatchObject({ status: 'completed', completed: 6, failed: 0 });

    const nvda = await reportOf('NVDA19');
    const f = fake.fundamentals('NVDA');
    expect(nvda.fundamentals).toMatchObject({ pe_ratio: f.trailingPE, market_cap: f.marketCap, source: 'yahoo', as_of: LAST_DATE, next_earnings_date: '2026-03-12' });
    expect(nvda.fundamentals!.analyst_upside_pct).toBeCloseTo((f.financial!.targetMeanPrice / nvda.price - 1) * 100, 9);
    expect(nvda.risk).toMatchObject({ earnings_within_7_days: true, days_to_earnings: 3 });
    // The report is Thai (the default language): so is its bullet, with the same date and count of days.
    expect(nvda.risk.risk_bullets).toContain('ประกาศงบวันที่ 2026-03-12 (อีก 3 วัน) ผลประกอบการอาจทำให้ราคาเคลื่อนไหวแรง');
    // Sector mates in the registry (Semiconductors & Semi Equipment): MICRON19 and ADVANT19.
    const peerPes = [fake.fundamentals('MU').trailingPE!, fake.fundamentals('6857.T').trailingPE!].sort((a, b) => a - b);
    expect(nvda.valuation.peers_median_pe).toBeCloseTo((peerPes[0]! + peerPes[1]!) / 2, 9);
    expect(nvda.valuation.pe_vs_peers_median_pct).toBeCloseTo((f.trailingPE! / nvda.valuation.peers_median_pe! - 1) * 100, 9);
    expect(nvda.valuation.label).not.toBeNull();
    const score = nvda.user_facing_scores.find((s) => s.category === 'valuation')!;
    expect(score.score).not.toBeNull();
    expect(score.rationale).toContain(`P/E ${f.trailingPE!.toFixed(1)}`);
    expect(nvda.fx).toMatchObject({ pair: 'USDTHB=X', base_currency: 'USD', rate_date: LAST_DATE });
    expect(nvda.fx!.return_1m_thb_pct).not.toBeNull();
    expect(nvda.timing_metrics.read_fundamentals_ms).toBeGreaterThanOrEqual(0);

    const nintendo = await reportOf('NINTENDO19');
    expect(nintendo.fundamentals!.currency).toBe('JPY');
    expect(nintendo.fx!.pair).toBe('JPYTHB=X');
    expect(nintendo.fx!.rate).toBeLessThan(1); // baht per yen

    const etf = await reportOf('QQQM19');
    expect(etf.fundamentals!.pe_ratio).toBeNull();
    expect(etf.valuation).toMatchObject({ label: null, pe_vs_peers_median_pct: null });
    expect(etf.user_facing_scores.find((s) => s.category === 'valuation')!.score).toBeNull();

    const dbs = await reportOf('DBS19');
    expect(dbs.fundamentals).toBeNull();
    expect(dbs.valuation.label).toBeNull();
    expect(dbs.warnings.some((w) => /company info unavailable: none stored for DBS19/.test(w))).toBe(true);
    expect(dbs.fx!.pair).toBe('SGDTHB=X');
  });

  it('an old FX rate is used and said to be old; a ticker ingested without company info warns instead of failing', async () => {
    const yahoo = new YahooMarketData(createYahooClient({ fetch: fake.fetch, timeoutMs: 2000, warn: () => {} }));
    await ingestTickers({
      store: app.deps.store, source: yahoo, newsSource: null, companyInfo: null, tickers: [app.deps.registry.resolveOrThrow('MSFT19')],
      endDate: LAST_DATE, today: LAST_DATE, minBars: 400, concurrency: 1, retry: { attempts: 1, backoffMs: 0 },
    });
    // One stale rate: precompute's auto-ingest only fetches pairs that have none.
    await app.deps.store.upsertDailyBars('USDTHB=X', [{ date: '2020-01-02', open: 30, high: 30, low: 30, close: 30, volume: 0 }], 'test');
    const execution = await runPrecompute(app.deps, app.openQueue(), { tickers: ['MSFT19'] }, 'manual');
    expect(execution.status).toBe('completed');
    const msft = await reportOf('MSFT19');
    expect(msft.fx!.rate_date).toBe('2020-01-02');
    expect(msft.warnings).toContain('old FX rate: USDTHB=X is from 2020-01-02');
    expect(msft.warnings.some((w) => /company info unavailable/.test(w))).toBe(true);
  });
});
