/**
 * The report's `fundamentals` block from the company info ingest stored, and the earnings-date risk. Pure.
 */
import { toDayNumber } from './business-date.js';

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

export interface Fundamentals {
  /** In the listing currency (`currency`). */
  market_cap: number | null;
  pe_ratio: number | null;
  forward_pe: number | null;
  price_to_book: number | null;
  eps: number | null;
  dividend_yield_pct: number | null;
  beta: number | null;
  profit_margin_pct: number | null;
  return_on_equity_pct: number | null;
  revenue_growth_pct: number | null;
  analyst_target_mean: number | null;
  /** (analyst_target_mean / the report's price − 1) × 100; null without a target or when its currency differs. */
  analyst_upside_pct: number | null;
  analyst_recommendation: string | null;
  analyst_count: number | null;
  next_earnings_date: string | null;
  sector: string | null;
  industry: string | null;
  /** The quote currency the source stated (market cap and target are in it). */
  currency: string | null;
  /** Business date the info was fetched for. */
  as_of: string;
  /** `yahoo`, `csv` or `demo`. */
  source: string;
}

/** Days ahead within which an earnings date is a risk of its own. */
export const EARNINGS_RISK_DAYS = 7;

export interface StoredFacts {
  info: CompanyInfo;
  business_date: string;
  source: string;
}

/**
 * The block as reports carry it. `price` is the report's last close, in `listingCurrency`; the analysts' upside is
 * computed against it only when the source quotes in the same currency (a target in another currency is no upside).
 */
export function buildFundamentals(stored: StoredFacts, price: number, listingCurrency: string): Fundamentals {
  const i = stored.info;
  const sameCurrency = i.currency === null || i.currency === listingCurrency;
  const upside = i.analyst_target_mean !== null && price > 0 && sameCurrency ? (i.analyst_target_mean / price - 1) * 100 : null;
  return {
    market_cap: i.market_cap,
    pe_ratio: i.pe_ratio,
    forward_pe: i.forward_pe,
    price_to_book: i.price_to_book,
    eps: i.eps,
    dividend_yield_pct: i.dividend_yield_pct,
    beta: i.beta,
    profit_margin_pct: i.profit_margin_pct,
    return_on_equity_pct: i.return_on_equity_pct,
    revenue_growth_pct: i.revenue_growth_pct,
    analyst_target_mean: i.analyst_target_mean,
    analyst_upside_pct: upside,
    analyst_recommendation: i.analyst_recommendation,
    analyst_count: i.analyst_count,
    next_earnings_date: i.next_earnings_date,
    sector: i.sector,
    industry: i.industry,
    currency: i.currency,
    as_of: stored.business_date,
    source: stored.source,
  };
}

export interface EarningsRisk {
  next_earnings_date: string | null;
  /** Calendar days from the report's business date; null without a date or when it has passed. */
  days_to_earnings: number | null;
  earnings_within_7_days: boolean;
}

/** Whether the next earnings date falls within `EARNINGS_RISK_DAYS` of the business date (today included). */
export function earningsRisk(nextEarningsDate: string | null, businessDate: string): EarningsRisk {
  if (nextEarningsDate === null) return { next_earnings_date: null, days_to_earnings: null, earnings_within_7_days: false };
  const days = toDayNumber(nextEarningsDate) - toDayNumber(businessDate);
  if (days < 0) return { next_earnings_date: nextEarningsDate, days_to_earnings: null, earnings_within_7_days: false };
  return { next_earnings_date: nextEarningsDate, days_to_earnings: days, earnings_within_7_days: days <= EARNINGS_RISK_DAYS };
}
