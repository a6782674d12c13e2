/**
 * Facts: every number a narrative may show, under its placeholder name, and the injector that puts them into a
 * writer's template. Writers never type a number; a missing value has no fact, so it can never be shown.
 *
 * Formatting (`formatFact`), stated once:
 * - price: thousand separators; decimals by the magnitude of the ticker's price (< 1 → 3, < 10,000 → 2, else 0;
 *   JPY/VND/KRW/IDR/TWD from 1,000 → 0), followed by the currency (code in English, its Thai name in Thai);
 * - percent / signed_percent: the fact's decimals — 2 for the daily change, ATR% and price-vs-average; 1 for returns,
 *   volatility, news shares and peer gaps; 0 for percentiles; signed ones carry `+` or `-` (never `-0.00%`);
 * - ratio: 2 decimals, `1.52x` / `1.52 เท่า`; number: its decimals with separators; count: integer with separators.
 */
import type { Fact, Facts, FactUnit, Language } from './narrative-contract.js';
import type { NarrativeInputs } from './narrative-inputs.js';
import { splitSentences } from './sentences.js';

/** Thai names of the currencies the universe trades in; anything else prints its ISO code. */
export const CURRENCY_TH: Record<string, string> = {
  USD: 'ดอลลาร์สหรัฐ',
  SGD: 'ดอลลาร์สิงคโปร์',
  HKD: 'ดอลลาร์ฮ่องกง',
  JPY: 'เยน',
  VND: 'ดอง',
  TWD: 'ดอลลาร์ไต้หวัน',
  THB: 'บาท',
  CNY: 'หยวน',
  EUR: 'ยูโร',
};

/** Currencies quoted in whole units (no cents in everyday use): their prices from 1,000 up print without decimals. */
const WHOLE_UNIT_CURRENCIES = new Set(['JPY', 'VND', 'KRW', 'IDR', 'TWD']);

/** Decimals for price-like facts, from the magnitude of the price (so every price fact of a ticker reads alike). */
export function priceDecimals(price: number, currency = ''): number {
  const a = Math.abs(price);
  if (a < 1) return 3;
  if (a >= 10_000 || (WHOLE_UNIT_CURRENCIES.has(currency) && a >= 1_000)) return 0;
  return 2;
}

