import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryLaterError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from '../report/daily-bar.js';
import {
  classifyYahooError,
  createYahooClient,
  parseRetryAfter,
  YahooHttpError,
  YahooNetworkError,
  YahooTimeoutError,
  YahooUnavailableError,
  type YahooClientOptions,
} from './yahoo-client.js';
import { startFakeYahoo, type FakeYahoo, type FakeYahooOptions } from './yahoo-fake-server.js';
import { YahooMarketData } from './yahoo-market-data.js';
import { YahooNewsSource } from './yahoo-news.js';

const LAST_DATE = '2026-03-06'; // a Friday: the fake's last trading day
const REQUEST = { endDate: LAST_DATE, minBars: 400 };

function ticker(yahooSymbol: string, type: 'stock' | 'etf' = 'stock'): Ticker {
  return { symbol: 'TEST19', yahooSymbol, name: 'Test', exchange: 'NASDAQ', currency: 'USD', sector: null, type, active: true };
}

let fake: FakeYahoo;
const warnings: string[] = [];

async function useFake(options: FakeYahooOptions = {}): Promise<void> {
  await fake?.close();
  fake = await startFakeYahoo({ lastDate: LAST_DATE, ...options });
}

beforeEach(async () => {
  warnings.length = 0;
  await useFake();
});
afterEach(async () => {
  await fake.close();
});

/** A client on the fake, with test-sized waits. */
function client(options: Omit<YahooClientOptions, 'fetch'> = {}) {
  return createYahooClient({
    fetch: fake.fetch,
    timeoutMs: 2_000,
    ...options,
    retry: { attempts: 3, backoffMs: 20, ...options.retry },
    warn: (m) => warnings.push(m),
  });
}

