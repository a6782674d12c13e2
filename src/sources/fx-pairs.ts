import type { Ticker } from '../registry/ticker.js';
import { fxPairFor } from '../report/fx-view.js';

/**
 * Rough levels of each currency in baht (late 2025), the centre of the demo source's synthetic FX series. Yahoo and
 * CSV pairs carry real rates; these only make demo rates look like the real ones.
 */
export const DEMO_THB_PER_UNIT: Readonly<Record<string, number>> = {
  USD: 32.5,
  SGD: 25,
  HKD: 4.17,
  JPY: 0.215,
  VND: 0.00123,
  TWD: 1.03,
  EUR: 37.5,
  GBP: 43,
  CNY: 4.55,
};

/** The FX pairs a set of tickers needs (one per listing currency other than THB), sorted. */
export function fxPairsFor(tickers: readonly Pick<Ticker, 'currency'>[]): string[] {
  const pairs = new Set<string>();
  for (const t of tickers) {
    const pair = fxPairFor(t.currency);
    if (pair) pairs.add(pair);
  }
  return [...pairs].sort();
}

/**
 * An FX pair as a market-data "ticker", so every market-data adapter fetches it like bars: Yahoo's chart() of
 * `USDTHB=X`, `USDTHB=X.csv` in a CSV folder, a demo series centred on `DEMO_THB_PER_UNIT`. Stored under the pair.
 */
export function fxPairTicker(pair: string): Ticker {
  const base = pair.slice(0, 3);
  const level = DEMO_THB_PER_UNIT[base];
  return {
    symbol: pair,
    yahooSymbol: pair,
    name: `${base}/THB`,
    exchange: 'FX',
    currency: 'THB',
    sector: null,
    type: 'stock',
    active: true,
    ...(level !== undefined && { referencePrice: level }),
  };
}
