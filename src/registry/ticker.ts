/** One depositary receipt of the universe and the underlying it tracks. */
export interface Ticker {
  /** DR symbol as traded in Thailand, e.g. `NVDA19`. The key everywhere in Daybreak. */
  symbol: string;
  /** The underlying's symbol on Yahoo Finance, e.g. `NVDA`, `D05.SI`, `0700.HK`. */
  yahooSymbol: string;
  name: string;
  /** Exchange of the underlying: NASDAQ, NYSE, NYSEARCA, SGX, TSE, HKEX, HOSE, TWSE. */
  exchange: string;
  /** ISO currency of the underlying's prices. */
  currency: string;
  /** GICS-style industry of the underlying; null for ETFs and where unknown. */
  sector: string | null;
  type: 'stock' | 'etf';
  active: boolean;
  /**
   * A realistic price of the underlying in its currency (approximate late-2025 level), used only to set the level
   * of the demo source's synthetic series. Not a quote; absent in a registry file that has none.
   */
  referencePrice?: number;
  /**
   * The company's approximate late-2025 market capitalisation in billions of US dollars, used only by the demo source
   * so its market cap (and the share count behind it) is of the right size. Absent for funds and where unknown.
   */
  referenceMarketCapBillionUsd?: number;
}
