/**
 * The track-record replay: the 56 demo DRs over their last 500 bars (≈ 28,000 decisions), with grading, the four
 * baselines and the store write — `runBacktest` as `daybreak backtest` runs it. argv: DATABASE_URL DATES.
 * Prints one JSON line.
 */
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { HYSTERESIS_LOOKBACK_BARS } from '../report/semantic-states.js';
import { runBacktest } from '../track-record/backtest.js';

const [databaseUrl = 'sqlite::memory:', dates = '500'] = process.argv.slice(2);
const app = await openDaybreak(loadConfig({ ...process.env, DATABASE_URL: databaseUrl, MARKET_DATA: 'demo' }));
const end = '2026-11-27';
const historyBars = app.deps.settings.historyBars;
await ingestTickers({
  store: app.deps.store,
  source: app.deps.marketData,
  newsSource: app.deps.newsSource,
  tickers: app.deps.registry.active(),
  endDate: end,
  today: end,
  minBars: historyBars + Number(dates) + HYSTERESIS_LOOKBACK_BARS,
  concurrency: 4,
  retry: { attempts: 1, backoffMs: 0 },
});
const first = app.deps.registry.active()[0]!.symbol;
const bars = (await app.deps.store.getDailyBars(first, Number(dates)))!.bars;
const rssBefore = process.memoryUsage().rss;
const started = performance.now();
const summary = await runBacktest(
  { store: app.deps.store, registry: app.deps.registry, hasNews: app.deps.newsSource !== null, settings: app.deps.settings },
  { from: bars[0]!.date, to: bars.at(-1)!.date },
);
const wallMs = performance.now() - started;
await app.close();
process.stdout.write(
  `${JSON.stringify({
    tickers: summary.tickers.length,
    from: summary.from,
    to: summary.to,
    decisions: summary.decisions,
    stored_calls: summary.stored_calls,
    wall_ms: wallMs,
    replay_ms: summary.duration_ms,
    decisions_per_s: summary.decisions / (wallMs / 1000),
    rss_before_mb: rssBefore / 2 ** 20,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    flips_per_ticker_month_without: summary.hysteresis.flip_rate.without.changes_per_ticker_month,
    flips_per_ticker_month_with: summary.hysteresis.flip_rate.with.changes_per_ticker_month,
  })}\n`,
);
