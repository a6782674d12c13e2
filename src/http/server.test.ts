import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { ADMIN_TOKEN, eventually, openSeededApp, serverOf, testClock, type TestApp } from './http.test-support.js';

const SEEDED = ['NVDA19', 'DBS19', 'TENCENT19', 'MSFT19'];
const clock = testClock('2026-11-27T03:00:00.000Z'); // 10:00 Friday in Bangkok: business date 2026-11-27

let t: TestApp;
let server: FastifyInstance;

beforeAll(async () => {
  t = await openSeededApp({ tickers: SEEDED, now: clock.now });
  server = await serverOf(t);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await t?.close();
});

const json = (body: string) => JSON.parse(body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GET /api/v1/report/:symbol', () => {
  it('serves the latest report by any symbol form, without chart_base64, with stale false and as_of', async () => {
    const bodies: string[] = [];
    for (const form of ['nvda', 'NVDA19', 'nvda19', 'NVDA']) {
      const res = await server.inject({ url: `/api/v1/report/${form}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      bodies.push(res.body);
    }
    expect(new Set(bodies).size).toBe(1);
    const report = json(bodies[0]!);
    expect(report).toMatchObject({ ticker: 'NVDA19', stale: false, business_date: '2026-11-27', as_of: '2026-11-27', data_source: 'demo' });
    expect(report).not.toHaveProperty('chart_base64');
    expect(report.chart_url).toBe(`/api/v1/report/NVDA19/chart.png?v=${report.execution_id}`);

    const head = await server.inject({ method: 'HEAD', url: '/api/v1/report/nvda' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(bodies[0]!));

    const dbs = await server.inject({ url: '/api/v1/report/d05.si' });
    expect(dbs.statusCode).toBe(200);
    expect(json(dbs.body).ticker).toBe('DBS19');
  });

  it('answers 304 to If-None-Match with its ETag, and 200 to another', async () => {
    const first = await server.inject({ url: '/api/v1/report/NVDA19' });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"precompute-20261127-100000(-\d+)?-[\w-]{16}"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    expect(first.headers.vary).toBe('accept-encoding');
    const again = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const weakList = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(weakList.statusCode).toBe(304);
    const other = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'if-none-match': '"something-else"' } });
    expect(other.statusCode).toBe(200);
  });

  it('sends gzip and brotli that decode to the same JSON, each with its own ETag that still revalidates', async () => {
    const plain = await server.inject({ url: '/api/v1/report/NVDA19' });
    const gz = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(Number(gz.headers['content-length'])).toBeLessThan(plain.rawPayload.length / 2);
    // Brotli is made in the background on first demand; gzip is served meanwhile.
    const br = await eventually(async () => {
      const res = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'accept-encoding': 'gzip, deflate, br' } });
      return res.headers['content-encoding'] === 'br' ? res : undefined;
    });
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const revalidated = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.etag as string } });
    expect(revalidated.statusCode).toBe(304);
    const refused = await server.inject({ url: '/api/v1/report/NVDA19', headers: { 'accept-encoding': 'br;q=0, gzip;q=0' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });

  it('says stale: true once the business date has passed, and serves the latest available report meanwhile', async () => {
    const fresh = await server.inject({ url: '/api/v1/report/TENCENT19' });
    clock.set('2026-11-28T02:00:00.000Z'); // Saturday 09:00 in Bangkok: no report for today
    try {
      const res = await server.inject({ url: '/api/v1/report/TENCENT19' });
      expect(res.statusCode).toBe(200);
      const report = json(res.body);
      expect(report).toMatchObject({ stale: true, business_date: '2026-11-27', as_of: '2026-11-27' });
      expect(res.headers.etag).not.toBe(fresh.headers.etag);
      const { stale: _a, ...restStale } = report;
      const { stale: _b, ...restFresh } = json(fresh.body);
      expect(restStale).toEqual(restFresh);
    } finally {
      clock.set('2026-11-27T03:00:00.000Z');
    }
  });

  it('serves a report of an older business date, marked stale, when that is the latest there is', async () => {
    const source = await t.app.deps.store.getLatestReport('NVDA19');
    const old = { ...json(source!.body), ticker: 'HONDA19', company_name: 'Honda Motor Co., Ltd.', business_date: '2026-11-20', as_of: '2026-11-20' };
    await t.app.deps.store.saveReport(
      { ticker: 'HONDA19', business_date: '2026-11-20', as_of: '2026-11-20', execution_id: 'precompute-20261120-050000', generated_at: '2026-11-19T22:01:00.000Z', data_source: 'demo', body: JSON.stringify(old) },
      null,
    );
    await server.reportCache.refresh();
    const res = await server.inject({ url: '/api/v1/report/honda' });
    expect(res.statusCode).toBe(200);
    expect(json(res.body)).toMatchObject({ ticker: 'HONDA19', stale: true, as_of: '2026-11-20', business_date: '2026-11-20' });
  });

  it('answers an unknown symbol with 404 and suggestions, a known one without a report with 404 report_not_ready', async () => {
    const unknown = await server.inject({ url: '/api/v1/report/NVDX' });
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown.body)).toEqual({
      error: { code: 'unknown_ticker', message: 'unknown ticker "NVDX"; did you mean NVDA19?', details: { input: 'NVDX', suggestions: ['NVDA19'] } },
    });
    const notReady = await server.inject({ url: '/api/v1/report/SIA19' });
    expect(notReady.statusCode).toBe(404);
    expect(json(notReady.body).error).toMatchObject({ code: 'report_not_ready', details: { ticker: 'SIA19' } });
    expect(json(notReady.body).error.message).toMatch(/SIA19 is known but has no report yet/);
    const bad = await server.inject({ url: '/api/v1/report/%24%7Bjndi%7D' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad.body).error.code).toBe('invalid_request');
    const badUrl = await server.inject({ url: '/api/v1/report/%E0%A4%A' });
    expect(badUrl.statusCode).toBe(400);
    expect(json(badUrl.body).error.code).toBe('bad_request');
    const badInclude = await server.inject({ url: '/api/v1/report/NVDA19?include=everything' });
    expect(badInclude.statusCode).toBe(400);
  });

  it('adds chart_base64 only when asked', async () => {
    const res = await server.inject({ url: '/api/v1/report/NVDA19?include=chart_base64', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    const report = JSON.parse(gunzipSync(res.rawPayload).toString());
    expect(Buffer.from(report.chart_base64, 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('picks up a report written by another process within the poll interval', async () => {
    const other = await openSqliteStore(t.dbPath);
    try {
      const current = (await other.getLatestReport('DBS19'))!;
      const body = { ...json(current.body), warnings: ['written by another process'], generated_at: '2026-11-27T03:30:00.000Z' };
      const writtenAt = performance.now();
      await other.saveReport({ ...current, generated_at: '2026-11-27T03:30:00.000Z', body: JSON.stringify(body) }, null);
      const seen = await eventually(async () => {
        const report = json((await server.inject({ url: '/api/v1/report/DBS19' })).body);
        return report.warnings[0] === 'written by another process' ? report : undefined;
      }, 5_000);
      expect(seen.generated_at).toBe('2026-11-27T03:30:00.000Z');
      expect(performance.now() - writtenAt).toBeLessThan(1_500); // poll interval here: 100 ms
    } finally {
      await other.close();
    }
  });
});

describe('GET /api/v1/report/:symbol/chart.png', () => {
  it('serves the PNG, immutable for a year under the versioned URL', async () => {
    const report = json((await server.inject({ url: '/api/v1/report/NVDA19' })).body);
    const res = await server.inject({ url: report.chart_url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const unversioned = await server.inject({ url: '/api/v1/report/nvda/chart.png' });
    expect(unversioned.headers['cache-control']).toBe('public, max-age=300');
    expect((await server.inject({ url: '/api/v1/report/nvda/chart.png', headers: { 'if-none-match': res.headers.etag as string } })).statusCode).toBe(304);
    expect((await server.inject({ url: '/api/v1/report/HONDA19/chart.png' })).statusCode).toBe(404);
  });
});

describe('on-demand generation', () => {
  it('returns a job id at once (202), which can be polled until the report is there', async () => {
    const started = await server.inject({ method: 'POST', url: '/api/v1/report/aapl' });
    expect(started.statusCode).toBe(202);
    const job = json(started.body);
    expect(job).toMatchObject({ ticker: 'AAPL19', status: expect.stringMatching(/^(pending|in_progress)$/), report_url: null });
    expect(job.job_id).toMatch(/^rpt_AAPL19_precompute-/);
    expect(started.headers.location).toBe(job.status_url);
    expect(job.status_url).toBe(`/api/v1/report/status/${job.job_id}`);

    const done = await eventually(async () => {
      const status = json((await server.inject({ url: job.status_url })).body);
      return status.status === 'completed' || status.status === 'failed' ? status : undefined;
    });
    expect(done).toMatchObject({ job_id: job.job_id, status: 'completed', source: 'api', report_url: '/api/v1/report/AAPL19' });
    // Reloaded on the worker's JOB_ENDED event: no poll needed.
    const report = await eventually(async () => {
      const res = await server.inject({ url: '/api/v1/report/AAPL19' });
      return res.statusCode === 200 ? json(res.body) : undefined;
    }, 1_000);
    expect(report.execution_id).toBe(job.execution_id);
    const execution = json((await server.inject({ url: `/api/v1/executions/${job.execution_id}` })).body);
    expect(execution).toMatchObject({ source: 'api', requested: { tickers: ['AAPL19'] }, status: 'completed', total: 1 });
  });

  it('answers 200 with the completed job when today\'s report is current; force_refresh is an admin action', async () => {
    const existing = await server.inject({ method: 'POST', url: '/api/v1/report/MSFT19', payload: {} });
    expect(existing.statusCode).toBe(200);
    expect(json(existing.body)).toMatchObject({ ticker: 'MSFT19', status: 'completed', report_url: '/api/v1/report/MSFT19' });

    // Nobody can make us pay twice: an anonymous force_refresh is refused before anything runs.
    for (const anonymous of [
      { method: 'POST' as const, url: '/api/v1/report/MSFT19', payload: { force_refresh: true } },
      { method: 'POST' as const, url: '/api/v1/report/MSFT19?force_refresh=true' },
      { method: 'POST' as const, url: '/api/v1/report/MSFT19?force_refresh=true', headers: { authorization: 'Bearer not-the-token' } },
    ]) {
      const refused = await server.inject(anonymous);
      expect(refused.statusCode).toBe(401);
      expect(json(refused.body).error.code).toBe('unauthorized');
    }
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const forced = await server.inject({ method: 'POST', url: '/api/v1/report/MSFT19', payload: { force_refresh: true }, headers: auth });
    expect(forced.statusCode).toBe(202);
    const again = await server.inject({ method: 'POST', url: '/api/v1/report/MSFT19?force_refresh=true', headers: auth });
    // A second request while the first job runs gets the same job (or, if it already ended, a new one).
    expect([200, 202]).toContain(again.statusCode);
    const forcedJob = json(forced.body);
    const done = await eventually(async () => {
      const status = json((await server.inject({ url: forcedJob.status_url })).body);
      return status.status === 'completed' ? status : undefined;
    });
    const execution = json((await server.inject({ url: `/api/v1/executions/${done.execution_id}` })).body);
    expect(execution).toMatchObject({ requested: { tickers: ['MSFT19'], force: true }, reused: 0 });
  });

  it('generates anonymously only when today\'s report is missing or its inputs changed', async () => {
    const unchanged = await server.inject({ method: 'POST', url: '/api/v1/report/TENCENT19' });
    expect(unchanged.statusCode).toBe(200);
    // A corrected bar is a changed input: the anonymous request now makes the report again.
    const store = t.app.deps.store;
    const bars = (await store.getDailyBars('TENCENT19', 1))!;
    await store.upsertDailyBars('TENCENT19', [{ ...bars.bars[0]!, volume: bars.bars[0]!.volume + 1 }], bars.source);
    const changed = await server.inject({ method: 'POST', url: '/api/v1/report/TENCENT19' });
    expect(changed.statusCode).toBe(202);
    const job = json(changed.body);
    const done = await eventually(async () => {
      const status = json((await server.inject({ url: job.status_url })).body);
      return status.status === 'completed' ? status : undefined;
    });
    expect(done.reused_from).toBeNull();
    expect((await server.inject({ method: 'POST', url: '/api/v1/report/TENCENT19' })).statusCode).toBe(200);
  });

  it('gives concurrent requests for the same ticker one job', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => server.inject({ method: 'POST', url: '/api/v1/report/COSTCO19' })));
    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202]);
    const ids = new Set(responses.map((r) => json(r.body).job_id));
    expect(ids.size).toBe(1);
    const [jobId] = [...ids];
    await eventually(async () => {
      const status = json((await server.inject({ url: `/api/v1/report/status/${jobId}` })).body);
      return status.status === 'completed' ? status : undefined;
    });
  });

  it('rejects bad bodies and ids', async () => {
    const badBody = await server.inject({ method: 'POST', url: '/api/v1/report/NVDA19', payload: { force_refresh: 'sometimes' } });
    expect(badBody.statusCode).toBe(400);
    expect(json(badBody.body).error).toMatchObject({ code: 'invalid_request', details: { in: 'body' } });
    const extra = await server.inject({ method: 'POST', url: '/api/v1/report/NVDA19', payload: { force: true } });
    expect(extra.statusCode).toBe(400);
    const notJson = await server.inject({ method: 'POST', url: '/api/v1/report/NVDA19', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(notJson.statusCode).toBe(400);
    expect(json(notJson.body).error.message).not.toMatch(/\n\s+at /);
    const unknownTicker = await server.inject({ method: 'POST', url: '/api/v1/report/NVDX' });
    expect(unknownTicker.statusCode).toBe(404);
    const badJob = await server.inject({ url: '/api/v1/report/status/not-a-job' });
    expect(badJob.statusCode).toBe(400);
    const missingJob = await server.inject({ url: '/api/v1/report/status/rpt_NVDA19_precompute-20200101-000000' });
    expect(missingJob.statusCode).toBe(404);
    expect(json(missingJob.body).error.code).toBe('job_not_found');
  });
});

describe('POST /api/v1/precompute (admin)', () => {
  it('needs the bearer token: 401 without it or with a wrong one', async () => {
    const none = await server.inject({ method: 'POST', url: '/api/v1/precompute', payload: {} });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(json(none.body).error.code).toBe('unauthorized');
    const wrong = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: { authorization: 'Bearer nope' }, payload: {} });
    expect(wrong.statusCode).toBe(401);
    const almost = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: { authorization: `Bearer ${ADMIN_TOKEN}x` } });
    expect(almost.statusCode).toBe(401);
    const basic = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: { authorization: `Basic ${ADMIN_TOKEN}` } });
    expect(basic.statusCode).toBe(401);
    // Authentication comes before the body: a bad body without the token is still 401.
    const badBodyNoToken = await server.inject({ method: 'POST', url: '/api/v1/precompute', payload: { limit: 'x' } });
    expect(badBodyNoToken.statusCode).toBe(401);
  });

  it('validates the body like the CLI flags: 400 with the reason', async () => {
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    for (const payload of [{ limit: 0 }, { limit: 'ten' }, { tickers: 'NVDA19' }, { tickers: [] }, { everything: true }, { only_failed: 'a b' }]) {
      const res = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: auth, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(json(res.body).error.code).toBe('invalid_request');
    }
    const both = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: auth, payload: { tickers: ['NVDA19'], only_failed: 'precompute-20261127-100000' } });
    expect(json(both.body).error.message).toBe('only_failed and tickers cannot be combined');
    const unknown = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: auth, payload: { tickers: ['NVDX'] } });
    expect(unknown.statusCode).toBe(400);
    expect(json(unknown.body).error).toMatchObject({ code: 'unknown_ticker', details: { suggestions: ['NVDA19'] } });
    const noSuchRun = await server.inject({ method: 'POST', url: '/api/v1/precompute', headers: auth, payload: { only_failed: 'precompute-20200101-000000' } });
    expect(noSuchRun.statusCode).toBe(400);
    expect(json(noSuchRun.body).error.message).toMatch(/no execution precompute-20200101-000000/);
  });

  it('starts a run with the token: 202 with the execution id, which runs to the end in the background', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/api/v1/precompute',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { tickers: ['nvda', 'DBS19'] },
    });
    expect(res.statusCode).toBe(202);
    const body = json(res.body);
    expect(body).toMatchObject({ status: 'running', source: 'manual', total: 2 });
    expect(body.status_url).toBe(`/api/v1/executions/${body.execution_id}`);
    const finished = await eventually(async () => {
      const e = json((await server.inject({ url: body.status_url })).body);
      return e.status === 'running' ? undefined : e;
    });
    expect(finished).toMatchObject({ status: 'completed', completed: 2, failed: 0 });
    expect(finished.jobs.map((j: { ticker: string; status: string }) => [j.ticker, j.status])).toEqual([
      ['DBS19', 'completed'],
      ['NVDA19', 'completed'],
    ]);
  });

  it('is closed (503) when no admin token is configured', async () => {
    const closed = await serverOf(t, { config: { DAYBREAK_ADMIN_TOKEN: undefined } });
    try {
      const res = await closed.inject({ method: 'POST', url: '/api/v1/precompute', headers: { authorization: 'Bearer anything-at-all-here' } });
      expect(res.statusCode).toBe(503);
      expect(json(res.body).error.code).toBe('admin_disabled');
    } finally {
      await closed.close();
    }
  });
});

describe('rate limit on writes', () => {
  it('answers 429 in the error envelope past the per-IP limit, shared by every write route', async () => {
    const limited = await serverOf(t, { config: { RATE_LIMIT_WRITES_PER_MIN: 3 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.inject({ method: 'POST', url: '/api/v1/report/MSFT19' })).statusCode);
      expect(codes).toEqual([200, 200, 200]);
      const over = await limited.inject({ method: 'POST', url: '/api/v1/precompute', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(over.statusCode).toBe(429);
      expect(over.headers['retry-after']).toBeDefined();
      expect(json(over.body).error).toMatchObject({ code: 'rate_limited', details: { limit_per_minute: 3 } });
      const otherIp = await limited.inject({ method: 'POST', url: '/api/v1/report/MSFT19', remoteAddress: '10.1.2.3' });
      expect(otherIp.statusCode).toBe(200);
      // Reads are not limited.
      expect((await limited.inject({ url: '/api/v1/report/MSFT19' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('search and rankings', () => {
  it('finds tickers by symbol, Yahoo symbol and name, exact matches first', async () => {
    const nvda = json((await server.inject({ url: '/api/v1/search?q=nvda' })).body);
    expect(nvda.results[0]).toMatchObject({ ticker: 'NVDA19', yahoo_symbol: 'NVDA', match: 'exact', report: { stale: false } });
    const dbs = json((await server.inject({ url: '/api/v1/search?q=D05.SI' })).body);
    expect(dbs.results[0].ticker).toBe('DBS19');
    const bank = json((await server.inject({ url: '/api/v1/search?q=bank&limit=50' })).body);
    expect(bank.results.length).toBeGreaterThan(1);
    expect(bank.results.every((r: { company_name: string }) => /bank/i.test(r.company_name))).toBe(true);
    const limited = json((await server.inject({ url: '/api/v1/search?q=1&limit=2' })).body);
    expect(limited.results).toHaveLength(2);
    for (const url of ['/api/v1/search', '/api/v1/search?q=', `/api/v1/search?q=${'x'.repeat(51)}`, '/api/v1/search?q=a&limit=0', '/api/v1/search?q=a&limit=51']) {
      expect((await server.inject({ url })).statusCode, url).toBe(400);
    }
  });

  it('ranks the stored reports in each category', async () => {
    // Reports with known moves, written straight to the store.
    const base = json((await t.app.deps.store.getLatestReport('NVDA19'))!.body);
    const moves: [string, number, number][] = [
      ['SMFG19', 16.5, 1.1],
      ['UOB19', -14.25, 8.4],
      ['VNM19', 0.5, 9.1],
    ];
    for (const [ticker, change, ratio] of moves) {
      const body = { ...base, ticker, price_change_pct: change, indicators: { ...base.indicators, volume_ratio: ratio } };
      await t.app.deps.store.saveReport(
        { ticker, business_date: '2026-11-27', as_of: '2026-11-27', execution_id: 'precompute-20261127-050000', generated_at: '2026-11-27T00:00:00.000Z', data_source: 'demo', body: JSON.stringify(body) },
        null,
      );
    }
    await server.reportCache.refresh();
    const get = async (q: string) => json((await server.inject({ url: `/api/v1/rankings?${q}` })).body);

    const gainers = await get('category=top_gainers&limit=50');
    expect(gainers.items[0]).toMatchObject({ ticker: 'SMFG19', price_change_pct: 16.5, volume_ratio: 1.1, stale: false, data_source: 'demo' });
    expect(gainers.items.every((i: { price_change_pct: number }) => i.price_change_pct > 0)).toBe(true);
    expect(Object.keys(gainers.items[0]).sort()).toEqual(
      ['ticker', 'company_name', 'price', 'price_change_pct', 'currency', 'stance', 'volume_ratio', 'as_of', 'business_date', 'stale', 'data_source'].sort(),
    );
    const losers = await get('category=top_losers');
    expect(losers.items[0].ticker).toBe('UOB19');
    expect(losers.items.every((i: { price_change_pct: number }) => i.price_change_pct < 0)).toBe(true);
    const surge = await get('category=volume_surge');
    expect(surge.items.slice(0, 2).map((i: { ticker: string }) => i.ticker)).toEqual(['VNM19', 'UOB19']);
    expect(surge.items.every((i: { volume_ratio: number }) => i.volume_ratio >= 1.5)).toBe(true);
    const trending = await get('category=trending&limit=2');
    expect(trending.rule).toMatch(/\|price_change_pct\| \+ volume_ratio/);
    expect(trending.items.map((i: { ticker: string; score: number }) => [i.ticker, i.score])).toEqual([
      ['UOB19', 22.65],
      ['SMFG19', 17.6],
    ]);
    expect((await server.inject({ url: '/api/v1/rankings?category=hot' })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/v1/rankings' })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/v1/rankings?category=trending&limit=51' })).statusCode).toBe(400);
  });

  it('lists the registry with each ticker\'s stance and freshness', async () => {
    const res = json((await server.inject({ url: '/api/v1/tickers' })).body);
    expect(res.count).toBe(56);
    expect(res.today).toBe('2026-11-27');
    expect(res.tickers.find((x: { ticker: string }) => x.ticker === 'NVDA19').report).toMatchObject({ stale: false, as_of: '2026-11-27' });
    expect(res.tickers.find((x: { ticker: string }) => x.ticker === 'SIA19').report).toBeNull();
  });
});

describe('executions', () => {
  it('lists executions newest first and shows one with per-ticker status', async () => {
    const list = json((await server.inject({ url: '/api/v1/executions?limit=50' })).body);
    expect(list.executions.length).toBeGreaterThanOrEqual(1);
    const seed = list.executions.at(-1);
    expect(seed).toMatchObject({ source: 'manual', status: 'completed', total: 4, completed: 4, failed: 0, pending: 0 });
    expect(seed).not.toHaveProperty('jobs');
    const detail = json((await server.inject({ url: seed.url })).body);
    expect(detail.jobs.map((j: { ticker: string }) => j.ticker)).toEqual(['DBS19', 'MSFT19', 'NVDA19', 'TENCENT19']);
    expect(detail.jobs[0]).toMatchObject({ status: 'completed', attempts: 1, error: null });
    expect(detail.failures).toEqual([]);
    expect((await server.inject({ url: '/api/v1/executions/precompute-20200101-000000' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/api/v1/executions/a%20b' })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/v1/executions?limit=0' })).statusCode).toBe(400);
    expect((await server.inject({ url: '/api/v1/executions?status=sleeping' })).statusCode).toBe(400);
  });
});

describe('ops', () => {
  it('reports health with store and queue readiness', async () => {
    const res = await server.inject({ url: '/api/v1/health' });
    expect(res.statusCode).toBe(200);
    expect(json(res.body)).toMatchObject({ status: 'ok', store: { ok: true, kind: 'sqlite' }, queue: { ok: true, kind: 'memory' }, today: '2026-11-27' });
    expect(json(res.body).reports_cached).toBeGreaterThanOrEqual(4);
  });

  it('answers 503 when the store is down, and degraded when the queue is', async () => {
    const broken = await serverOf(t, { checkQueue: async () => ({ ok: false, error: 'redis down' }) });
    const store = t.app.deps.store;
    const real = store.listExecutions.bind(store);
    try {
      expect(json((await broken.inject({ url: '/api/v1/health' })).body)).toMatchObject({ status: 'degraded', queue: { ok: false, error: 'redis down' } });
      store.listExecutions = async () => {
        throw new Error('SQLITE_IOERR: disk I/O error');
      };
      const down = await broken.inject({ url: '/api/v1/health' });
      expect(down.statusCode).toBe(503);
      expect(json(down.body)).toMatchObject({ status: 'down', store: { ok: false, error: 'SQLITE_IOERR: disk I/O error' } });
      // An unexpected error elsewhere is a 500 in the envelope, with nothing of the inside.
      const failing = await broken.inject({ url: '/api/v1/executions' });
      expect(failing.statusCode).toBe(500);
      expect(json(failing.body)).toEqual({
        error: { code: 'internal_error', message: 'internal error: the server could not answer; the problem has been logged', details: {} },
      });
    } finally {
      store.listExecutions = real;
      await broken.close();
    }
  });

  it('exposes Prometheus metrics', async () => {
    await server.inject({ url: '/api/v1/report/NVDA19' });
    const res = await server.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    for (const name of [
      'daybreak_jobs{status="completed"}',
      'daybreak_job_duration_seconds_bucket',
      'daybreak_jobs_ended_total',
      'daybreak_http_request_duration_seconds_bucket{le="0.001",method="GET",route="/api/v1/report/:symbol",status_code="200"}',
      'daybreak_reports_cached',
      'process_cpu_user_seconds_total',
    ]) {
      expect(res.body).toContain(name);
    }
  });

  it('publishes an OpenAPI document listing every path', async () => {
    const doc = json((await server.inject({ url: '/api/v1/openapi.json' })).body);
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/brief',
        '/api/v1/executions',
        '/api/v1/executions/{id}',
        '/api/v1/health',
        '/api/v1/openapi.json',
        '/api/v1/precompute',
        '/api/v1/rankings',
        '/api/v1/report/status/{job_id}',
        '/api/v1/report/{symbol}',
        '/api/v1/report/{symbol}/chart.png',
        '/api/v1/search',
        '/api/v1/subscriptions',
        '/api/v1/subscriptions/{id}',
        '/api/v1/tickers',
        '/api/v1/track-record',
        '/api/v1/track-record/{symbol}',
        '/api/v1/me/watchlist',
        '/webhooks/line',
        '/webhooks/telegram',
        '/metrics',
      ].sort(),
    );
    expect(doc.paths['/api/v1/precompute'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/api/v1/subscriptions'].post.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.ErrorEnvelope).toBeDefined();
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await server.inject({ url: '/api/v1/nothing' });
    expect(res.statusCode).toBe(404);
    expect(json(res.body).error.code).toBe('not_found');
  });
});

describe('web page', () => {
  it('serves index.html at / and the page\'s files under /assets, never outside its folder', async () => {
    const index = await server.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toMatch(/<title>Daybreak<\/title>/);
    const font = await server.inject({ url: '/assets/fonts/sarabun/400Regular/Sarabun_400Regular.ttf' });
    expect(font.statusCode).toBe(200);
    expect(font.headers['content-type']).toBe('font/ttf');
    expect((await server.inject({ url: '/assets/%2e%2e/server.ts' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/assets/../../package.json' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/assets/fonts/sarabun/package.json' })).statusCode).toBe(404);
    expect((await server.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    const revalidated = await server.inject({ url: '/', headers: { 'if-none-match': index.headers.etag as string } });
    expect(revalidated.statusCode).toBe(304);
  });

  it('serves a placeholder when the page is not installed', async () => {
    const bare = await serverOf(t, { webRoot: null });
    try {
      const res = await bare.inject({ url: '/' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatch(/not installed/);
      expect((await bare.inject({ url: '/assets/app.js' })).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
