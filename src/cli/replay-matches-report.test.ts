import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { runPrecompute } from '../pipeline/precompute.js';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import type { Report } from '../report/report.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import { runBacktest } from '../track-record/backtest.js';

const opened: Daybreak[] = [];
afterEach(async () => {
  for (const app of opened.splice(0)) await app.close();
});

// A small universe of demo tickers from three markets, so peers and calendars differ.
const SYMBOLS = ['NVDA19', 'AAPL19', 'MSFT19', 'DBS19', 'TENCENT19', 'NINTENDO19'];
const dir = mkdtempSync(join(tmpdir(), 'daybreak-replay-'));
const tickersFile = join(dir, 'tickers.json');
writeFileSync(tickersFile, JSON.stringify({ version: 1, updated: '2026-06-01', tickers: loadDefaultTickers().filter((t) => SYMBOLS.includes(t.symbol)) }));

async function open(name: string, now: Date): Promise<Daybreak> {
  const app = await openDaybreak(
    loadConfig({ DATABASE_URL: `sqlite:${join(dir, `${name}.db`)}`, TICKERS_FILE: tickersFile, CHART_THREADS: '0', REPORT_LANGUAGE: 'en' }),
    { now: () => now },
  );
  opened.push(app);
  return app;
}

describe('replay vs report (no look-ahead)', () => {
  it('a replayed call for date D equals the call of a report made from the history truncated at D', async () => {
    const full = await open('full', new Date('2026-06-15T00:00:00Z'));
    await ingestTickers({
      store: full.deps.store,
      source: full.deps.marketData,
      newsSource: full.deps.newsSource,
      tickers: full.deps.registry.active(),
      endDate: '2026-06-12',
      today: '2026-06-12',
      minBars: 700,
      concurrency: 4,
      retry: { attempts: 1, backoffMs: 0 },
    });
    const nvdaBars = (await full.deps.store.getDailyBars('NVDA19', 10_000))!.bars;
    // The last bar (with the demo headlines in its window) and a date two months back (no news, other peers).
    const dates = [nvdaBars.at(-1)!.date, nvdaBars.at(-45)!.date];
    const summary = await runBacktest(
      { store: full.deps.store, registry: full.deps.registry, hasNews: true, settings: full.deps.settings },
      { from: nvdaBars.at(-60)!.date, to: dates[0]! },
    );
    expect(summary.decisions).toBeGreaterThan(300);
    const replayed = await full.deps.store.listCalls({ strategies: ['daybreak'] });

    for (const date of dates) {
      // A fresh store holding only what existed at the end of D: bars on or before D, headlines published by then.
      const truncated = await open(`at-${date}`, new Date(`${date}T00:00:00Z`)); // 07:00 in Bangkok: business date D
      for (const t of truncated.deps.registry.active()) {
        const bars = (await full.deps.store.getDailyBars(t.symbol, 10_000))!.bars.filter((b) => b.date <= date);
        await truncated.deps.store.upsertDailyBars(t.symbol, bars, 'demo');
        const news = await full.deps.store.getNews(t.symbol, '2000-01-01T00:00:00.000Z', new Date(endOfBangkokDayMs(date)).toISOString(), 10_000);
        await truncated.deps.store.upsertNews(t.symbol, news, 'demo');
      }
      const execution = await runPrecompute(truncated.deps, truncated.openQueue(), {}, 'manual');
      expect(execution.status).toBe('completed');
      let compared = 0;
      for (const symbol of SYMBOLS) {
        const call = replayed.find((c) => c.ticker === symbol && c.business_date === date);
        if (!call) continue; // no bar of its own that day (a holiday on its exchange)
        const report = JSON.parse((await truncated.deps.store.getReport(symbol, date))!.body) as Report;
        expect({ ticker: symbol, as_of: report.as_of, recommendation: report.recommendation, stance: report.stance, confidence: report.confidence }).toEqual({
          ticker: symbol,
          as_of: call.as_of,
          recommendation: call.recommendation,
          stance: call.stance,
          confidence: call.confidence,
        });
        // The report records its own call: the same decision down to the score.
        const [live] = await truncated.deps.store.listCalls({ tickers: [symbol], strategies: ['daybreak'] });
        expect(live).toMatchObject({ origin: 'report', source: 'manual', business_date: date, score: call.score, close: call.close });
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(4);
    }
  }, 180_000);
});
