/**
 * Everything a narrative is written from. The worker assembles it from the technical analysis, the news and the
 * peer comparison; the semantic states, the stance, the facts and the prose are all derived from it, nothing else.
 */
import type { Language } from './narrative-contract.js';
import type { PeerComparison } from './peers.js';
import type { NewsSection } from './report.js';
import type { DecisionTechnicals, TechnicalAnalysis } from './technical-analysis.js';

export interface NarrativeInputs {
  ticker: { symbol: string; name: string; currency: string; sector: string | null; type: 'stock' | 'etf'; exchange: string };
  technicals: TechnicalAnalysis;
  news: { overall: { positive_pct: number; neutral_pct: number; negative_pct: number; count: number } | null;
          top: { title: string; sentiment_label: 'positive'|'negative'|'neutral'; source: string }[] } | null; // null = news unavailable
  peers: { top: { ticker: string; name: string; correlation: number }[];
           return_1m_vs_median_pct: number | null;      // this ticker's 1m return minus the peers' median, in points
           volatility_vs_median_pct: number | null;     // (own 30d vol / peers' median − 1) × 100
           sector_mates: string[] } | null;
  /** P/E against the peers' median (report/valuation.ts); absent or null = no company info. */
  valuation?: { label: 'cheap' | 'fair' | 'expensive' | null; pe_ratio: number | null; peers_median_pe: number | null;
                pe_vs_peers_median_pct: number | null; analyst_upside_pct: number | null; peer_count: number } | null;
  /** The listing currency against THB over the month of `returns['1m']` (report/fx-view.ts); null for THB listings. */
  fx?: { base_currency: string; change_1m_pct: number | null; return_1m_thb_pct: number | null } | null;
  dataSource: string; // 'demo' → the narrative says it is demo data
  language: Language;
}

/** What a call is decided from (`deriveSemanticStates`): the technicals it reads, the news and the peers. */
export interface DecisionInputs {
  technicals: DecisionTechnicals;
  news: NarrativeInputs['news'];
  peers: NarrativeInputs['peers'];
}

/**
 * The decision's part of the inputs from the report's sections; `narrativeInputsOf` builds on it, and a replay of past
 * calls uses it alone, so both decide from exactly the same inputs.
 */
export function decisionInputsOf<T extends DecisionTechnicals>(parts: { technicals: T; news: NewsSection | null; peers: PeerComparison | null }) {
  const { news, peers } = parts;
  return {
    technicals: parts.technicals,
    news: news && {
      overall: news.overall_sentiment,
      top: news.items.map((n) => ({ title: n.title, sentiment_label: n.sentiment_label, source: n.source })),
    },
    peers: peers && {
      top: peers.top.map((p) => ({ ticker: p.ticker, name: p.name, correlation: p.correlation })),
      return_1m_vs_median_pct: peers.return_1m_vs_median_pct,
      volatility_vs_median_pct: peers.volatility_vs_median_pct,
      sector_mates: peers.sector_mates,
    },
  } satisfies DecisionInputs;
}

/** The one way a report's inputs are put together from its parts, used by the report worker. */
export function narrativeInputsOf(parts: {
  ticker: { symbol: string; name: string; currency: string; sector: string | null; type: 'stock' | 'etf'; exchange: string };
  technicals: TechnicalAnalysis;
  news: NewsSection | null;
  peers: PeerComparison | null;
  dataSource: string;
  language: Language;
}): NarrativeInputs {
  const { ticker } = parts;
  return {
    ticker: { symbol: ticker.symbol, name: ticker.name, currency: ticker.currency, sector: ticker.sector, type: ticker.type, exchange: ticker.exchange },
    ...decisionInputsOf(parts),
    dataSource: parts.dataSource,
    language: parts.language,
  };
}
