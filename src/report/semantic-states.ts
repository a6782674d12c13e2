/**
 * The semantic layer: numbers → discrete states → stance. Prose (template or LLM) is written from these states and
 * the stance is decided from them alone, so the recommendation can never drift with the wording of the text.
 * Every threshold is a named constant below; anything measured in price units is divided by the price first so the
 * same state means the same thing for a 5-dollar stock and a 40,000-yen one.
 */
import type { Confidence, Recommendation, SemanticStates, Stance } from './narrative-contract.js';
import type { NarrativeInputs } from './narrative-inputs.js';

/** RSI zones: < 30 oversold, < 40 approaching oversold, < 60 neutral, < 70 approaching overbought, else overbought. */
export const RSI_BANDS = { oversold: 30, approachingOversold: 40, neutral: 60, approachingOverbought: 70 } as const;

/**
 * MACD histogram (MACD − signal) as a percent of price below which it counts as flat. TechnicalAnalysis carries only
 * the latest histogram, so its sign stands for the change of MACD: hist > 0 means MACD is above its own 9-day EMA,
 * i.e. it has been rising.
 */
export const MACD_HIST_FLAT_PCT = 0.05;

/** Volatility level from the ATR% percentile against the ticker's own history (0–100). */
export const ATR_PERCENTILE_BANDS = { low: 20, normal: 75, high: 95 } as const;
/** Volatility level from the 30-day annualised volatility, percent. */
export const ANNUAL_VOL_BANDS = { low: 15, normal: 35, high: 60 } as const;
/** Fallback when the annualised volatility is missing: ATR as percent of price. */
export const ATR_PCT_BANDS = { low: 1, normal: 2.5, high: 4 } as const;

/** Volume ratio (today / 20-day average): < 0.5 very low, < 0.8 low, < 1.5 normal, < 2.0 high, else surge. */
export const VOLUME_RATIO_BANDS = { veryLow: 0.5, low: 0.8, normal: 1.5, high: 2.0 } as const;

/** Position of the price in the 52-week low–high range, 0 = at the low, 1 = at the high. */
export const RANGE_BANDS = { nearLow: 0.15, middle: 0.5, nearHigh: 0.85 } as const;

/** News tone: a side wins with a lead of ≥ 20 points; both sides ≥ 25% without a lead is mixed. */
export const NEWS_TONE = { lead: 20, mixedFloor: 25 } as const;

/** Peers: 1-month return at least 3 points above (below) the peers' median is out- (under-)performing. */
export const PEER_RETURN_BAND = 3;

/** How many states there are; data completeness is the share of them that are known. */
const STATE_COUNT = 8;

type Level = 'low' | 'normal' | 'high' | 'extreme';
const LEVELS: readonly Level[] = ['low', 'normal', 'high', 'extreme'];

function band<T extends string>(x: number, cuts: readonly number[], names: readonly T[]): T {
  for (let i = 0; i < cuts.length; i++) if (x < cuts[i]!) return names[i]!;
  return names[names.length - 1]!;
}

export function rsiZone(rsi: number | null): SemanticStates['rsi_zone'] {
  if (rsi === null) return 'unknown';
  const b = RSI_BANDS;
  return band(rsi, [b.oversold, b.approachingOversold, b.neutral, b.approachingOverbought], [
    'oversold',
    'approaching_oversold',
    'neutral',
    'approaching_overbought',
    'overbought',
  ] as const);
}

/**
 * Trend from the ordering of price, SMA 20, SMA 50 and SMA 200.
 * - strong_up: price > SMA20 > SMA50 > SMA200 (all three present); strong_down: the mirror image.
 * - otherwise each available comparison (price vs SMA20 / SMA50 / SMA200, SMA20 vs SMA50, SMA50 vs SMA200) votes
 *   +1 or −1; the mean vote ≥ +0.4 is up, ≤ −0.4 is down, in between sideways.
 * - unknown without SMA20 and SMA50.
 */
