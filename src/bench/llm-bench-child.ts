/**
 * The 56 DRs with the LLM writer against a loopback fake that answers every call in `LATENCY_MS` (default 2 s).
 * argv: DATABASE_URL LLM_CONCURRENCY. Ingest is done first and not timed: the figure is the precompute itself.
 */
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { runPrecompute } from '../pipeline/precompute.js';
import { GENERIC_THAI_ANSWER, startFakeOpenAi } from '../narrative/fake-openai-server.js';

const [databaseUrl, concurrency = '16', latencyMs = '2000'] = process.argv.slice(2);
const fake = await startFakeOpenAi({
  latencyMs: Number(latencyMs),
  script: () => ({ content: GENERIC_THAI_ANSWER, usage: { prompt_tokens: 3000, completion_tokens: 900 } }),
});
const app = await openDaybreak(
  loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    NARRATIVE_WRITER: 'llm',
    LLM_API_KEY: 'bench-key',
    LLM_BASE_URL: fake.baseURL,
    LLM_CONCURRENCY: concurrency,
    LLM_BUDGET_USD: 'none',
  }),
);
// Warm up: ingest, and one report so chart threads and modules are loaded before the clock starts.
await runPrecompute(app.deps, app.openQueue(), { limit: 1 }, 'manual');
fake.requests.length = 0;
const started = performance.now();
const execution = await runPrecompute(app.deps, app.openQueue(), {}, 'manual');
const wallMs = performance.now() - started;
const calls = fake.requests.length;
const maxInFlight = fake.maxInFlight;
await app.close();
await fake.close();
process.stdout.write(
  `${JSON.stringify({ status: execution.status, completed: execution.completed, total: execution.total, wall_ms: wallMs, llm_calls: calls, llm_max_in_flight: maxInFlight, llm_concurrency: Number(concurrency), llm_latency_ms: Number(latencyMs) })}\n`,
);
