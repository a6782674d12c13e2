/**
 * `npm run bench`: measured, never asserted. Prints a table and writes bench-results/bench-<time>.json.
 * Each scenario runs in its own process on a fresh SQLite file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticTickers, writeTickersFile } from './synthetic-universe.js';

interface Scenario {
  name: string;
  tickers?: number;
  target: string;
}

const scenarios: Scenario[] = [
  { name: 'precompute 56 DRs (demo data, with ingest)', target: '—' },
  { name: 'precompute 1,000 synthetic tickers (with ingest)', tickers: 1000, target: 'wall ≤ 15 s' },
];

const child = fileURLToPath(new URL('./precompute-bench-child.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'daybreak-bench-'));
const results = [];
for (const scenario of scenarios) {
  let tickersFile: string | undefined;
  if (scenario.tickers) {
    tickersFile = join(work, `universe-${scenario.tickers}.json`);
    writeTickersFile(tickersFile, syntheticTickers(scenario.tickers));
  }
  const db = join(work, `${results.length}.db`);
  const started = performance.now();
  const output = execFileSync(process.execPath, [child, `sqlite:${db}`, ...(tickersFile ? [tickersFile] : [])], {
    encoding: 'utf8',
    env: { ...process.env, MARKET_DATA: 'demo' },
  });
  const processWallMs = performance.now() - started;
  const measured = JSON.parse(output.trim().split('\n').at(-1)!);
  results.push({
    scenario: scenario.name,
    target: scenario.target,
    process_wall_ms: processWallMs,
    reports_per_s: measured.completed / (measured.wall_ms / 1000),
    ...measured,
  });
}
rmSync(work, { recursive: true, force: true });

const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows = results.map((r) => [
  r.scenario,
  `${r.completed}/${r.total}`,
  `${fmt(r.process_wall_ms / 1000, 2)} s`,
  `${fmt(r.wall_ms / 1000, 2)} s`,
  `${fmt(r.ingest_ms / 1000, 2)} s`,
  `${fmt(r.jobs_ms / 1000, 2)} s`,
  fmt(r.reports_per_s),
  `${fmt(r.peak_rss_mb)} MB`,
  `${fmt(r.fan_in_store_ms, 1)} / ${fmt(r.fan_in_observed_ms, 2)} ms`,
  r.target,
]);
const headers = ['scenario', 'done', 'process wall', 'run wall', 'ingest', 'jobs', 'reports/s', 'peak RSS', 'fan-in store/observed', 'target'];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
console.log(line(headers));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
console.log('\nfan-in baseline: the seed waits a fixed 300 s for jobs whose slowest takes ~120 s; target ≤ 50 ms.');

const outDir = 'bench-results';
mkdirSync(outDir, { recursive: true });
const file = join(outDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const report = { machine: { cpus: cpus().length, memory_gb: totalmem() / 2 ** 30, node: process.version }, results };
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(join(outDir, 'latest.json'), JSON.stringify(report, null, 2));
console.log(`written ${file}`);