function source(options: Omit<YahooClientOptions, 'fetch'> = {}) {
  return new YahooMarketData(client(options));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('value' in outcome) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

/** What the adapter should make of the rows the fake served for a request, computed here independently. */
function expectedBars(symbol: string, period1: number, period2: number, endDate: string): DailyBar[] {
  return fake
    .series(symbol)
    .filter((r) => r.timestamp >= period1 && r.timestamp < period2 && r.close !== null)
    .map((r) => {
      const close = r.close!;
      const open = r.open ?? close;
      return {
        date: fake.rowDate(symbol, r.timestamp),
        open,
        high: Math.max(r.high ?? close, open, close),
        low: Math.min(r.low ?? close, open, close),
        close,
        volume: r.volume ?? 0,
      };
    })
    .filter((b) => b.date <= endDate);
}

describe('YahooMarketData.fetchDailyBars on the real client against the fake', () => {
  it('asks chart() for ~800 calendar days of 1d bars and returns every served bar, mapped, ascending', async () => {
    const bars = await source().fetchDailyBars(ticker('NVDA'), REQUEST);

    const [chart] = fake.requestsFor('NVDA', 'chart');
    expect(fake.requests).toHaveLength(1); // chart() needs no cookie or crumb
    expect(chart!.query.get('interval')).toBe('1d');
    const period1 = Number(chart!.query.get('period1'));
    const period2 = Number(chart!.query.get('period2'));
    expect(period2).toBe(Date.parse('2026-03-07T00:00:00Z') / 1000);
    expect(period1).toBe(Date.parse('2026-03-06T00:00:00Z') / 1000 - 800 * 86_400);

    expect(bars.length).toBeGreaterThanOrEqual(400);
    expect(bars).toEqual(expectedBars('NVDA', period1, period2, LAST_DATE));
    expect(bars.at(-1)!.date).toBe(LAST_DATE);
    expect(bars.every((b, i) => i === 0 || b.date > bars[i - 1]!.date)).toBe(true);
  });

  it('handles Yahoo gaps as documented: null-close rows dropped, null open = close, null volume = 0', async () => {
    const bars = await source().fetchDailyBars(ticker('NVDA'), REQUEST);
    const byDate = new Map(bars.map((b) => [b.date, b]));
    const served = fake.series('NVDA').filter((r) => fake.rowDate('NVDA', r.timestamp) >= bars[0]!.date);
    const nullRow = served.find((r) => r.close === null)!;
    const nullOpen = served.find((r) => r.open === null && r.close !== null)!;
    const nullVolume = served.find((r) => r.volume === null && r.close !== null)!;
    expect(byDate.has(fake.rowDate('NVDA', nullRow.timestamp))).toBe(false);
    expect(byDate.get(fake.rowDate('NVDA', nullOpen.timestamp))!.open).toBe(nullOpen.close);
    expect(byDate.get(fake.rowDate('NVDA', nullVolume.timestamp))!.volume).toBe(0);
  });

  it('dates bars in the exchange’s own calendar (Tokyo bars are stamped 00:00 UTC, Singapore 01:00 UTC)', async () => {
    for (const symbol of ['7974.T', 'D05.SI', '0700.HK']) {
      const bars = await source().fetchDailyBars(ticker(symbol), REQUEST);
      const chart = fake.requestsFor(symbol, 'chart')[0]!;
      const expected = expectedBars(symbol, Number(chart.query.get('period1')), Number(chart.query.get('period2')), LAST_DATE);
      expect(bars).toEqual(expected);
      expect(bars.at(-1)!.date).toBe(LAST_DATE);
      expect(bars.some((b) => new Date(`${b.date}T12:00:00Z`).getUTCDay() % 6 === 0)).toBe(false); // no weekend dates
    }
  });

  it('never returns a bar after endDate, even when Yahoo sends its live bar past period2', async () => {
    await useFake({ barsAfterPeriod2: 3 });
    const bars = await source().fetchDailyBars(ticker('NVDA'), { endDate: '2026-03-03', minBars: 400 });
    expect(bars.at(-1)!.date).toBe('2026-03-03');
  });

  it('asks for a longer window when minBars needs one', async () => {
    await useFake();
    fake.symbol('NVDA', { bars: 1200 });
    const bars = await source().fetchDailyBars(ticker('NVDA'), { endDate: LAST_DATE, minBars: 700 });
    expect(bars.length).toBeGreaterThanOrEqual(700);
  });

  it('returns a young listing’s whole (short) history rather than failing it', async () => {
    fake.symbol('NEWCO', { bars: 150 });
    const bars = await source().fetchDailyBars(ticker('NEWCO'), REQUEST);
    expect(bars.length).toBeGreaterThan(140);
    expect(bars.length).toBeLessThan(400);
  });

  it('fails permanently with fewer than 60 bars', async () => {
    fake.symbol('TINY', { bars: 30 });
    const error = await failure(source().fetchDailyBars(ticker('TINY'), REQUEST));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/only \d+ daily bars for TINY .* at least 60/);
  });

  it('calls a short answer for an old listing truncated (transient), not a result', async () => {
    fake.symbol('CUT', { bars: 200, firstTradeDate: Date.parse('2001-05-01T13:30:00Z') / 1000 });
    const error = await failure(source().fetchDailyBars(ticker('CUT'), REQUEST));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error).not.toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/CUT.*truncated/);
  });
});

