import pLimit from 'p-limit';
import { errorMessage, PermanentError } from '../errors.js';
import { withRetry } from '../queue/retry-policy.js';
import type { RetryOptions } from '../queue/job-queue.js';
import type { Ticker } from '../registry/ticker.js';
import type { CompanyInfo, CompanyInfoSource } from '../sources/company-info.js';
import { fxPairTicker } from '../sources/fx-pairs.js';
import type { MarketDataSource } from '../sources/market-data.js';
import type { NewsSource } from '../sources/news-source.js';
import type { Store } from '../store/store.js';
import { gradeStoredCalls } from '../track-record/grade-stored-calls.js';

const ONCE: RetryOptions = { attempts: 1, backoffMs: 0 };

export interface IngestTickerResult {
  ticker: string;
  status: 'ok' | 'failed';
  bars: number;
  /** Date of the newest bar written. */
  last_date: string | null;
  error: string | null;
  /** Headlines written; null when there is no news source or fetching news failed (`news_error`). */
  news: number | null;
  /** News is optional: a failure here leaves the ticker ingested and its reports say news is unavailable. */
  news_error: string | null;
  /** Company info written (`ok`), not available (`failed`, see `company_info_error`), or not asked for (null). */
  company_info: 'ok' | 'failed' | null;
  /** Company info is optional: a failure leaves the ticker ingested and its reports carry a warning. */
  company_info_error: string | null;
  duration_ms: number;
}

export interface IngestFxResult {
  /** Yahoo symbol of the pair, e.g. `USDTHB=X`. */
  pair: string;
  status: 'ok' | 'failed';
  bars: number;
  last_date: string | null;
  error: string | null;
  duration_ms: number;
}

export interface IngestOptions {
  store: Store;
  source: MarketDataSource;
  newsSource: NewsSource | null;
  /** Where company info comes from (the market-data adapter itself, usually); null: not fetched. */
  companyInfo?: CompanyInfoSource | null;
  tickers: Ticker[];
  /** Asia/Bangkok business date to fetch bars up to. */
  endDate: string;
  /** Asia/Bangkok calendar date to fetch news up to (news also comes out on weekends). */
  today: string;
  minBars: number;
  concurrency: number;
  retry: RetryOptions;
  onTicker?: (result: IngestTickerResult) => void;
}

/**
 * Step 1 of the daily flow: fetch bars (and news and company info, when there are sources for them) per ticker into the store. Sources are called at most `concurrency` at a
 * time (the reference was rate-limited per IP above 5); each ticker succeeds or fails alone.
 */
