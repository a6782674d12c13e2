import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from './daily-bar.js';
import { earningsRisk, type EarningsRisk, type Fundamentals } from './fundamentals.js';
import type { FxView } from './fx-view.js';
import type { Confidence, Language, Recommendation, SemanticStates, Stance } from './narrative-contract.js';
import type { PeerComparison } from './peers.js';
import type { QualityScores } from './quality-scores.js';
import { REPORT_PHRASES } from './report-phrases.js';
import type { SummarySections } from './summary-sections.js';
import type { TechnicalAnalysis } from './technical-analysis.js';
import { technicalMetrics, type TechnicalMetric } from './technical-metrics.js';
import type { UserFacingScore } from './user-facing-scores.js';
import type { ReportTrackRecord } from './track-record/report-track-record.js';
import type { Valuation } from './valuation.js';

/** Bars of price history a report carries for charts drawn by clients. */
export const PRICE_HISTORY_BARS = 120;

/** Calendar days between the last bar and the business date past which a report warns (long holidays fit). */
export const OLD_DATA_DAYS = 7;

export const DEMO_DATA_WARNING = 'demo data: synthetic prices and headlines generated offline, not real market data';

export interface ReportTimings {
  /** Milliseconds per pipeline stage, in the order they ran. */
  [stage: string]: number;
}

export interface NewsItem {
  title: string;
  url: string;
  source: string;
  published_at: string;
  sentiment_label: 'positive' | 'negative' | 'neutral';
  sentiment_score: number;
  impact_score: number;
}

export interface NewsSection {
  window_days: number;
  window_end: string;
  items: NewsItem[];
  overall_sentiment: { positive_pct: number; neutral_pct: number; negative_pct: number; count: number } | null;
}

export interface ReportPeer {
  ticker: string;
  company_name: string;
  sector: string | null;
  correlation: number;
  return_1m_pct: number | null;
  volatility_30d_pct: number | null;
}

export interface ApiCosts {
  writer: string;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  usd: number;
}

export interface Risk extends EarningsRisk {
  risk_level: 'low' | 'medium' | 'high';
  volatility_regime: SemanticStates['volatility_regime'];
  atr_pct: number | null;
  atr_pct_percentile: number | null;
  volatility_30d_annualised: number | null;
  risk_bullets: string[];
}

export interface Report {
  ticker: string;
  yahoo_symbol: string;
  company_name: string;
  exchange: string;
  currency: string;
  sector: string | null;
  asset_type: Ticker['type'];
  /** Business date of the last bar the report was computed on. */
  as_of: string;
  /** Asia/Bangkok business date the report belongs to (the execution's). */
  business_date: string;
  generated_at: string;
  execution_id: string;
  /** True when served after its business date has passed; readers set it, the stored copy says false. */
  stale: boolean;
  data_source: string;
  language: Language;
  price: number;
  price_change: number | null;
  price_change_pct: number | null;
  stance: Stance;
  confidence: Confidence;
  recommendation: Recommendation;
  /** Why the stance is what it is, strongest first (in the report's language, no numbers). */
  stance_reasons: string[];
  semantic_states: SemanticStates;
  narrative_report: string;
  narrative_writer: string;
  summary_sections: SummarySections;
  indicators: TechnicalAnalysis['indicators'];
  percentiles: TechnicalAnalysis['percentiles'];
  conventions: TechnicalAnalysis['conventions'];
  bars_used: number;
  technical_metrics: TechnicalMetric[];
  risk: Risk;
  /** Company facts and valuation inputs from the last ingest; null when none is stored. */
  fundamentals: Fundamentals | null;
  valuation: Valuation;
  /** The listing currency against THB and the 1-month return in THB; null for THB listings or without rates. */
  fx: FxView | null;
  news_items: NewsItem[];
  overall_sentiment: NewsSection['overall_sentiment'];
  news_window: { days: number; end: string } | null;
  peers: ReportPeer[];
  peer_comparison: Omit<PeerComparison, 'top'> | null;
  price_history: DailyBar[];
  chart_url: string | null;
  user_facing_scores: UserFacingScore[];
  quality_scores: QualityScores;
  timing_metrics: ReportTimings;
  api_costs: ApiCosts;
  /** How this ticker's earlier calls did (DESIGN §12); null when none is recorded. */
  track_record: ReportTrackRecord | null;
  warnings: string[];
  /** Hash of everything the report was made from (inputs-fingerprint.ts). */
  inputs_fingerprint: string | null;
  /**
   * Set on a report carried forward to a later business date because its inputs had not changed: the execution
   * that made it (no chart was drawn and no narrative written again).
   */
  reused_from: string | null;
}

