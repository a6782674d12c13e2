import type { Ticker } from './ticker.js';

/** A registry row as the CLI and the API print it: snake_case and the report's names (DESIGN §14). */
export interface TickerJson {
  ticker: string;
  yahoo_symbol: string;
  company_name: string;
  exchange: string;
  currency: string;
  sector: string | null;
  type: Ticker['type'];
  active: boolean;
}

export function tickerJson(t: Ticker): TickerJson {
  return {
    ticker: t.symbol,
    yahoo_symbol: t.yahooSymbol,
    company_name: t.name,
    exchange: t.exchange,
    currency: t.currency,
    sector: t.sector,
    type: t.type,
    active: t.active,
  };
}
