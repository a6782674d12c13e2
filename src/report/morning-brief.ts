/**
 * The morning brief (DESIGN §10): what happened overnight on the underlyings' markets, before the SET opens —
 * breadth, the calls, best and worst, by market, and a short narrative whose numbers are injected by code (the same
 * injector as the report's narrative). Pure: computed once per execution from its reports.
 */
import { injectFacts } from './facts.js';
import type { Fact, FactUnit, Facts, Language, Recommendation } from './narrative-contract.js';
import { median } from './percentiles.js';

/** The morning brief of one execution (DESIGN §10), computed once from its reports. */
export interface MorningBrief {
  business_date: string;
  execution_id: string;
  total: number;
  advancers: number;
  decliners: number;
  unchanged: number;
  calls: Record<Recommendation, number>;
  best: { ticker: string; price_change_pct: number }[];
  worst: { ticker: string; price_change_pct: number }[];
  by_market: { market: string; count: number; median_change_pct: number | null; advancers: number; decliners: number }[];
  /** Markdown in the brief's language, numbers injected by code. */
  narrative: string;
  language: Language;
  data_source: string;
}

/** What the brief needs of one report. */
export interface BriefReport {
  ticker: string;
  exchange: string;
  price_change_pct: number | null;
  recommendation: Recommendation;
  data_source: string;
}

const TOP = 3;

/** Exchanges grouped into the markets a Thai DR reader thinks in. */
const MARKET_OF_EXCHANGE: Record<string, string> = {
  NASDAQ: 'US',
  NYSE: 'US',
  NYSEARCA: 'US',
  AMEX: 'US',
  SGX: 'SG',
  HKEX: 'HK',
  TSE: 'JP',
  HOSE: 'VN',
  HNX: 'VN',
  TWSE: 'TW',
};

const MARKET_NAMES: Record<Language, Record<string, string>> = {
  en: { US: 'the US', SG: 'Singapore', HK: 'Hong Kong', JP: 'Tokyo', VN: 'Vietnam', TW: 'Taiwan' },
  th: { US: 'สหรัฐฯ', SG: 'สิงคโปร์', HK: 'ฮ่องกง', JP: 'โตเกียว', VN: 'เวียดนาม', TW: 'ไต้หวัน' },
};

export function marketOf(exchange: string): string {
  return MARKET_OF_EXCHANGE[exchange] ?? exchange;
}

const round2 = (v: number) => Math.round(v * 100) / 100;

export function computeMorningBrief(
  reports: readonly BriefReport[],
  meta: { business_date: string; execution_id: string; language: Language },
): MorningBrief {
  const changes = reports.filter((r): r is BriefReport & { price_change_pct: number } => r.price_change_pct !== null);
  const advancers = changes.filter((r) => r.price_change_pct > 0).length;
  const decliners = changes.filter((r) => r.price_change_pct < 0).length;
  const calls: Record<Recommendation, number> = { BUY: 0, HOLD: 0, SELL: 0 };
  for (const r of reports) calls[r.recommendation]++;
  const ranked = [...changes].sort((a, b) => b.price_change_pct - a.price_change_pct || a.ticker.localeCompare(b.ticker));
  const pick = (r: (typeof ranked)[number]) => ({ ticker: r.ticker, price_change_pct: round2(r.price_change_pct) });
  const best = ranked.slice(0, TOP).map(pick);
  const worst = [...ranked].reverse().slice(0, TOP).map(pick);

  const markets = new Map<string, BriefReport[]>();
  for (const r of reports) {
    const market = marketOf(r.exchange);
    let list = markets.get(market);
    if (!list) markets.set(market, (list = []));
    list.push(r);
  }
  const by_market = [...markets]
    .map(([market, list]) => {
      const m = median(list.flatMap((r) => (r.price_change_pct === null ? [] : [r.price_change_pct])));
      return {
        market,
        count: list.length,
        median_change_pct: m === null ? null : round2(m),
        advancers: list.filter((r) => (r.price_change_pct ?? 0) > 0).length,
        decliners: list.filter((r) => (r.price_change_pct ?? 0) < 0).length,
      };
    })
    .sort((a, b) => b.count - a.count || a.market.localeCompare(b.market));

  const sources = [...new Set(reports.map((r) => r.data_source))];
  const brief: Omit<MorningBrief, 'narrative'> = {
    business_date: meta.business_date,
    execution_id: meta.execution_id,
    total: reports.length,
    advancers,
    decliners,
    unchanged: reports.length - advancers - decliners,
    calls,
    best,
    worst,
    by_market,
    language: meta.language,
    data_source: sources.length === 1 ? sources[0]! : sources.length === 0 ? 'none' : 'mixed',
  };
  return { ...brief, narrative: briefNarrative(brief, meta.language) };
}

