import type { TechnicalAnalysis } from './technical-analysis.js';

export interface TechnicalMetric {
  name: string;
  value: number | null;
  /** Against the metric's own history (see `percentiles`); null when there is not enough of it. */
  percentile: number | null;
  category: 'momentum' | 'trend' | 'volatility' | 'liquidity';
  status: 'bullish' | 'bearish' | 'neutral' | 'elevated_risk';
  explanation: string;
}

/**
 * The key readings as a list for display. Percentiles come from the computed `percentiles` (the reference looked
 * them up under keys that did not exist, so every one showed 50).
 */
export function technicalMetrics(t: TechnicalAnalysis): TechnicalMetric[] {
  const { indicators: i, percentiles: p } = t;
  const vsSma = (sma: number | null) => (sma === null ? null : (t.price / sma - 1) * 100);
  const trendStatus = (gap: number | null): TechnicalMetric['status'] =>
    gap === null ? 'neutral' : gap > 1 ? 'bullish' : gap < -1 ? 'bearish' : 'neutral';
  const metrics: TechnicalMetric[] = [
    {
      name: 'RSI (14)',
      value: i.rsi_14,
      percentile: p.rsi_14?.percentile ?? null,
      category: 'momentum',
      status: i.rsi_14 === null ? 'neutral' : i.rsi_14 >= 70 ? 'elevated_risk' : i.rsi_14 <= 30 ? 'elevated_risk' : i.rsi_14 >= 55 ? 'bullish' : i.rsi_14 <= 45 ? 'bearish' : 'neutral',
      explanation: 'Wilder RSI: above 70 overbought, below 30 oversold.',
    },
    {
      name: 'MACD histogram',
      value: i.macd_hist,
      percentile: p.macd_hist?.percentile ?? null,
      category: 'momentum',
      status: i.macd_hist === null ? 'neutral' : i.macd_hist > 0 ? 'bullish' : i.macd_hist < 0 ? 'bearish' : 'neutral',
      explanation: 'MACD minus its signal line: positive when momentum is rising.',
    },
  ];
  for (const [n, sma, pct] of [
    [20, i.sma_20, p.price_vs_sma_20],
    [50, i.sma_50, p.price_vs_sma_50],
    [200, i.sma_200, p.price_vs_sma_200],
  ] as const) {
    const gap = vsSma(sma);
    metrics.push({
      name: `Price vs SMA ${n} (%)`,
      value: gap,
      percentile: pct?.percentile ?? null,
      category: 'trend',
      status: trendStatus(gap),
      explanation: `How far the close is above (+) or below (−) its ${n}-day average.`,
    });
  }
  metrics.push(
    {
      name: 'ATR (% of price)',
      value: i.atr_pct,
      percentile: p.atr_pct?.percentile ?? null,
      category: 'volatility',
      status: (p.atr_pct?.percentile ?? 0) >= 80 ? 'elevated_risk' : 'neutral',
      explanation: 'Average true range (Wilder, 14 days) as a share of the price: the typical daily swing.',
    },
    {
      name: 'Volume ratio (x)',
      value: i.volume_ratio,
      percentile: p.volume_ratio?.percentile ?? null,
      category: 'liquidity',
      status: i.volume_ratio === null ? 'neutral' : i.volume_ratio >= 1.5 ? (t.price_change_pct ?? 0) >= 0 ? 'bullish' : 'bearish' : 'neutral',
      explanation: "Today's volume against its 20-day average; heavy volume confirms the day's move.",
    },
  );
  return metrics;
}
