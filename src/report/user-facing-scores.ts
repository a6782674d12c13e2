/**
 * Six 0–10 scores shown to users, each a continuous function of data that is actually present, with a rationale in
 * the report's language naming the inputs and values used (report-phrases.ts). A category whose inputs are all missing scores null and says what is
 * missing — never a constant placeholder (the reference's sat at 5.0 on missing keys).
 *
 * Shapes used: `5 ± 5·tanh(x / scale)` for signed gaps (smooth, symmetric, no plateau; it only flattens
 * asymptotically far out), percentiles / 10, exponential decay for risk levels, and a piecewise-linear RSI curve with
 * no flat segment. When some inputs of a category are missing, the weights of the present ones are renormalised and
 * the rationale lists the missing ones. Scores are clamped to 0–10 and rounded to one decimal.
 * Pure: no I/O, no clock.
 */
import type { Language } from './narrative-contract.js';
import { REPORT_PHRASES, type ReportPhrases } from './report-phrases.js';
import type { TechnicalAnalysis } from './technical-analysis.js';

export interface UserFacingScore {
  category: string;
  /** 0–10, one decimal; null when none of the category's inputs is available. */
  score: number | null;
  max_score: 10;
  /** In the report's language; names the inputs and values used, or what is missing. */
  rationale: string;
  inputs: Record<string, number | null>;
}

export interface NewsOverallInput {
  /** 0–100 */
  positive_pct: number;
  neutral_pct: number;
  negative_pct: number;
  count: number;
}

export interface UserFacingScoresInput {
  technicals: TechnicalAnalysis;
  news: { overall: NewsOverallInput | null } | null;
  peers: {
    /** Own 1-month return minus the peers' median, percentage points. */
    return_1m_vs_median_pct: number | null;
    /** (own 30-day volatility / peers' median − 1) × 100. */
    volatility_vs_median_pct: number | null;
  } | null;
  /** The rationales' language (the report's). */
  language: Language;
}

export const USER_FACING_CATEGORIES = [
  'trend',
  'momentum',
  'volatility_risk',
  'volume_liquidity',
  'news_sentiment',
  'relative_strength',
] as const;
export type UserFacingCategory = (typeof USER_FACING_CATEGORIES)[number];

/** Every weight and scale, in one place. */
export const USER_SCORE_PARAMS = {
  trend: {
    // weight, tanh scale in percent
    price_vs_sma_20: { weight: 0.2, scale: 4 },
    price_vs_sma_50: { weight: 0.25, scale: 7 },
    price_vs_sma_200: { weight: 0.25, scale: 12 },
    sma_20_vs_sma_50: { weight: 0.15, scale: 4 },
    sma_50_vs_sma_200: { weight: 0.15, scale: 8 },
  },
  momentum: {
    rsi: { weight: 0.5 },
    /** MACD histogram as a percent of price, tanh scale. */
    macd_hist: { weight: 0.25, scalePctOfPrice: 0.3 },
    macd_hist_percentile: { weight: 0.25 },
    /** (RSI, score) knots: rises to a peak at 65 (firm momentum), then falls as RSI gets stretched. No flat piece. */
    rsiKnots: [
      [0, 0],
      [30, 2],
      [50, 5],
      [65, 9],
      [75, 8],
      [90, 5],
      [100, 3],
    ] as const,
  },
  volatility_risk: {
    /** 10 − percentile / 10: calmer than usual scores higher. */
    atr_pct_percentile: { weight: 0.4 },
    /** 10 · exp(−vol / 50): 20% → 6.7, 40% → 4.5, 60% → 3.0. */
    volatility_30d_annualised: { weight: 0.4, decay: 50 },
    /** Used instead of the ATR% percentile when that is missing: 10 · exp(−ATR% / 3). */
    atr_pct: { weight: 0.4, decay: 3 },
    /** 5 − 5·tanh(v / 50): more volatile than the peers scores lower. */
    volatility_vs_peers: { weight: 0.2, scale: 50 },
  },
  volume_liquidity: {
    /** 10 · (1 − exp(−0.7 · ratio)): 0.5 → 3.0, 1 → 5.0, 2 → 7.5, 3 → 8.8. */
    volume_ratio: { weight: 0.6, rate: 0.7 },
    volume_ratio_percentile: { weight: 0.4 },
  },
  news_sentiment: {
    /** 5 + 5 · (positive% − negative%) / 100 · count / (count + shrink): few articles pull toward 5. */
    shrink: 3,
  },
  relative_strength: {
    /** 5 + 5·tanh(points / 10): +10 pts → 8.8, −10 → 1.2. */
    scale: 10,
  },
} as const;

