import type { Ticker } from '../registry/ticker.js';

/**
 * Company facts and valuation as a source reports them. Every field is `null` when the source has no value for it
 * (ETFs have no P/E, sector or industry; young listings no dividend): missing is never filled in or guessed.
 */
export interface CompanyInfo {
  /** In `currency`, whole units. */
  market_cap: number | null;
  /** Trailing twelve months. */
  pe_ratio: number | null;
  forward_pe: number | null;
  /** Trailing twelve months earnings per share, in `currency`. */
  eps: number | null;
  /** Percent (1.23 means 1.23 %), not a fraction. */
  dividend_yield: number | null;
  sector: string | null;
  industry: string | null;
  long_name: string | null;
  /** ISO currency of the quote (and of `market_cap` and `eps`). */
  currency: string | null;
}

/**
 * A source of company info. Like the other ports it throws rather than answer with nothing: `PermanentError` for an
 * unknown symbol or a malformed answer, `RetryLaterError` when rate limited, any other error when transient.
 * The caller decides whether missing fundamentals fail a report (they need not: prices alone make one).
 */
export interface CompanyInfoSource {
  readonly name: string;
  fetchCompanyInfo(ticker: Ticker): Promise<CompanyInfo>;
}
