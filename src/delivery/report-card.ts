import type { DigestItem } from './delivery-channel.js';
import { digestItemOf } from './digest.js';
import { formatFact, priceDecimals } from '../report/facts.js';
import type { Language, Recommendation } from '../report/narrative-contract.js';
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


/**
 * The card of a report for a reader: the digest item's card plus three key scores. The report's `chart_url` (the
 * versioned path the API serves) is made absolute under `publicBaseUrl`.
 */
export function reportCardOf(report: Report, language: Language, publicBaseUrl: string): ReportCard {
  const t = CHAT_TEXTS[language];
  const scores = KEY_SCORES.flatMap((category) => {
    const score = report.user_facing_scores?.find((s) => s.category === category)?.score;
    return typeof score === 'number' ? [{ label: t.scores[category], value: `${score.toFixed(1)}/10` }] : [];
  });
  // The digest's item of the report (its one-line why in the reader's language); the chart from the cached report's
  // versioned path, since a card never carries the bytes.
  const item: DigestItem = {
    ...digestItemOf(report, null, language, publicBaseUrl),
    chart_url: report.chart_url ? (/^https?:\/\//.test(report.chart_url) ? report.chart_url : `${publicBaseUrl}${report.chart_url}`) : null,
  };
  return { ...digestCardOf(item, language), scores };
}

/** The card of one digest item (a digest carries no scores). */
export function digestCardOf(item: DigestItem, language: Language): ReportCard {
  const t = CHAT_TEXTS[language];
  const decimals = priceDecimals(item.price, item.currency);
  const change = item.price_change_pct;
  return {
    language,
    ticker: item.ticker,
    company_name: item.company_name,
    price: formatFact({ key: 'PRICE', value: item.price, unit: 'price', decimals, label: 'price' }, language, item.currency),
    change: change === null ? null : formatFact({ key: 'CHANGE', value: change, unit: 'signed_percent', decimals: 2, label: 'change' }, language, item.currency),
    direction: change === null || Math.abs(change) < 0.005 ? 'flat' : change > 0 ? 'up' : 'down',
    recommendation: item.recommendation,
    call: t.recommendation[item.recommendation],
    stance_line: t.confidenceLine(t.stance[item.stance], t.confidence[item.confidence]),
    scores: [],
    why: item.why || null,
    as_of: item.as_of,
    chart_url: item.chart_url,
    report_url: item.report_url,
    demo: item.data_source === 'demo',
  };
}