export const clamp10 = (x: number): number => Math.min(10, Math.max(0, x));
export const round1 = (x: number): number => Math.round(x * 10) / 10;
const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);
export const fmt = (x: number, d = 2): string => x.toFixed(d);
export const fmtSigned = (x: number, d = 1): string => {
  const s = x.toFixed(d);
  if (Number(s) === 0) return (0).toFixed(d);
  return x > 0 ? `+${s}` : s;
};
const gapPct = (a: number, b: number): number => (a / b - 1) * 100;
const positive = (x: number | null): x is number => x !== null && x > 0;

export interface Component {
  name: string;
  weight: number;
  /** 0–10, or null when its input is missing. */
  score: number | null;
  /** How the input reads, for the rationale ("price 24.60 is +3.1% vs SMA 20 23.85"). */
  describe: string;
  /** What is missing, when score is null. */
  missing: string;
}

/** Weighted mean of the present components (weights renormalised); null when none is present. */
function combine(components: Component[]): { score: number | null; used: Component[]; missing: Component[] } {
  const used = components.filter((c) => c.score !== null);
  const missing = components.filter((c) => c.score === null);
  if (used.length === 0) return { score: null, used, missing };
  const w = used.reduce((a, c) => a + c.weight, 0);
  const s = used.reduce((a, c) => a + c.weight * c.score!, 0) / w;
  return { score: round1(clamp10(s)), used, missing };
}

/** A category's score from its components, with the rationale naming each input used and each one missing. */
export function categoryScore(
  category: UserFacingCategory | 'valuation',
  components: Component[],
  inputs: Record<string, number | null>,
  ph: ReportPhrases,
): UserFacingScore {
  const { score, used, missing } = combine(components);
  const title = ph.titles[category];
  const missingText = ph.missing(missing.map((c) => c.missing));
  if (score === null) {
    return { category, score: null, max_score: 10, rationale: ph.unscored(title, missingText), inputs };
  }
  const parts = used.map((c) => ph.part(c.describe, fmt(c.score!, 1)));
  return { category, score, max_score: 10, rationale: ph.scored(title, fmt(score, 1), ph.directions[category], parts, missingText), inputs };
}

export const tanhScore = (x: number, scale: number): number => 5 + 5 * Math.tanh(x / scale);

/** Piecewise-linear interpolation through (x, y) knots sorted by x; clamped to the end knots. */
function interpolate(knots: readonly (readonly [number, number])[], x: number): number {
  const first = knots[0]!;
  const last = knots[knots.length - 1]!;
  if (x <= first[0]) return first[1];
  if (x >= last[0]) return last[1];
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i]!;
    const [x0, y0] = knots[i - 1]!;
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return last[1];
}

// ---------------------------------------------------------------------------------------------------------------

function trendScore(t: TechnicalAnalysis, ph: ReportPhrases): UserFacingScore {
  const p = USER_SCORE_PARAMS.trend;
  const price = positive(t.price) ? t.price : null;
  const sma20 = finite(t.indicators.sma_20);
  const sma50 = finite(t.indicators.sma_50);
  const sma200 = finite(t.indicators.sma_200);
  const gap = (a: number | null, b: number | null): number | null => (positive(a) && positive(b) ? gapPct(a, b) : null);
  const g = {
    price_vs_sma_20: gap(price, sma20),
    price_vs_sma_50: gap(price, sma50),
    price_vs_sma_200: gap(price, sma200),
    sma_20_vs_sma_50: gap(sma20, sma50),
    sma_50_vs_sma_200: gap(sma50, sma200),
  };
  const comp = (name: keyof typeof g, a: string, b: string, av: number | null, bv: number | null, miss: string): Component => ({
    name,
    weight: p[name].weight,
    score: g[name] === null ? null : tanhScore(g[name], p[name].scale),
    describe: g[name] === null ? '' : ph.trend.gap(a, fmt(av!), fmtSigned(g[name]), b, fmt(bv!)),
    missing: miss,
  });
  const P = ph.trend.price;
  const components = [
    comp('price_vs_sma_20', P, 'SMA 20', price, sma20, ph.trend.needsBars('SMA 20', 20)),
    comp('price_vs_sma_50', P, 'SMA 50', price, sma50, ph.trend.needsBars('SMA 50', 50)),
    comp('price_vs_sma_200', P, 'SMA 200', price, sma200, ph.trend.needsBars('SMA 200', 200)),
    comp('sma_20_vs_sma_50', 'SMA 20', 'SMA 50', sma20, sma50, ph.trend.orderMissing('SMA 20', 'SMA 50')),
    comp('sma_50_vs_sma_200', 'SMA 50', 'SMA 200', sma50, sma200, ph.trend.orderMissing('SMA 50', 'SMA 200')),
  ];
  // A missing SMA also removes the comparisons between averages: name the cause (the SMA) once, not each comparison.
  const filtered = components.filter((c) => c.score !== null || !c.name.startsWith('sma_'));
  const r = categoryScore('trend', filtered, { price, sma_20: sma20, sma_50: sma50, sma_200: sma200, ...g }, ph);
  if (r.score !== null) r.rationale += describeOrder(price, sma20, sma50, sma200, ph);
  return r;
}