describe('YahooMarketData.fetchCompanyInfo', () => {
  it('maps the six quoteSummary modules, raw numbers kept, fractions as percent (through the cookie + crumb dance)', async () => {
    const info = await source().fetchCompanyInfo(ticker('NVDA'));
    const f = fake.fundamentals('NVDA');
    const fin = f.financial!;
    expect(info).toEqual({
      market_cap: f.marketCap,
      pe_ratio: f.trailingPE,
      forward_pe: f.forwardPE,
      price_to_book: f.priceToBook,
      eps: f.trailingEps,
      dividend_yield_pct: Math.round(f.dividendYield! * 100 * 1e6) / 1e6,
      beta: f.beta,
      profit_margin_pct: Math.round(fin.profitMargins * 100 * 1e6) / 1e6,
      return_on_equity_pct: Math.round(fin.returnOnEquity * 100 * 1e6) / 1e6,
      revenue_growth_pct: Math.round(fin.revenueGrowth * 100 * 1e6) / 1e6,
      analyst_target_mean: fin.targetMeanPrice,
      analyst_recommendation: fin.recommendationKey,
      analyst_count: fin.numberOfAnalystOpinions,
      // The fake announces earnings 30 days after its last date, 21:00 UTC (after the US close).
      next_earnings_date: '2026-04-05',
      sector: 'Technology',
      industry: 'Semiconductors',
      long_name: f.longName,
      currency: 'USD',
    });
    expect(info.dividend_yield_pct).toBeCloseTo(f.dividendYield! * 100, 9); // percent, not a fraction
    const summary = fake.requestsFor('NVDA', 'quoteSummary')[0]!;
    expect(summary.query.get('modules')).toBe('price,summaryDetail,defaultKeyStatistics,financialData,assetProfile,calendarEvents');
    expect(summary.query.get('crumb')).toBe(fake.crumb);
    expect(summary.status).toBe(200);
  });

  it('leaves what Yahoo does not have as null for an ETF (no P/E: null, not 0), and takes its distribution yield', async () => {
    fake.symbol('QQQM', { kind: 'etf' });
    const info = await source().fetchCompanyInfo(ticker('QQQM', 'etf'));
    expect(info).toEqual({
      market_cap: null,
      pe_ratio: null,
      forward_pe: null,
      price_to_book: null,
      eps: null,
      dividend_yield_pct: Math.round(fake.fundamentals('QQQM').yield! * 100 * 1e6) / 1e6,
      beta: null,
      profit_margin_pct: 0.21 * 100, // defaultKeyStatistics still carries one: kept as Yahoo sent it
      return_on_equity_pct: null,
      revenue_growth_pct: null,
      analyst_target_mean: null,
      analyst_recommendation: null,
      analyst_count: null,
      next_earnings_date: null,
      sector: null,
      industry: null,
      long_name: 'QQQM Index Fund',
      currency: 'USD',
    });
  });

  it('reads a Tokyo listing in yen: currency and amounts as Yahoo quotes them, not converted', async () => {
    const info = await source().fetchCompanyInfo(ticker('7974.T'));
    const f = fake.fundamentals('7974.T');
    expect(f.currency).toBe('JPY');
    expect(info.currency).toBe('JPY');
    expect(info.market_cap).toBe(f.marketCap);
    expect(info.analyst_target_mean).toBe(f.financial!.targetMeanPrice);
    expect(info.pe_ratio).toBe(f.trailingPE);
    // Yen-level prices: the fake's Tokyo series sits in the thousands.
    expect(info.analyst_target_mean!).toBeGreaterThan(1000);
  });

  it('keeps an answer that lacks most modules: what came is mapped, the rest is null', async () => {
    fake.symbol('VNM.VN', { modules: ['price'] });
    const info = await source().fetchCompanyInfo(ticker('VNM.VN'));
    const f = fake.fundamentals('VNM.VN');
    expect(info.long_name).toBe(f.longName);
    expect(info.currency).toBe('VND');
    expect(info.market_cap).toBe(f.marketCap);
    const { long_name: _l, currency: _c, market_cap: _m, ...rest } = info;
    expect(Object.values(rest).every((v) => v === null)).toBe(true);
  });

  it('fails an unknown symbol permanently, naming it', async () => {
    fake.symbol('ZZZZ', { fault: { kind: 'unknown' } });
    const error = await failure(source().fetchCompanyInfo(ticker('ZZZZ')));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/unknown or delisted symbol "ZZZZ".*Quote not found/);
    expect(fake.requestsFor('ZZZZ', 'quoteSummary')).toHaveLength(1);
  });

  it('refreshes cookie and crumb after a 401 "Invalid Crumb" and succeeds', async () => {
    fake.symbol('NVDA', { fault: { kind: 'badCrumb', times: 1 } });
    const info = await source().fetchCompanyInfo(ticker('NVDA'));
    expect(info.long_name).toBe(fake.fundamentals('NVDA').longName);
    const endpoints = fake.requests.map((r) => r.endpoint);
    const rejected = endpoints.indexOf('quoteSummary');
    expect(fake.requests[rejected]!.status).toBe(401);
    expect(endpoints.slice(rejected + 1)).toEqual(['cookie', 'crumb', 'quoteSummary']);
  });
});