function fact(key: string, value: number, unit: FactUnit, decimals: number, label: string): Fact {
  return { key, value, unit, decimals, label };
}

/** Prose with placeholders, then the injector: a number absent from the facts takes its sentence with it. */
export function briefNarrative(b: Omit<MorningBrief, 'narrative'>, language: Language): string {
  const facts: Facts = {};
  const add = (f: Fact) => (facts[f.key] = f);
  add(fact('TOTAL', b.total, 'count', 0, 'tickers with a report'));
  add(fact('ADVANCERS', b.advancers, 'count', 0, 'underlyings that rose'));
  add(fact('DECLINERS', b.decliners, 'count', 0, 'underlyings that fell'));
  add(fact('BUY', b.calls.BUY, 'count', 0, 'BUY calls'));
  add(fact('HOLD', b.calls.HOLD, 'count', 0, 'HOLD calls'));
  add(fact('SELL', b.calls.SELL, 'count', 0, 'SELL calls'));
  if (b.best[0]) add(fact('BEST_PCT', b.best[0].price_change_pct, 'signed_percent', 2, 'best daily change'));
  if (b.worst[0]) add(fact('WORST_PCT', b.worst[0].price_change_pct, 'signed_percent', 2, 'worst daily change'));
  const marketParts: string[] = [];
  b.by_market.forEach((m, i) => {
    if (m.median_change_pct === null) return;
    const key = `MARKET_${i + 1}_MEDIAN`;
    add(fact(key, m.median_change_pct, 'signed_percent', 2, `median daily change in ${m.market}`));
    marketParts.push(`${MARKET_NAMES[language][m.market] ?? m.market} {${key}}`);
  });

  const mood =
    b.total === 0
      ? 'none'
      : b.advancers >= (2 * b.total) / 3
        ? 'broad_up'
        : b.decliners >= (2 * b.total) / 3
          ? 'broad_down'
          : b.advancers > b.decliners
            ? 'lean_up'
            : b.decliners > b.advancers
              ? 'lean_down'
              : 'flat';
  const lines: string[] = [];
  if (language === 'th') {
    const moodText: Record<string, string> = {
      broad_up: 'ตลาดต่างประเทศเมื่อคืนปรับขึ้นเกือบทั้งกระดาน',
      broad_down: 'ตลาดต่างประเทศเมื่อคืนปรับลงเกือบทั้งกระดาน',
      lean_up: 'ตลาดต่างประเทศเมื่อคืนผสมกันแต่ฝั่งขึ้นมีมากกว่า',
      lean_down: 'ตลาดต่างประเทศเมื่อคืนผสมกันแต่ฝั่งลงมีมากกว่า',
      flat: 'ตลาดต่างประเทศเมื่อคืนทรงตัว',
      none: 'ยังไม่มีรายงานของวันนี้',
    };
    lines.push(`**${moodText[mood]}** หุ้นอ้างอิง {ADVANCERS} ตัวจาก {TOTAL} ตัวปรับขึ้น และ {DECLINERS} ตัวปรับลง`);
    if (b.best[0] && b.worst[0]) {
      lines.push(`ตัวที่ดีที่สุดคือ ${b.best[0].ticker} ({BEST_PCT}) ส่วนตัวที่อ่อนที่สุดคือ ${b.worst[0].ticker} ({WORST_PCT})`);
    }
    if (marketParts.length > 0) lines.push(`ค่ากลางการเปลี่ยนแปลงรายตลาด: ${marketParts.join(', ')}`);
    lines.push('สัญญาณวันนี้: ซื้อ {BUY} ตัว ถือ {HOLD} ตัว ขาย {SELL} ตัว');
    if (b.data_source === 'demo') lines.push('> ข้อมูลสาธิต: ราคาสังเคราะห์ ไม่ใช่ข้อมูลตลาดจริง');
  } else {
    const moodText: Record<string, string> = {
      broad_up: 'A broad rally overnight.',
      broad_down: 'A broad sell-off overnight.',
      lean_up: 'A mixed night, leaning up.',
      lean_down: 'A mixed night, leaning down.',
      flat: 'A flat night.',
      none: 'No reports yet today.',
    };
    lines.push(`**${moodText[mood]}** {ADVANCERS} of {TOTAL} underlyings rose and {DECLINERS} fell.`);
    if (b.best[0] && b.worst[0]) lines.push(`Best: ${b.best[0].ticker} ({BEST_PCT}); worst: ${b.worst[0].ticker} ({WORST_PCT}).`);
    if (marketParts.length > 0) lines.push(`Median change by market: ${marketParts.join(', ')}.`);
    lines.push("Today's calls: {BUY} BUY, {HOLD} HOLD, {SELL} SELL.");
    if (b.data_source === 'demo') lines.push('> Demo data: synthetic prices, not real market data.');
  }
  return injectFacts(lines.join('\n\n'), facts, language, '').text;
}