export interface ReportInput {
  ticker: Ticker;
  technicals: TechnicalAnalysis;
  bars: DailyBar[];
  dataSource: string;
  executionId: string;
  businessDate: string;
  generatedAt: string;
  language: Language;
  narrative: {
    markdown: string;
    writer: string;
    states: SemanticStates;
    decision: { stance: Stance; confidence: Confidence; recommendation: Recommendation };
    /** The decision's reasons in the report's language. */
    stance_reasons: string[];
    summary_sections: SummarySections;
    warnings: string[];
  };
  news: NewsSection | null;
  peers: PeerComparison | null;
  fundamentals: Fundamentals | null;
  valuation: Valuation;
  fx: FxView | null;
  /** DR symbol → company name, for the peers. */
  names: Map<string, string>;
  chartUrl: string | null;
  userFacingScores: UserFacingScore[];
  qualityScores: QualityScores;
  apiCosts: ApiCosts;
  timings: ReportTimings;
  /** Problems met on the way that did not stop the report (news unavailable, chart failed…). */
  warnings: string[];
  trackRecord?: ReportTrackRecord | null;
  inputsFingerprint: string | null;
}

/** Puts the computed parts together into the report JSON. Pure: every input, the time included, is given. */
export function assembleReport(input: ReportInput): Report {
  const { ticker, technicals, narrative } = input;
  const warnings: string[] = [];
  if (input.dataSource === 'demo') warnings.push(DEMO_DATA_WARNING);
  const ageDays = (Date.parse(input.businessDate) - Date.parse(technicals.as_of)) / 86_400_000;
  if (ageDays > OLD_DATA_DAYS) {
    warnings.push(`old data: the last bar is from ${technicals.as_of}, ${Math.round(ageDays)} days before ${input.businessDate}`);
  }
  if (technicals.indicators.sma_200 === null) {
    warnings.push(`short history: ${technicals.bars_used} bars, fewer than the 200 needed for SMA 200`);
  }
  warnings.push(...input.warnings, ...narrative.warnings);
  let peerComparison: Omit<PeerComparison, 'top'> | null = null;
  if (input.peers) {
    const { top: _top, ...rest } = input.peers;
    peerComparison = { ...rest, method: REPORT_PHRASES[input.language].peerMethod };
  }
  return {
    ticker: ticker.symbol,
    yahoo_symbol: ticker.yahooSymbol,
    company_name: ticker.name,
    exchange: ticker.exchange,
    currency: ticker.currency,
    sector: ticker.sector,
    asset_type: ticker.type,
    as_of: technicals.as_of,
    business_date: input.businessDate,
    generated_at: input.generatedAt,
    execution_id: input.executionId,
    stale: false,
    data_source: input.dataSource,
    language: input.language,
    price: technicals.price,
    price_change: technicals.price_change,
    price_change_pct: technicals.price_change_pct,
    stance: narrative.decision.stance,
    confidence: narrative.decision.confidence,
    recommendation: narrative.decision.recommendation,
    stance_reasons: narrative.stance_reasons,
    semantic_states: narrative.states,
    narrative_report: narrative.markdown,
    narrative_writer: narrative.writer,
    summary_sections: narrative.summary_sections,
    indicators: technicals.indicators,
    percentiles: technicals.percentiles,
    conventions: technicals.conventions,
    bars_used: technicals.bars_used,
    technical_metrics: technicalMetrics(technicals),
    risk: assessRisk(technicals, narrative.states, input.language, earningsRisk(input.fundamentals?.next_earnings_date ?? null, input.businessDate)),
    fundamentals: input.fundamentals,
    valuation: input.valuation,
    fx: input.fx,
    news_items: input.news?.items ?? [],
    overall_sentiment: input.news?.overall_sentiment ?? null,
    news_window: input.news ? { days: input.news.window_days, end: input.news.window_end } : null,
    peers: (input.peers?.top ?? []).map((p) => ({
      ticker: p.ticker,
      company_name: input.names.get(p.ticker) ?? p.name,
      sector: p.sector,
      correlation: p.correlation,
      return_1m_pct: p.return_1m_pct,
      volatility_30d_pct: p.volatility_30d_pct,
    })),
    peer_comparison: peerComparison,
    price_history: input.bars.slice(-PRICE_HISTORY_BARS),
    chart_url: input.chartUrl,
    user_facing_scores: input.userFacingScores,
    quality_scores: input.qualityScores,
    timing_metrics: input.timings,
    api_costs: input.apiCosts,
    track_record: shownTrackRecord(input.trackRecord ?? null),
    warnings,
    inputs_fingerprint: input.inputsFingerprint,
    reused_from: null,
  };
}