describe('faults: 429, 5xx, timeouts, malformed answers, unknown symbols', () => {
  it('429: waits Retry-After (1 s) then succeeds', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', times: 1, retryAfter: '1' } });
    const bars = await source().fetchDailyBars(ticker('NVDA'), REQUEST);
    expect(bars.length).toBeGreaterThanOrEqual(400);
    const [first, second] = fake.requestsFor('NVDA', 'chart');
    expect(first!.status).toBe(429);
    expect(second!.status).toBe(200);
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(950); // lower bound only
  });

  it('429 on every try: RetryLaterError carrying Retry-After once attempts run out', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', retryAfter: '1' } });
    const error = await failure(source({ retry: { attempts: 2 } }).fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterMs).toBe(1000);
    expect(error.message).toMatch(/NVDA/);
    expect(fake.requestsFor('NVDA', 'chart')).toHaveLength(2);
  });

  it('429 without Retry-After waits the configured default', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', times: 1, retryAfter: null } });
    await source({ retry: { retryAfterMs: 300 } }).fetchDailyBars(ticker('NVDA'), REQUEST);
    const [first, second] = fake.requestsFor('NVDA', 'chart');
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(280);
  });

  it('429 asking for longer than maxRetryAfterMs: RetryLaterError at once, no in-process sleep', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', retryAfter: '120' } });
    const started = performance.now();
    const error = await failure(source().fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).retryAfterMs).toBe(120_000);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(fake.requestsFor('NVDA', 'chart')).toHaveLength(1);
  });

  it('a 429 cools the whole client down: other symbols wait too (the limit is per IP)', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', times: 1, retryAfter: '1' } });
    const yahoo = source();
    const nvda = yahoo.fetchDailyBars(ticker('NVDA'), REQUEST);
    await new Promise((r) => setTimeout(r, 100)); // NVDA's 429 has landed
    await yahoo.fetchDailyBars(ticker('AAPL'), REQUEST);
    await nvda;
    const first = fake.requestsFor('NVDA', 'chart')[0]!;
    const aapl = fake.requestsFor('AAPL', 'chart')[0]!;
    expect(aapl.startedAt - first.startedAt).toBeGreaterThanOrEqual(900);
  });

  it('5xx: retries with backoff, then succeeds', async () => {
    fake.symbol('NVDA', { fault: { kind: '500', times: 2 } });
    const bars = await source().fetchDailyBars(ticker('NVDA'), REQUEST);
    expect(bars.length).toBeGreaterThanOrEqual(400);
    expect(fake.requestsFor('NVDA', 'chart').map((r) => r.status)).toEqual([500, 500, 200]);
  });

  it('5xx on every try: a transient error (not permanent, not rate-limit) after `attempts` requests', async () => {
    fake.symbol('NVDA', { fault: { kind: '500' } });
    const error = await failure(source().fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error).not.toBeInstanceOf(PermanentError);
    expect(error).not.toBeInstanceOf(RetryLaterError);
    expect(error.message).toMatch(/NVDA: HTTP 500 .*Will be right back.*gave up after 3 attempts/);
    expect(fake.requestsFor('NVDA', 'chart')).toHaveLength(3);
  });

  it('timeout: a request that never answers is abandoned after timeoutMs and retried', async () => {
    fake.symbol('NVDA', { fault: { kind: 'hang', times: 1 } });
    const started = performance.now();
    const bars = await source({ timeoutMs: 300 }).fetchDailyBars(ticker('NVDA'), REQUEST);
    expect(bars.length).toBeGreaterThanOrEqual(400);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const [hung, answered] = fake.requestsFor('NVDA', 'chart');
    expect(hung!.status).toBeNull(); // the client hung up
    expect(answered!.status).toBe(200);
  });

  it('timeouts on every try: a transient error after `attempts` requests', async () => {
    fake.symbol('NVDA', { fault: { kind: 'hang' } });
    const error = await failure(source({ timeoutMs: 200, retry: { attempts: 2 } }).fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error.message).toMatch(/NVDA: no answer from query2\.finance\.yahoo\.com within 200 ms/);
    expect(fake.requestsFor('NVDA', 'chart')).toHaveLength(2);
  });

  it('malformed JSON: an error (retried as transient), never []', async () => {
    fake.symbol('NVDA', { fault: { kind: 'malformed' } });
    const error = await failure(source().fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error.message).toMatch(/malformed \(non-JSON\) answer for NVDA/);
    expect(fake.requestsFor('NVDA', 'chart')).toHaveLength(3);
  });

  it('malformed JSON once: the retry succeeds', async () => {
    fake.symbol('NVDA', { fault: { kind: 'malformed', times: 1 } });
    expect((await source().fetchDailyBars(ticker('NVDA'), REQUEST)).length).toBeGreaterThanOrEqual(400);
  });

  it('valid JSON of the wrong shape: PermanentError at once (schema validation), never []', async () => {
    fake.symbol('NVDA', { fault: { kind: 'schema' } });
    const error = await failure(source().fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toMatch(/"NVDA" in an unexpected shape \(failed yahoo-finance2 schema validation\)/);
    expect(fake.requestsFor('NVDA', 'chart')).toHaveLength(1);
    fake.symbol('META', { fault: { kind: 'schema' } });
    expect(await failure(source().fetchCompanyInfo(ticker('META')))).toBeInstanceOf(PermanentError);
  });

  it('unknown symbol: PermanentError at once, exactly one request, naming the symbol', async () => {
    fake.symbol('NOPE', { fault: { kind: 'unknown' } });
    const error = await failure(source().fetchDailyBars(ticker('NOPE'), REQUEST));
    expect(error).toBeInstanceOf(PermanentError);
    expect(error.message).toBe('Yahoo: unknown or delisted symbol "NOPE" (HTTP 404: No data found, symbol may be delisted)');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.status).toBe(404);
  });

  it('connection refused: transient', async () => {
    const origin = fake.origin;
    await fake.close();
    const refused: typeof fetch = (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      return fetch(`${origin}${url.pathname}${url.search}`, init);
    };
    const yahoo = new YahooMarketData(createYahooClient({ fetch: refused, retry: { attempts: 2, backoffMs: 10 }, warn: () => {} }));
    const error = await failure(yahoo.fetchDailyBars(ticker('NVDA'), REQUEST));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error.message).toMatch(/ECONNREFUSED/);
    fake = await startFakeYahoo({ lastDate: LAST_DATE }); // for afterEach
  });
});

