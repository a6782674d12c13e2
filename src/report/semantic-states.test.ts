import { describe, expect, it } from 'vitest';
import { fixtureBars, inputsFor, NEGATIVE_NEWS, POSITIVE_NEWS } from './narrative-inputs.test-support.js';
import type { SemanticStates } from './narrative-contract.js';
import type { NarrativeInputs } from './narrative-inputs.js';
import type { HistoryDescription } from './percentiles.js';
import {
  decideStance,
  deriveSemanticStates,
  macdMomentum,
  newsTone,
  peerRelative,
  rangePosition,
  rsiZone,
  trendState,
  volatilityRegime,
  volumeState,
} from './semantic-states.js';
import type { TechnicalAnalysis, TechnicalIndicators } from './technical-analysis.js';

function pct(percentile: number, value = 0): HistoryDescription {
  return { value, percentile, lookback_bars: 252, sample_size: 252, mean: 0, min: 0, max: 0 };
}

/** A hand-built TechnicalAnalysis: a calm, sideways stock at 100 unless overridden. */
function technicals(price: number, ind: Partial<TechnicalIndicators> = {}, atrPercentile: number | null = 50): TechnicalAnalysis {
  const indicators: TechnicalIndicators = {
    sma_20: 100,
    sma_50: 100,
    sma_200: 100,
    ema_12: 100,
    ema_26: 100,
    rsi_14: 50,
    macd: 0,
    macd_signal: 0,
    macd_hist: 0,
    bb_upper: 105,
    bb_middle: 100,
    bb_lower: 95,
    atr_14: 2,
    atr_pct: 2,
    vwap: 100,
    volume: 1000,
    volume_sma_20: 1000,
    volume_ratio: 1,
    high_52w: 120,
    low_52w: 80,
    returns: { '1d': 0, '5d': 0, '1m': 0, '3m': 0, ytd: 0, '1y': 0 },
    volatility_30d_annualised: 25,
    ...ind,
  };
  return {
    as_of: '2024-03-08',
    price,
    previous_close: price,
    price_change: 0,
    price_change_pct: 0,
    bars_used: 400,
    indicators,
    percentiles: {
      rsi_14: pct(50),
      atr_pct: atrPercentile === null ? null : pct(atrPercentile),
      volume_ratio: pct(50),
      price_vs_sma_20: pct(50),
      price_vs_sma_50: pct(50),
      price_vs_sma_200: pct(50),
      macd_hist: pct(50),
    },
    conventions: {} as TechnicalAnalysis['conventions'],
  };
}

function inputs(t: TechnicalAnalysis, extra: Partial<NarrativeInputs> = {}): NarrativeInputs {
  return {
    ticker: { symbol: 'TEST19', name: 'Test Corp', currency: 'USD', sector: null, type: 'stock', exchange: 'NYSE' },
    technicals: t,
    news: null,
    peers: null,
    dataSource: 'csv',
    language: 'th',
    ...extra,
  };
}

