import type { Ticker } from '../registry/ticker.js';

export { endOfBangkokDayMs } from '../report/business-date.js';

/** One news headline about a ticker's underlying, as a source delivers it (before dedupe and scoring). */
export interface Headline {
  title: string;
  /** ISO 8601 instant in UTC (`2025-06-09T14:30:00.000Z`). */
  published_at: string;
  /** The publisher, as a host name where known (`reuters.com`); `Daybreak demo` for demo headlines. */
  site: string;
  url: string;
  /** The publisher's lede or summary, when the source has one. */
  text: string | null;
}

export interface NewsRequest {
  /** Last Asia/Bangkok calendar date wanted (`YYYY-MM-DD`): items published after the END of that day are left out. */
  endDate: string;
  /**
   * How many items the report will keep. Sources may return more (the report windows, dedupes and ranks them),
   * and each adapter says how many it returns.
   */
  maxItems: number;
}

/**
 * A news source. Adapters return headlines newest first, each published on or before the end of `endDate`
 * (Asia/Bangkok). They return `[]` only when "no news" is a fact (the file exists and has no row in range);
 * anything else (no file for the ticker, a malformed file, a failed request) throws: `PermanentError` when a retry
 * cannot help, any other error for a transient fault. The caller treats news failures as warnings, not job failures.
 */
export interface NewsSource {
  /** The label a report carries for its news (`demo`, `csv`, `yahoo`). */
  readonly name: string;
  /** True when the adapter already retries transient faults itself: callers then do not retry on top of it. */
  readonly retriesInternally?: boolean;
  fetchNews(ticker: Ticker, request: NewsRequest): Promise<Headline[]>;
}