function groupThousands(value: number, decimals: number): string {
  const fixed = Math.abs(value).toFixed(decimals);
  const negative = value < 0 && Number(fixed) !== 0;
  const [int, frac] = fixed.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

export function formatFact(fact: Fact, language: Language, currency: string): string {
  const v = fact.value;
  switch (fact.unit) {
    case 'price': {
      const name = language === 'th' ? (CURRENCY_TH[currency] ?? currency) : currency;
      return `${groupThousands(v, fact.decimals)} ${name}`;
    }
    case 'percent':
      return `${groupThousands(v, fact.decimals)}%`;
    case 'signed_percent': {
      const s = groupThousands(v, fact.decimals);
      return `${v > 0 && Number(Math.abs(v).toFixed(fact.decimals)) !== 0 ? '+' : ''}${s}%`;
    }
    case 'ratio': {
      const s = groupThousands(v, fact.decimals);
      return language === 'th' ? `${s} เท่า` : `${s}x`;
    }
    case 'number':
      return groupThousands(v, fact.decimals);
    case 'count':
      return groupThousands(Math.round(v), 0);
  }
}

const usable = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

/** Builds every fact whose value is present. Absent data gives no fact, so no placeholder for it can be filled. */
export function buildFacts(inputs: NarrativeInputs): Facts {
  const t = inputs.technicals;
  const i = t.indicators;
  const pd = priceDecimals(t.price, inputs.ticker.currency);
  const facts: Facts = {};
  const add = (key: string, value: number | null | undefined, unit: FactUnit, decimals: number, label: string): void => {
    if (usable(value)) facts[key] = { key, value, unit, decimals, label };
  };
  const vsPrice = (base: number | null): number | null => (usable(base) && base !== 0 ? (t.price / base - 1) * 100 : null);

  add('PRICE', t.price, 'price', pd, 'last close');
  add('CHANGE_PCT', t.price_change_pct, 'signed_percent', 2, 'change vs the previous close, percent');
  add('RSI', i.rsi_14, 'number', 1, 'RSI (14, Wilder)');
  add('RSI_PERCENTILE', t.percentiles.rsi_14?.percentile, 'percent', 0, "percentile of today's RSI in its own history");
  if (usable(i.macd_hist)) {
    const a = Math.abs(i.macd_hist);
    add('MACD_HIST', i.macd_hist, 'number', a !== 0 && a < 0.01 ? 4 : a < 1 ? 3 : 2, 'MACD histogram (MACD - signal), price units');
  }
  add('SMA_20', i.sma_20, 'price', pd, '20-day simple moving average');
  add('SMA_50', i.sma_50, 'price', pd, '50-day simple moving average');
  add('SMA_200', i.sma_200, 'price', pd, '200-day simple moving average');
  add('PRICE_VS_SMA_20', vsPrice(i.sma_20), 'signed_percent', 2, 'price vs SMA 20, percent');
  add('PRICE_VS_SMA_50', vsPrice(i.sma_50), 'signed_percent', 2, 'price vs SMA 50, percent');
  add('PRICE_VS_SMA_200', vsPrice(i.sma_200), 'signed_percent', 2, 'price vs SMA 200, percent');
  add('ATR_PCT', i.atr_pct, 'percent', 2, 'ATR (14, Wilder) as percent of price');
  add('ATR_PCT_PERCENTILE', t.percentiles.atr_pct?.percentile, 'percent', 0, "percentile of today's ATR% in its own history");
  add('VOLATILITY_30D', i.volatility_30d_annualised, 'percent', 1, '30-day annualised volatility, percent');
  add('VOLUME_RATIO', i.volume_ratio, 'ratio', 2, "today's volume / 20-day average volume");
  add('VOLUME_RATIO_PERCENTILE', t.percentiles.volume_ratio?.percentile, 'percent', 0, "percentile of today's volume ratio");
  add('HIGH_52W', i.high_52w, 'price', pd, '52-week high');
  add('LOW_52W', i.low_52w, 'price', pd, '52-week low');
  if (usable(i.high_52w) && i.high_52w > 0) {
    add('FROM_HIGH_52W_PCT', Math.max(0, (1 - t.price / i.high_52w) * 100), 'percent', 1, 'percent below the 52-week high');
  }
  if (usable(i.low_52w) && i.low_52w > 0) {
    add('FROM_LOW_52W_PCT', Math.max(0, (t.price / i.low_52w - 1) * 100), 'percent', 1, 'percent above the 52-week low');
  }
  add('RETURN_5D', i.returns['5d'], 'signed_percent', 1, '5-day return, percent');
  add('RETURN_1M', i.returns['1m'], 'signed_percent', 1, '1-month (21-bar) return, percent');
  add('RETURN_3M', i.returns['3m'], 'signed_percent', 1, '3-month (63-bar) return, percent');
  add('RETURN_YTD', i.returns.ytd, 'signed_percent', 1, 'year-to-date return, percent');
  add('RETURN_1Y', i.returns['1y'], 'signed_percent', 1, '1-year (252-bar) return, percent');
  add('BB_UPPER', i.bb_upper, 'price', pd, 'upper Bollinger band (20, 2)');
  add('BB_LOWER', i.bb_lower, 'price', pd, 'lower Bollinger band (20, 2)');

  const overall = inputs.news?.overall ?? null;
  if (overall && overall.count > 0) {
    add('NEWS_POSITIVE_PCT', overall.positive_pct, 'percent', 1, 'share of positive headlines, percent');
    add('NEWS_NEUTRAL_PCT', overall.neutral_pct, 'percent', 1, 'share of neutral headlines, percent');
    add('NEWS_NEGATIVE_PCT', overall.negative_pct, 'percent', 1, 'share of negative headlines, percent');
    add('NEWS_COUNT', overall.count, 'count', 0, 'headlines scored');
  } else if (inputs.news && inputs.news.top.length > 0) {
    add('NEWS_COUNT', inputs.news.top.length, 'count', 0, 'headlines kept');
  }

  const peers = inputs.peers;
  if (peers) {
    if (peers.top.length > 0) {
      add('PEER_COUNT', peers.top.length, 'count', 0, 'peers compared');
      add('TOP_PEER_CORRELATION', Math.max(...peers.top.map((p) => p.correlation)), 'number', 2, 'highest return correlation with a peer');
    }
    add('RETURN_VS_PEERS', peers.return_1m_vs_median_pct, 'signed_percent', 1, "1-month return minus the peers' median, points");
    add('VOLATILITY_VS_PEERS', peers.volatility_vs_median_pct, 'signed_percent', 1, "30-day volatility vs the peers' median, percent");
  }

  const valuation = inputs.valuation;
  if (valuation) {
    add('PE_RATIO', valuation.pe_ratio, 'number', 1, 'trailing price/earnings ratio (P/E)');
    if (valuation.label !== null) {
      add('PEERS_MEDIAN_PE', valuation.peers_median_pe, 'number', 1, "median trailing P/E of the peers it is compared with");
      add('PE_VS_PEERS', valuation.pe_vs_peers_median_pct, 'signed_percent', 1, "trailing P/E vs the peers' median P/E, percent");
    }
    add('ANALYST_UPSIDE', valuation.analyst_upside_pct, 'signed_percent', 1, "upside from the price to the analysts' mean target, percent");
  }
  const fx = inputs.fx;
  if (fx) {
    add('RETURN_1M_THB', fx.return_1m_thb_pct, 'signed_percent', 1, '1-month return converted to Thai baht (what a DR holder felt), percent');
    add('FX_CHANGE_1M', fx.change_1m_pct, 'signed_percent', 1, `1-month change of the ${fx.base_currency} against the baht, percent`);
  }
  return facts;
}

/** Anything in braces that looks like a placeholder, well-formed or not (`{RSI}`, `{rsi}`, `{Price_Now}`). */
const ANY_PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export interface InjectionResult {
  text: string;
  /** Placeholders replaced by a value (occurrences). */
  injected: number;
  /** Placeholder names that had no fact (or were malformed), once each, in order of appearance. */
  unknown: string[];
}

/**
 * Replaces every `{KEY}` with its formatted fact. An unknown (or malformed, e.g. lower-case) placeholder is never
 * left in the text and never replaced by a guess: the whole sentence holding it is removed (in Thai the clause, see
 * sentences.ts), since a sentence missing its number usually reads wrong; in a heading only the placeholder goes.
 * Unknown names are reported so callers can warn and score compliance.
 */
export function injectFacts(template: string, facts: Facts, language: Language, currency: string): InjectionResult {
  const unknown: string[] = [];
  const isKnown = (name: string): boolean => Object.prototype.hasOwnProperty.call(facts, name);
  const hasUnknown = (s: string): boolean => {
    let found = false;
    for (const m of s.matchAll(ANY_PLACEHOLDER)) {
      if (!isKnown(m[1]!)) {
        found = true;
        if (!unknown.includes(m[1]!)) unknown.push(m[1]!);
      }
    }
    return found;
  };

  const lines = template.split('\n').map((line) => {
    if (!hasUnknown(line)) return line;
    if (/^\s*#/.test(line)) {
      return line.replace(ANY_PLACEHOLDER, (whole, name: string) => (isKnown(name) ? whole : '')).replace(/ {2,}/g, ' ').trimEnd();
    }
    const prefix = /^(\s*(?:>\s*)?(?:[-*]\s+)?)/.exec(line)![1]!;
    const pieces = splitSentences(line.slice(prefix.length), language).filter((p) => !hasUnknown(p.text));
    const body = pieces.map((p, k) => (k < pieces.length - 1 ? p.text + (p.separator || ' ') : p.text)).join('');
    return body.trim() === '' ? '' : prefix + body.trim();
  });

  let injected = 0;
  const text = lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(ANY_PLACEHOLDER, (whole, name: string) => {
      const fact = facts[name];
      if (!fact) return whole; // unreachable: sentences with unknowns were removed above
      injected++;
      return formatFact(fact, language, currency);
    });
  return { text, injected, unknown };
}