export function trendState(price: number, sma20: number | null, sma50: number | null, sma200: number | null): SemanticStates['trend'] {
  if (sma20 === null || sma50 === null) return 'unknown';
  if (sma200 !== null) {
    if (price > sma20 && sma20 > sma50 && sma50 > sma200) return 'strong_up';
    if (price < sma20 && sma20 < sma50 && sma50 < sma200) return 'strong_down';
  }
  const votes = [Math.sign(price - sma20), Math.sign(price - sma50), Math.sign(sma20 - sma50)];
  if (sma200 !== null) votes.push(Math.sign(price - sma200), Math.sign(sma50 - sma200));
  const mean = votes.reduce((a, b) => a + b, 0) / votes.length;
  if (mean >= 0.4) return 'up';
  if (mean <= -0.4) return 'down';
  return 'sideways';
}

/**
 * MACD momentum from the sign of MACD and of its histogram (as % of price, flat within ±MACD_HIST_FLAT_PCT):
 * MACD > 0 and hist rising → strengthening_bullish; MACD > 0 and hist flat → bullish; MACD < 0 and hist falling →
 * strengthening_bearish; MACD < 0 and hist flat → bearish; hist against the sign of MACD → weakening (the prevailing
 * momentum is fading, whichever way it points).
 */
export function macdMomentum(price: number, macd: number | null, hist: number | null): SemanticStates['macd_momentum'] {
  if (macd === null || hist === null || !(price > 0)) return 'unknown';
  const h = (hist / price) * 100;
  const rising = h > MACD_HIST_FLAT_PCT;
  const falling = h < -MACD_HIST_FLAT_PCT;
  if (macd >= 0) return rising ? 'strengthening_bullish' : falling ? 'weakening' : 'bullish';
  return falling ? 'strengthening_bearish' : rising ? 'weakening' : 'bearish';
}

/**
 * Volatility regime: the higher of two levels — one relative (ATR% percentile against the ticker's own history:
 * < 20 low, < 75 normal, < 95 high, else extreme) and one absolute (30-day annualised volatility: < 15% low, < 35%
 * normal, < 60% high, else extreme; or, without it, ATR%: < 1 low, < 2.5 normal, < 4 high, else extreme). Taking the
 * higher one keeps a habitually wild stock from reading "normal" just because it is always wild.
 */
export function volatilityRegime(
  atrPctPercentile: number | null,
  annualisedVol: number | null,
  atrPct: number | null,
): SemanticStates['volatility_regime'] {
  const levels: Level[] = [];
  if (atrPctPercentile !== null) {
    const b = ATR_PERCENTILE_BANDS;
    levels.push(band(atrPctPercentile, [b.low, b.normal, b.high], LEVELS));
  }
  if (annualisedVol !== null) {
    const b = ANNUAL_VOL_BANDS;
    levels.push(band(annualisedVol, [b.low, b.normal, b.high], LEVELS));
  } else if (atrPct !== null) {
    const b = ATR_PCT_BANDS;
    levels.push(band(atrPct, [b.low, b.normal, b.high], LEVELS));
  }
  if (levels.length === 0) return 'unknown';
  return LEVELS[Math.max(...levels.map((l) => LEVELS.indexOf(l)))]!;
}

export function volumeState(ratio: number | null): SemanticStates['volume'] {
  if (ratio === null) return 'unknown';
  const b = VOLUME_RATIO_BANDS;
  return band(ratio, [b.veryLow, b.low, b.normal, b.high], ['very_low', 'low', 'normal', 'high', 'surge'] as const);
}

/** ≤ 0.15 of the way up the 52-week range is near the low, < 0.5 lower half, < 0.85 upper half, else near the high. */
export function rangePosition(price: number, low: number | null, high: number | null): SemanticStates['range_position'] {
  if (low === null || high === null || !(high > low)) return 'unknown';
  const x = (price - low) / (high - low);
  if (x <= RANGE_BANDS.nearLow) return 'near_low';
  if (x < RANGE_BANDS.middle) return 'lower_half';
  if (x < RANGE_BANDS.nearHigh) return 'upper_half';
  return 'near_high';
}

export function newsTone(news: NarrativeInputs['news']): SemanticStates['news_tone'] {
  const o = news?.overall;
  if (!o || o.count <= 0) return 'none';
  if (o.positive_pct - o.negative_pct >= NEWS_TONE.lead) return 'positive';
  if (o.negative_pct - o.positive_pct >= NEWS_TONE.lead) return 'negative';
  if (o.positive_pct >= NEWS_TONE.mixedFloor && o.negative_pct >= NEWS_TONE.mixedFloor) return 'mixed';
  return 'neutral';
}