describe('throttle', () => {
  it('20 parallel fetchDailyBars with maxInFlight 5: the fake sees 5 in flight, never more', async () => {
    await useFake({ latencyMs: 60 });
    const yahoo = source({ maxInFlight: 5 });
    const symbols = Array.from({ length: 20 }, (_, i) => `SYM${i}`);
    const results = await Promise.all(symbols.map((s) => yahoo.fetchDailyBars(ticker(s), REQUEST)));
    expect(results.every((bars) => bars.length >= 400)).toBe(true);
    expect(fake.requests.filter((r) => r.endpoint === 'chart')).toHaveLength(20);
    expect(fake.maxInFlight).toBe(5);
  });

  it('one throttle for every call through a client: bars, company info (and its crumb requests) and news together', async () => {
    await useFake({ latencyMs: 40 });
    const yahooClient = client({ maxInFlight: 3 });
    const bars = new YahooMarketData(yahooClient);
    const news = new YahooNewsSource(yahooClient);
    const symbols = Array.from({ length: 8 }, (_, i) => `MIX${i}`);
    await Promise.all(
      symbols.flatMap((s) => [
        bars.fetchDailyBars(ticker(s), REQUEST),
        bars.fetchCompanyInfo(ticker(s)),
        news.fetchNews(ticker(s), { endDate: LAST_DATE, maxItems: 5 }),
      ]),
    );
    expect(fake.requests.length).toBeGreaterThanOrEqual(24);
    expect(fake.maxInFlight).toBe(3);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => createYahooClient({ maxInFlight: 0 })).toThrow(/maxInFlight must be an integer ≥ 1/);
    expect(() => createYahooClient({ retry: { attempts: 0 } })).toThrow(/attempts/);
  });
});

