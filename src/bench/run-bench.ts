/**
 * `npm run bench`: measured, never asserted. Prints tables and writes bench-results/bench-<time>.json.
 * Each scenario runs in its own process on a fresh SQLite file, so peak RSS belongs to that scenario alone.
 * `npm run bench -- --only 56` runs only the scenarios whose name contains "56".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printHttpBench, runHttpBench } from './http-bench.js';
import { syntheticTickers, writeTickersFile } from '../registry/synthetic-universe.js';

const DISTRIBUTED_TICKERS = Number(process.env.BENCH_DISTRIBUTED_TICKERS ?? 1000);
const CHAOS_TICKERS = Number(process.env.BENCH_CHAOS_TICKERS ?? 1000);
const RECOVERY_TICKERS = 100;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const threads = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'daybreak-bench-'));
const childScript = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));
const runChild = (name: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  const started = performance.now();
  const output = execFileSync(process.execPath, [childScript(name), ...args], {
    encoding: 'utf8',
    env: { ...process.env, MARKET_DATA: 'demo', CHART_THREADS: String(threads), ...env },
    maxBuffer: 64 * 2 ** 20,
  });
  return { processWallMs: performance.now() - started, measured: JSON.parse(output.trim().split('\n').at(-1)!) };
};

interface PrecomputeScenario {
  name: string;
  tickers?: number;
  target: string;
}
const precomputeScenarios: PrecomputeScenario[] = [
  { name: 'precompute 56 DRs (with ingest, charts)', target: 'wall ≤ 8 s' },
  { name: 'precompute 1,000 synthetic (with ingest, charts)', tickers: 1000, target: 'wall ≤ 90 s (and ≤ 15 s without charts, issue 2)' },
].filter((s) => !only || s.name.includes(only));

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log(line(headers));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log('');
}

const chartOnly = runChild('chart-throughput-child', ['300', String(threads)]).measured;
console.log(`chart-only: ${chartOnly.charts} charts on ${chartOnly.threads} threads in ${fmt(chartOnly.wall_ms / 1000, 2)} s = ${fmt(chartOnly.charts_per_s, 1)} charts/s (the physical limit of a report here)\n`);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- merged JSON from the child processes
const results: Record<string, any>[] = [];
for (const scenario of precomputeScenarios) {
  let tickersFile: string | undefined;
  if (scenario.tickers) {
    tickersFile = join(work, `universe-${scenario.tickers}.json`);
    writeTickersFile(tickersFile, syntheticTickers(scenario.tickers));
  }
  const db = join(work, `${results.length}.db`);
  const { processWallMs, measured } = runChild('precompute-bench-child', [`sqlite:${db}`, ...(tickersFile ? [tickersFile] : [])]);
  const jobsPerS = measured.completed / (measured.jobs_ms / 1000);
  results.push({
    scenario: scenario.name,
    target: scenario.target,
    process_wall_ms: processWallMs,
    reports_per_s: measured.completed / (measured.wall_ms / 1000),
    jobs_per_s: jobsPerS,
    share_of_chart_only: jobsPerS / chartOnly.charts_per_s,
    ...measured,
  });
}
let llm: Record<string, number | string> | undefined;
if (!only || 'llm'.includes(only)) {
  llm = runChild('llm-bench-child', [`sqlite:${join(work, 'llm.db')}`, '16', '2000']).measured as Record<string, number | string>;
  const ideal = Math.ceil(Number(llm.total) / 16) * 2000;
  llm.ideal_ms = ideal;
  llm.ratio_to_ideal = Number(llm.wall_ms) / ideal;
}
// Ingest from the loopback Yahoo with and without company info + FX (issue 11), and the report's read stages.
let ingestFundamentals: Record<string, number | string> | undefined;
if (!only || 'ingest-fundamentals'.includes(only)) {
  ingestFundamentals = runChild('ingest-fundamentals-child', [work, process.env.BENCH_YAHOO_LATENCY_MS ?? '40', process.env.BENCH_INGEST_ROUNDS ?? '3']).measured as Record<
    string,
    number | string
  >;
}
// Incremental runs (issue 15): each child runs a precompute and then a second one on unchanged inputs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the child processes
const incremental: Record<string, any>[] = [];
if (!only || 'incremental'.includes(only)) {
  const universe = join(work, 'universe-incremental.json');
  writeTickersFile(universe, syntheticTickers(1000));
  for (const [name, args, target] of [
    ['56 DRs, template writer, + export', ['template', '', join(work, 'site')], '2nd ≤ 0.1 × 1st'],
    ['56 DRs, LLM writer (fake answers in 2 s)', ['llm'], '2nd ≤ 0.1 × 1st, 0 LLM calls'],
    ['1,000 synthetic, template writer', ['template', universe], '2nd ≤ 2 s'],
  ] as const) {
    incremental.push({ name, target, ...runChild('incremental-bench-child', [`sqlite:${join(work, `incremental-${incremental.length}.db`)}`, ...args]).measured });
  }
}
const distributed: Record<string, number | string>[] = [];
if (!only || 'distributed'.includes(only)) {
  const universe = join(work, 'universe-distributed.json');
  writeTickersFile(universe, syntheticTickers(DISTRIBUTED_TICKERS));
  for (const [mode, workers] of [['embedded', 0], ['distributed', 1], ['distributed', 2]] as const) {
    distributed.push(runChild('distributed-bench-child', [mode, String(workers), universe]).measured);
  }
}
// Step 7: one execution delivered to BENCH_DELIVERY_SUBSCRIPTIONS subscriptions against loopback receivers.
const DELIVERY_SUBSCRIPTIONS = Number(process.env.BENCH_DELIVERY_SUBSCRIPTIONS ?? 10_000);
const delivery = !only || 'delivery'.includes(only)
  ? runChild('delivery-bench-child', [`sqlite:${join(work, 'delivery.db')}`, String(DELIVERY_SUBSCRIPTIONS), '0.2']).measured
  : undefined;
// Distributed mode through faults (src/bench/chaos-bench-child.ts), on a PostgreSQL and a Redis of its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- merged JSON from the child processes
const chaos: Record<string, any>[] = [];
if (only && 'chaos'.includes(only)) {
  const universe = join(work, 'universe-chaos.json');
  writeTickersFile(universe, syntheticTickers(CHAOS_TICKERS));
  for (const mode of ['clean', 'chaos']) chaos.push(runChild('chaos-bench-child', [mode, universe]).measured);
  const small = join(work, 'universe-recovery.json');
  writeTickersFile(small, syntheticTickers(RECOVERY_TICKERS));
  for (const lockMs of ['30000', '10000']) chaos.push(runChild('chaos-bench-child', ['recovery', small], { QUEUE_LOCK_MS: lockMs }).measured);
}
// The HTTP read bench: daybreak serve vs bare node:http vs a naive parse-per-request server (src/bench/http-bench.ts).
const http = !only || 'http'.includes(only) ? await runHttpBench(`sqlite:${join(work, 'http.db')}`) : undefined;
// Chat: 1,000 signed LINE webhook events at once against serve + a loopback LINE fake (src/bench/line-webhook-bench-child.ts).
const lineWebhooks = !only || 'line-webhooks'.includes(only) ? runChild('line-webhook-bench-child', [`sqlite:${join(work, 'line.db')}`, '1000']).measured : undefined;
// Run before the work folder goes (its table is printed with the others below).
const backtest =
  !only || 'backtest'.includes(only)
    ? (runChild('backtest-bench-child', [`sqlite:${join(work, 'backtest.db')}`, '500']).measured as Record<string, number | string>)
    : undefined;
rmSync(work, { recursive: true, force: true });

if (results.length) {
  printTable(
    ['scenario', 'done', 'process wall', 'run wall', 'ingest', 'jobs', 'reports/s', 'jobs vs chart-only', 'peak RSS', 'RSS at ¼ ½ ¾ 1 of jobs', 'fan-in store/observed', 'target'],
    results.map((r) => [
      r.scenario,
      `${r.completed}/${r.total}`,
      `${fmt(r.process_wall_ms / 1000, 2)} s`,
      `${fmt(r.wall_ms / 1000, 2)} s`,
      `${fmt(r.ingest_ms / 1000, 2)} s`,
      `${fmt(r.jobs_ms / 1000, 2)} s`,
      fmt(r.reports_per_s, 1),
      `${fmt(r.share_of_chart_only * 100)}%`,
      `${fmt(r.peak_rss_mb)} MB`,
      `${(r.rss_at_quarters_mb as number[]).map((mb) => fmt(mb)).join(' ')} MB`,
      `${fmt(r.fan_in_store_ms, 1)} / ${fmt(r.fan_in_observed_ms, 2)} ms`,
      r.target,
    ]),
  );
  const stages = [...new Set(results.flatMap((r) => Object.keys(r.stage_means_ms as Record<string, number>)))];
  printTable(
    ['mean ms per report stage', ...results.map((r) => r.scenario)],
    stages.map((stage) => [stage.replace(/_ms$/, ''), ...results.map((r) => fmt((r.stage_means_ms as Record<string, number>)[stage] ?? 0, 1))]),
  );
}
if (llm) {
  printTable(
    ['LLM precompute (fake answers in 2 s)', 'done', 'wall', 'ideal ⌈n/16⌉×2 s', 'wall / ideal', 'LLM calls', 'max in flight', 'target'],
    [[
      `56 DRs, LLM concurrency ${llm.llm_concurrency}`,
      `${llm.completed}/${llm.total}`,
      `${fmt(Number(llm.wall_ms) / 1000, 2)} s`,
      `${fmt(Number(llm.ideal_ms) / 1000, 0)} s`,
      fmt(Number(llm.ratio_to_ideal), 2),
      String(llm.llm_calls),
      String(llm.llm_max_in_flight),
      '≤ 1.25 × ideal = 10 s (the seed: 60–120 s per worker)',
    ]],
  );
}
if (ingestFundamentals) {
  const f = ingestFundamentals;
  printTable(
    [`ingest of ${f.tickers} DRs, loopback Yahoo (+${f.latency_ms} ms per answer), ${f.throttle} in flight`, 'median wall', 'requests', 'vs bars + news', 'target'],
    [
      ['bars + news (today)', `${fmt(Number(f.without_ms) / 1000, 2)} s`, String(f.without_requests), '1.00', '—'],
      ['bars + news + company info + FX', `${fmt(Number(f.with_ms) / 1000, 2)} s`, String(f.with_requests), fmt(Number(f.ratio), 2), '≤ 1.3×'],
    ],
  );
  printTable(
    ['report read stages (ms per report)', 'mean', 'p95 / max', 'target'],
    [
      ['read_bars', fmt(Number(f.read_bars_mean_ms), 2), '', '—'],
      ['read_fundamentals (company info + FX)', fmt(Number(f.read_fundamentals_mean_ms), 2), fmt(Number(f.read_fundamentals_p95_ms), 2), '—'],
      ['read total, in the run (queued behind charts and other jobs)', fmt(Number(f.read_total_mean_ms), 2), fmt(Number(f.read_total_max_ms), 2), '< 15 ms'],
      ['read_bars, alone', fmt(Number(f.isolated_read_bars_mean_ms), 2), '', '—'],
      ['read_fundamentals, alone', fmt(Number(f.isolated_read_fundamentals_mean_ms), 2), fmt(Number(f.isolated_read_fundamentals_max_ms), 2), '—'],
      ['read total, alone', '', fmt(Number(f.isolated_read_total_max_ms), 2), '< 15 ms'],
    ],
  );
}
if (incremental.length) {
  printTable(
    ['incremental: 2nd run on unchanged inputs', 'done', '1st run', '2nd run', '2nd / 1st', 'reused', 'LLM calls 1st / 2nd', 'target'],
    incremental.map((r) => [
      r.name,
      `${r.second.completed}/${r.total}`,
      `${fmt(r.first.wall_ms / 1000, 2)} s`,
      `${fmt(r.second.wall_ms / 1000, 2)} s`,
      fmt(r.ratio, 3),
      String(r.second.reused),
      `${r.first.llm_calls} / ${r.second.llm_calls}`,
      r.target,
    ]),
  );
  for (const r of incremental.filter((x) => x.export)) {
    console.log(`export of the ${r.export.reports} reports: ${fmt(r.export.wall_ms, 0)} ms, ${r.export.files} files, ${fmt(r.export.bytes / 2 ** 20, 2)} MB\n`);
  }
}
if (distributed.length) {
  const embeddedRate = Number(distributed.find((d) => d.mode === 'embedded')?.reports_per_s ?? 0);
  const oneWorker = Number(distributed.find((d) => d.mode === 'distributed' && d.workers === 1)?.reports_per_s ?? 0);
  printTable(
    [`${DISTRIBUTED_TICKERS} synthetic tickers, charts on each process's main thread, one core per report-making process (taskset)`, 'done', 'wall', 'reports/s', 'vs embedded', 'vs 1 worker', 'target'],
    distributed.map((d) => [
      d.mode === 'embedded' ? 'embedded (SQLite, in-process queue)' : `distributed, ${d.workers} worker process(es) (PostgreSQL + BullMQ)`,
      `${d.completed}/${d.total}`,
      `${fmt(Number(d.wall_ms) / 1000, 1)} s`,
      fmt(Number(d.reports_per_s), 1),
      fmt(Number(d.reports_per_s) / embeddedRate, 2),
      d.mode === 'distributed' ? fmt(Number(d.reports_per_s) / oneWorker, 2) : '—',
      d.mode === 'embedded' ? '—' : d.workers === 1 ? '≥ 0.8 × embedded' : '≥ 1.6 × one worker',
    ]),
  );
}
if (chaos.length) {
  const clean = chaos.find((c) => c.mode === 'clean');
  const faulty = chaos.find((c) => c.mode === 'chaos');
  printTable(
    [`${CHAOS_TICKERS} synthetic tickers, 2 workers (PostgreSQL + BullMQ of their own)`, 'done', 'each job once', 'wall', 'vs fault-free', 'longest gap in completions', 'target'],
    [clean, faulty].filter((c) => c !== undefined).map((c) => [
      c.mode === 'clean' ? 'fault-free' : `chaos: ${(c.faults as { fault: string }[]).map((f) => f.fault).join('; ')}`,
      `${c.completed}/${c.total}`,
      c.completed_once ? 'yes' : 'NO',
      `${fmt(c.wall_ms / 1000, 1)} s`,
      fmt(c.wall_ms / clean!.wall_ms, 2),
      `${fmt(c.longest_gap_ms / 1000, 1)} s`,
      c.mode === 'clean' ? '—' : 'every job once, wall ≤ 1.5 × fault-free',
    ]),
  );
  printTable(
    [`Distributed recovery, ${RECOVERY_TICKERS} tickers: kill -9 of a worker holding jobs → the last of its jobs done`, 'QUEUE_LOCK_MS', 'recovery', 'done'],
    chaos.filter((c) => c.mode === 'recovery').map((c) => [c.queue_lock_ms === 30000 ? 'before (BullMQ default)' : 'after (default now)', `${fmt(c.queue_lock_ms / 1000)} s`, `${fmt(c.recovery_ms / 1000, 1)} s`, `${c.completed}/${c.total}`]),
  );
}
console.log('Baselines: the seed waits a fixed 300 s for fan-in (target ≤ 50 ms); its reports took 60–120 s each.');
console.log(`Chart-only ${fmt(chartOnly.charts_per_s, 1)} charts/s on ${threads} threads; target: report throughput ≥ 60% of it, peak RSS ≤ 1 GB.`);
if (delivery) {
  printTable(
    ['delivery (56 DRs, watchlists of 1–10)', 'delivered', 'wall', 'deliveries/s', 'webhooks/s', 'e-mails/s', 'after last job', 'RSS before → peak of delivery', 'SMTP connections', 'CPU: deliverer + receivers', 'target'],
    [[
      `${fmt(delivery.subscriptions)} subscriptions: ${fmt(delivery.webhooks)} webhook, ${fmt(delivery.emails)} e-mail`,
      `${fmt(delivery.delivered)} (${delivery.failed} failed; received ${delivery.received.webhooks} + ${delivery.received.mails})`,
      `${fmt(delivery.wall_ms / 1000, 2)} s`,
      fmt(delivery.deliveries_per_s),
      fmt(delivery.webhooks_per_s),
      fmt(delivery.emails_per_s),
      `${fmt(delivery.after_last_job_ms / 1000, 2)} s`,
      `${fmt(delivery.rss_before_delivery_mb)} → ${fmt(delivery.peak_rss_delivery_mb)} MB`,
      String(delivery.received.smtp_connections),
      `${fmt(delivery.delivery_cpu_ms / 1000, 1)} s + ${fmt(delivery.receivers_cpu_ms / 1000, 1)} s`,
      '≥ 500 webhooks/s, ≥ 100 e-mails/s, RSS ≤ 600 MB',
    ]],
  );
  results.push({ scenario: 'delivery', ...delivery });
}
if (http) printHttpBench(http, printTable);
if (lineWebhooks) {
  const ms = (v: number | null) => (v === null ? '—' : `${fmt(v, 1)} ms`);
  printTable(
    ['scenario', 'events', 'replied', 'lost / invalid', 'card (cache hit)', 'request → reply p50', 'p99', 'max', '200 response p99', 'wall', 'CPU serve / generator+fake', '1st burst after start: p99', 'target'],
    [
      [
        'line-webhooks',
        fmt(lineWebhooks.events),
        fmt(lineWebhooks.replied),
        `${fmt(lineWebhooks.lost)} / ${fmt(lineWebhooks.invalid_replies)}`,
        fmt(lineWebhooks.card_replies),
        ms(lineWebhooks.reply_p50_ms),
        ms(lineWebhooks.reply_p99_ms),
        ms(lineWebhooks.reply_max_ms),
        ms(lineWebhooks.response_p99_ms),
        `${fmt(lineWebhooks.wall_ms / 1000, 2)} s`,
        `${lineWebhooks.serve_cpu_ms === null ? '—' : fmt(lineWebhooks.serve_cpu_ms)} / ${fmt(lineWebhooks.generator_and_fake_cpu_ms)} ms`,
        ms(lineWebhooks.cold_reply_p99_ms),
        'p99 ≤ 250 ms (5th burst), none lost, every reply a card',
      ],
    ],
  );
}

if (backtest) {
  printTable(
    ['track-record replay', 'decisions', 'calls stored', 'wall', 'decisions/s', 'peak RSS', 'flips/ticker/month', 'target'],
    [
      [
        `${backtest.tickers} demo DRs, ${backtest.from}..${backtest.to}`,
        fmt(Number(backtest.decisions)),
        fmt(Number(backtest.stored_calls)),
        `${fmt(Number(backtest.wall_ms) / 1000, 2)} s`,
        fmt(Number(backtest.decisions_per_s)),
        `${fmt(Number(backtest.peak_rss_mb))} MB`,
        `${fmt(Number(backtest.flips_per_ticker_month_without), 2)} → ${fmt(Number(backtest.flips_per_ticker_month_with), 2)}`,
        '≥ 2,000/s, RSS ≤ 600 MB',
      ],
    ],
  );
}

const outDir = 'bench-results';
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const report = {
  machine: { cpus: cpus().length, memory_gb: totalmem() / 2 ** 30, node: process.version },
  chart_only: chartOnly,
  results,
  llm,
  incremental,
  distributed,
  ingest_fundamentals: ingestFundamentals,
  chaos,
  http,
  backtest,
  line_webhooks: lineWebhooks,
};
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(report, null, 2));
console.log(`written ${file}`);
