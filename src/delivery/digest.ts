import type { Language } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import { englishReason } from '../report/semantic-states.js';
import type { Digest, DigestItem, MorningBrief } from './delivery-channel.js';

/**
 * Where the web page opens a report, in the reader's language: Thai is the page's default, so an English reader's
 * link says `?lang=en` (in the hash, which the page reads and the server never sees).
 */
export function reportPageUrl(baseUrl: string, ticker: string, language: Language = 'th'): string {
  return `${baseUrl}/#/report/${encodeURIComponent(ticker)}${language === 'en' ? '?lang=en' : ''}`;
}

/** The chart that never changes for an execution (cached for a year). */
export function chartImageUrl(baseUrl: string, ticker: string, executionId: string): string {
  return `${baseUrl}/api/v1/report/${encodeURIComponent(ticker)}/chart.png?v=${encodeURIComponent(executionId)}`;
}

const TREND_TH: Record<string, string> = {
  strong_up: 'แนวโน้มขาขึ้นแข็งแรง',
  up: 'แนวโน้มขาขึ้น',
  sideways: 'ราคาแกว่งออกข้าง',
  down: 'แนวโน้มขาลง',
  strong_down: 'แนวโน้มขาลงชัดเจน',
};
const MOMENTUM_TH: Record<string, string> = {
  strengthening_bullish: 'โมเมนตัมบวกแรงขึ้น',
  bullish: 'โมเมนตัมเป็นบวก',
  weakening: 'โมเมนตัมเริ่มอ่อนแรง',
  bearish: 'โมเมนตัมเป็นลบ',
  strengthening_bearish: 'โมเมนตัมลบแรงขึ้น',
};
const RSI_TH: Record<string, string> = {
  oversold: 'RSI อยู่ในเขตขายมากเกินไป',
  approaching_oversold: 'RSI ใกล้เขตขายมากเกินไป',
  approaching_overbought: 'RSI ใกล้เขตซื้อมากเกินไป',
  overbought: 'RSI อยู่ในเขตซื้อมากเกินไป',
};

/**
 * The one-line why, in the digest's language. In the report's own language it is the report's first key takeaway
 * (numbers already injected); otherwise it is said from the report's states: its stance reasons (English) or the
 * trend, momentum and RSI zone, so a reader of reports in the other language is not handed that language.
 */
export function oneLineWhy(report: Report, language: Language): string {
  const takeaway = report.summary_sections?.key_takeaways?.[0];
  if (takeaway && report.language === language) return takeaway;
  const s = report.semantic_states;
  if (language === 'en') {
    const fromStates = (['trend', 'macd_momentum'] as const).filter((state) => s[state] !== 'unknown').map((state) => englishReason({ kind: 'state', state, value: s[state] }));
    const reasons = (report.language === 'en' ? report.stance_reasons : fromStates).slice(0, 2).join('; ');
    return reasons ? `${reasons.charAt(0).toUpperCase()}${reasons.slice(1)}.` : `${report.stance} stance.`;
  }
  const parts = [TREND_TH[s.trend], MOMENTUM_TH[s.macd_momentum], RSI_TH[s.rsi_zone]].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : 'สัญญาณทางเทคนิคยังไม่ชัดเจน';
}

export function digestItemOf(report: Report, chart: Buffer | null, language: Language, baseUrl: string): DigestItem {
  return {
    ticker: report.ticker,
    company_name: report.company_name,
    currency: report.currency,
    price: report.price,
    price_change_pct: report.price_change_pct,
    recommendation: report.recommendation,
    stance: report.stance,
    confidence: report.confidence,
    why: oneLineWhy(report, language),
    report_url: reportPageUrl(baseUrl, report.ticker, language),
    chart_url: chart ? chartImageUrl(baseUrl, report.ticker, report.execution_id) : null,
    chart_png: chart,
    as_of: report.as_of,
    data_source: report.data_source,
  };
}

/**
 * Builds the digests of one delivery run from reports read once: each (watchlist, language) is built once and
 * shared, read-only, by every subscription that has it, so 10,000 subscribers cost one digest per distinct watchlist.
 */
export class DigestBuilder {
  private readonly digests = new Map<string, Digest>();
  private readonly items = new Map<string, DigestItem>();

  constructor(
    private readonly run: {
      business_date: string;
      execution_id: string;
      reports: ReadonlyMap<string, Report>;
      charts: ReadonlyMap<string, Buffer>;
      briefFor: (language: Language) => MorningBrief;
      baseUrl: string;
    },
  ) {}

  digestFor(tickers: readonly string[], language: Language): Digest {
    const key = `${language}|${tickers.join(',')}`;
    let digest = this.digests.get(key);
    if (digest) return digest;
    const items: DigestItem[] = [];
    const unavailable: string[] = [];
    for (const ticker of tickers) {
      const item = this.itemFor(ticker, language);
      if (item) items.push(item);
      else unavailable.push(ticker);
    }
    const brief = this.run.briefFor(language);
    digest = {
      business_date: this.run.business_date,
      execution_id: this.run.execution_id,
      language,
      brief,
      items,
      unavailable,
      demo: brief.data_source === 'demo' || items.some((i) => i.data_source === 'demo'),
    };
    this.digests.set(key, digest);
    return digest;
  }

  /** Distinct digests built so far (the bench checks it is the number of distinct watchlists, not of subscribers). */
  get size(): number {
    return this.digests.size;
  }

  private itemFor(ticker: string, language: Language): DigestItem | undefined {
    const key = `${language}|${ticker}`;
    let item = this.items.get(key);
    if (item) return item;
    const report = this.run.reports.get(ticker);
    if (!report) return undefined;
    item = digestItemOf(report, this.run.charts.get(ticker) ?? null, language, this.run.baseUrl);
    this.items.set(key, item);
    return item;
  }
}
