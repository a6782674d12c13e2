import pLimit from 'p-limit';
import { errorMessage, PermanentError } from '../errors.js';
import { withRetry } from '../queue/retry-policy.js';
import type { RetryOptions } from '../queue/job-queue.js';
import type { Ticker } from '../registry/ticker.js';
import type { MarketDataSource } from '../sources/market-data.js';
import type { Store } from '../store/store.js';

export interface IngestTickerResult {
  ticker: string;
  status: 'ok' | 'failed';
  bars: number;
  /** Date of the newest bar written. */
  last_date: string | null;
  error: string | null;
  duration_ms: number;
}

export interface IngestOptions {
  store: Store;
  source: MarketDataSource;
  tickers: Ticker[];
  /** Asia/Bangkok business date to fetch up to. */
  endDate: string;
  minBars: number;
  concurrency: number;
  retry: RetryOptions;
  onTicker?: (result: IngestTickerResult) => void;
}

/**
 * Step 1 of the daily flow: fetch bars per ticker into the store. Sources are called at most `concurrency` at a
 * time (the reference was rate-limited per IP above 5); each ticker succeeds or fails alone.
 */
export async function ingestTickers(options: IngestOptions): Promise<IngestTickerResult[]> {
  const limit = pLimit(options.concurrency);
  return Promise.all(
    options.tickers.map((ticker) =>
      limit(async () => {
        const started = performance.now();
        let result: IngestTickerResult;
        try {
          const bars = await withRetry(
            () => options.source.fetchDailyBars(ticker, { endDate: options.endDate, minBars: options.minBars }),
            options.retry,
          );
          if (bars.length === 0) throw new PermanentError(`${options.source.name} returned no bars for ${ticker.yahooSymbol}`);
          await options.store.upsertDailyBars(ticker.symbol, bars, options.source.name);
          result = {
            ticker: ticker.symbol,
            status: 'ok',
            bars: bars.length,
            last_date: bars.at(-1)?.date ?? null,
            error: null,
            duration_ms: performance.now() - started,
          };
        } catch (error) {
          result = {
            ticker: ticker.symbol,
            status: 'failed',
            bars: 0,
            last_date: null,
            error: errorMessage(error),
            duration_ms: performance.now() - started,
          };
        }
        options.onTicker?.(result);
        return result;
      }),
    ),
  );
}