describe('semantic states and their thresholds', () => {
  it('RSI zones: <30 oversold, <40 approaching, <60 neutral, <70 approaching overbought, else overbought', () => {
    expect(rsiZone(29.99)).toBe('oversold');
    expect(rsiZone(30)).toBe('approaching_oversold');
    expect(rsiZone(39.99)).toBe('approaching_oversold');
    expect(rsiZone(40)).toBe('neutral');
    expect(rsiZone(59.99)).toBe('neutral');
    expect(rsiZone(60)).toBe('approaching_overbought');
    expect(rsiZone(69.99)).toBe('approaching_overbought');
    expect(rsiZone(70)).toBe('overbought');
    expect(rsiZone(null)).toBe('unknown');
  });

  it('trend from the ordering of price and the three averages', () => {
    expect(trendState(110, 105, 100, 90)).toBe('strong_up');
    expect(trendState(80, 85, 90, 100)).toBe('strong_down');
    // above SMA20 and SMA50, SMA20 > SMA50, but SMA50 below SMA200 and price below SMA200: 3 up, 2 down → mean 0.2
    expect(trendState(100, 98, 95, 105)).toBe('sideways');
    // above all averages, but SMA20 < SMA50: 4 up, 1 down → mean 0.6
    expect(trendState(110, 100, 102, 90)).toBe('up');
    expect(trendState(90, 100, 98, 110)).toBe('down');
    // no SMA200 yet: judged on the three remaining comparisons, never "strong"
    expect(trendState(110, 105, 100, null)).toBe('up');
    expect(trendState(110, null, 100, 90)).toBe('unknown');
  });

  it('MACD momentum is price-normalised: the same shape reads the same at 10 and at 10,000', () => {
    expect(macdMomentum(10, 0.2, 0.01)).toBe('strengthening_bullish'); // hist 0.1% of price
    expect(macdMomentum(10_000, 200, 10)).toBe('strengthening_bullish');
    expect(macdMomentum(10, 0.2, 0.001)).toBe('bullish'); // 0.01% of price: flat
    expect(macdMomentum(10_000, 200, 1)).toBe('bullish');
    expect(macdMomentum(100, 1, -0.5)).toBe('weakening');
    expect(macdMomentum(100, -1, 0.5)).toBe('weakening');
    expect(macdMomentum(100, -1, 0.01)).toBe('bearish');
    expect(macdMomentum(100, -1, -0.5)).toBe('strengthening_bearish');
    expect(macdMomentum(100, null, 0.5)).toBe('unknown');
  });

  it('volatility regime is the higher of the relative (ATR% percentile) and absolute (annualised vol) levels', () => {
    expect(volatilityRegime(10, 12, 0.8)).toBe('low');
    expect(volatilityRegime(50, 25, 2)).toBe('normal');
    expect(volatilityRegime(80, 25, 2)).toBe('high'); // unusually wild for itself
    expect(volatilityRegime(50, 45, 3)).toBe('high'); // habitually wild
    expect(volatilityRegime(96, 25, 2)).toBe('extreme');
    expect(volatilityRegime(50, 70, 5)).toBe('extreme');
    expect(volatilityRegime(null, null, 4.5)).toBe('extreme'); // ATR% fallback
    expect(volatilityRegime(null, null, null)).toBe('unknown');
  });

  it('volume, range position, news tone and peers', () => {
    expect([0.4, 0.5, 0.79, 0.8, 1.49, 1.5, 1.99, 2].map(volumeState)).toEqual([
      'very_low', 'low', 'low', 'normal', 'normal', 'high', 'high', 'surge',
    ]);
    expect(rangePosition(81, 80, 120)).toBe('near_low');
    expect(rangePosition(95, 80, 120)).toBe('lower_half');
    expect(rangePosition(105, 80, 120)).toBe('upper_half');
    expect(rangePosition(118, 80, 120)).toBe('near_high');
    expect(rangePosition(100, null, 120)).toBe('unknown');
    expect(newsTone(null)).toBe('none');
    expect(newsTone({ overall: { positive_pct: 0, neutral_pct: 0, negative_pct: 0, count: 0 }, top: [] })).toBe('none');
    expect(newsTone({ overall: { positive_pct: 50, neutral_pct: 30, negative_pct: 20, count: 10 }, top: [] })).toBe('positive');
    expect(newsTone({ overall: { positive_pct: 20, neutral_pct: 30, negative_pct: 50, count: 10 }, top: [] })).toBe('negative');
    expect(newsTone({ overall: { positive_pct: 40, neutral_pct: 25, negative_pct: 35, count: 10 }, top: [] })).toBe('mixed');
    expect(newsTone({ overall: { positive_pct: 20, neutral_pct: 70, negative_pct: 10, count: 10 }, top: [] })).toBe('neutral');
    const peers = (d: number | null): NarrativeInputs['peers'] => ({ top: [], return_1m_vs_median_pct: d, volatility_vs_median_pct: null, sector_mates: [] });
    expect(peerRelative(peers(3))).toBe('outperforming');
    expect(peerRelative(peers(2.9))).toBe('in_line');
    expect(peerRelative(peers(-3))).toBe('underperforming');
    expect(peerRelative(peers(null))).toBe('unknown');
    expect(peerRelative(null)).toBe('unknown');
  });

  it('derives every state from a constructed TechnicalAnalysis', () => {
    const t = technicals(118, {
      sma_20: 112,
      sma_50: 105,
      sma_200: 95,
      rsi_14: 72,
      macd: 3,
      macd_hist: 0.6,
      volume_ratio: 2.4,
      volatility_30d_annualised: 22,
    });
    expect(deriveSemanticStates(inputs(t, { news: POSITIVE_NEWS, peers: { top: [], return_1m_vs_median_pct: 5, volatility_vs_median_pct: 0, sector_mates: [] } }))).toEqual({
      rsi_zone: 'overbought',
      trend: 'strong_up',
      macd_momentum: 'strengthening_bullish',
      volatility_regime: 'normal',
      volume: 'surge',
      range_position: 'near_high',
      news_tone: 'positive',
      peer_relative: 'outperforming',
    } satisfies SemanticStates);
  });
});

const BULL: SemanticStates = {
  rsi_zone: 'approaching_overbought',
  trend: 'strong_up',
  macd_momentum: 'strengthening_bullish',
  volatility_regime: 'normal',
  volume: 'high',
  range_position: 'near_high',
  news_tone: 'positive',
  peer_relative: 'outperforming',
};
const BEAR: SemanticStates = {
  rsi_zone: 'approaching_oversold',
  trend: 'strong_down',
  macd_momentum: 'strengthening_bearish',
  volatility_regime: 'normal',
  volume: 'high',
  range_position: 'near_low',
  news_tone: 'negative',
  peer_relative: 'underperforming',
};

