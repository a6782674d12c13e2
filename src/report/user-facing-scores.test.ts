import { describe, expect, it } from 'vitest';
import type { DailyBar } from './daily-bar.js';
import { analyzeTechnicals, type TechnicalAnalysis } from './technical-analysis.js';
import { USER_FACING_CATEGORIES, scoreForUsers, type UserFacingScore, type UserFacingScoresInput } from './user-facing-scores.js';

function weekdays(start: string, count: number): string[] {
  const out: string[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (out.length < count) {
    const day = d.getUTCDay();
    if (day !== 0 && day !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** Deterministic bars: log-price drift per bar plus a wobble; `wiggle` scales daily swings, `volumeBoost` the last bar's volume. */
function bars(count: number, drift: number, options: { wiggle?: number; volumeBoost?: number; start?: number } = {}): DailyBar[] {
  const wiggle = options.wiggle ?? 0.01;
  const dates = weekdays('2023-01-02', count);
  let logP = Math.log(options.start ?? 50);
  return dates.map((date, i) => {
    logP += drift + wiggle * (Math.sin(i * 1.7) + 0.6 * Math.sin(i * 0.31 + 1));
    const close = Math.exp(logP);
    const range = close * wiggle * (1.2 + 0.5 * Math.sin(i * 0.9));
    const volume = Math.round(1_000_000 * (1 + 0.3 * Math.sin(i * 0.45)) * (i === count - 1 ? (options.volumeBoost ?? 1) : 1));
    return { date, open: close, high: close + range, low: close - range, close, volume };
  });
}

const UP = analyzeTechnicals(bars(300, 0.004));
const DOWN = analyzeTechnicals(bars(300, -0.004));
const FLAT = analyzeTechnicals(bars(300, 0));

function scores(technicals: TechnicalAnalysis, over: Partial<UserFacingScoresInput> = {}): Record<string, UserFacingScore> {
  const list = scoreForUsers({
    technicals,
    news: { overall: { positive_pct: 60, neutral_pct: 30, negative_pct: 10, count: 8 } },
    peers: { return_1m_vs_median_pct: 2.5, volatility_vs_median_pct: -10 },
    language: 'en',
    ...over,
  });
  return Object.fromEntries(list.map((s) => [s.category, s]));
}

/** A copy of `t` with some indicators / percentiles replaced. */
function withTech(
  t: TechnicalAnalysis,
  indicators: Partial<TechnicalAnalysis['indicators']>,
  percentiles: Partial<TechnicalAnalysis['percentiles']> = {},
): TechnicalAnalysis {
  return { ...t, indicators: { ...t.indicators, ...indicators }, percentiles: { ...t.percentiles, ...percentiles } };
}

describe('scoreForUsers: shape', () => {
  it('returns the six categories in order, each 0–10 with one decimal, max 10, a rationale and its inputs', () => {
    const list = scoreForUsers({
      technicals: UP,
      news: { overall: { positive_pct: 60, neutral_pct: 30, negative_pct: 10, count: 8 } },
      peers: { return_1m_vs_median_pct: 2.5, volatility_vs_median_pct: -10 },
      language: 'en',
    });
    expect(list.map((s) => s.category)).toEqual([...USER_FACING_CATEGORIES]);
    for (const s of list) {
      expect(s.max_score).toBe(10);
      expect(s.score).not.toBeNull();
      expect(s.score!).toBeGreaterThanOrEqual(0);
      expect(s.score!).toBeLessThanOrEqual(10);
      expect(Math.round(s.score! * 10) / 10).toBe(s.score);
      expect(s.rationale.length).toBeGreaterThan(20);
      expect(Object.keys(s.inputs).length).toBeGreaterThan(0);
    }
  });

  it('names the inputs and values it used in the rationale', () => {
    const s = scores(UP);
    expect(s.trend!.rationale).toContain(`SMA 20 ${UP.indicators.sma_20!.toFixed(2)}`);
    expect(s.trend!.inputs.sma_200).toBe(UP.indicators.sma_200);
    expect(s.momentum!.rationale).toContain(`RSI 14 ${UP.indicators.rsi_14!.toFixed(1)}`);
    expect(s.volume_liquidity!.rationale).toContain(`${UP.indicators.volume_ratio!.toFixed(2)}x its 20-day average`);
    expect(s.news_sentiment!.rationale).toContain('60% positive minus 10% negative = +50 points over 8 item(s)');
    expect(s.relative_strength!.rationale).toContain('+2.50 points');
    expect(s.volatility_risk!.rationale).toMatch(/higher volatility lowers the score/);
  });
});

describe('scoreForUsers: trend', () => {
  it('scores a strong uptrend history high and a downtrend low, saying the order of the averages', () => {
    const up = scores(UP).trend!;
    const down = scores(DOWN).trend!;
    const flat = scores(FLAT).trend!;
    expect(up.score!).toBeGreaterThanOrEqual(8);
    expect(down.score!).toBeLessThanOrEqual(2);
    expect(flat.score!).toBeGreaterThan(down.score!);
    expect(flat.score!).toBeLessThan(up.score!);
    expect(up.rationale).toContain('price > SMA 20 > SMA 50 > SMA 200 (fully bullish order)');
    expect(down.rationale).toContain('SMA 200 > SMA 50 > SMA 20 > price (fully bearish order)');
  });

  it('uses what a short history has and names what is missing', () => {
    const short = analyzeTechnicals(bars(30, 0.004));
    const t = scores(short).trend!;
    expect(t.score).not.toBeNull();
    expect(t.inputs.sma_50).toBeNull();
    expect(t.rationale).toContain('Missing: SMA 50 (needs 50 bars); SMA 200 (needs 200 bars)');
  });
});

describe('scoreForUsers: missing data gives null with a reason, never a placeholder', () => {
  it('has no news score when news is missing, absent or empty', () => {
    expect(scores(UP, { news: null }).news_sentiment).toMatchObject({
      score: null,
      rationale: expect.stringMatching(/news is unavailable/),
    });
    expect(scores(UP, { news: { overall: null } }).news_sentiment).toMatchObject({
      score: null,
      rationale: expect.stringMatching(/no headlines/),
    });
    expect(
      scores(UP, { news: { overall: { positive_pct: 0, neutral_pct: 0, negative_pct: 0, count: 0 } } }).news_sentiment,
    ).toMatchObject({ score: null, rationale: expect.stringMatching(/no news items/) });
  });

  it('has no relative strength without peers, and the risk score says the peer input is missing', () => {
    const s = scores(UP, { peers: null });
    expect(s.relative_strength).toMatchObject({ score: null, rationale: expect.stringMatching(/no peer comparison/) });
    expect(s.volatility_risk!.score).not.toBeNull();
    expect(s.volatility_risk!.rationale).toContain("Missing: volatility vs the peers' median");
    expect(scores(UP, { peers: { return_1m_vs_median_pct: null, volatility_vs_median_pct: null } }).relative_strength!.score).toBeNull();
  });

  it('scores nothing from a single bar: every category null, each saying why', () => {
    const one = analyzeTechnicals(bars(1, 0));
    const list = scoreForUsers({ technicals: one, news: null, peers: null, language: 'en' });
    expect(list.map((s) => s.score)).toEqual([null, null, null, null, null, null]);
    for (const s of list) expect(s.rationale).toMatch(/no score/);
    expect(list[0]!.rationale).toContain('SMA 20 (needs 20 bars)');
    expect(list[1]!.rationale).toContain('RSI 14');
  });
});

describe('scoreForUsers: scores follow their inputs (no constants, no plateaus)', () => {
  it('differs across different histories', () => {
    const all = [UP, DOWN, FLAT, analyzeTechnicals(bars(300, 0.001, { wiggle: 0.03 }))].map((t) => scores(t));
    for (const c of ['trend', 'momentum', 'volatility_risk'] as const) {
      const values = new Set(all.map((s) => s[c]!.score));
      expect(values.size, c).toBeGreaterThanOrEqual(3);
    }
  });

  it('moves RSI through its whole range without a flat step, peaking at firm (not stretched) momentum', () => {
    const momentum = (rsi: number) =>
      scores(withTech(UP, { rsi_14: rsi, macd_hist: null }, { macd_hist: null })).momentum!.score!;
    const values = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95].map(momentum);
    for (let i = 1; i < values.length; i++) expect(values[i], `RSI step ${i}`).not.toBe(values[i - 1]);
    expect(momentum(65)).toBeGreaterThan(momentum(50));
    expect(momentum(65)).toBeGreaterThan(momentum(85));
    expect(momentum(25)).toBeLessThan(momentum(50));
  });

  it('rates higher volatility as higher risk (a lower score)', () => {
    const calm = scores(analyzeTechnicals(bars(300, 0.001, { wiggle: 0.005 }))).volatility_risk!.score!;
    const wild = scores(analyzeTechnicals(bars(300, 0.001, { wiggle: 0.04 }))).volatility_risk!.score!;
    expect(wild).toBeLessThan(calm);
    const morePeers = scores(UP, { peers: { return_1m_vs_median_pct: 0, volatility_vs_median_pct: 60 } }).volatility_risk!.score!;
    const lessPeers = scores(UP, { peers: { return_1m_vs_median_pct: 0, volatility_vs_median_pct: -30 } }).volatility_risk!.score!;
    expect(morePeers).toBeLessThan(lessPeers);
  });

  it('scores a volume surge above a quiet day', () => {
    const quiet = scores(analyzeTechnicals(bars(300, 0.001, { volumeBoost: 0.4 }))).volume_liquidity!;
    const surge = scores(analyzeTechnicals(bars(300, 0.001, { volumeBoost: 3 }))).volume_liquidity!;
    expect(surge.score!).toBeGreaterThan(quiet.score! + 2);
    expect(surge.inputs.volume_ratio!).toBeGreaterThan(2);
  });

  it('scores news by net tone, trusting more items more', () => {
    const news = (positive: number, negative: number, count: number) =>
      scores(UP, { news: { overall: { positive_pct: positive, neutral_pct: 100 - positive - negative, negative_pct: negative, count } } })
        .news_sentiment!.score!;
    expect(news(80, 10, 10)).toBeGreaterThan(news(50, 30, 10));
    expect(news(50, 30, 10)).toBeGreaterThan(news(10, 70, 10));
    expect(news(80, 10, 20)).toBeGreaterThan(news(80, 10, 2));
    expect(news(10, 80, 20)).toBeLessThan(news(10, 80, 2));
    expect(news(40, 40, 10)).toBe(5);
  });

  it('rises strictly with the 1-month return over the peers', () => {
    const rel = (d: number) => scores(UP, { peers: { return_1m_vs_median_pct: d, volatility_vs_median_pct: 0 } }).relative_strength!.score!;
    const values = [-20, -10, -5, -2, 0, 2, 5, 10, 20].map(rel);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    expect(rel(0)).toBe(5);
  });
});
