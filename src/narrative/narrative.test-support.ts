/**
 * Shared by the narrative tests: real fixture windows, NarrativeInputs around them, and helpers to cut a rendered
 * narrative into sections and sentences.
 */
import { readFileSync } from 'node:fs';
import { buildFacts, formatFact } from '../report/facts.js';
import { NARRATIVE_SECTIONS, SECTION_HEADINGS, type Facts, type Language, type NarrativeSection } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import type { DailyBar } from '../report/daily-bar.js';
import { splitSentences } from '../report/sentences.js';
import { analyzeTechnicals } from '../report/technical-analysis.js';
import { parseDailyBarsCsv } from '../sources/csv-market-data.js';
import { displayName } from './template-kit.js';

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

/** The body of each `## ` section, keyed by section, found by the contract's headings. */
export function sectionsOf(markdown: string, language: Language): Record<NarrativeSection, string> {
  const out = {} as Record<NarrativeSection, string>;
  const lines = markdown.split('\n');
  for (const section of NARRATIVE_SECTIONS) {
    const start = lines.indexOf(`## ${SECTION_HEADINGS[language][section]}`);
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    out[section] = start < 0 ? '' : lines.slice(start + 1, end).join('\n').trim();
  }
  return out;
}

/** Every sentence of the prose (headings and the disclaimer excluded), whitespace-normalised. */
export function proseSentences(markdown: string, language: Language): string[] {
  return markdown
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#') && !/^_.*_$/.test(l.trim()))
    .flatMap((l) => splitSentences(l, language).map((p) => p.text.replace(/\s+/g, ' ').trim()))
    .filter(Boolean);
}

/** Share of `a`'s sentences that also appear in `b`. */
export function sharedShare(a: string[], b: string[]): number {
  const set = new Set(b);
  return a.length === 0 ? 0 : a.filter((s) => set.has(s)).length / a.length;
}

/**
 * The text with every fact's formatted value and every name the inputs carry removed; what remains of digits was
 * typed by the writer.
 */
export function withoutFactsAndNames(text: string, facts: Facts, inputs: NarrativeInputs): string {
  const values = Object.values(facts).map((f) => formatFact(f, inputs.language, inputs.ticker.currency));
  const names = [inputs.ticker.name, displayName(inputs.ticker.name), ...(inputs.peers?.top ?? []).flatMap((p) => [p.name, displayName(p.name)])];
  let out = text;
  for (const v of [...values, ...names].sort((x, y) => y.length - x.length)) out = out.split(v).join(' ');
  return out;
}

export { buildFacts };
