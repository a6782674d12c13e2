/**
 * A loopback stand-in for Yahoo Finance, for tests (and the ingest benchmark) that run the REAL yahoo-finance2 client
 * (never the network).
 *
 * It serves what the client asks for, in the shapes Yahoo uses (checked against the library's recorded fixtures):
 * - `GET finance.yahoo.com/quote/AAPL`          → HTML + `Set-Cookie: A1/A3/A1S` (the cookie half of the crumb dance)
 * - `GET query1.finance.yahoo.com/v1/test/getcrumb` → the crumb as text/plain (401 without the A3 cookie)
 * - `GET /v8/finance/chart/:symbol`             → daily OHLCV from a seeded random walk, honouring period1/period2
 * - `GET /v10/finance/quoteSummary/:symbol`     → price, summaryDetail, defaultKeyStatistics, financialData,
 *                                                 assetProfile, calendarEvents — those asked for and the symbol has
 *                                                 (funds have no financialData; `modules` trims a listing to fewer, as
 *                                                 Yahoo does for small ones); 401 on a wrong crumb, as Yahoo does
 * - FX pairs (`USDTHB=X`, `JPYTHB=X`…) chart like Yahoo's currency series: 24 h sessions at 00:00 UTC, volume 0
 * - `GET /v1/finance/search?q=`                 → quotes + news (unsorted, like Yahoo's relevance order)
 *
 * `fake.fetch` is a drop-in `fetch` that sends any `https://*.yahoo.com/...` URL to this server instead (keeping path and
 * query, the original host in `x-yahoo-host`), so the client's own cookie jar still sees Yahoo URLs.
 *
 * Faults are scripted per symbol: `429` (with `Retry-After`), `500`, `hang` (never answers), `malformed` (200 with
 * invalid JSON), `schema` (200 with valid JSON of the wrong shape), `unknown` (Yahoo's real not-found answers),
 * `badCrumb` (401 Invalid Crumb). Every request is recorded, and the most requests ever in flight at once is kept.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { addDays, businessDaysEnding } from '../report/business-date.js';

export type FakeEndpoint = 'chart' | 'quoteSummary' | 'search';
export type FakeFaultKind = '429' | '500' | 'hang' | 'malformed' | 'schema' | 'unknown' | 'badCrumb';

export interface FakeFault {
  kind: FakeFaultKind;
  /** The fault answers the first `times` matching requests, then the symbol behaves. Default: every request. */
  times?: number;
  /** Which endpoints fault. Default: all three (`badCrumb` only ever applies to quoteSummary). */
  endpoints?: FakeEndpoint[];
  /** `Retry-After` header value for `429` (seconds or an HTTP date). Default `"1"`; `null` sends none. */
  retryAfter?: string | null;
}

export interface FakeSymbolOptions {
  /** Business days of history Yahoo "has" for the symbol (ending at the fake's `lastDate`). Default 600. */
  bars?: number;
  /** Sprinkle the gaps Yahoo's real series have: all-null rows, a null open, null volumes. Default true. */
  gaps?: boolean;
  /** ETFs have no P/E, EPS, sector or industry, and a `yield` instead of a `dividendYield`. Default `stock`. */
  kind?: 'stock' | 'etf';
  /** `meta.firstTradeDate` (epoch seconds). Default: the first bar's timestamp (the series is the whole history). */
  firstTradeDate?: number;
  /** Extra latency for this symbol's answers, ms. */
  delayMs?: number;
  /** quoteSummary modules the symbol has (Yahoo answers a small listing with only some). Default: all six. */
  modules?: string[];
  /** calendarEvents' earnings date (epoch seconds). Default: 30 days after the fake's last date. */
  earningsDate?: number;
  fault?: FakeFault;
}

export interface FakeYahooOptions {
  /** The last trading day the fake has data for (exchange calendar date). Default `2026-03-06` (a Friday). */
  lastDate?: string;
  /** Latency added to every answer (lets concurrency show up in `maxInFlight`). Default 0. */
  latencyMs?: number;
  /**
   * Bars served past `period2` (Yahoo's live "today" bar can land after the requested end). Default 0: answers
   * stop at period2 exactly.
   */
  barsAfterPeriod2?: number;
}

export interface RecordedRequest {
  endpoint: FakeEndpoint | 'cookie' | 'crumb' | 'other';
  /** The symbol (path segment for chart/quoteSummary, `q` for search), or null for cookie/crumb requests. */
  symbol: string | null;
  host: string;
  path: string;
  query: URLSearchParams;
  /** `performance.now()` when the request arrived and when its answer ended (or the client hung up). */
  startedAt: number;
  endedAt: number | null;
  status: number | null;
  fault: FakeFaultKind | null;
}

/** One row exactly as the fake put it on the wire (`null` where Yahoo sends null). */
export interface ServedRow {
  timestamp: number;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  adjclose: number | null;
}

