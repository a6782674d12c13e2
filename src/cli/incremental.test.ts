import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { Report } from '../report/report.js';
import { type FakeOpenAiServer, GENERIC_THAI_ANSWER, startFakeOpenAi } from '../narrative/fake-openai-server.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { daybreak } from './run-cli.test-support.js';

const TICKERS = 'NVDA19,DBS19,TENCENT19';

function freshEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv & { DATABASE_URL: string } {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-incr-'));
  return { DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`, JOB_BACKOFF_MS: '1', CHART_THREADS: '0', ...extra };
}

async function precompute(env: NodeJS.ProcessEnv, ...flags: string[]): Promise<ExecutionSummary> {
  const run = await daybreak(['precompute', '--tickers', TICKERS, '--json', ...flags], env);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as ExecutionSummary;
}

async function latestReport(env: NodeJS.ProcessEnv, symbol: string): Promise<Report> {
  return JSON.parse((await daybreak(['report', symbol, '--json'], env)).out) as Report;
}

describe('a second precompute on unchanged inputs (template writer)', () => {
  it('reuses every report, says so, and --force recomputes them', async () => {
    const env = freshEnv();
    const first = await precompute(env);
    expect(first).toMatchObject({ completed: 3, reused: 0 });
    const made = await latestReport(env, 'NVDA19');
    expect(made.inputs_fingerprint).toMatch(/^sha256:[0-9a-f]{64}\+[0-9a-f]{64}$/);
    expect(made.reused_from).toBeNull();

    const second = await precompute(env);
    expect(second).toMatchObject({ status: 'completed', completed: 3, reused: 3, cost_usd: 0 });
    expect(second.jobs!.map((j) => j.reused_from)).toEqual([first.execution_id, first.execution_id, first.execution_id]);
    // Same business date: the stored report is the one the first run made, untouched.
    const after = await latestReport(env, 'NVDA19');
    expect(after.execution_id).toBe(first.execution_id);
    expect(after.generated_at).toBe(made.generated_at);

    const text = await daybreak(['precompute', '--tickers', TICKERS], env);
    expect(text.out).toMatch(/^same NVDA19 .*inputs unchanged: report of precompute-\S+ carried forward/m);
    expect(text.out).toMatch(/reused: 3 report\(s\) carried forward/);

    const forced = await precompute(env, '--force');
    expect(forced).toMatchObject({ completed: 3, reused: 0, requested: { force: true } });
    const recomputed = await latestReport(env, 'NVDA19');
    expect(recomputed.execution_id).toBe(forced.execution_id);
    expect(recomputed.inputs_fingerprint).toBe(made.inputs_fingerprint);
  });

  it('recomputes only the ticker whose inputs changed (a corrected bar)', async () => {
    const env = freshEnv();
    await precompute(env);
    const store = await openSqliteStore(env.DATABASE_URL.slice('sqlite:'.length));
    const bars = (await store.getDailyBars('DBS19', 1))!;
    // A volume correction: DBS19's own report changes; the others' peers (correlations of closes) do not.
    await store.upsertDailyBars('DBS19', [{ ...bars.bars[0]!, volume: bars.bars[0]!.volume + 1000 }], bars.source);
    await store.close();
    const second = await precompute(env);
    expect(second).toMatchObject({ completed: 3, reused: 2 });
    expect(second.jobs!.find((j) => j.ticker === 'DBS19')!.reused_from).toBeNull();
    expect((await latestReport(env, 'DBS19')).execution_id).toBe(second.execution_id);
  });
});

describe('a backtest between two runs of the same day', () => {
  it('carries the report forward with the new track record, without making it again', async () => {
    const env = freshEnv();
    const first = await precompute(env);
    const made = await latestReport(env, 'NVDA19');
    expect(made.track_record).toBeNull();
    const store = await openSqliteStore(env.DATABASE_URL.slice('sqlite:'.length));
    const dates = ['2026-10-01', '2026-10-02', '2026-10-05'];
    await store.replaceBacktestCalls(
      { tickers: ['NVDA19'], from: dates[0]!, to: dates.at(-1)! },
      dates.map((date) => ({
        strategy: 'daybreak',
        ticker: 'NVDA19',
        business_date: date,
        origin: 'backtest',
        source: 'demo',
        as_of: date,
        recommendation: 'BUY',
        stance: 'bullish',
        confidence: 'medium',
        score: 0.4,
        close: 100,
        returns: { d1: 1, d5: 2, d21: 3 },
        excess: { d1: 0.5, d5: 1, d21: 1.5 },
        hit: { d1: true, d5: true, d21: true },
      })),
    );
    await store.close();
    const second = await precompute(env);
    expect(second).toMatchObject({ completed: 3, reused: 3 });
    expect(second.jobs!.map((j) => j.reused_from)).toEqual([first.execution_id, first.execution_id, first.execution_id]);
    const after = await latestReport(env, 'NVDA19');
    // The summary the reader sees is the one after the backtest; the narrative and chart are the first run's.
    expect(after.track_record).toMatchObject({ sample_size: 3, from: '2026-10-01', to: '2026-10-05' });
    expect(after).toMatchObject({ reused_from: first.execution_id, execution_id: second.execution_id, generated_at: made.generated_at });
    expect(after.narrative_report).toBe(made.narrative_report);
    expect(after.inputs_fingerprint).not.toBe(made.inputs_fingerprint);
    expect((await latestReport(env, 'DBS19')).execution_id).toBe(first.execution_id);
    // A third run finds nothing changed at all: nothing is written.
    const third = await precompute(env);
    expect(third).toMatchObject({ completed: 3, reused: 3 });
    expect((await latestReport(env, 'NVDA19')).execution_id).toBe(second.execution_id);
  });
});

describe('carrying a report forward to a new business date', () => {
  it('writes a new row for the date with reused_from and the same chart, without drawing one', async () => {
    const env = freshEnv({ NEWS_SOURCE: 'none' });
    const run = async (at: string) => {
      const app = await openDaybreak(loadConfig(env), { now: () => new Date(at) });
      try {
        const queue = app.openQueue();
        const execution = await runPrecompute(app.deps, queue, { tickers: ['NVDA19', 'DBS19'] }, 'manual');
        await queue.close();
        return execution;
      } finally {
        await app.close();
      }
    };
    // Tuesday and Wednesday mornings in Bangkok: the bars ingested on Tuesday are all there is on Wednesday.
    const first = await run('2026-11-24T00:30:00.000Z');
    const second = await run('2026-11-25T00:30:00.000Z');
    expect(first.business_date).toBe('2026-11-24');
    expect(second).toMatchObject({ business_date: '2026-11-25', completed: 2, reused: 2 });

    const store = await openSqliteStore(env.DATABASE_URL.slice('sqlite:'.length));
    try {
      const carried = (await store.getReport('NVDA19', '2026-11-25'))!;
      const original = (await store.getReport('NVDA19', '2026-11-24'))!;
      const body = JSON.parse(carried.body) as Report;
      const was = JSON.parse(original.body) as Report;
      expect(body).toMatchObject({ business_date: '2026-11-25', execution_id: second.execution_id, reused_from: first.execution_id });
      expect(body.narrative_report).toBe(was.narrative_report);
      expect(body.generated_at).toBe(was.generated_at);
      // Its track record is today's, not the one it was made with: Tuesday's call now counts (ungraded yet).
      expect(was.track_record).toBeNull();
      expect(body.track_record).toMatchObject({ sample_size: 1, from: '2026-11-24', to: '2026-11-24' });
      const chart = await store.getChartPng('NVDA19', '2026-11-25');
      expect(chart?.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      expect(chart).toEqual(await store.getChartPng('NVDA19', '2026-11-24'));
      // Both jobs carried the first run's report forward (neither drew a chart nor wrote a narrative).
      const jobs = await store.listJobs(second.execution_id);
      expect(jobs.every((j) => j.reused_from === first.execution_id)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('incremental runs with the LLM writer (loopback OpenAI-compatible fake)', () => {
  let fake: FakeOpenAiServer | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const llmEnv = (server: FakeOpenAiServer, extra: NodeJS.ProcessEnv = {}) =>
    freshEnv({ NARRATIVE_WRITER: 'llm', LLM_API_KEY: 'test-key-123', LLM_BASE_URL: server.baseURL, LLM_MODEL: 'openai/gpt-4o-mini', ...extra });
  const good = () => ({ content: GENERIC_THAI_ANSWER, usage: { prompt_tokens: 3000, completion_tokens: 900 } });

  it('makes no LLM call on the second run, and the fingerprint names the model', async () => {
    fake = await startFakeOpenAi({ script: good });
    const env = llmEnv(fake);
    await precompute(env);
    expect(fake.requests).toHaveLength(3);
    const second = await precompute(env);
    expect(second).toMatchObject({ reused: 3, cost_usd: 0 });
    expect(fake.requests).toHaveLength(3);

    // Another model is another input: every report is made again.
    const third = await precompute({ ...env, LLM_MODEL: 'openai/gpt-4o' });
    expect(third.reused).toBe(0);
    expect(fake.requests).toHaveLength(6);
  });

  it('makes again a report that fell back because the LLM was unavailable, once the LLM answers', async () => {
    let down = true;
    fake = await startFakeOpenAi({ script: () => (down ? { status: 503, message: 'upstream overloaded' } : good()) });
    const env = llmEnv(fake, { JOB_ATTEMPTS: '2' });
    const first = await precompute(env);
    expect(first.llm).toMatchObject({ llm_reports: 0 });
    expect((await latestReport(env, 'NVDA19')).narrative_writer).toBe('template');

    down = false;
    const calls = fake.requests.length;
    const second = await precompute(env);
    expect(second).toMatchObject({ reused: 0, llm: { llm_reports: 3 } });
    expect(fake.requests.length - calls).toBe(3);
    expect((await latestReport(env, 'NVDA19')).narrative_writer).toBe('llm');

    const third = await precompute(env);
    expect(third.reused).toBe(3);
    expect(fake.requests.length - calls).toBe(3);
  });

  it('carries forward a report whose LLM answer was rejected: asking again would cost money for the same inputs', async () => {
    fake = await startFakeOpenAi({ script: () => ({ content: 'Sorry, I cannot help with that.', usage: { prompt_tokens: 3000, completion_tokens: 10 } }) });
    const env = llmEnv(fake);
    const first = await precompute(env);
    expect(first.llm!.fallback_reports.rejected).toBe(3);
    const second = await precompute(env);
    expect(second.reused).toBe(3);
    expect(fake.requests).toHaveLength(3);
  });

  it('stops LLM calls for the day once LLM_DAILY_BUDGET_USD is spent, across runs and processes', async () => {
    fake = await startFakeOpenAi({ script: () => ({ ...good(), usage: { ...good().usage, cost: 0.01 } }) });
    const env = llmEnv(fake, { LLM_DAILY_BUDGET_USD: '0.015', WORKER_CONCURRENCY: '1', LLM_CONCURRENCY: '1' });
    // The whole universe first, so the later runs' peer sets (and so the fingerprints) are those of the first.
    expect((await daybreak(['ingest'], env)).code).toBe(0);
    // The first run spends $0.01, then $0.02 (the second call started under the limit): the third report falls back.
    const first = await precompute(env);
    expect(fake.requests).toHaveLength(2);
    expect(first.cost_usd).toBeCloseTo(0.02, 9);
    expect(first.warnings.join('\n')).toMatch(/llm daily budget of \$0\.0150 for \d{4}-\d{2}-\d{2} reached/);
    expect(first.llm!.fallback_reports.budget).toBe(1);

    // Another run of the same day (a new process: the limit is in the store) makes no call at all.
    const second = await daybreak(['precompute', '--tickers', 'AAPL19,MSFT19', '--json'], env);
    const summary = JSON.parse(second.out) as ExecutionSummary;
    expect(fake.requests).toHaveLength(2);
    expect(summary.llm).toMatchObject({ llm_reports: 0, fallback_reports: { budget: 2 } });
    const report = await latestReport(env, 'AAPL19');
    expect(report.narrative_writer).toBe('template');
    expect(report.warnings.join('\n')).toMatch(/llm daily budget .* reached .*template writer used/);

    // The day's budget is spent, so the fallback reports are carried forward rather than made again for nothing.
    const third = await precompute(env);
    expect(third.reused).toBe(3);
    expect(fake.requests).toHaveLength(2);
  });
});