const NO_EARNINGS: EarningsRisk = { next_earnings_date: null, days_to_earnings: null, earnings_within_7_days: false };

/**
 * Risk from the volatility regime and ATR's own percentile; bullets, in the report's language, say which readings
 * drove it. Earnings within 7 days add a bullet: results can gap the price whatever the chart says.
 */
export function assessRisk(technicals: TechnicalAnalysis, states: SemanticStates, language: Language, earnings: EarningsRisk = NO_EARNINGS): Risk {
  const ph = REPORT_PHRASES[language].risk;
  const atrPercentile = technicals.percentiles.atr_pct?.percentile ?? null;
  const vol = technicals.indicators.volatility_30d_annualised;
  const bullets: string[] = [];
  const regime = states.volatility_regime;
  if (regime === 'high' || regime === 'extreme') bullets.push(ph.regime(regime));
  if (atrPercentile !== null && atrPercentile >= 80) bullets.push(ph.wideRange);
  if (states.rsi_zone === 'overbought') bullets.push(ph.overbought);
  if (states.rsi_zone === 'oversold') bullets.push(ph.oversold);
  if (states.range_position === 'near_high') bullets.push(ph.nearHigh);
  if (states.range_position === 'near_low') bullets.push(ph.nearLow);
  if (states.news_tone === 'negative') bullets.push(ph.negativeNews);
  if (earnings.earnings_within_7_days) bullets.push(ph.earnings(earnings.next_earnings_date, earnings.days_to_earnings));
  const level: Risk['risk_level'] =
    regime === 'extreme' || regime === 'high' || (atrPercentile ?? 0) >= 80
      ? 'high'
      : regime === 'low' && (atrPercentile ?? 50) < 40
        ? 'low'
        : 'medium';
  return {
    risk_level: level,
    volatility_regime: regime,
    atr_pct: technicals.indicators.atr_pct,
    atr_pct_percentile: atrPercentile,
    volatility_30d_annualised: vol,
    risk_bullets: bullets,
    ...earnings,
  };
}

/** A report older than today's business date is stale: served, but marked so (never a miss at 00:30). */
export function isStale(report: Pick<Report, 'business_date'>, today: string): boolean {
  return report.business_date < today;
}

/** The track record a report shows: none before the ticker's first call. */
export function shownTrackRecord(record: ReportTrackRecord | null): ReportTrackRecord | null {
  return record && record.sample_size > 0 ? record : null;
}