export async function ingestTickers(options: IngestOptions): Promise<IngestTickerResult[]> {
  const limit = pLimit(options.concurrency);
  const results = await Promise.all(
    options.tickers.map((ticker) =>
      limit(async () => {
        const started = performance.now();
        let result: IngestTickerResult;
        // Asked for at once, beside the bars: a second request in flight per ticker fills the throttle's idle slots
        // while bars are parsed and written. Settled here, so a failure is a value, never an unhandled rejection.
        const companyInfo = options.companyInfo ? fetchCompanyInfo(options.companyInfo, ticker, options) : null;
        try {
          const bars = await withRetry(
            () => options.source.fetchDailyBars(ticker, { endDate: options.endDate, minBars: options.minBars }),
            options.source.retriesInternally ? ONCE : options.retry,
          );
          if (bars.length === 0) throw new PermanentError(`${options.source.name} returned no bars for ${ticker.yahooSymbol}`);
          await options.store.upsertDailyBars(ticker.symbol, bars, options.source.name);
          let news: number | null = null;
          let newsError: string | null = null;
          if (options.newsSource) {
            const newsSource = options.newsSource;
            try {
              const headlines = await withRetry(
                () => newsSource.fetchNews(ticker, { endDate: options.today, maxItems: 20 }),
                newsSource.retriesInternally ? ONCE : options.retry,
              );
              news = await options.store.upsertNews(ticker.symbol, headlines, newsSource.name);
            } catch (error) {
              newsError = errorMessage(error);
            }
          }
          const info = await storeCompanyInfo(options, ticker, companyInfo);
          result = {
            ticker: ticker.symbol,
            status: 'ok',
            bars: bars.length,
            last_date: bars.at(-1)?.date ?? null,
            error: null,
            news,
            news_error: newsError,
            ...info,
            duration_ms: performance.now() - started,
          };
        } catch (error) {
          result = {
            ticker: ticker.symbol,
            status: 'failed',
            bars: 0,
            last_date: null,
            error: errorMessage(error),
            news: null,
            news_error: null,
            ...(await storeCompanyInfo(options, ticker, companyInfo)),
            duration_ms: performance.now() - started,
          };
        }
        options.onTicker?.(result);
        return result;
      }),
    ),
  );
  // New bars grade the calls made before them (DESIGN §12).
  if (results.some((r) => r.status === 'ok')) await gradeStoredCalls(options.store);
  return results;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function fetchCompanyInfo(source: CompanyInfoSource, ticker: Ticker, options: IngestOptions): Promise<Settled<CompanyInfo>> {
  return withRetry(() => source.fetchCompanyInfo(ticker, { endDate: options.endDate }), source.retriesInternally ? ONCE : options.retry).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** Writes the fetched info under the ingest's business date; its failure (fetch or write) is the ticker's warning. */
async function storeCompanyInfo(
  options: IngestOptions,
  ticker: Ticker,
  pending: Promise<Settled<CompanyInfo>> | null,
): Promise<Pick<IngestTickerResult, 'company_info' | 'company_info_error'>> {
  if (!pending || !options.companyInfo) return { company_info: null, company_info_error: null };
  const settled = await pending;
  if (!settled.ok) return { company_info: 'failed', company_info_error: errorMessage(settled.error) };
  try {
    await options.store.upsertCompanyInfo(ticker.symbol, options.endDate, settled.value, options.companyInfo.name);
    return { company_info: 'ok', company_info_error: null };
  } catch (error) {
    return { company_info: 'failed', company_info_error: errorMessage(error) };
  }
}

export interface IngestFxOptions {
  store: Store;
  source: MarketDataSource;
  /** Yahoo symbols of the pairs (`USDTHB=X`…), see `fxPairsFor`. */
  pairs: string[];
  endDate: string;
  minBars: number;
  concurrency: number;
  retry: RetryOptions;
  onPair?: (result: IngestFxResult) => void;
}

/**
 * FX rates against THB, fetched and stored like bars (under the pair's Yahoo symbol) from the same market-data
 * source. Each pair succeeds or fails alone; a missing pair only takes the THB view out of the reports that need it.
 */
export async function ingestFxPairs(options: IngestFxOptions): Promise<IngestFxResult[]> {
  const limit = pLimit(options.concurrency);
  return Promise.all(
    options.pairs.map((pair) =>
      limit(async () => {
        const started = performance.now();
        let result: IngestFxResult;
        try {
          const bars = await withRetry(
            () => options.source.fetchDailyBars(fxPairTicker(pair), { endDate: options.endDate, minBars: options.minBars }),
            options.source.retriesInternally ? ONCE : options.retry,
          );
          if (bars.length === 0) throw new PermanentError(`${options.source.name} returned no rates for ${pair}`);
          await options.store.upsertDailyBars(pair, bars, options.source.name);
          result = { pair, status: 'ok', bars: bars.length, last_date: bars.at(-1)!.date, error: null, duration_ms: performance.now() - started };
        } catch (error) {
          result = { pair, status: 'failed', bars: 0, last_date: null, error: errorMessage(error), duration_ms: performance.now() - started };
        }
        options.onPair?.(result);
        return result;
      }),
    ),
  );
}
