/**
 * NarrativeInputs around real fixture windows, shared by the tests of the facts, the semantic states and the
 * narrative writers.
 */
import { readFileSync } from 'node:fs';
import type { DailyBar } from './daily-bar.js';
import type { Language } from './narrative-contract.js';
import type { NarrativeInputs } from './narrative-inputs.js';
import { parseDailyBarsCsv } from './parse-daily-bars-csv.js';
import { analyzeTechnicals } from './technical-analysis.js';

const cache = new Map<string, DailyBar[]>();

/** `count` bars of a real fixture (`../shared/fixtures/market/<symbol>.csv`) ending on or before `end`. */
export function fixtureBars(symbol: string, end: string, count = 400): DailyBar[] {
  let all = cache.get(symbol);
  if (!all) {
    const url = new URL(`../../../shared/fixtures/market/${symbol}.csv`, import.meta.url);
    all = parseDailyBarsCsv(readFileSync(url, 'utf8'), `${symbol}.csv`);
    cache.set(symbol, all);
  }
  const upto = all.filter((b) => b.date <= end);
  return upto.slice(-count);
}

export const POSITIVE_NEWS: NarrativeInputs['news'] = {
  overall: { positive_pct: 62.5, neutral_pct: 25, negative_pct: 12.5, count: 8 },
  top: [{ title: 'Record data-center revenue', sentiment_label: 'positive', source: 'Reuters' }],
};
export const NEGATIVE_NEWS: NarrativeInputs['news'] = {
  overall: { positive_pct: 10, neutral_pct: 30, negative_pct: 60, count: 10 },
  top: [{ title: 'Export curbs hit chip sales', sentiment_label: 'negative', source: 'Bloomberg' }],
};
export const MIXED_NEWS: NarrativeInputs['news'] = {
  overall: { positive_pct: 40, neutral_pct: 20, negative_pct: 40, count: 5 },
  top: [],
};

export function peersOf(returnGap: number | null, volGap: number | null = 10): NarrativeInputs['peers'] {
  return {
    top: [
      { ticker: 'MSFT19', name: 'Microsoft Corporation', correlation: 0.68 },
      { ticker: 'AAPL19', name: 'Apple Inc.', correlation: 0.52 },
      { ticker: 'ORCL19', name: 'Oracle Corporation', correlation: 0.41 },
    ],
    return_1m_vs_median_pct: returnGap,
    volatility_vs_median_pct: volGap,
    sector_mates: ['MICRON19', 'ADVANT19'],
  };
}

export interface InputOptions {
  symbol: string;
  name: string;
  currency?: string;
  type?: 'stock' | 'etf';
  exchange?: string;
  sector?: string | null;
  bars: DailyBar[];
  news?: NarrativeInputs['news'];
  peers?: NarrativeInputs['peers'];
  valuation?: NarrativeInputs['valuation'];
  fx?: NarrativeInputs['fx'];
  dataSource?: string;
  language?: Language;
}

export function inputsFor(o: InputOptions): NarrativeInputs {
  return {
    ticker: {
      symbol: o.symbol,
      name: o.name,
      currency: o.currency ?? 'USD',
      sector: o.sector === undefined ? 'Semiconductors & Semi Equipment' : o.sector,
      type: o.type ?? 'stock',
      exchange: o.exchange ?? 'NASDAQ',
    },
    technicals: analyzeTechnicals(o.bars),
    news: o.news === undefined ? null : o.news,
    peers: o.peers === undefined ? null : o.peers,
    ...(o.valuation !== undefined && { valuation: o.valuation }),
    ...(o.fx !== undefined && { fx: o.fx }),
    dataSource: o.dataSource ?? 'csv',
    language: o.language ?? 'th',
  };
}
