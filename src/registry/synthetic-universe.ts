import { writeFileSync } from 'node:fs';
import type { Ticker } from './ticker.js';

const EXCHANGES = [
  { exchange: 'NASDAQ', currency: 'USD', suffix: '' },
  { exchange: 'SGX', currency: 'SGD', suffix: '.SI' },
  { exchange: 'HKEX', currency: 'HKD', suffix: '.HK' },
  { exchange: 'TSE', currency: 'JPY', suffix: '.T' },
] as const;
const SECTORS = ['Banks', 'Software', 'Semiconductors', 'Insurance', 'Metals & Mining', 'Entertainment'];

/** `count` made-up tickers for load tests, in the registry file format. */
export function syntheticTickers(count: number): Ticker[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const market = EXCHANGES[i % EXCHANGES.length]!;
    return {
      symbol: `SYN${n}19`,
      yahooSymbol: `SYN${n}${market.suffix}`,
      name: `Synthetic Company ${n}`,
      exchange: market.exchange,
      currency: market.currency,
      sector: SECTORS[i % SECTORS.length]!,
      type: 'stock',
      active: true,
    };
  });
}

export function writeTickersFile(path: string, tickers: Ticker[]): void {
  writeFileSync(path, JSON.stringify({ version: 1, updated: '2026-11-28', tickers }, null, 2));
}
