import type { Ticker } from '../registry/ticker.js';
import type { CompanyInfo } from '../report/fundamentals.js';

export type { CompanyInfo } from '../report/fundamentals.js';

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

/** A CompanyInfo with every field null: the base the adapters fill. */
export function emptyCompanyInfo(): CompanyInfo {
  return {
    market_cap: null,
    pe_ratio: null,
    forward_pe: null,
    price_to_book: null,
    eps: null,
    dividend_yield_pct: null,
    beta: null,
    profit_margin_pct: null,
    return_on_equity_pct: null,
    revenue_growth_pct: null,
    analyst_target_mean: null,
    analyst_recommendation: null,
    analyst_count: null,
    next_earnings_date: null,
    sector: null,
    industry: null,
    long_name: null,
    currency: null,
  };
}
