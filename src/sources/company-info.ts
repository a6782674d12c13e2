import type { Ticker } from '../registry/ticker.js';

/**
 * Company facts and valuation as a source reports them. Every field is `null` when the source has no value for it
 * (ETFs have no P/E, sector or industry; young listings no dividend; small listings no analysts): missing is never
 * filled in or guessed, and never 0.
 */
export interface CompanyInfo {
  /** In `currency`, whole units. */
  market_cap: number | null;
  /** Trailing twelve months. */
  pe_ratio: number | null;
  forward_pe: number | null;
  price_to_book: number | null;
  /** Trailing twelve months earnings per share, as the source states it. */
  eps: number | null;
  /** Percent (1.23 means 1.23 %), not a fraction. */
  dividend_yield_pct: number | null;
  beta: number | null;
  /** Percent. */
  profit_margin_pct: number | null;
  /** Percent. */
  return_on_equity_pct: number | null;
  /** Year-on-year quarterly revenue growth, percent. */
  revenue_growth_pct: number | null;
  /** Mean of the analysts' price targets, in `currency`. */
  analyst_target_mean: number | null;
  /** `strong_buy`, `buy`, `hold`, `underperform`, `sell` (Yahoo's recommendationKey), or null. */
  analyst_recommendation: string | null;
  analyst_count: number | null;
  /** `YYYY-MM-DD` (UTC calendar date of the announced or estimated earnings date), or null. */
  next_earnings_date: string | null;
  sector: string | null;
  industry: string | null;
  long_name: string | null;
  /** ISO currency of the quote (and of `market_cap` and `analyst_target_mean`). */
  currency: string | null;
}

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
  fetchCompanyInfo(ticker: Ticker, request: CompanyInfoRequest): Promise<CompanyInfo>;
}

/** The market-data adapters that also answer for company info (all three do); the ingest asks them both. */
export function isCompanyInfoSource(source: object): source is CompanyInfoSource {
  return typeof (source as Partial<CompanyInfoSource>).fetchCompanyInfo === 'function';
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