function describeOrder(price: number | null, sma20: number | null, sma50: number | null, sma200: number | null, ph: ReportPhrases): string {
  const items = [
    [ph.trend.price, price],
    ['SMA 20', sma20],
    ['SMA 50', sma50],
    ['SMA 200', sma200],
  ].filter((x): x is [string, number] => x[1] !== null);
  const sorted = [...items].sort((a, b) => b[1] - a[1]);
  const order = sorted.map((x) => x[0]).join(' > ');
  const same = (xs: [string, number][]) => xs.map((x) => x[0]).join();
  if (items.length >= 3 && same(sorted) === same(items)) return ph.trend.order(order, 'bullish');
  if (items.length >= 3 && same([...sorted].reverse()) === same(items)) return ph.trend.order(order, 'bearish');
  return ph.trend.order(order, 'mixed');
}

function momentumScore(t: TechnicalAnalysis, ph: ReportPhrases): UserFacingScore {
  const p = USER_SCORE_PARAMS.momentum;
  const rsi = finite(t.indicators.rsi_14);
  const hist = finite(t.indicators.macd_hist);
  const histPct = hist !== null && positive(t.price) ? (hist / t.price) * 100 : null;
  const histPctl = finite(t.percentiles.macd_hist?.percentile ?? null);
  const rsiLabel = (r: number): string =>
    ph.momentum.rsiLabel[r >= 70 ? 'overbought' : r >= 60 ? 'firm' : r > 40 ? 'neutral' : r > 30 ? 'weak' : 'oversold'];
  const components: Component[] = [
    {
      name: 'rsi',
      weight: p.rsi.weight,
      score: rsi === null ? null : interpolate(p.rsiKnots, rsi),
      describe: rsi === null ? '' : ph.momentum.rsi(fmt(rsi, 1), rsiLabel(rsi)),
      missing: ph.momentum.missingRsi,
    },
    {
      name: 'macd_hist',
      weight: p.macd_hist.weight,
      score: histPct === null ? null : tanhScore(histPct, p.macd_hist.scalePctOfPrice),
      describe: histPct === null ? '' : ph.momentum.hist(fmt(hist!, 3), fmtSigned(histPct, 2), hist! >= 0),
      missing: ph.momentum.missingHist,
    },
    {
      name: 'macd_hist_percentile',
      weight: p.macd_hist_percentile.weight,
      score: histPctl === null ? null : histPctl / 10,
      describe: histPctl === null ? '' : ph.momentum.histPercentile(fmt(histPctl, 0)),
      missing: ph.momentum.missingHistPercentile,
    },
  ];
  return categoryScore('momentum', components, { rsi_14: rsi, macd_hist: hist, macd_hist_pct_of_price: histPct, macd_hist_percentile: histPctl }, ph);
}

function volatilityScore(t: TechnicalAnalysis, peers: UserFacingScoresInput['peers'], ph: ReportPhrases): UserFacingScore {
  const p = USER_SCORE_PARAMS.volatility_risk;
  const atrPctl = finite(t.percentiles.atr_pct?.percentile ?? null);
  const atrPct = finite(t.indicators.atr_pct);
  const vol = finite(t.indicators.volatility_30d_annualised);
  const vsPeers = finite(peers?.volatility_vs_median_pct ?? null);
  const components: Component[] = [];
  if (atrPctl !== null || atrPct === null) {
    components.push({
      name: 'atr_pct_percentile',
      weight: p.atr_pct_percentile.weight,
      score: atrPctl === null ? null : 10 - atrPctl / 10,
      describe: atrPctl === null ? '' : ph.volatility.atrPercentile(atrPct === null ? null : fmt(atrPct), fmt(atrPctl, 0)),
      missing: ph.volatility.missingAtr,
    });
  } else {
    components.push({
      name: 'atr_pct',
      weight: p.atr_pct.weight,
      score: 10 * Math.exp(-atrPct / p.atr_pct.decay),
      describe: ph.volatility.atrAbsolute(fmt(atrPct)),
      missing: '',
    });
  }
  components.push(
    {
      name: 'volatility_30d_annualised',
      weight: p.volatility_30d_annualised.weight,
      score: vol === null ? null : 10 * Math.exp(-vol / p.volatility_30d_annualised.decay),
      describe: vol === null ? '' : ph.volatility.vol30(fmt(vol, 1)),
      missing: ph.volatility.missingVol30,
    },
    {
      name: 'volatility_vs_peers',
      weight: p.volatility_vs_peers.weight,
      score: vsPeers === null ? null : 5 - 5 * Math.tanh(vsPeers / p.volatility_vs_peers.scale),
      describe: vsPeers === null ? '' : ph.volatility.vsPeers(fmtSigned(vsPeers, 1)),
      missing: ph.volatility.missingVsPeers,
    },
  );
  return categoryScore(
    'volatility_risk',
    components,
    { atr_pct: atrPct, atr_pct_percentile: atrPctl, volatility_30d_annualised: vol, volatility_vs_median_pct: vsPeers },
    ph,
  );
}

