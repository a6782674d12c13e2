import { CURRENCY_TH, formatFact } from '../report/facts.js';
import type { Language } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import type { ValuationLabel } from '../report/valuation.js';

/**
 * What a digest item and a chat card say of a report's valuation and THB view (DESIGN §11): raw numbers from the
 * report, each null where the report has none (an ETF has no P/E; a THB listing has no FX view).
 */
export interface DigestFundamentals {
  pe_ratio: number | null;
  /** The P/E's verdict against the peers' median, and by how much it differs from it. */
  valuation_label: ValuationLabel | null;
  pe_vs_peers_median_pct: number | null;
  dividend_yield_pct: number | null;
  /** In `market_cap_currency` (the listing's). */
  market_cap: number | null;
  market_cap_currency: string | null;
  /** The underlying's 1-month return in baht, and in its own currency (`fx_base_currency`). */
  return_1m_thb_pct: number | null;
  return_1m_local_pct: number | null;
  fx_base_currency: string | null;
}

/** One labelled value of the block, already worded in the reader's language. */
export interface FundamentalsRow {
  key: 'pe_ratio' | 'dividend_yield_pct' | 'market_cap' | 'return_1m_thb_pct';
  label: string;
  value: string;
}

const LABELS = {
  en: {
    pe: 'P/E',
    dividend: 'Dividend yield',
    marketCap: 'Market cap',
    thb: '1 month in THB',
    verdict: { cheap: 'cheap vs peers', fair: 'fair vs peers', expensive: 'expensive vs peers' },
    local: (currency: string, ret: string) => `${ret} in ${currency}`,
  },
  th: {
    pe: 'P/E',
    dividend: 'อัตราปันผล',
    marketCap: 'มูลค่าตลาด',
    thb: '1 เดือน คิดเป็นบาท',
    verdict: { cheap: 'ถูกกว่ากลุ่ม', fair: 'สมเหตุสมผลเทียบกลุ่ม', expensive: 'แพงกว่ากลุ่ม' },
    local: (currency: string, ret: string) => `สกุล${CURRENCY_TH[currency] ?? ` ${currency}`} ${ret}`,
  },
} as const;

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The block of a report; null for reports made before fundamentals existed, or with none of these numbers. */
export function digestFundamentalsOf(report: Report): DigestFundamentals | null {
  // Reports stored before fundamentals existed have no `valuation` (and no `fundamentals`/`fx`).
  if (report.valuation === undefined) return null;
  const f = report.fundamentals;
  const x = report.fx;
  const block: DigestFundamentals = {
    pe_ratio: finite(report.valuation.pe_ratio ?? f?.pe_ratio),
    valuation_label: report.valuation.label,
    pe_vs_peers_median_pct: finite(report.valuation.pe_vs_peers_median_pct),
    dividend_yield_pct: finite(f?.dividend_yield_pct),
    market_cap: finite(f?.market_cap),
    market_cap_currency: f ? (f.currency ?? report.currency) : null,
    return_1m_thb_pct: finite(x?.return_1m_thb_pct),
    return_1m_local_pct: finite(x?.return_1m_local_pct),
    fx_base_currency: x?.base_currency ?? null,
  };
  const any = block.pe_ratio !== null || block.dividend_yield_pct !== null || block.market_cap !== null || block.return_1m_thb_pct !== null;
  return any ? block : null;
}

const percent = (value: number, decimals: number, language: Language) => formatFact({ key: 'X', value, unit: 'percent', decimals, label: '' }, language, '');
const signed = (value: number, decimals: number, language: Language) => formatFact({ key: 'X', value, unit: 'signed_percent', decimals, label: '' }, language, '');
const number = (value: number, decimals: number, language: Language) => formatFact({ key: 'X', value, unit: 'number', decimals, label: '' }, language, '');

/** 4.41T USD / 4.41 ล้านล้าน ดอลลาร์สหรัฐ */
function marketCap(value: number, currency: string, language: Language): string {
  if (language === 'th') {
    return `${value.toLocaleString('th-TH', { notation: 'compact', compactDisplay: 'long', maximumFractionDigits: 2 })} ${CURRENCY_TH[currency] ?? currency}`;
  }
  return `${value.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 2 })} ${currency}`;
}

/**
 * The block as labelled rows in the reader's language, only those with data, numbers formatted as the narrative
 * formats them (returns with one decimal, the dividend yield with two).
 */
export function fundamentalsRows(block: DigestFundamentals | null, language: Language): FundamentalsRow[] {
  if (!block) return [];
  const l = LABELS[language];
  const rows: FundamentalsRow[] = [];
  if (block.pe_ratio !== null) {
    const verdict = block.valuation_label
      ? ` · ${l.verdict[block.valuation_label]}${block.pe_vs_peers_median_pct === null ? '' : ` (${signed(block.pe_vs_peers_median_pct, 1, language)})`}`
      : '';
    rows.push({ key: 'pe_ratio', label: l.pe, value: `${number(block.pe_ratio, 1, language)}${verdict}` });
  }
  if (block.dividend_yield_pct !== null) rows.push({ key: 'dividend_yield_pct', label: l.dividend, value: percent(block.dividend_yield_pct, 2, language) });
  if (block.market_cap !== null && block.market_cap_currency) {
    rows.push({ key: 'market_cap', label: l.marketCap, value: marketCap(block.market_cap, block.market_cap_currency, language) });
  }
  if (block.return_1m_thb_pct !== null) {
    const local = block.return_1m_local_pct !== null && block.fx_base_currency ? ` (${l.local(block.fx_base_currency, signed(block.return_1m_local_pct, 1, language))})` : '';
    rows.push({ key: 'return_1m_thb_pct', label: l.thb, value: `${signed(block.return_1m_thb_pct, 1, language)}${local}` });
  }
  return rows;
}

/** The rows on one line, for text channels: `P/E 34.2 · cheap vs peers (-12.3%) | Dividend yield 0.03% | …`. */
export function fundamentalsLine(block: DigestFundamentals | null, language: Language): string | null {
  const rows = fundamentalsRows(block, language);
  return rows.length === 0 ? null : rows.map((r) => `${r.label} ${r.value}`).join(' | ');
}
