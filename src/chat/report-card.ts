import type { DigestItem } from '../delivery/delivery-channel.js';
import { formatFact, priceDecimals } from '../report/facts.js';
import type { Confidence, Language, Recommendation, Stance } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import { CHAT_TEXTS } from './chat-texts.js';

/** What a chat card shows of one report, already worded in the reader's language. Pure data, no platform format. */
export interface ReportCard {
  language: Language;
  ticker: string;
  company_name: string;
  /** `182.40 USD` / `182.40 ดอลลาร์สหรัฐ` */
  price: string;
  /** `+1.23%`, or null when the report has no previous close. */
  change: string | null;
  direction: 'up' | 'down' | 'flat';
  recommendation: Recommendation;
  /** The badge's word: `BUY` / `ซื้อ`. */
  call: string;
  /** `bullish · high confidence` */
  stance_line: string;
  /** Up to three key scores, 0–10 with one decimal. */
  scores: { label: string; value: string }[];
  why: string | null;
  as_of: string;
  /** Absolute, or null when the report has no chart. */
  chart_url: string | null;
  /** Absolute: `${PUBLIC_BASE_URL}/#/report/SYMBOL`. */
  report_url: string;
  demo: boolean;
}

const KEY_SCORES = ['trend', 'momentum', 'volatility_risk'] as const;

/** The web page's address of a report. */
export function reportPageUrl(publicBaseUrl: string, ticker: string): string {
  return `${publicBaseUrl}/#/report/${encodeURIComponent(ticker)}`;
}

function priceParts(price: number, changePct: number | null, currency: string, language: Language) {
  const decimals = priceDecimals(price, currency);
  return {
    price: formatFact({ key: 'PRICE', value: price, unit: 'price', decimals, label: 'price' }, language, currency),
    change: changePct === null ? null : formatFact({ key: 'CHANGE', value: changePct, unit: 'signed_percent', decimals: 2, label: 'change' }, language, currency),
    direction: changePct === null || Math.abs(changePct) < 0.005 ? ('flat' as const) : changePct > 0 ? ('up' as const) : ('down' as const),
  };
}

function wording(recommendation: Recommendation, stance: Stance, confidence: Confidence, language: Language) {
  const t = CHAT_TEXTS[language];
  return { call: t.recommendation[recommendation], stance_line: t.confidenceLine(t.stance[stance], t.confidence[confidence]) };
}

/**
 * The card of a report for a reader. `chartPath` is the versioned chart path the API serves (the report cache's
 * `chart_url`), made absolute under `publicBaseUrl`.
 */
export function reportCardOf(report: Report, language: Language, publicBaseUrl: string): ReportCard {
  const t = CHAT_TEXTS[language];
  const scores = KEY_SCORES.flatMap((category) => {
    const score = report.user_facing_scores?.find((s) => s.category === category)?.score;
    return typeof score === 'number' ? [{ label: t.scores[category], value: `${score.toFixed(1)}/10` }] : [];
  });
  return {
    language,
    ticker: report.ticker,
    company_name: report.company_name,
    ...priceParts(report.price, report.price_change_pct, report.currency, language),
    recommendation: report.recommendation,
    ...wording(report.recommendation, report.stance, report.confidence, language),
    scores,
    why: report.summary_sections?.key_takeaways?.[0] ?? null,
    as_of: report.as_of,
    chart_url: report.chart_url ? (/^https?:\/\//.test(report.chart_url) ? report.chart_url : `${publicBaseUrl}${report.chart_url}`) : null,
    report_url: reportPageUrl(publicBaseUrl, report.ticker),
    demo: report.data_source === 'demo',
  };
}

/** The card of one digest item (a digest carries no scores). */
export function digestCardOf(item: DigestItem, language: Language): ReportCard {
  return {
    language,
    ticker: item.ticker,
    company_name: item.company_name,
    ...priceParts(item.price, item.price_change_pct, item.currency, language),
    recommendation: item.recommendation,
    ...wording(item.recommendation, item.stance, item.confidence, language),
    scores: [],
    why: item.why || null,
    as_of: item.as_of,
    chart_url: item.chart_url,
    report_url: item.report_url,
    demo: item.data_source === 'demo',
  };
}
