import pLimit from 'p-limit';
import { errorMessage, PermanentError } from '../errors.js';
import { withRetry } from '../queue/retry-policy.js';
import type { RetryOptions } from '../queue/job-queue.js';
import type { Ticker } from '../registry/ticker.js';
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
  duration_ms: number;
}

export interface IngestOptions {
  store: Store;
  source: MarketDataSource;
  newsSource: NewsSource | null;
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
 * Step 1 of the daily flow: fetch bars (and news, when there is a news source) per ticker into the store. Sources are called at most `concurrency` at a
 * time (the reference was rate-limited per IP above 5); each ticker succeeds or fails alone.
 */
export async function ingestTickers(options: IngestOptions): Promise<IngestTickerResult[]> {
  const limit = pLimit(options.concurrency);
  const results = await Promise.all(
    options.tickers.map((ticker) =>
      limit(async () => {
        const started = performance.now();
        let result: IngestTickerResult;
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
          result = {
            ticker: ticker.symbol,
            status: 'ok',
            bars: bars.length,
            last_date: bars.at(-1)?.date ?? null,
            error: null,
            news,
            news_error: newsError,
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
