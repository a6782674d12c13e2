import type { DailyBar } from '../report/daily-bar.js';
import type { Ticker } from '../registry/ticker.js';

export interface DailyBarsRequest {
  /** Last business date wanted (Asia/Bangkok calendar date, `YYYY-MM-DD`). */
  endDate: string;
  /** How many bars the caller wants at least, when the source has that much history. */
  minBars: number;
}

/**
 * A market-data source. Adapters never return an empty or partial result on failure: they throw
 * `PermanentError` (unknown symbol, no data, invalid data), `RetryLaterError` (rate limited) or
 * any other error for a transient fault.
 */
export interface MarketDataSource {
  /** The label a report carries as `data_source` (`demo`, `csv`, `yahoo`). */
  readonly name: string;
  /** True when the adapter already retries transient faults itself: callers then do not retry on top of it. */
  readonly retriesInternally?: boolean;
  /** Daily bars in ascending date order, one per date, ending at or before `endDate`. */
  fetchDailyBars(ticker: Ticker, request: DailyBarsRequest): Promise<DailyBar[]>;
}
