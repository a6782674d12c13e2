/**
 * Everything a narrative is written from. The worker assembles it from the technical analysis, the news and the
 * peer comparison; the semantic states, the stance, the facts and the prose are all derived from it, nothing else.
 */
import type { Language } from './narrative-contract.js';
import type { TechnicalAnalysis } from './technical-analysis.js';

export interface NarrativeInputs {
  ticker: { symbol: string; name: string; currency: string; sector: string | null; type: 'stock' | 'etf'; exchange: string };
  technicals: TechnicalAnalysis;
  news: { overall: { positive_pct: number; neutral_pct: number; negative_pct: number; count: number } | null;
          top: { title: string; sentiment_label: 'positive'|'negative'|'neutral'; source: string }[] } | null; // null = news unavailable
  peers: { top: { ticker: string; name: string; correlation: number }[];
           return_1m_vs_median_pct: number | null;      // this ticker's 1m return minus the peers' median, in points
           volatility_vs_median_pct: number | null;     // (own 30d vol / peers' median − 1) × 100
           sector_mates: string[] } | null;
  dataSource: string; // 'demo' → the narrative says it is demo data
  language: Language;
}
