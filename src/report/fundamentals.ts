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

/** The report's block: the company info as stored (without the name, which the report has already), plus: */
export interface Fundamentals extends Omit<CompanyInfo, 'long_name'> {
  /** (analyst_target_mean / the report's price − 1) × 100; null without a target or when its currency differs. */
  analyst_upside_pct: number | null;
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
  const { long_name: _name, ...info } = stored.info;
  const sameCurrency = info.currency === null || info.currency === listingCurrency;
  const upside = info.analyst_target_mean !== null && price > 0 && sameCurrency ? (info.analyst_target_mean / price - 1) * 100 : null;
  return { ...info, analyst_upside_pct: upside, as_of: stored.business_date, source: stored.source };
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
