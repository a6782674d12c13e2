import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrecompute } from '../pipeline/precompute.js';
import type { Report } from '../report/report.js';
import { runBacktest } from '../track-record/backtest.js';
import type { TrackRecord } from '../report/track-record/track-record.js';
import { openSeededApp, serverOf, testClock, type TestApp } from './http.test-support.js';

let t: TestApp;
let server: FastifyInstance;
let base: string;
let symbol: string;
const clock = testClock();

beforeAll(async () => {
  t = await openSeededApp({ universe: 6, now: clock.now, env: { REPORT_LANGUAGE: 'en' } });
  const active = t.app.deps.registry.active().map((x) => x.symbol);
  symbol = active[0]!;
  expect((await runPrecompute(t.app.deps, t.queue, { tickers: active }, 'manual')).status).toBe('completed');
  await runBacktest(
    { store: t.app.deps.store, registry: t.app.deps.registry, hasNews: true, settings: t.app.deps.settings },
    { from: '2026-01-01', to: '2026-11-20' },
  );
  server = await serverOf(t);
  base = await server.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: await res.json() };
}

describe('GET /api/v1/track-record', () => {
  it('serves the universe: calls, the summary per call and horizon with Wilson intervals, and the four baselines', async () => {
    const { status, body } = await get('/api/v1/track-record');
    expect(status).toBe(200);
    const record = body as TrackRecord;
    expect(record.sample_size).toBeGreaterThan(1000);
    expect(record.calls.length).toBe(500); // the newest 500 by default
    expect(record.calls[0]).toEqual({
      ticker: expect.any(String),
      business_date: expect.any(String),
      as_of: expect.any(String),
      source: 'backtest',
      recommendation: expect.stringMatching(/^(BUY|HOLD|SELL)$/),
      stance: expect.any(String),
      confidence: expect.any(String),
      close: expect.any(Number),
      returns: { d1: expect.any(Number), d5: expect.any(Number), d21: expect.anything() },
      excess: expect.any(Object),
      hit: expect.any(Object),
    });
    expect(record.summary).toHaveLength(9);
    expect(record.baselines.map((b) => b.strategy)).toEqual(['sma_50_200', 'macd_signal', 'rsi_30_70', 'bollinger_reversion']);
    expect(record.verdict.every((v) => ['better', 'worse', 'no_clear_difference', 'not_enough_data'].includes(v.outcome))).toBe(true);
  });

  it('serves one ticker in any symbol form, one horizon, and says why bad input is refused', async () => {
    const { status, body } = await get(`/api/v1/track-record/${symbol.toLowerCase()}?horizon=21`);
    expect(status).toBe(200);
    expect(body.ticker).toBe(symbol);
    expect(body.calls.every((c: { ticker: string }) => c.ticker === symbol)).toBe(true);
    expect(new Set(body.summary.map((r: { horizon: number }) => r.horizon))).toEqual(new Set([21]));

    const unknown = await get('/api/v1/track-record/NVDAX19');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_ticker', details: { suggestions: expect.any(Array) } });
    const horizon = await get(`/api/v1/track-record/${symbol}?horizon=3`);
    expect(horizon.status).toBe(400);
    expect(horizon.body.error.code).toBe('invalid_request');
  });

  it('a report made after the backtest carries its ticker\'s track record and quotes it, with the sample size', async () => {
    clock.set('2026-11-30T03:00:00.000Z');
    expect((await runPrecompute(t.app.deps, t.queue, { tickers: [symbol] }, 'manual')).status).toBe('completed');
    const report = JSON.parse((await t.app.deps.store.getLatestReport(symbol))!.body) as Report;
    const tr = report.track_record!;
    expect(tr.sample_size).toBeGreaterThan(150);
    const d5 = tr.directional.find((d) => d.horizon === 5)!;
    expect(d5.count).toBeGreaterThanOrEqual(30);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    expect(report.narrative_report).toContain(
      `of the last ${d5.count} BUY and SELL calls on this ticker graded over five trading days, ${pct(d5.hit_rate!)} went the way of the call (95% interval ${pct(d5.hit_rate_ci95![0])} to ${pct(d5.hit_rate_ci95![1])})`,
    );
    // Its own call is recorded, ungraded until later bars arrive.
    const calls = await t.app.deps.store.listCalls({ tickers: [symbol], strategies: ['daybreak'], from: '2026-11-30' });
    expect(calls).toMatchObject([{ origin: 'report', source: 'manual', recommendation: report.recommendation, returns: { d1: null } }]);
  }, 60_000);
});
