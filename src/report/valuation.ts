/**
 * Valuation: the trailing P/E against the median of the peers' (sector mates first, then the most correlated
 * tickers), a label with its stated bands, and the user-facing valuation score. Pure: the peers' P/Es are given.
 */
import type { Fundamentals } from './fundamentals.js';
import type { Language } from './narrative-contract.js';
import { REPORT_PHRASES } from './report-phrases.js';
import { categoryScore, fmt, fmtSigned, tanhScore, type Component, type UserFacingScore } from './user-facing-scores.js';
import { median } from './percentiles.js';

export type ValuationLabel = 'cheap' | 'fair' | 'expensive';

export const VALUATION_PARAMS = {
  /** P/E this far below the peers' median (percent) is cheap; this far above, expensive; fair between. */
  cheapAtOrBelowPct: -20,
  expensiveAtOrAbovePct: 20,
  /** Fewer peers with a positive P/E than this and there is no median worth comparing with. */
  minPeers: 2,
  score: {
    /** 5 − 5·tanh(pct / 40): 40 % cheaper than the peers → 8.8. */
    pe_vs_peers: { weight: 0.4, scale: 40 },
    /** Earnings growth the forward P/E implies, (trailing / forward − 1) × 100: 5 + 5·tanh(g / 25). */
    forward_vs_trailing: { weight: 0.2, scale: 25 },
    /** Upside to the analysts' mean target: 5 + 5·tanh(upside / 20). */
    analyst_upside: { weight: 0.4, scale: 20 },
  },
} as const;

export interface PeerPe {
  ticker: string;
  pe_ratio: number | null;
}

export interface Valuation {
  pe_ratio: number | null;
  peers_median_pe: number | null;
  /** The peers the median was taken over, with their P/E. */
  peers: { ticker: string; pe_ratio: number }[];
  /** (own P/E / the peers' median − 1) × 100. */
  pe_vs_peers_median_pct: number | null;
  label: ValuationLabel | null;
  /** How the label was reached, or why there is none, in the report's language, with the numbers. */
  basis: string;
  /** Upside to the analysts' mean target, percent (the same as `fundamentals.analyst_upside_pct`). */
  analyst_upside_pct: number | null;
}

const usable = (peers: PeerPe[]) =>
  peers.filter((p): p is { ticker: string; pe_ratio: number } => p.pe_ratio !== null && Number.isFinite(p.pe_ratio) && p.pe_ratio > 0);

export function labelFor(pct: number): ValuationLabel {
  if (pct <= VALUATION_PARAMS.cheapAtOrBelowPct) return 'cheap';
  if (pct >= VALUATION_PARAMS.expensiveAtOrAbovePct) return 'expensive';
  return 'fair';
}

/**
 * Compares the own trailing P/E with the median of the sector mates' when at least `minPeers` of them have one, else
 * of the most correlated peers'. A missing or non-positive own P/E (ETFs, loss makers) gives no label, and says so.
 */
export function assessValuation(
  fundamentals: Fundamentals | null,
  candidates: { sectorMates: PeerPe[]; correlated: PeerPe[] },
  language: Language,
): Valuation {
  const ph = REPORT_PHRASES[language].valuation;
  const upside = fundamentals?.analyst_upside_pct ?? null;
  const none = (basis: string, pe: number | null = null): Valuation => ({
    pe_ratio: pe,
    peers_median_pe: null,
    peers: [],
    pe_vs_peers_median_pct: null,
    label: null,
    basis,
    analyst_upside_pct: upside,
  });
  if (fundamentals === null) return none(ph.noCompany);
  const pe = fundamentals.pe_ratio;
  if (pe === null) return none(ph.noPe);
  if (!(pe > 0)) return none(ph.notPositive(fmt(pe, 1)), pe);
  const { minPeers } = VALUATION_PARAMS;
  const sector = usable(candidates.sectorMates);
  const correlated = usable(candidates.correlated);
  const [peers, kind] =
    sector.length >= minPeers ? [sector, ph.kind.sector] : correlated.length >= minPeers ? [correlated, ph.kind.correlated] : [[], ''];
  if (peers.length === 0) return none(ph.fewPeers(fmt(pe, 1), minPeers), pe);
  const med = median(peers.map((p) => p.pe_ratio))!; // at least two peers here
  const pct = (pe / med - 1) * 100;
  const label = labelFor(pct);
  const list = peers.map((p) => `${p.ticker} ${fmt(p.pe_ratio, 1)}`).join(', ');
  return {
    pe_ratio: pe,
    peers_median_pe: med,
    peers,
    pe_vs_peers_median_pct: pct,
    label,
    basis: ph.basis(fmt(pe, 1), fmtSigned(pct, 1), fmt(med, 1), peers.length, kind, list, VALUATION_PARAMS.cheapAtOrBelowPct, VALUATION_PARAMS.expensiveAtOrAbovePct),
    analyst_upside_pct: upside,
  };
}

/**
 * `user_facing_scores` entry `valuation`: cheaper than the peers, earnings expected to grow and upside to the
 * analysts' target score higher. Null, with the reason, when none of the three is available — never a default.
 */
export function scoreValuation(fundamentals: Fundamentals | null, valuation: Valuation, language: Language): UserFacingScore {
  const p = VALUATION_PARAMS.score;
  const phrases = REPORT_PHRASES[language];
  const ph = phrases.valuation;
  const pct = valuation.pe_vs_peers_median_pct;
  const pe = fundamentals?.pe_ratio ?? null;
  const forward = fundamentals?.forward_pe ?? null;
  const growth = pe !== null && forward !== null && pe > 0 && forward > 0 ? (pe / forward - 1) * 100 : null;
  const upside = valuation.analyst_upside_pct;
  const inputs = {
    pe_ratio: pe,
    peers_median_pe: valuation.peers_median_pe,
    pe_vs_peers_median_pct: pct,
    forward_pe: forward,
    implied_earnings_growth_pct: growth,
    analyst_upside_pct: upside,
  };
  if (fundamentals === null) {
    return { category: 'valuation', score: null, max_score: 10, rationale: ph.noCompanyScore, inputs };
  }
  const components: Component[] = [
    {
      name: 'pe_vs_peers',
      weight: p.pe_vs_peers.weight,
      score: pct === null ? null : 5 - 5 * Math.tanh(pct / p.pe_vs_peers.scale),
      describe: pct === null ? '' : ph.peVsPeers(fmt(pe!, 1), fmtSigned(pct, 1), fmt(valuation.peers_median_pe!, 1), valuation.label ? ph.label[valuation.label] : ''),
      missing: ph.missingPeVsPeers(valuation.basis),
    },
    {
      name: 'forward_vs_trailing',
      weight: p.forward_vs_trailing.weight,
      score: growth === null ? null : tanhScore(growth, p.forward_vs_trailing.scale),
      describe: growth === null ? '' : ph.forward(fmt(forward!, 1), fmt(pe!, 1), fmtSigned(growth, 1)),
      missing: ph.missingForward,
    },
    {
      name: 'analyst_upside',
      weight: p.analyst_upside.weight,
      score: upside === null ? null : tanhScore(upside, p.analyst_upside.scale),
      describe: upside === null ? '' : ph.upside(fmt(fundamentals.analyst_target_mean!), fmtSigned(upside, 1), fundamentals.analyst_count),
      missing: ph.missingUpside,
    },
  ];
  return categoryScore('valuation', components, inputs, phrases);
}