describe('classifyYahooError', () => {
  const url = 'https://query2.finance.yahoo.com/v8/finance/chart/X';

  it('maps the table', () => {
    const c = (e: unknown) => classifyYahooError(e, 'X');
    expect(c(new YahooHttpError(429, url, 'Too Many Requests', 5000))).toBeInstanceOf(RetryLaterError);
    expect((c(new YahooHttpError(429, url, '', 5000)) as RetryLaterError).retryAfterMs).toBe(5000);
    expect((c(new YahooHttpError(429, url, '', null)) as RetryLaterError).retryAfterMs).toBe(2000);
    expect(c(new YahooHttpError(404, url, 'No data found, symbol may be delisted', null))).toBeInstanceOf(PermanentError);
    expect(c(new YahooHttpError(400, url, 'Invalid input', null))).toBeInstanceOf(PermanentError);
    expect(c(new YahooHttpError(503, url, '', null))).toBeInstanceOf(YahooUnavailableError);
    expect(c(new YahooHttpError(401, url, 'Invalid Crumb', null))).toBeInstanceOf(YahooUnavailableError);
    expect(c(new YahooTimeoutError('slow'))).toBeInstanceOf(YahooUnavailableError);
    expect(c(new YahooNetworkError('ECONNRESET'))).toBeInstanceOf(YahooUnavailableError);
    // What yahoo-finance2 itself throws for Yahoo's error envelope on a 200, and for a shape it cannot read.
    expect(c(new Error('No data found, symbol may be delisted'))).toBeInstanceOf(PermanentError);
    expect(c(Object.assign(new Error('Failed Yahoo Schema validation'), { name: 'FailedYahooValidationError' }))).toBeInstanceOf(PermanentError);
    expect(c(new Error('Unexpected result: {}'))).toBeInstanceOf(PermanentError);
    expect(c(new TypeError("Cannot read properties of null (reading '0')"))).toBeInstanceOf(PermanentError);
    expect(c(new Error('Response.ok where we expect JSON, but the response was not parsable.  Response: "<html>"'))).toBeInstanceOf(
      YahooUnavailableError,
    );
    expect(c(new Error('something odd'))).toBeInstanceOf(YahooUnavailableError);
    const permanent = new PermanentError('already');
    expect(c(permanent)).toBe(permanent);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-06T10:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter('2.5', now)).toBe(2500);
    expect(parseRetryAfter('Fri, 06 Mar 2026 10:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Fri, 06 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

it('says nothing on the console: the library’s notices and Node-version warning are suppressed', async () => {
  await source().fetchCompanyInfo(ticker('NVDA'));
  expect(warnings).toEqual([]);
});