export interface ServedNews {
  uuid: string;
  title: string;
  publisher: string;
  link: string;
  providerPublishTime: number;
  relatedTickers: string[];
}

export interface FakeFundamentals {
  longName: string;
  shortName: string;
  currency: string;
  marketCap: number | null;
  trailingPE: number | null;
  forwardPE: number | null;
  trailingEps: number | null;
  /** A fraction, as Yahoo's summaryDetail sends it (0.0123 = 1.23 %). */
  dividendYield: number | null;
  /** ETFs: distribution yield, a fraction. */
  yield: number | null;
  sector: string | null;
  industry: string | null;
  /** financialData (absent for funds). Fractions, as Yahoo sends them. */
  financial: {
    targetMeanPrice: number;
    recommendationKey: string;
    numberOfAnalystOpinions: number;
    profitMargins: number;
    returnOnEquity: number;
    revenueGrowth: number;
    financialCurrency: string;
  } | null;
  beta: number | null;
  priceToBook: number | null;
}

export interface FakeYahoo {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** A `fetch` that sends Yahoo URLs to this server: pass it to the client under test. */
  readonly fetch: typeof fetch;
  readonly requests: RecordedRequest[];
  /** Most requests in flight at once since start (or the last `resetStats`). */
  readonly maxInFlight: number;
  readonly inFlight: number;
  readonly crumb: string;
  symbol(symbol: string, options: FakeSymbolOptions): void;
  /** The whole series the fake holds for `symbol` (what a chart call over all of it would serve), ascending. */
  series(symbol: string): ServedRow[];
  /** The exchange-local calendar date of a served timestamp for `symbol`. */
  rowDate(symbol: string, timestamp: number): string;
  fundamentals(symbol: string): FakeFundamentals;
  news(symbol: string): ServedNews[];
  requestsFor(symbol: string, endpoint?: FakeEndpoint): RecordedRequest[];
  resetStats(): void;
  close(): Promise<void>;
}

interface Exchange {
  suffix: string;
  currency: string;
  gmtoffset: number;
  timezone: string;
  exchangeTimezoneName: string;
  exchangeName: string;
  fullExchangeName: string;
  /** Market open, seconds after local midnight: Yahoo stamps daily bars with the session's opening instant. */
  openSeconds: number;
  price: number;
}

const EXCHANGES: Record<string, Exchange> = {
  US: ex('', 'USD', -18000, 'EST', 'America/New_York', 'NMS', 'NasdaqGS', 9.5, 180),
  SI: ex('.SI', 'SGD', 28800, 'SGT', 'Asia/Singapore', 'SES', 'SES', 9, 38),
  T: ex('.T', 'JPY', 32400, 'JST', 'Asia/Tokyo', 'JPX', 'Tokyo', 9, 4200),
  HK: ex('.HK', 'HKD', 28800, 'HKT', 'Asia/Hong_Kong', 'HKG', 'HKSE', 9.5, 380),
  VN: ex('.VN', 'VND', 25200, 'ICT', 'Asia/Ho_Chi_Minh', 'VSE', 'HOSE', 9, 62_000),
  TW: ex('.TW', 'TWD', 28800, 'CST', 'Asia/Taipei', 'TAI', 'Taiwan', 9, 180),
  // Yahoo's currency series: London time zone, a bar per weekday stamped at 00:00 UTC (its gmtoffset is 0 in winter).
  FX: ex('=X', 'THB', 0, 'GMT', 'Europe/London', 'CCY', 'CCY', 0, 32.5),
};
/** Rough levels of the pairs a Thai reader needs, so FX series sit where real ones do. */
const FX_LEVELS: Record<string, number> = { USD: 32.5, SGD: 25, HKD: 4.2, JPY: 0.22, VND: 0.00128, TWD: 1.05 };

function ex(
  suffix: string,
  currency: string,
  gmtoffset: number,
  timezone: string,
  exchangeTimezoneName: string,
  exchangeName: string,
  fullExchangeName: string,
  openHour: number,
  price: number,
): Exchange {
  return { suffix, currency, gmtoffset, timezone, exchangeTimezoneName, exchangeName, fullExchangeName, openSeconds: openHour * 3600, price };
}

function exchangeOf(symbol: string): Exchange {
  if (symbol.endsWith('=X')) return { ...EXCHANGES.FX!, price: FX_LEVELS[symbol.slice(0, 3)] ?? 1 };
  const dot = symbol.lastIndexOf('.');
  return (dot > 0 && EXCHANGES[symbol.slice(dot + 1).toUpperCase()]) || EXCHANGES.US!;
}