export function peerRelative(peers: NarrativeInputs['peers']): SemanticStates['peer_relative'] {
  const d = peers?.return_1m_vs_median_pct;
  if (d === null || d === undefined || !Number.isFinite(d)) return 'unknown';
  if (d >= PEER_RETURN_BAND) return 'outperforming';
  if (d <= -PEER_RETURN_BAND) return 'underperforming';
  return 'in_line';
}

export function deriveSemanticStates(inputs: NarrativeInputs): SemanticStates {
  const t = inputs.technicals;
  const i = t.indicators;
  return {
    rsi_zone: rsiZone(i.rsi_14),
    trend: trendState(t.price, i.sma_20, i.sma_50, i.sma_200),
    macd_momentum: macdMomentum(t.price, i.macd, i.macd_hist),
    volatility_regime: volatilityRegime(t.percentiles.atr_pct?.percentile ?? null, i.volatility_30d_annualised, i.atr_pct),
    volume: volumeState(i.volume_ratio),
    range_position: rangePosition(t.price, i.low_52w, i.high_52w),
    news_tone: newsTone(inputs.news),
    peer_relative: peerRelative(inputs.peers),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Stance

/**
 * Weight of each directional state in the stance score. Volume and volatility carry no direction: volatility feeds
 * confidence and caveats, volume only the prose.
 */
export const STANCE_WEIGHTS = { trend: 3, macd_momentum: 2, rsi_zone: 1, range_position: 1, news_tone: 1, peer_relative: 1 } as const;

/** Signal of each state value in [−1, 1]; absent values (unknown / none) are left out of the score. */
export const STATE_SIGNALS = {
  trend: { strong_up: 1, up: 0.5, sideways: 0, down: -0.5, strong_down: -1 },
  macd_momentum: { strengthening_bullish: 1, bullish: 0.5, weakening: 0, bearish: -0.5, strengthening_bearish: -1 },
  // RSI as momentum: the overbought / oversold extremes become caveats on the recommendation, not reversals.
  rsi_zone: { oversold: -0.5, approaching_oversold: -0.5, neutral: 0, approaching_overbought: 0.5, overbought: 0.5 },
  range_position: { near_low: -1, lower_half: -0.5, upper_half: 0.5, near_high: 1 },
  news_tone: { positive: 1, neutral: 0, mixed: 0, negative: -1 },
  peer_relative: { outperforming: 1, in_line: 0, underperforming: -1 },
} as const;

/** Normalised score (Σ weight × signal / Σ weight of the known states, in [−1, 1]) at or beyond which a stance is taken. */
export const STANCE_THRESHOLD = 0.25;

export const CONFIDENCE_RULES = {
  /** Directional: high needs this agreement, |score| and completeness, and no extreme volatility. */
  high: { agreement: 0.8, score: 0.45, completeness: 0.75 },
  /** Directional: below this agreement or completeness it is low. */
  low: { agreement: 0.6, completeness: 0.5 },
  /**
   * Neutral: medium when the signals are quiet rather than fighting (the weaker side's weighted share of all known
   * weight is below `conflict`) and the data is this complete; otherwise low.
   */
  neutralQuiet: { conflict: 0.2, completeness: 0.75 },
} as const;

export type DirectionalState = keyof typeof STANCE_WEIGHTS;

export interface StanceDriver {
  state: DirectionalState;
  value: string;
  weight: number;
  signal: number;
  /** weight × signal / Σ weights of the known states: this state's share of the score. */
  contribution: number;
}

export type StanceCaveat = 'overbought' | 'oversold' | 'low_confidence' | 'extreme_volatility' | 'high_volatility';

/** One reason of a decision: a state that supports it (or, for a neutral call, the strongest on either side), or a caveat. */
export type StanceReason =
  | { kind: 'state'; state: DirectionalState; value: string; side?: 'plus' | 'minus' }
  | { kind: 'caveat'; caveat: StanceCaveat };

export interface StanceDecision {
  stance: Stance;
  confidence: Confidence;
  recommendation: Recommendation;
  /** Normalised weighted score in [−1, 1]. */
  score: number;
  /** Plain-English reasons, strongest first, no numbers: supporting signals, then what held the call back. */
  reasons: string[];
  /** The same reasons as data, so another language can say them (`narrative/stance-reasons.ts`). */
  reason_keys: StanceReason[];
  /** Every known directional state with its contribution, strongest in the stance's direction first. */
  drivers: StanceDriver[];
  /** Why the recommendation is softer than the stance (or a risk that comes with it). */
  caveats: StanceCaveat[];
  /** Share of the non-zero signal weight that points the same way as the score (1 when nothing points anywhere). */
  agreement: number;
  /** Share of the eight states that are known. */
  completeness: number;
}

const REASON_TEXT: Record<DirectionalState, Record<string, string>> = {
  trend: {
    strong_up: 'price is above its short, medium and long-term averages, which are stacked in rising order',
    up: 'the trend is up: price holds above most of its moving averages',
    sideways: 'price is moving sideways around its moving averages',
    down: 'the trend is down: price sits below most of its moving averages',
    strong_down: 'price is below its short, medium and long-term averages, which are stacked in falling order',
  },
  macd_momentum: {
    strengthening_bullish: 'MACD is positive and still pulling away from its signal line',
    bullish: 'MACD is positive',
    weakening: 'MACD momentum is fading against its current direction',
    bearish: 'MACD is negative',
    strengthening_bearish: 'MACD is negative and still falling away from its signal line',
  },
  rsi_zone: {
    oversold: 'RSI is in oversold territory',
    approaching_oversold: 'RSI is weak, close to oversold',
    neutral: 'RSI is neutral',
    approaching_overbought: 'RSI shows firm buying momentum',
    overbought: 'RSI is in overbought territory',
  },
  range_position: {
    near_low: 'price is near its one-year low',
    lower_half: 'price is in the lower half of its one-year range',
    upper_half: 'price is in the upper half of its one-year range',
    near_high: 'price is near its one-year high',
  },
  news_tone: {
    positive: 'recent news is mostly positive',
    neutral: 'recent news is mostly neutral',
    mixed: 'recent news is mixed',
    negative: 'recent news is mostly negative',
  },
  peer_relative: {
    outperforming: 'it has beaten its peers over the past month',
    in_line: 'it has moved in line with its peers over the past month',
    underperforming: 'it has lagged its peers over the past month',
  },
};

const CAVEAT_TEXT: Record<StanceCaveat, string> = {
  overbought: 'RSI is overbought, so chasing here risks buying the top of a short-term run',
  oversold: 'RSI is oversold, so selling here risks selling into a washout just before a rebound',
  low_confidence: 'the signals disagree or data is missing, so the lean is not strong enough to act on',
  extreme_volatility: 'volatility is extreme, so position size matters more than usual',
  high_volatility: 'volatility is high, so expect wide daily swings',
};

/**
 * Hysteresis (DESIGN §12): a call changes only when the evidence moves past a margin. Given the call held on the
 * previous bar:
 * - a bullish (bearish) stance is kept while the score stays above STANCE_THRESHOLD − stance (below
 *   −STANCE_THRESHOLD + stance);
 * - a different stance is taken only when the evidence says so on `confirmBars` bars in a row, or at once when the
 *   score is past the threshold by the margin;
 * - a HOLD held for an overbought (oversold) RSI turns back into BUY (SELL) only once RSI is back in the neutral
 *   zone, not merely one point under 70 (over 30).
 * Tuned on the 2021–2022 replay of the real fixtures and reported on 2023–2024 (README, "Track record").
 */
export const HYSTERESIS_MARGINS = { stance: 0.2, confirmBars: 2 } as const;
/** How many bars before a call's last bar the held call is replayed over (see `holdCall`). */
export const HYSTERESIS_LOOKBACK_BARS = 10;

/** The call held on the previous bar, as hysteresis needs it. */
export interface HeldCall {
  stance: Stance;
  recommendation: Recommendation;
  caveats: readonly StanceCaveat[];
  /** A different stance the evidence has pointed to on the last `bars` bars without being confirmed yet. */
  pending?: { stance: Stance; bars: number };
}

/** The numbers the call is decided from: cheap to compute for every bar of a replay (no text, no sorting). */
export interface StanceEvidence {
  score: number;
  agreement: number;
  completeness: number;
  /** The weaker side's weighted share of all known weight (how much the signals fight). */
  conflict: number;
  rsi_zone: SemanticStates['rsi_zone'];
  volatility_regime: SemanticStates['volatility_regime'];
}

export interface CallOutcome {
  stance: Stance;
  confidence: Confidence;
  recommendation: Recommendation;
  caveats: StanceCaveat[];
  pending?: { stance: Stance; bars: number };
}

const DIRECTIONAL_STATES = Object.keys(STANCE_WEIGHTS) as DirectionalState[];
const STATE_KEYS_COUNTED: (keyof SemanticStates)[] = [
  'rsi_zone', 'trend', 'macd_momentum', 'volatility_regime', 'volume', 'range_position', 'news_tone', 'peer_relative',
];

export function weighStates(states: SemanticStates): StanceEvidence {
  let totalWeight = 0;
  let raw = 0;
  for (const state of DIRECTIONAL_STATES) {
    const signal = (STATE_SIGNALS[state] as Record<string, number>)[states[state]];
    if (signal === undefined) continue; // unknown / none
    totalWeight += STANCE_WEIGHTS[state];
    raw += STANCE_WEIGHTS[state] * signal;
  }
  const score = totalWeight === 0 ? 0 : raw / totalWeight;
  const direction = Math.sign(score);
  let agreeing = 0;
  let nonZero = 0;
  let pos = 0;
  let neg = 0;
  for (const state of DIRECTIONAL_STATES) {
    const signal = (STATE_SIGNALS[state] as Record<string, number>)[states[state]];
    if (signal === undefined) continue;
    const contribution = totalWeight === 0 ? 0 : (STANCE_WEIGHTS[state] * signal) / totalWeight;
    if (contribution > 0) pos += contribution;
    else neg -= contribution;
    if (contribution === 0) continue;
    nonZero += Math.abs(contribution);
    if (Math.sign(contribution) === direction) agreeing += Math.abs(contribution);
  }
  let known = 0;
  for (const k of STATE_KEYS_COUNTED) if (states[k] !== 'unknown' && states[k] !== 'none') known++;
  return {
    score,
    agreement: nonZero === 0 ? 1 : agreeing / nonZero,
    completeness: known / STATE_COUNT,
    conflict: Math.min(pos, neg),
    rsi_zone: states.rsi_zone,
    volatility_regime: states.volatility_regime,
  };
}

/** Stance, confidence, recommendation and caveats from the evidence, and from the previous bar's call when given. */
export function callFromEvidence(e: StanceEvidence, held?: HeldCall): CallOutcome {
  const t = STANCE_THRESHOLD;
  const m = held ? HYSTERESIS_MARGINS.stance : 0;
  let stance: Stance = e.score >= t ? 'bullish' : e.score <= -t ? 'bearish' : 'neutral';
  if (stance === 'neutral' && held?.stance === 'bullish' && e.score > t - m) stance = 'bullish';
  if (stance === 'neutral' && held?.stance === 'bearish' && e.score < -t + m) stance = 'bearish';
  let pending: CallOutcome['pending'];
  if (held && stance !== held.stance) {
    // A new stance needs the evidence on `confirmBars` bars in a row, unless it is past the threshold by the margin.
    const bars = held.pending?.stance === stance ? held.pending.bars + 1 : 1;
    const decisive = stance !== 'neutral' && Math.abs(e.score) >= t + m;
    if (bars < HYSTERESIS_MARGINS.confirmBars && !decisive) {
      pending = { stance, bars };
      stance = held.stance;
    }
  }
  const extreme = e.volatility_regime === 'extreme';

  let confidence: Confidence;
  if (stance === 'neutral') {
    const n = CONFIDENCE_RULES.neutralQuiet;
    confidence = e.conflict < n.conflict && e.completeness >= n.completeness ? 'medium' : 'low';
  } else {
    const h = CONFIDENCE_RULES.high;
    const l = CONFIDENCE_RULES.low;
    if (e.agreement < l.agreement || e.completeness < l.completeness) confidence = 'low';
    else if (e.agreement >= h.agreement && Math.abs(e.score) >= h.score && e.completeness >= h.completeness && !extreme) confidence = 'high';
    else confidence = 'medium';
  }

  const caveats: StanceCaveat[] = [];
  let recommendation: Recommendation = 'HOLD';
  // A HOLD held for a stretched RSI lasts until RSI is back to neutral, so a reading hovering at 70 does not flip it.
  const stretched = (zone: StanceCaveat, near: SemanticStates['rsi_zone']) =>
    e.rsi_zone === zone || (held?.recommendation === 'HOLD' && held.caveats.includes(zone) && held.stance === stance && e.rsi_zone === near);
  if (stance === 'bullish') {
    if (stretched('overbought', 'approaching_overbought')) caveats.push('overbought');
    if (confidence === 'low') caveats.push('low_confidence');
    recommendation = caveats.length === 0 ? 'BUY' : 'HOLD';
  } else if (stance === 'bearish') {
    if (stretched('oversold', 'approaching_oversold')) caveats.push('oversold');
    if (confidence === 'low') caveats.push('low_confidence');
    recommendation = caveats.length === 0 ? 'SELL' : 'HOLD';
  }
  if (extreme) caveats.push('extreme_volatility');
  else if (e.volatility_regime === 'high') caveats.push('high_volatility');
  return { stance, confidence, recommendation, caveats, ...(pending && { pending }) };
}

/**
 * The call held at the end of a run of bars: starting from a neutral HOLD, each bar's call is decided with the
 * previous one held (see HYSTERESIS_MARGINS). A pure function of the evidence of those bars. Starting every run from
 * the same neutral call (not from the first bar's own call) keeps the result from depending on where the run starts,
 * so a score hovering at a threshold cannot make consecutive bars' runs alternate.
 */
export function holdCall(evidence: readonly StanceEvidence[]): CallOutcome | undefined {
  if (evidence.length === 0) return undefined;
  let held: CallOutcome = { stance: 'neutral', confidence: 'low', recommendation: 'HOLD', caveats: [] };
  for (const e of evidence) held = callFromEvidence(e, held);
  return held;
}

export function englishReason(r: StanceReason): string {
  if (r.kind === 'caveat') return CAVEAT_TEXT[r.caveat];
  const text = REASON_TEXT[r.state][r.value]!;
  return r.side ? `on the ${r.side} side, ${text}` : text;
}

/** The decision from the states; with `held` (the previous bar's call), hysteresis applies. */
export function decideStance(states: SemanticStates, held?: HeldCall): StanceDecision {
  const evidence = weighStates(states);
  const { stance, confidence, recommendation, caveats } = callFromEvidence(evidence, held);
  const { score, agreement, completeness } = evidence;
  const known: { state: DirectionalState; value: string; weight: number; signal: number }[] = [];
  for (const state of DIRECTIONAL_STATES) {
    const value = states[state];
    const signal = (STATE_SIGNALS[state] as Record<string, number>)[value];
    if (signal === undefined) continue; // unknown / none
    known.push({ state, value, weight: STANCE_WEIGHTS[state], signal });
  }
  const totalWeight = known.reduce((a, k) => a + k.weight, 0);
  const drivers: StanceDriver[] = known.map((k) => ({
    ...k,
    contribution: totalWeight === 0 ? 0 : (k.weight * k.signal) / totalWeight,
  }));
  const direction = Math.sign(score);
  drivers.sort((a, b) => b.contribution * (direction || 1) - a.contribution * (direction || 1) || a.state.localeCompare(b.state));

  const supporting = stance === 'neutral' ? drivers.filter((d) => d.contribution === 0) : drivers.filter((d) => Math.sign(d.contribution) === direction);
  const reason_keys: StanceReason[] = supporting.slice(0, 3).map((d) => ({ kind: 'state', state: d.state, value: d.value }));
  if (stance === 'neutral') {
    const up = drivers.filter((d) => d.contribution > 0).sort((a, b) => b.contribution - a.contribution)[0];
    const down = drivers.filter((d) => d.contribution < 0).sort((a, b) => a.contribution - b.contribution)[0];
    if (up) reason_keys.push({ kind: 'state', state: up.state, value: up.value, side: 'plus' });
    if (down) reason_keys.push({ kind: 'state', state: down.state, value: down.value, side: 'minus' });
  }
  for (const c of caveats) reason_keys.push({ kind: 'caveat', caveat: c });
  const reasons = reason_keys.map(englishReason);

  return { stance, confidence, recommendation, score, reasons, reason_keys, drivers, caveats, agreement, completeness };
}
