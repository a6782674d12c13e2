import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import { addDays } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import type { SemanticStates } from '../report/narrative-contract.js';
import { narrativeInputsOf } from '../report/narrative-inputs.js';
import { analyzeNews } from '../report/news-analysis.js';
import { comparePeersAcrossUniverse, type PeerComparison } from '../report/peers.js';
import { decideStance, deriveSemanticStates, holdCall, HYSTERESIS_LOOKBACK_BARS, weighStates } from '../report/semantic-states.js';
import { analyzeTechnicals } from '../report/technical-analysis.js';
import { endOfBangkokDayMs } from '../sources/news-source.js';
import type { StoredHeadline } from '../store/store.js';
import { runBacktest } from '../track-record/backtest.js';

// Tickers of five markets (different calendars and holidays), two banks among them: the universe of the peers.
const SYMBOLS = ['NVDA19', 'AAPL19', 'MSFT19', 'DBS19', 'JPMUS19', 'TENCENT19', 'NINTENDO19', 'VNM19'];
const dir = mkdtempSync(join(tmpdir(), 'daybreak-replay-naive-'));
const tickersFile = join(dir, 'tickers.json');
const tickers = loadDefaultTickers().filter((t) => SYMBOLS.includes(t.symbol));
writeFileSync(tickersFile, JSON.stringify({ version: 1, updated: '2026-06-01', tickers }));

let app: Daybreak | undefined;
afterAll(async () => app?.close());

/**
 * The call of ticker `symbol` for business date `date` computed the straightforward way, from nothing but the whole
 * stored history and the report's own functions: cut the history at `date`, run the full technical analysis on the
 * last `historyBars` bars, analyse the headlines of the news window, compare peers across the universe from the
 * closes of the 120 days up to `date`, and hold the call over the preceding bars each computed the same way.
 */
function naiveReplay(
  bars: ReadonlyMap<string, DailyBar[]>,
  headlines: ReadonlyMap<string, StoredHeadline[]>,
  settings: { historyBars: number; newsWindowDays: number; language: 'en' | 'th' },
) {
  const peerTables = new Map<string, Map<string, PeerComparison>>();
  const peersOn = (date: string) => {
    let table = peerTables.get(date);
    if (!table) {
      const since = addDays(date, -120);
      table = comparePeersAcrossUniverse(
        tickers.map((t) => ({
          ticker: t.symbol,
          name: t.name,
          sector: t.sector,
          closes: bars.get(t.symbol)!.filter((b) => b.date >= since && b.date <= date).map((b) => ({ date: b.date, close: b.close })),
        })),
      );
      peerTables.set(date, table);
    }
    return table;
  };
  const statesCache = new Map<string, SemanticStates>();
  const statesOn = (symbol: string, date: string): SemanticStates => {
    const key = `${symbol} ${date}`;
    const cached = statesCache.get(key);
    if (cached) return cached;
    const ticker = tickers.find((t) => t.symbol === symbol)!;
    const window = bars.get(symbol)!.filter((b) => b.date <= date).slice(-settings.historyBars);
    const windowEnd = new Date(endOfBangkokDayMs(date)).toISOString();
    const since = new Date(Date.parse(windowEnd) - settings.newsWindowDays * 86_400_000).toISOString();
    const inWindow = headlines
      .get(symbol)!
      .filter((h) => h.published_at >= since && h.published_at <= windowEnd)
      .sort((a, b) => (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : 0))
      .slice(0, 500);
    const news = analyzeNews(inWindow, { windowEnd, windowDays: settings.newsWindowDays, maxItems: 5 });
    const peer = peersOn(date).get(symbol);
    const inputs = narrativeInputsOf({
      ticker,
      technicals: analyzeTechnicals(window),
      news,
      peers: peer && peer.top.length > 0 ? peer : null,
      dataSource: 'demo',
      language: settings.language,
    });
    const states = deriveSemanticStates(inputs);
    statesCache.set(key, states);
    return states;
  };
  return (symbol: string, date: string) => {
    const own = bars.get(symbol)!.filter((b) => b.date <= date);
    const preceding = own.slice(Math.max(0, own.length - 1 - HYSTERESIS_LOOKBACK_BARS), -1);
    const states = statesOn(symbol, date);
    return { as_of: own.at(-1)!.date, states, decision: decideStance(states, holdCall(preceding.map((b) => weighStates(statesOn(symbol, b.date))))) };
  };
}

describe('the optimised replay', () => {
  it('makes exactly the calls of the straightforward per-date computation, on every date of a range', async () => {
    app = await openDaybreak(
      loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'replay.db')}`, TICKERS_FILE: tickersFile, CHART_THREADS: '0', REPORT_LANGUAGE: 'en' }),
      { now: () => new Date('2026-06-15T00:00:00Z') },
    );
    const { store, registry, settings } = app.deps;
    await ingestTickers({
      store,
      source: app.deps.marketData,
      newsSource: app.deps.newsSource,
      tickers: registry.active(),
      endDate: '2026-06-12',
      today: '2026-06-12',
      minBars: 900,
      concurrency: 4,
      retry: { attempts: 1, backoffMs: 0 },
    });
    const bars = new Map<string, DailyBar[]>();
    const headlines = new Map<string, StoredHeadline[]>();
    for (const symbol of SYMBOLS) {
      bars.set(symbol, (await store.getDailyBars(symbol, 100_000))!.bars);
      headlines.set(symbol, await store.getNews(symbol, '2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z', 100_000));
    }
    // A year up to the last bar: warm-ups behind it, the demo headlines at its end, holidays of five markets inside.
    const to = bars.get('NVDA19')!.at(-1)!.date;
    const from = addDays(to, -365);
    const summary = await runBacktest({ store, registry, hasNews: true, settings }, { from, to });
    const replayed = await store.listCalls({ strategies: ['daybreak'] });
    expect(summary.decisions).toBe(replayed.length);

    const naive = naiveReplay(bars, headlines, settings);
    const expected = SYMBOLS.flatMap((symbol) =>
      bars
        .get(symbol)!
        .filter((b) => b.date >= from && b.date <= to)
        .map((b) => {
          const n = naive(symbol, b.date);
          const { recommendation, stance, confidence, score } = n.decision;
          return { ticker: symbol, business_date: b.date, as_of: n.as_of, recommendation, stance, confidence, score, news: n.states.news_tone };
        }),
    );
    expect(expected.length).toBeGreaterThan(SYMBOLS.length * 240);
    const got = replayed.map((c) => ({
      ticker: c.ticker,
      business_date: c.business_date,
      as_of: c.as_of,
      recommendation: c.recommendation,
      stance: c.stance,
      confidence: c.confidence,
      score: c.score,
    }));
    const byKey = (a: { ticker: string; business_date: string }, b: { ticker: string; business_date: string }) =>
      a.ticker.localeCompare(b.ticker) || a.business_date.localeCompare(b.business_date);
    expect(got.sort(byKey)).toEqual(expected.map(({ news: _news, ...call }) => call).sort(byKey));

    // Not a vacuous comparison: all three calls occur, news reaches some calls, and hysteresis holds some of them.
    expect(new Set(expected.map((c) => c.recommendation))).toEqual(new Set(['BUY', 'HOLD', 'SELL']));
    expect(expected.some((c) => c.news !== 'none')).toBe(true);
    expect(summary.hysteresis.flip_rate.with.changes).toBeLessThan(summary.hysteresis.flip_rate.without.changes);
  }, 180_000);
});
