/**
 * Incremental runs (issue 15): a precompute, then a second one on unchanged inputs, in one process; the second
 * carries every report forward. argv: DATABASE_URL WRITER(template|llm) [TICKERS_FILE] [EXPORT_DIR].
 * Ingest is done first and not timed. With the LLM writer, a loopback fake answers every call in 2 s. With
 * EXPORT_DIR, the static snapshot of the result is exported and timed too. Prints one JSON line.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exportApp } from '../cli/export-command.js';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { GENERIC_THAI_ANSWER, startFakeOpenAi } from '../narrative/fake-openai-server.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { runPrecompute } from '../pipeline/precompute.js';
import { bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';

const [databaseUrl, writer = 'template', tickersFile = '', exportDir = ''] = process.argv.slice(2);
const fake =
  writer === 'llm'
    ? await startFakeOpenAi({ latencyMs: 2000, script: () => ({ content: GENERIC_THAI_ANSWER, usage: { prompt_tokens: 3000, completion_tokens: 900 } }) })
    : undefined;
const app = await openDaybreak(
  loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    TICKERS_FILE: tickersFile,
    ...(fake && { NARRATIVE_WRITER: 'llm', LLM_API_KEY: 'bench-key', LLM_BASE_URL: fake.baseURL, LLM_BUDGET_USD: 'none' }),
  }),
);
const today = bangkokDate(app.deps.now());
await ingestTickers({
  store: app.deps.store,
  source: app.deps.marketData,
  newsSource: app.deps.newsSource,
  tickers: app.deps.registry.active(),
  endDate: lastBusinessDayOnOrBefore(today),
  today,
  minBars: app.config.HISTORY_BARS,
  concurrency: app.config.INGEST_CONCURRENCY,
  retry: app.deps.settings.retry,
});
const queue = app.openQueue();
const timed = async () => {
  const calls = fake?.requests.length ?? 0;
  const started = performance.now();
  const execution = await runPrecompute(app.deps, queue, {}, 'manual');
  return { wall_ms: performance.now() - started, execution, llm_calls: (fake?.requests.length ?? 0) - calls };
};
const first = await timed();
const second = await timed();
let exported: Record<string, number> | undefined;
if (exportDir) {
  const started = performance.now();
  const result = await exportApp(app, exportDir);
  const wallMs = performance.now() - started;
  const sizes = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? sizes(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
  exported = { wall_ms: wallMs, files: result.files, bytes: result.bytes, bytes_on_disk: sizes(exportDir), reports: result.reports };
}
await queue.close();
await app.close();
await fake?.close();
process.stdout.write(
  `${JSON.stringify({
    writer,
    total: first.execution.total,
    first: { wall_ms: first.wall_ms, completed: first.execution.completed, reused: first.execution.reused, llm_calls: first.llm_calls },
    second: { wall_ms: second.wall_ms, completed: second.execution.completed, reused: second.execution.reused, llm_calls: second.llm_calls },
    ratio: second.wall_ms / first.wall_ms,
    export: exported ?? null,
  })}\n`,
);
