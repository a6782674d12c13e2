import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import type { Report } from '../report/report.js';
import { type FakeOpenAiServer, GENERIC_THAI_ANSWER, startFakeOpenAi } from '../narrative/fake-openai-server.js';
import { daybreak } from './run-cli.test-support.js';


let fake: FakeOpenAiServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function envFor(server: FakeOpenAiServer, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-llm-'));
  return {
    DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`,
    CHART_THREADS: '0',
    NARRATIVE_WRITER: 'llm',
    LLM_API_KEY: 'test-key-123',
    LLM_BASE_URL: server.baseURL,
    LLM_MODEL: 'openai/gpt-4o-mini',
    JOB_BACKOFF_MS: '1',
    ...extra,
  };
}

describe('precompute with the LLM writer (loopback OpenAI-compatible fake)', () => {
  it('writes narratives with the LLM, injects the numbers, and adds the cost to the execution', async () => {
    fake = await startFakeOpenAi({
      script: () => ({ content: GENERIC_THAI_ANSWER, usage: { prompt_tokens: 3000, completion_tokens: 900 } }),
    });
    const env = envFor(fake, { LLM_BUDGET_USD: 'none' });
    const run = await daybreak(['precompute', '--tickers', 'NVDA19,DBS19,TENCENT19', '--json'], env);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as ExecutionSummary;
    expect(fake.requests).toHaveLength(3);
    expect(summary.llm).toMatchObject({ llm_reports: 3, calls: 3, input_tokens: 9000, output_tokens: 2700 });
    // gpt-4o-mini list price: $0.15 / $0.60 per million tokens.
    const perReport = (3000 * 0.15 + 900 * 0.6) / 1e6;
    expect(summary.cost_usd).toBeCloseTo(3 * perReport, 9);

    const report = JSON.parse((await daybreak(['report', 'NVDA19', '--json'], env)).out) as Report;
    expect(report).toMatchObject({ narrative_writer: 'llm', api_costs: { writer: 'llm', model: 'openai/gpt-4o-mini', input_tokens: 3000, output_tokens: 900 } });
    expect(report.api_costs.usd).toBeCloseTo(perReport, 12);
    expect(report.narrative_report).not.toMatch(/\{[A-Z_]+\}/);
    expect(report.narrative_report).toContain(`${report.indicators.rsi_14!.toFixed(1)}`);
    expect(report.quality_scores.faithfulness.score).toBe(100);
  });

  it('falls back to the template writer for the rest of the run after a 402, and says so on reports and the execution', async () => {
    fake = await startFakeOpenAi({ script: () => ({ status: 402, message: 'Insufficient credits' }) });
    const env = envFor(fake, { WORKER_CONCURRENCY: '1', LLM_CONCURRENCY: '1' });
    const run = await daybreak(['precompute', '--tickers', 'NVDA19,DBS19,TENCENT19', '--json'], env);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as ExecutionSummary;
    expect(fake.requests).toHaveLength(1);
    expect(summary.warnings.join('\n')).toMatch(/payment required \(402\)/);
    expect(summary.llm).toMatchObject({ llm_reports: 0 });
    const report = JSON.parse((await daybreak(['report', 'DBS19', '--json'], env)).out) as Report;
    expect(report.narrative_writer).toBe('template');
    expect(report.warnings.join('\n')).toMatch(/402/);
  });

  it('stops calling the LLM when the run budget is spent', async () => {
    fake = await startFakeOpenAi({ script: () => ({ content: GENERIC_THAI_ANSWER, usage: { prompt_tokens: 3000, completion_tokens: 900, cost: 0.01 } }) });
    const run = await daybreak(
      ['precompute', '--tickers', 'NVDA19,DBS19,TENCENT19,AAPL19,MSFT19', '--json'],
      envFor(fake, { LLM_BUDGET_USD: '0.015', WORKER_CONCURRENCY: '1', LLM_CONCURRENCY: '1' }),
    );
    const summary = JSON.parse(run.out) as ExecutionSummary;
    expect(summary.status).toBe('completed');
    expect(fake.requests.length).toBeLessThan(5);
    // Calls are booked at an upper-bound estimate from the price table; a provider that bills more than that can
    // take the run past its limit by at most the one call that crossed it.
    expect(summary.llm!.spent_usd).toBeLessThanOrEqual(0.015 + 0.01 + 1e-9);
    expect(summary.warnings.join('\n')).toMatch(/llm budget of \$0\.0150 reached/);
    expect(summary.llm!.fallback_reports.budget).toBeGreaterThanOrEqual(1);
  });
});
