/**
 * Valuation: the trailing P/E against the median of the peers' (sector mates first, then the most correlated
 * tickers), a label with its stated bands, and the user-facing valuation score. Pure: the peers' P/Es are given.
 */
import type { Fundamentals } from './fundamentals.js';
import { categoryScore, fmt, fmtSigned, tanhScore, type Component, type UserFacingScore } from './user-facing-scores.js';

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
  /** How the label was reached, or why there is none. English, with the numbers. */
  basis: string;
  /** Upside to the analysts' mean target, percent (the same as `fundamentals.analyst_upside_pct`). */
  analyst_upside_pct: number | null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
): Valuation {
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
  if (fundamentals === null) return none('no company info for this ticker, so no valuation');
  const pe = fundamentals.pe_ratio;
  if (pe === null) return none('no trailing P/E from the source (funds have none; nor do companies without earnings)');
  if (!(pe > 0)) return none(`trailing P/E ${fmt(pe, 1)} is not positive: a P/E comparison says nothing`, pe);
  const { minPeers } = VALUATION_PARAMS;
  const sector = usable(candidates.sectorMates);
  const correlated = usable(candidates.correlated);
  const [peers, kind] =
    sector.length >= minPeers ? [sector, 'sector peers'] : correlated.length >= minPeers ? [correlated, 'most correlated peers'] : [[], ''];
  if (peers.length === 0) {
    return none(`trailing P/E ${fmt(pe, 1)}, but fewer than ${minPeers} peers have a P/E to compare with`, pe);
  }
  const med = median(peers.map((p) => p.pe_ratio));
  const pct = (pe / med - 1) * 100;
  const label = labelFor(pct);
  const list = peers.map((p) => `${p.ticker} ${fmt(p.pe_ratio, 1)}`).join(', ');
  return {
    pe_ratio: pe,
    peers_median_pe: med,
    peers,
    pe_vs_peers_median_pct: pct,
    label,
    basis:
      `trailing P/E ${fmt(pe, 1)} is ${fmtSigned(pct, 1)}% vs the median ${fmt(med, 1)} of ${peers.length} ${kind} (${list}); ` +
      `cheap at or below ${VALUATION_PARAMS.cheapAtOrBelowPct}%, expensive at or above +${VALUATION_PARAMS.expensiveAtOrAbovePct}%`,
    analyst_upside_pct: upside,
  };
}

/**
 * `user_facing_scores` entry `valuation`: cheaper than the peers, earnings expected to grow and upside to the
 * analysts' target score higher. Null, with the reason, when none of the three is available — never a default.
 */
export function scoreValuation(fundamentals: Fundamentals | null, valuation: Valuation): UserFacingScore {
  const p = VALUATION_PARAMS.score;
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
    return { category: 'valuation', score: null, max_score: 10, rationale: 'Valuation: no score, no company info is stored for this ticker.', inputs };
  }
  const components: Component[] = [
    {
      name: 'pe_vs_peers',
      weight: p.pe_vs_peers.weight,
      score: pct === null ? null : 5 - 5 * Math.tanh(pct / p.pe_vs_peers.scale),
      describe: pct === null ? '' : `P/E ${fmt(pe!, 1)} is ${fmtSigned(pct, 1)}% vs the peers' median ${fmt(valuation.peers_median_pe!, 1)} (${valuation.label})`,
      missing: `P/E vs peers (${valuation.basis})`,
    },
    {
      name: 'forward_vs_trailing',
      weight: p.forward_vs_trailing.weight,
      score: growth === null ? null : tanhScore(growth, p.forward_vs_trailing.scale),
      describe: growth === null ? '' : `forward P/E ${fmt(forward!, 1)} vs trailing ${fmt(pe!, 1)} implies earnings ${fmtSigned(growth, 1)}%`,
      missing: 'forward vs trailing P/E (one of them is missing)',
    },
    {
      name: 'analyst_upside',
      weight: p.analyst_upside.weight,
      score: upside === null ? null : tanhScore(upside, p.analyst_upside.scale),
      describe:
        upside === null
          ? ''
          : `analysts' mean target ${fmt(fundamentals.analyst_target_mean!)} is ${fmtSigned(upside, 1)}% from the price` +
            (fundamentals.analyst_count === null ? '' : ` (${fundamentals.analyst_count} analysts)`),
      missing: "upside to the analysts' target (no target)",
    },
  ];
  return categoryScore('valuation', 'Valuation', components, inputs, 'higher = cheaper vs peers, growing earnings, upside to target');
}