/** mulberry32 seeded by an FNV-1a hash of the key: small and deterministic. */
function rng(key: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Yahoo's prices are float32 values widened to double (`75.0875015258789`). */
const f32 = (x: number) => Math.fround(x);

function utcSeconds(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

function buildSeries(symbol: string, lastDate: string, count: number, gaps: boolean): ServedRow[] {
  const exchange = exchangeOf(symbol);
  const random = rng(`series:${symbol}`);
  const dates = businessDaysEnding(lastDate, count);
  let close = exchange.price * Math.exp(0.3 * normal(random));
  const rows: ServedRow[] = [];
  for (let i = 0; i < dates.length; i++) {
    const timestamp = utcSeconds(dates[i]!) + exchange.openSeconds - exchange.gmtoffset;
    const previous = close;
    close = previous * Math.exp(0.0004 + 0.018 * normal(random));
    const open = previous * Math.exp(0.004 * normal(random));
    const high = Math.max(open, close) * Math.exp(0.006 * Math.abs(normal(random)));
    const low = Math.min(open, close) * Math.exp(-0.006 * Math.abs(normal(random)));
    const volume = exchange.suffix === '=X' ? 0 : Math.round(2e6 * Math.exp(0.4 * normal(random)));
    const row: ServedRow = { timestamp, open: f32(open), high: f32(high), low: f32(low), close: f32(close), volume, adjclose: f32(close * 0.98) };
    if (gaps && i > 0 && i < dates.length - 1) {
      // Yahoo's real quirks: a halted day comes back as an all-null row, some rows lack an open or a volume.
      if (i % 97 === 0) Object.assign(row, { open: null, high: null, low: null, close: null, volume: null, adjclose: null });
      else if (i % 89 === 0) row.open = null;
      else if (i % 83 === 0) row.volume = null;
    }
    rows.push(row);
  }
  return rows;
}

function buildFundamentals(symbol: string, kind: 'stock' | 'etf', lastClose: number): FakeFundamentals {
  const random = rng(`fundamentals:${symbol}`);
  const exchange = exchangeOf(symbol);
  const base = symbol.replace(/\..*$/, '');
  if (kind === 'etf') {
    return {
      longName: `${base} Index Fund`,
      shortName: `${base} ETF`,
      currency: exchange.currency,
      marketCap: null,
      trailingPE: null,
      forwardPE: null,
      trailingEps: null,
      dividendYield: null,
      yield: Math.round(100_000 * (0.005 + 0.02 * random())) / 100_000,
      sector: null,
      industry: null,
      financial: null,
      beta: null,
      priceToBook: null,
    };
  }
  const eps = Math.round(100 * lastClose * (0.02 + 0.05 * random())) / 100;
  return {
    longName: `${base} Holdings Corporation`,
    shortName: `${base} Holdings`,
    currency: exchange.currency,
    marketCap: Math.round(lastClose * (1e8 + 5e9 * random())),
    trailingPE: lastClose / eps,
    forwardPE: (lastClose / eps) * (0.8 + 0.15 * random()),
    trailingEps: eps,
    dividendYield: Math.round(10_000 * 0.03 * random()) / 10_000,
    yield: null,
    sector: 'Technology',
    industry: 'Semiconductors',
    financial: {
      targetMeanPrice: Math.round(100 * lastClose * (0.9 + 0.4 * random())) / 100,
      recommendationKey: random() < 0.5 ? 'buy' : 'hold',
      numberOfAnalystOpinions: 5 + Math.floor(40 * random()),
      profitMargins: Math.round(10_000 * (0.05 + 0.4 * random())) / 10_000,
      returnOnEquity: Math.round(10_000 * (0.05 + 0.6 * random())) / 10_000,
      revenueGrowth: Math.round(10_000 * (-0.1 + 0.8 * random())) / 10_000,
      financialCurrency: exchange.currency,
    },
    beta: Math.round(100 * (0.6 + 1.4 * random())) / 100,
    priceToBook: Math.round(100 * (0.8 + 20 * random())) / 100,
  };
}

const PUBLISHERS = ['Reuters', 'Bloomberg', 'Motley Fool', 'Zacks', 'Simply Wall St.', 'MT Newswires', 'Barrons.com'];

function buildNews(symbol: string, lastDate: string): ServedNews[] {
  const random = rng(`news:${symbol}`);
  const base = symbol.replace(/\..*$/, '');
  // 12 items, 7 h apart, the newest on the day after lastDate (so an end-date filter has something to cut).
  const newest = utcSeconds(addDays(lastDate, 1)) + 15 * 3600;
  const items: ServedNews[] = [];
  for (let i = 0; i < 12; i++) {
    const uuid = `${Math.floor(random() * 0xffffffff).toString(16).padStart(8, '0')}-${i.toString(16).padStart(4, '0')}-3c2e-9f1a-5b7d${i.toString(16).padStart(8, '0')}`;
    const slug = `${base.toLowerCase()}-story-${i}`;
    items.push({
      uuid,
      title: `${base} headline number ${i}: shares ${i % 3 === 0 ? 'rise' : i % 3 === 1 ? 'fall' : 'hold'} as traders weigh outlook`,
      publisher: PUBLISHERS[i % PUBLISHERS.length]!,
      link: `https://finance.yahoo.com/news/${slug}-${100_000_000 + i}.html`,
      providerPublishTime: newest - i * 7 * 3600,
      // Search matches on text, so some items are about someone else: Yahoo lists the tickers each story is about.
      relatedTickers: i === 5 ? ['ZZOTHER'] : [symbol, ...(i % 4 === 0 ? ['^GSPC'] : [])],
    });
  }
  // Yahoo orders search news by relevance, not time.
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const COOKIE_VALUE = 'd=AQABBPu5wGoCEPCyFodXSWWJJvA9rlLQAisFEgEBAQELwmrKatw20iMA_eMDAA&S=AQAAAtFfP3sBj7YwVnvSiMsEoh8';

export async function startFakeYahoo(options: FakeYahooOptions = {}): Promise<FakeYahoo> {
  const lastDate = options.lastDate ?? '2026-03-06';
  const latencyMs = options.latencyMs ?? 0;
  const barsAfterPeriod2 = options.barsAfterPeriod2 ?? 0;
  const crumb = 'fAk3CrUmB.x';
  const symbols = new Map<string, FakeSymbolOptions>();
  const seriesCache = new Map<string, ServedRow[]>();
  const faultCounts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const hung = new Set<ServerResponse>();
  let inFlight = 0;
  let maxInFlight = 0;

  const optionsOf = (symbol: string): FakeSymbolOptions => symbols.get(symbol) ?? {};
  const series = (symbol: string): ServedRow[] => {
    let rows = seriesCache.get(symbol);
    if (!rows) {
      const o = optionsOf(symbol);
      rows = buildSeries(symbol, lastDate, o.bars ?? 600, o.gaps ?? true);
      seriesCache.set(symbol, rows);
    }
    return rows;
  };
  const lastClose = (symbol: string): number => {
    const rows = series(symbol);
    for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.close !== null) return rows[i]!.close!;
    return exchangeOf(symbol).price;
  };
  const fundamentals = (symbol: string) => buildFundamentals(symbol, optionsOf(symbol).kind ?? 'stock', lastClose(symbol));
  const rowDate = (symbol: string, timestamp: number) =>
    new Date((timestamp + exchangeOf(symbol).gmtoffset) * 1000).toISOString().slice(0, 10);

  /** The fault this request gets, if any (counting it against `times`). */
  function faultFor(symbol: string | null, endpoint: RecordedRequest['endpoint']): FakeFault | null {
    if (symbol === null || (endpoint !== 'chart' && endpoint !== 'quoteSummary' && endpoint !== 'search')) return null;
    const fault = optionsOf(symbol).fault;
    if (!fault) return null;
    if (fault.kind === 'badCrumb' ? endpoint !== 'quoteSummary' : fault.endpoints && !fault.endpoints.includes(endpoint)) return null;
    const key = `${symbol}|${fault.kind}`;
    const used = faultCounts.get(key) ?? 0;
    if (used >= (fault.times ?? Number.POSITIVE_INFINITY)) return null;
    faultCounts.set(key, used + 1);
    return fault;
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(text),
      'cache-control': 'public, max-age=10, stale-while-revalidate=20',
      server: 'ATS',
    });
    res.end(text);
  }

  function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'text/plain;charset=utf-8', 'content-length': Buffer.byteLength(text), server: 'ATS', ...headers });
    res.end(text);
  }

  function chartBody(symbol: string, query: URLSearchParams) {
    const exchange = exchangeOf(symbol);
    const period1 = Number(query.get('period1'));
    const period2 = Number(query.get('period2'));
    const all = series(symbol);
    let end = all.findIndex((r) => r.timestamp >= period2);
    if (end < 0) end = all.length;
    end = Math.min(all.length, end + barsAfterPeriod2);
    const rows = all.slice(0, end).filter((r) => r.timestamp >= period1);
    const closes = all.filter((r) => r.close !== null).map((r) => r.close!);
    const last = all.at(-1)!;
    const today = utcSeconds(lastDate);
    const period = (start: number, endS: number) => ({ timezone: exchange.timezone, start, end: endS, gmtoffset: exchange.gmtoffset });
    const open = today + exchange.openSeconds - exchange.gmtoffset;
    const base = symbol.replace(/\..*$/, '');
    const result: Record<string, unknown> = {
      meta: {
        currency: exchange.currency,
        symbol,
        exchangeName: exchange.exchangeName,
        fullExchangeName: exchange.fullExchangeName,
        instrumentType: optionsOf(symbol).kind === 'etf' ? 'ETF' : 'EQUITY',
        firstTradeDate: optionsOf(symbol).firstTradeDate ?? all[0]!.timestamp,
        regularMarketTime: open + 6.5 * 3600,
        hasPrePostMarketData: exchange.suffix === '',
        gmtoffset: exchange.gmtoffset,
        timezone: exchange.timezone,
        exchangeTimezoneName: exchange.exchangeTimezoneName,
        regularMarketPrice: last.close ?? lastClose(symbol),
        fiftyTwoWeekHigh: Math.max(...closes.slice(-252)),
        fiftyTwoWeekLow: Math.min(...closes.slice(-252)),
        regularMarketDayHigh: last.high,
        regularMarketDayLow: last.low,
        regularMarketVolume: last.volume,
        longName: `${base} Holdings Corporation`,
        shortName: `${base} Holdings`,
        chartPreviousClose: rows[0]?.close ?? lastClose(symbol),
        priceHint: 2,
        currentTradingPeriod: { pre: period(open - 5.5 * 3600, open), regular: period(open, open + 6.5 * 3600), post: period(open + 6.5 * 3600, open + 10.5 * 3600) },
        dataGranularity: '1d',
        range: '',
        validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
      },
      indicators: { quote: [{}], adjclose: [{}] },
    };
    if (rows.length > 0) {
      result.timestamp = rows.map((r) => r.timestamp);
      result.indicators = {
        quote: [
          {
            low: rows.map((r) => r.low),
            volume: rows.map((r) => r.volume),
            close: rows.map((r) => r.close),
            high: rows.map((r) => r.high),
            open: rows.map((r) => r.open),
          },
        ],
        adjclose: [{ adjclose: rows.map((r) => r.adjclose) }],
      };
    } else {
      result.indicators = { quote: [{}] };
    }
    return { chart: { result: [result], error: null } };
  }

  function quoteSummaryBody(symbol: string, query: URLSearchParams) {
    const has = optionsOf(symbol).modules;
    const modules = new Set((query.get('modules') ?? 'price,summaryDetail').split(',').filter((m) => !has || has.includes(m)));
    const f = fundamentals(symbol);
    const exchange = exchangeOf(symbol);
    const price = lastClose(symbol);
    const drop = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null)) as T;
    const result: Record<string, unknown> = {};
    if (modules.has('price')) {
      result.price = drop({
        maxAge: 1,
        regularMarketChangePercent: 0.0123,
        regularMarketChange: price * 0.0123,
        regularMarketTime: utcSeconds(lastDate) + 16 * 3600,
        priceHint: 2,
        regularMarketPrice: price,
        regularMarketDayHigh: price * 1.01,
        regularMarketDayLow: price * 0.99,
        regularMarketVolume: 2_000_000,
        regularMarketPreviousClose: price / 1.0123,
        regularMarketSource: 'FREE_REALTIME',
        regularMarketOpen: price * 0.995,
        exchange: exchange.exchangeName,
        exchangeName: exchange.fullExchangeName,
        exchangeDataDelayedBy: 0,
        marketState: 'CLOSED',
        quoteType: optionsOf(symbol).kind === 'etf' ? 'ETF' : 'EQUITY',
        symbol,
        underlyingSymbol: null,
        shortName: f.shortName,
        longName: f.longName,
        currency: f.currency,
        quoteSourceName: 'Nasdaq Real Time Price',
        currencySymbol: '$',
        fromCurrency: null,
        toCurrency: null,
        lastMarket: null,
        marketCap: f.marketCap,
      });
      // Yahoo sends these keys with null values; the schema requires them present.
      Object.assign(result.price as object, { underlyingSymbol: null, fromCurrency: null, toCurrency: null, lastMarket: null });
    }
    if (modules.has('summaryDetail')) {
      result.summaryDetail = {
        ...drop({
          maxAge: 1,
          priceHint: 2,
          previousClose: price / 1.0123,
          open: price * 0.995,
          dayLow: price * 0.99,
          dayHigh: price * 1.01,
          regularMarketPreviousClose: price / 1.0123,
          regularMarketOpen: price * 0.995,
          regularMarketDayLow: price * 0.99,
          regularMarketDayHigh: price * 1.01,
          dividendRate: f.dividendYield === null ? null : f.dividendYield * price,
          dividendYield: f.dividendYield,
          payoutRatio: f.dividendYield === null ? null : 0.25,
          beta: f.beta,
          trailingPE: f.trailingPE,
          forwardPE: f.forwardPE,
          volume: 2_000_000,
          regularMarketVolume: 2_000_000,
          averageVolume: 2_100_000,
          averageVolume10days: 1_900_000,
          averageDailyVolume10Day: 1_900_000,
          bid: price * 0.999,
          ask: price * 1.001,
          bidSize: 100,
          askSize: 200,
          marketCap: f.marketCap,
          fiftyTwoWeekLow: price * 0.7,
          fiftyTwoWeekHigh: price * 1.2,
          fiftyDayAverage: price * 0.98,
          twoHundredDayAverage: price * 0.93,
          currency: f.currency,
          yield: f.yield,
          tradeable: false,
        }),
        algorithm: null,
        fromCurrency: null,
        toCurrency: null,
        lastMarket: null,
      };
    }
    if (modules.has('defaultKeyStatistics')) {
      result.defaultKeyStatistics = {
        ...drop({
          maxAge: 1,
          priceHint: 2,
          enterpriseValue: f.marketCap === null ? null : f.marketCap * 1.05,
          forwardPE: f.forwardPE,
          profitMargins: 0.21,
          floatShares: 24_300_000_000,
          sharesOutstanding: f.marketCap === null ? null : Math.round(f.marketCap / price),
          heldPercentInsiders: 0.04,
          heldPercentInstitutions: 0.68,
          beta: f.beta,
          bookValue: f.priceToBook === null ? null : price / f.priceToBook,
          priceToBook: f.priceToBook,
          lastFiscalYearEnd: 1_769_817_600,
          nextFiscalYearEnd: 1_801_353_600,
          mostRecentQuarter: 1_769_817_600,
          trailingEps: f.trailingEps,
          forwardEps: f.trailingEps === null ? null : f.trailingEps * 1.1,
          enterpriseToRevenue: 8.1,
          '52WeekChange': 0.31,
          SandP52WeekChange: 0.14,
          lastDividendValue: 0.01,
          lastDividendDate: 1_764_201_600,
        }),
        category: null,
        fundFamily: null,
        legalType: optionsOf(symbol).kind === 'etf' ? 'Exchange Traded Fund' : null,
        lastSplitFactor: null,
      };
    }
    if (modules.has('financialData') && f.financial) {
      const fin = f.financial;
      result.financialData = {
        maxAge: 86400,
        currentPrice: price,
        targetHighPrice: fin.targetMeanPrice * 1.3,
        targetLowPrice: fin.targetMeanPrice * 0.7,
        targetMeanPrice: fin.targetMeanPrice,
        targetMedianPrice: fin.targetMeanPrice * 1.01,
        recommendationMean: fin.recommendationKey === 'buy' ? 1.9 : 2.7,
        recommendationKey: fin.recommendationKey,
        numberOfAnalystOpinions: fin.numberOfAnalystOpinions,
        totalCash: 60_608_000_000,
        totalCashPerShare: 2.49,
        ebitda: 120_000_000_000,
        totalDebt: 10_821_000_000,
        quickRatio: 3.6,
        currentRatio: 4.4,
        totalRevenue: 187_142_000_000,
        debtToEquity: 9.1,
        revenuePerShare: 7.7,
        returnOnAssets: 0.53,
        returnOnEquity: fin.returnOnEquity,
        grossProfits: 131_092_000_000,
        freeCashflow: 53_282_000_000,
        operatingCashflow: 83_159_000_000,
        earningsGrowth: 0.667,
        revenueGrowth: fin.revenueGrowth,
        grossMargins: 0.7,
        ebitdaMargins: 0.64,
        operatingMargins: 0.63,
        profitMargins: fin.profitMargins,
        financialCurrency: fin.financialCurrency,
      };
    }
    if (modules.has('calendarEvents')) {
      // Funds come back with the module but no earnings dates.
      const when = optionsOf(symbol).earningsDate ?? utcSeconds(addDays(lastDate, 30)) + 21 * 3600;
      result.calendarEvents = {
        maxAge: 1,
        earnings:
          optionsOf(symbol).kind === 'etf'
            ? { earningsDate: [], earningsCallDate: [] }
            : {
                earningsDate: [when],
                earningsCallDate: [when + 1800],
                isEarningsDateEstimate: false,
                earningsAverage: 1.26,
                earningsLow: 1.15,
                earningsHigh: 1.4,
                revenueAverage: 65_000_000_000,
                revenueLow: 63_000_000_000,
                revenueHigh: 68_000_000_000,
              },
        exDividendDate: utcSeconds(addDays(lastDate, -20)),
        dividendDate: utcSeconds(addDays(lastDate, -10)),
      };
    }
    if (modules.has('assetProfile')) {
      result.assetProfile =
        f.sector === null
          ? { maxAge: 86400, longBusinessSummary: `${f.longName} seeks to track its index.`, companyOfficers: [] }
          : {
              address1: '2788 San Tomas Expressway',
              city: 'Santa Clara',
              state: 'CA',
              zip: '95051',
              country: 'United States',
              phone: '408 486 2000',
              website: 'https://www.example.com',
              industry: f.industry,
              industryKey: 'semiconductors',
              industryDisp: f.industry,
              sector: f.sector,
              sectorKey: 'technology',
              sectorDisp: f.sector,
              longBusinessSummary: `${f.longName} designs chips.`,
              fullTimeEmployees: 36000,
              companyOfficers: [
                { maxAge: 1, name: 'Ms. Jane Doe', age: 61, title: 'Co-Founder, CEO & Director', yearBorn: 1963, fiscalYear: 2025, totalPay: 7_490_000, exercisedValue: 0, unexercisedValue: 0 },
              ],
              auditRisk: 7,
              boardRisk: 10,
              compensationRisk: 5,
              shareHolderRightsRisk: 7,
              overallRisk: 8,
              governanceEpochDate: 1_772_323_200,
              compensationAsOfEpochDate: 1_767_139_200,
              maxAge: 86400,
            };
    }
    return { quoteSummary: { result: [result], error: null } };
  }

  function searchBody(symbol: string, query: URLSearchParams) {
    const newsCount = Number(query.get('newsCount') ?? 4);
    const exchange = exchangeOf(symbol);
    const known = symbols.get(symbol)?.fault?.kind !== 'unknown';
    const news = known ? buildNews(symbol, lastDate).slice(0, newsCount) : [];
    const quotes = known
      ? [
          {
            exchange: exchange.exchangeName,
            shortname: fundamentals(symbol).shortName,
            quoteType: 'EQUITY',
            symbol,
            index: 'quotes',
            score: 1_706_700,
            typeDisp: 'Equity',
            longname: fundamentals(symbol).longName,
            exchDisp: exchange.fullExchangeName,
            sector: 'Technology',
            industry: 'Semiconductors',
            isYahooFinance: true,
          },
        ]
      : [];
    return {
      explains: [],
      count: quotes.length + news.length,
      quotes,
      news: news.map((n, i) => ({
        uuid: n.uuid,
        title: n.title,
        publisher: n.publisher,
        link: n.link,
        providerPublishTime: n.providerPublishTime,
        type: 'STORY',
        ...(i % 2 === 0
          ? {
              thumbnail: {
                resolutions: [
                  { url: `https://s.yimg.com/uu/api/res/1.2/${n.uuid}/original.jpg`, width: 1194, height: 432, tag: 'original' },
                  { url: `https://s.yimg.com/uu/api/res/1.2/${n.uuid}/140x140.jpg`, width: 140, height: 140, tag: '140x140' },
                ],
              },
            }
          : {}),
        relatedTickers: n.relatedTickers,
      })),
      nav: [],
      lists: [],
      researchReports: [],
      screenerFieldResults: [],
      totalTime: 55,
      timeTakenForQuotes: 442,
      timeTakenForNews: 700,
      timeTakenForAlgowatchlist: 400,
      timeTakenForPredefinedScreener: 400,
      timeTakenForCrunchbase: 400,
      timeTakenForNav: 400,
      timeTakenForResearchReports: 0,
      timeTakenForScreenerField: 0,
      timeTakenForCulturalAssets: 0,
      timeTakenForSearchLists: 0,
    };
  }

  /** Yahoo's real "no such symbol" answers. */
  function sendUnknown(res: ServerResponse, endpoint: FakeEndpoint, symbol: string, query: URLSearchParams): void {
    if (endpoint === 'chart') {
      sendJson(res, 404, { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } });
    } else if (endpoint === 'quoteSummary') {
      sendJson(res, 404, { quoteSummary: { result: null, error: { code: 'Not Found', description: `Quote not found for symbol: ${symbol}` } } });
    } else {
      sendJson(res, 200, searchBody(symbol, query)); // search has no such thing as unknown: it finds nothing
    }
  }

  function sendFault(res: ServerResponse, fault: FakeFault, endpoint: FakeEndpoint, symbol: string, query: URLSearchParams, record: RecordedRequest): void {
    record.fault = fault.kind;
    switch (fault.kind) {
      case '429': {
        const retryAfter = fault.retryAfter === undefined ? '1' : fault.retryAfter;
        sendText(res, 429, 'Edge: Too Many Requests', retryAfter === null ? {} : { 'retry-after': retryAfter });
        return;
      }
      case '500':
        res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', server: 'ATS' });
        res.end('<!doctype html><html><head><title>Yahoo</title></head><body><h1>Will be right back...</h1></body></html>');
        return;
      case 'hang':
        hung.add(res); // never answered; the client's timeout (or close()) ends it
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', server: 'ATS' });
        res.end(endpoint === 'chart' ? '{"chart":{"result":[{"meta":{"currency":"USD","symbol":"' : '{"oops": ');
        return;
      case 'schema':
        // Valid JSON, wrong shape: what a Yahoo format change looks like to the schema validator.
        if (endpoint === 'chart') {
          sendJson(res, 200, { chart: { result: [{ meta: { symbol, currency: 7 }, timestamp: [1_700_000_000], indicators: { quote: [{ close: ['abc'], open: [], high: [], low: [], volume: [] }] } }], error: null } });
        } else if (endpoint === 'quoteSummary') {
          sendJson(res, 200, { quoteSummary: { result: [{ price: { symbol: 42 } }], error: null } });
        } else {
          sendJson(res, 200, { explains: [], count: 1, quotes: [], news: 'not a list' });
        }
        return;
      case 'unknown':
        sendUnknown(res, endpoint, symbol, query);
        return;
      case 'badCrumb':
        sendJson(res, 401, { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });
        return;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const { endpoint, symbol, query } = record;
    const delay = latencyMs + (symbol ? (optionsOf(symbol).delayMs ?? 0) : 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;

    if (endpoint === 'cookie') {
      const expires = 'Expires=Sun, 3 Oct 2027 14:16:59 GMT; Max-Age=31557600; Domain=.yahoo.com; Path=/';
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': [
          `A1=${COOKIE_VALUE}; ${expires}; SameSite=Lax; Secure; HttpOnly`,
          `A3=${COOKIE_VALUE}; ${expires}; SameSite=None; Secure; HttpOnly`,
          `A1S=${COOKIE_VALUE}; Domain=.yahoo.com; Path=/; SameSite=Lax; Secure`,
        ],
        server: 'ATS',
      });
      res.end('<!doctype html><html lang="en-US"><head><meta charset="utf-8"><title>Apple Inc. (AAPL) Stock Price</title></head><body></body></html>');
      return;
    }
    if (endpoint === 'crumb') {
      if (!(req.headers.cookie ?? '').includes(`A3=${COOKIE_VALUE}`)) return sendText(res, 401, 'Unauthorized');
      return sendText(res, 200, crumb);
    }
    if (endpoint === 'other' || symbol === null) return sendText(res, 404, 'Not Found');

    const fault = faultFor(symbol, endpoint);
    if (fault) return sendFault(res, fault, endpoint, symbol, query, record);
    if (optionsOf(symbol).fault?.kind === 'unknown') return sendUnknown(res, endpoint, symbol, query);

    if (endpoint === 'chart') return sendJson(res, 200, chartBody(symbol, query));
    if (endpoint === 'quoteSummary') {
      if (query.get('crumb') !== crumb) {
        return sendJson(res, 401, { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });
      }
      return sendJson(res, 200, quoteSummaryBody(symbol, query));
    }
    return sendJson(res, 200, searchBody(symbol, query));
  }

  function classify(host: string, path: string, query: URLSearchParams): Pick<RecordedRequest, 'endpoint' | 'symbol'> {
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/v8\/finance\/chart\/([^/?]+)$/))) return { endpoint: 'chart', symbol: decodeURIComponent(m[1]!) };
    if ((m = path.match(/^\/v10\/finance\/quoteSummary\/([^/?]+)$/))) return { endpoint: 'quoteSummary', symbol: decodeURIComponent(m[1]!) };
    if (path === '/v1/finance/search') return { endpoint: 'search', symbol: query.get('q') };
    if (path === '/v1/test/getcrumb') return { endpoint: 'crumb', symbol: null };
    if (host === 'finance.yahoo.com' && path.startsWith('/quote/')) return { endpoint: 'cookie', symbol: null };
    return { endpoint: 'other', symbol: null };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const host = String(req.headers['x-yahoo-host'] ?? req.headers.host ?? '');
    const record: RecordedRequest = {
      ...classify(host, url.pathname, url.searchParams),
      host,
      path: url.pathname,
      query: url.searchParams,
      startedAt: performance.now(),
      endedAt: null,
      status: null,
      fault: null,
    };
    requests.push(record);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight--;
      hung.delete(res);
      record.endedAt = performance.now();
      record.status = res.headersSent ? res.statusCode : null;
    });
    handle(req, res, record).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 599, `fake crashed: ${String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fakeFetch: typeof fetch = (input, init) => {
    const target = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (!/(^|\.)yahoo\.com$/.test(target.hostname)) return Promise.reject(new TypeError(`fake Yahoo: refusing to fetch ${target.href}`));
    const headers = new Headers(init?.headers);
    headers.set('x-yahoo-host', target.host);
    return fetch(`${origin}${target.pathname}${target.search}`, { ...init, headers });
  };

  return {
    origin,
    fetch: fakeFetch,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    get inFlight() {
      return inFlight;
    },
    crumb,
    symbol(symbol, symbolOptions) {
      symbols.set(symbol, symbolOptions);
      seriesCache.delete(symbol);
      for (const key of [...faultCounts.keys()]) if (key.startsWith(`${symbol}|`)) faultCounts.delete(key);
    },
    series,
    rowDate,
    fundamentals,
    news: (symbol) => buildNews(symbol, lastDate),
    requestsFor: (symbol, endpoint) => requests.filter((r) => r.symbol === symbol && (endpoint === undefined || r.endpoint === endpoint)),
    resetStats() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    async close() {
      for (const res of hung) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
