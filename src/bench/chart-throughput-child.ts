/**
 * Charts alone, through the same worker-thread pool reports use: the physical limit of a precompute here.
 * argv: COUNT THREADS. Prints one JSON line.
 */
import { createChartRenderer } from '../chart/chart-renderer.js';
import { businessDaysEnding } from '../report/business-date.js';
import { generateDemoBars } from '../sources/demo-market-data.js';

const [count = '100', threads = '2'] = process.argv.slice(2);
const renderer = createChartRenderer({ threads: Number(threads) });
const end = businessDaysEnding('2026-11-27', 1)[0]!;
const inputs = Array.from({ length: Number(count) }, (_, i) => ({
  title: `Synthetic Company ${i}`,
  symbol: `SYN${i}`,
  currency: 'USD',
  bars: generateDemoBars(`SYN${i}`, end, 600),
}));
// Warm the threads (module load, fonts) so the figure is the steady rate, as in a long run.
await Promise.all(Array.from({ length: Number(threads) || 1 }, (_, i) => renderer.render(inputs[i]!)));
const started = performance.now();
await Promise.all(inputs.map((input) => renderer.render(input)));
const wallMs = performance.now() - started;
await renderer.close();
process.stdout.write(`${JSON.stringify({ charts: inputs.length, threads: Number(threads), wall_ms: wallMs, charts_per_s: inputs.length / (wallMs / 1000), peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
