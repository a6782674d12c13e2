/**
 * Ingest of the 56 DRs against the loopback Yahoo fake, side by side in one process at the same throttle: bars and
 * news only (today's ingest) vs bars, news, company info and the FX pairs (issue 11, target ≤ 1.3×). Runs alternate
 * and repeat; the medians are compared. Then one precompute on the full store, for the report's read stages.
 * argv: WORK_DIR [LATENCY_MS] [ROUNDS]. Prints one JSON line.
 */
import { join } from 'node:path';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { ingestFxPairs, ingestTickers } from '../pipeline/ingest.js';
import { runPrecompute } from '../pipeline/precompute.js';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import { bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';
import { companyInfoOf } from '../sources/company-info.js';
import { fxPairsFor } from '../sources/fx-pairs.js';
import { createYahooClient } from '../sources/yahoo-client.js';
import { startFakeYahoo } from '../sources/yahoo-fake-server.js';
import { YahooMarketData } from '../sources/yahoo-market-data.js';
import { YahooNewsSource } from '../sources/yahoo-news.js';
import { openSqliteStore } from '../store/sqlite-store.js';

const [workArg, latencyArg, roundsArg] = process.argv.slice(2);
if (!workArg) throw new Error('usage: ingest-fundamentals-child WORK_DIR [LATENCY_MS] [ROUNDS]');
const work = workArg;
const latencyMs = Number(latencyArg ?? 40);
const rounds = Number(roundsArg ?? 2);
const THROTTLE = 5;
const tickers = loadDefaultTickers();
const endDate = lastBusinessDayOnOrBefore(bangkokDate(new Date()));
const fake = await startFakeYahoo({ lastDate: endDate, latencyMs });

async function ingestOnce(withFundamentals: boolean, dbPath: string): Promise<{ ms: number; requests: number; failed: number }> {
  const store = await openSqliteStore(dbPath);
  // A fresh client per run: each pays its own cookie and crumb, as a new process would.
  const client = createYahooClient({ fetch: fake.fetch, maxInFlight: THROTTLE, warn: () => {} });
  const source = new YahooMarketData(client);
  fake.resetStats();
  const common = { store, source, endDate, minBars: 600, concurrency: THROTTLE, retry: { attempts: 1, backoffMs: 0 } };
  const started = performance.now();
  const [results, fx] = await Promise.all([
    ingestTickers({ ...common, newsSource: new YahooNewsSource(client), companyInfo: withFundamentals ? companyInfoOf(source) : null, tickers, today: endDate }),
    withFundamentals ? ingestFxPairs({ ...common, pairs: fxPairsFor(tickers) }) : Promise.resolve([]),
  ]);
  const ms = performance.now() - started;
  const failed = results.filter((r) => r.status === 'failed' || r.company_info === 'failed').length + fx.filter((r) => r.status === 'failed').length;
  const requests = fake.requests.length;
  await store.close();
  return { ms, requests, failed };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const runs: { with: boolean; ms: number; requests: number; failed: number }[] = [];
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so warm-up and load drift fall on both.
  for (const withFundamentals of r % 2 === 0 ? [false, true] : [true, false]) {
    runs.push({ with: withFundamentals, ...(await ingestOnce(withFundamentals, join(work, `ingest-${r}-${withFundamentals ? 'with' : 'without'}.db`))) });
  }
}
const without = runs.filter((x) => !x.with);
const withF = runs.filter((x) => x.with);

// Reports on the last full store: how long the read stages take (bars; company info + FX).
const app = await openDaybreak(loadConfig({ ...process.env, DATABASE_URL: `sqlite:${join(work, `ingest-${rounds - 1}-with.db`)}`, NEWS_SOURCE: 'none' }));
const queue = app.openQueue();
const execution = await runPrecompute(app.deps, queue, {}, 'manual');
const readBars: number[] = [];
const readFundamentals: number[] = [];
for (const t of tickers) {
  const stored = await app.deps.store.getReport(t.symbol, execution.business_date);
  if (!stored) continue;
  const timing = JSON.parse(stored.body).timing_metrics as Record<string, number>;
  readBars.push(timing.read_bars_ms ?? 0);
  readFundamentals.push(timing.read_fundamentals_ms ?? 0);
}
// The same reads once more, one report at a time with nothing else running: what the queries themselves cost, apart
// from the queueing behind chart threads and other jobs that the in-run stage timings include.
const isolatedBars: number[] = [];
const isolatedFundamentals: number[] = [];
const symbols = tickers.map((t) => t.symbol);
for (const [i, t] of tickers.entries()) {
  let at = performance.now();
  await app.deps.store.getDailyBars(t.symbol, app.config.HISTORY_BARS);
  isolatedBars.push(performance.now() - at);
  // The worker asks for the ticker and up to ten peer candidates, and its pair's last 52 rates.
  const candidates = [t.symbol, ...Array.from({ length: 10 }, (_, k) => symbols[(i + 1 + k) % symbols.length]!)];
  at = performance.now();
  await Promise.all([app.deps.store.getLatestCompanyInfo(candidates, execution.business_date), app.deps.store.getDailyBars(fxPairsFor([t])[0] ?? 'USDTHB=X', 52)]);
  isolatedFundamentals.push(performance.now() - at);
}
await queue.close();
await app.close();
await fake.close();
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sums = readBars.map((b, i) => b + readFundamentals[i]!);

process.stdout.write(
  `${JSON.stringify({
    tickers: tickers.length,
    latency_ms: latencyMs,
    throttle: THROTTLE,
    rounds,
    without_ms: median(without.map((x) => x.ms)),
    with_ms: median(withF.map((x) => x.ms)),
    ratio: median(withF.map((x) => x.ms)) / median(without.map((x) => x.ms)),
    without_requests: without[0]!.requests,
    with_requests: withF[0]!.requests,
    failed: runs.reduce((a, x) => a + x.failed, 0),
    runs,
    reports: readBars.length,
    report_status: execution.status,
    read_bars_mean_ms: mean(readBars),
    read_fundamentals_mean_ms: mean(readFundamentals),
    read_fundamentals_p95_ms: p95(readFundamentals),
    read_total_mean_ms: mean(sums),
    read_total_max_ms: Math.max(...sums),
    isolated_read_bars_mean_ms: mean(isolatedBars),
    isolated_read_fundamentals_mean_ms: mean(isolatedFundamentals),
    isolated_read_fundamentals_max_ms: Math.max(...isolatedFundamentals),
    isolated_read_total_max_ms: Math.max(...isolatedBars.map((b, i) => b + isolatedFundamentals[i]!)),
  })}\n`,
);
