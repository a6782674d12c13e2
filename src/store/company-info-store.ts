import type { CompanyInfo } from '../sources/company-info.js';

export interface StoredCompanyInfo {
  ticker: string;
  /** The business date the info was fetched for. */
  business_date: string;
  /** The source that wrote it (`demo`, `csv`, `yahoo`). */
  source: string;
  info: CompanyInfo;
}

/** Company info per ticker and business date (`Store` extends it; one contract suite for every adapter). */
export interface CompanyInfoStore {
  /** Inserts or replaces the info of (ticker, business date). */
  upsertCompanyInfo(ticker: string, businessDate: string, info: CompanyInfo, source: string): Promise<void>;
  /**
   * The newest info on or before `onOrBefore` of each of `tickers`, in one query (tickers with none are absent): a
   * report reads its own and its peers' at once.
   */
  getLatestCompanyInfo(tickers: string[], onOrBefore: string): Promise<Map<string, StoredCompanyInfo>>;
}
