import type { Ticker } from '../registry/ticker.js';
import type { CompanyInfo } from '../report/fundamentals.js';

export type { CompanyInfo } from '../report/fundamentals.js';
export { emptyCompanyInfo } from '../report/fundamentals.js';

export interface CompanyInfoRequest {
  /** The business date the info is fetched for (Asia/Bangkok, `YYYY-MM-DD`): the demo source prices its P/E on it. */
  endDate: string;
}

/**
 * A source of company info. Like the other ports it throws rather than answer with nothing: `PermanentError` for an
 * unknown symbol or a malformed answer, `RetryLaterError` when rate limited, any other error when transient.
 * Missing fundamentals never fail a report: ingest records the failure and reports carry a warning.
 */
export interface CompanyInfoSource {
  readonly name: string;
  /** True when the adapter already retries transient faults itself (Yahoo's client does). */
  readonly retriesInternally?: boolean;
  fetchCompanyInfo(ticker: Ticker, request: CompanyInfoRequest): Promise<CompanyInfo>;
}

/** The market-data adapter as a company-info source when it is one (demo, csv and yahoo all are), else null. */
export function companyInfoOf(source: object): CompanyInfoSource | null {
  return typeof (source as Partial<CompanyInfoSource>).fetchCompanyInfo === 'function' ? (source as CompanyInfoSource) : null;
}