describe('decideStance', () => {
  it('all-bullish states: bullish, BUY, high confidence', () => {
    const d = decideStance(BULL);
    expect(d).toMatchObject({ stance: 'bullish', recommendation: 'BUY', confidence: 'high', agreement: 1, completeness: 1 });
    // (3·1 + 2·1 + 1·0.5 + 1·1 + 1·1 + 1·1) / 9
    expect(d.score).toBeCloseTo(8.5 / 9, 12);
    expect(d.reasons[0]).toMatch(/averages/);
    expect(d.drivers[0]!.state).toBe('trend'); // weight 3 leads
  });

  it('all-bearish states: bearish, SELL, high confidence', () => {
    const d = decideStance(BEAR);
    expect(d).toMatchObject({ stance: 'bearish', recommendation: 'SELL', confidence: 'high' });
    expect(d.score).toBeCloseTo(-8.5 / 9, 12);
  });

  it('bullish but overbought is HOLD; bearish but oversold is HOLD; the stance stays', () => {
    const hot = decideStance({ ...BULL, rsi_zone: 'overbought' });
    expect(hot).toMatchObject({ stance: 'bullish', recommendation: 'HOLD' });
    expect(hot.caveats).toContain('overbought');
    const washed = decideStance({ ...BEAR, rsi_zone: 'oversold' });
    expect(washed).toMatchObject({ stance: 'bearish', recommendation: 'HOLD' });
    expect(washed.caveats).toContain('oversold');
  });

  it('weights: the trend (3) outweighs news and peers (1 each) pulling the other way', () => {
    const d = decideStance({ ...BULL, news_tone: 'negative', peer_relative: 'underperforming', range_position: 'upper_half', rsi_zone: 'neutral' });
    // (3·1 + 2·1 + 1·0 + 1·0.5 − 1 − 1) / 9 = 0.389
    expect(d.score).toBeCloseTo(3.5 / 9, 10);
    expect(d.stance).toBe('bullish');
    expect(d.confidence).toBe('medium'); // agreement 5.5 / 7.5 < 0.8
  });

  it('flat signals are neutral / HOLD; conflicting ones are neutral with low confidence', () => {
    const flat = decideStance({
      ...BULL,
      trend: 'sideways',
      macd_momentum: 'weakening',
      rsi_zone: 'neutral',
      range_position: 'upper_half',
      news_tone: 'neutral',
      peer_relative: 'in_line',
    });
    expect(flat).toMatchObject({ stance: 'neutral', recommendation: 'HOLD', confidence: 'medium' });
    const torn = decideStance({ ...BULL, trend: 'strong_down', range_position: 'near_low', news_tone: 'positive', macd_momentum: 'strengthening_bullish' });
    expect(torn.stance).toBe('neutral');
    expect(torn.confidence).toBe('low');
    expect(torn.reasons.some((r) => r.startsWith('on the plus side'))).toBe(true);
    expect(torn.reasons.some((r) => r.startsWith('on the minus side'))).toBe(true);
  });

  it('missing data lowers confidence; a thin bullish lean becomes HOLD', () => {
    const thin: SemanticStates = {
      rsi_zone: 'unknown',
      trend: 'up',
      macd_momentum: 'unknown',
      volatility_regime: 'unknown',
      volume: 'unknown',
      range_position: 'unknown',
      news_tone: 'none',
      peer_relative: 'unknown',
    };
    const d = decideStance(thin);
    expect(d.completeness).toBe(1 / 8);
    expect(d).toMatchObject({ stance: 'bullish', confidence: 'low', recommendation: 'HOLD' });
    expect(d.caveats).toContain('low_confidence');
  });

  it('extreme volatility blocks high confidence and is named as a caveat', () => {
    const d = decideStance({ ...BULL, volatility_regime: 'extreme' });
    expect(d.confidence).toBe('medium');
    expect(d.recommendation).toBe('BUY');
    expect(d.caveats).toContain('extreme_volatility');
  });
});

describe('stance on real histories', () => {
  it('NVDA into 2024-03-08 (strong uptrend) is bullish; NVDA into 2022-10-14 (downtrend) is bearish', () => {
    const up = inputsFor({ symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2024-03-08'), news: POSITIVE_NEWS });
    const down = inputsFor({ symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2022-10-14'), news: NEGATIVE_NEWS });
    const su = deriveSemanticStates(up);
    const sd = deriveSemanticStates(down);
    expect(su.trend).toBe('strong_up');
    expect(sd.trend).toBe('strong_down');
    const du = decideStance(su);
    const dd = decideStance(sd);
    expect(du.stance).toBe('bullish');
    expect(dd.stance).toBe('bearish');
    expect(du.recommendation).not.toBe(dd.recommendation);
    expect(du.score).toBeGreaterThan(0.5);
    expect(dd.score).toBeLessThan(-0.5);
  });

  it('the stance does not depend on the news when price signals are this clear', () => {
    const bars = fixtureBars('NVDA', '2022-10-14');
    const a = decideStance(deriveSemanticStates(inputsFor({ symbol: 'X', name: 'X', bars, news: POSITIVE_NEWS })));
    const b = decideStance(deriveSemanticStates(inputsFor({ symbol: 'X', name: 'X', bars, news: null })));
    expect(a.stance).toBe('bearish');
    expect(b.stance).toBe('bearish');
  });
});