function volumeScore(t: TechnicalAnalysis, ph: ReportPhrases): UserFacingScore {
  const p = USER_SCORE_PARAMS.volume_liquidity;
  const ratio = finite(t.indicators.volume_ratio);
  const pctl = finite(t.percentiles.volume_ratio?.percentile ?? null);
  const components: Component[] = [
    {
      name: 'volume_ratio',
      weight: p.volume_ratio.weight,
      score: ratio === null || ratio < 0 ? null : 10 * (1 - Math.exp(-p.volume_ratio.rate * ratio)),
      describe: ratio === null ? '' : ph.volume.ratio(fmt(ratio)),
      missing: ph.volume.missingRatio,
    },
    {
      name: 'volume_ratio_percentile',
      weight: p.volume_ratio_percentile.weight,
      score: pctl === null ? null : pctl / 10,
      describe: pctl === null ? '' : ph.volume.ratioPercentile(fmt(pctl, 0)),
      missing: ph.volume.missingRatioPercentile,
    },
  ];
  return categoryScore(
    'volume_liquidity',
    components,
    { volume: finite(t.indicators.volume), volume_sma_20: finite(t.indicators.volume_sma_20), volume_ratio: ratio, volume_ratio_percentile: pctl },
    ph,
  );
}

function newsScore(news: UserFacingScoresInput['news'], ph: ReportPhrases): UserFacingScore {
  const o = news?.overall ?? null;
  const inputs = {
    positive_pct: finite(o?.positive_pct ?? null),
    neutral_pct: finite(o?.neutral_pct ?? null),
    negative_pct: finite(o?.negative_pct ?? null),
    count: finite(o?.count ?? null),
  };
  const missing = (why: string): UserFacingScore => ({
    category: 'news_sentiment',
    score: null,
    max_score: 10,
    rationale: ph.noScore(ph.titles.news_sentiment, why),
    inputs,
  });
  if (news === null) return missing(ph.news.noSource);
  if (o === null) return missing(ph.news.noSentiment);
  if (inputs.count === null || inputs.count <= 0) return missing(ph.news.noItems);
  if (inputs.positive_pct === null || inputs.negative_pct === null) return missing(ph.news.noShares);
  const net = inputs.positive_pct - inputs.negative_pct;
  const k = USER_SCORE_PARAMS.news_sentiment.shrink;
  const weight = inputs.count / (inputs.count + k);
  const score = round1(clamp10(5 + (5 * net * weight) / 100));
  return {
    category: 'news_sentiment',
    score,
    max_score: 10,
    rationale: ph.news.scored(fmt(score, 1), fmt(inputs.positive_pct, 0), fmt(inputs.negative_pct, 0), fmtSigned(net, 0), inputs.count, fmt(weight), k),
    inputs,
  };
}

function relativeStrengthScore(peers: UserFacingScoresInput['peers'], ph: ReportPhrases): UserFacingScore {
  const d = finite(peers?.return_1m_vs_median_pct ?? null);
  const inputs = { return_1m_vs_median_pct: d };
  if (peers === null) {
    return { category: 'relative_strength', score: null, max_score: 10, rationale: ph.relative.noPeers, inputs };
  }
  if (d === null) {
    return { category: 'relative_strength', score: null, max_score: 10, rationale: ph.relative.noReturn, inputs };
  }
  const score = round1(clamp10(tanhScore(d, USER_SCORE_PARAMS.relative_strength.scale)));
  return {
    category: 'relative_strength',
    score,
    max_score: 10,
    rationale: ph.relative.scored(fmt(score, 1), fmtSigned(d, 2)),
    inputs,
  };
}

/** The six user-facing scores, in USER_FACING_CATEGORIES order. */
export function scoreForUsers(input: UserFacingScoresInput): UserFacingScore[] {
  const t = input.technicals;
  const ph = REPORT_PHRASES[input.language];
  return [
    trendScore(t, ph),
    momentumScore(t, ph),
    volatilityScore(t, input.peers, ph),
    volumeScore(t, ph),
    newsScore(input.news, ph),
    relativeStrengthScore(input.peers, ph),
  ];
}
