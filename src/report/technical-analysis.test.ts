import { describe, expect, it } from 'vitest';
import type { DailyBar } from './daily-bar.js';
import { loadFixtureBars, refAtr, refBollinger, refMacd, refRsi } from './indicator-reference.test-support.js';
import {
  analyzeTechnicals,
  checkedHistory,
  decisionTechnicals,
  decisionTechnicalsAt,
  type DecisionTechnicals,
  type TechnicalAnalysis,
} from './technical-analysis.js';

/** Weekdays from `start` (inclusive), ISO dates. */
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

function barsFrom(closes: number[], start = '2023-01-02'): DailyBar[] {
  const dates = weekdays(start, closes.length);
  return closes.map((c, i) => ({ date: dates[i]!, open: c, high: c + 1, low: c - 1, close: c, volume: 1000 + i }));
}

/** Every number anywhere in the output, with its path. */
function allNumbers(value: unknown, path = '$'): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => allNumbers(v, `${path}.${k}`));
  }
  return [];
}

function expectAllFinite(result: TechnicalAnalysis): void {
  const bad = allNumbers(result).filter(([, x]) => !Number.isFinite(x));
  expect(bad).toEqual([]);
}

describe('analyzeTechnicals input checks', () => {
  it('throws a clear error on no bars', () => {
    expect(() => analyzeTechnicals([])).toThrow(/no bars/);
  });

  it('throws on bars out of date order', () => {
    const bars = barsFrom([1, 2, 3]);
    expect(() => analyzeTechnicals([bars[0]!, bars[2]!, bars[1]!])).toThrow(/ascending date order/);
  });

  it('throws on a non-finite price, naming the bar', () => {
    const bars = barsFrom([1, 2, 3]);
    bars[1] = { ...bars[1]!, close: Number.NaN };
    expect(() => analyzeTechnicals(bars)).toThrow(new RegExp(bars[1]!.date));
  });
});

describe('analyzeTechnicals with short history', () => {
  it('works from a single bar, with nulls for everything that needs history', () => {
    const r = analyzeTechnicals(barsFrom([42]));
    expect(r.as_of).toBe('2023-01-02');
    expect(r.price).toBe(42);
    expect(r.previous_close).toBeNull();
    expect(r.price_change).toBeNull();
    expect(r.price_change_pct).toBeNull();
    expect(r.bars_used).toBe(1);
    expect(r.indicators.volume).toBe(1000);
    expect(r.indicators.rsi_14).toBeNull();
    expect(r.indicators.returns['1d']).toBeNull();
    expect(Object.values(r.percentiles).every((p) => p === null)).toBe(true);
    expectAllFinite(r);
  });

  it('with 30 bars: nulls (not NaN) where history is short, values where it is enough', () => {
    const closes = Array.from({ length: 30 }, (_, i) => 100 + 3 * Math.sin(i / 2) + i * 0.2);
    const r = analyzeTechnicals(barsFrom(closes));
    const ind = r.indicators;
    expect(ind.sma_200).toBeNull();
    expect(ind.sma_50).toBeNull();
    expect(ind.macd_signal).toBeNull(); // needs 34 bars
    expect(ind.macd_hist).toBeNull();
    expect(ind.high_52w).toBeNull();
    expect(ind.low_52w).toBeNull();
    expect(ind.returns['3m']).toBeNull();
    expect(ind.returns['1y']).toBeNull();
    expect(ind.returns.ytd).toBeNull(); // history starts this year
    expect(ind.volatility_30d_annualised).toBeNull(); // needs 31 closes
    expect(typeof ind.rsi_14).toBe('number');
    expect(ind.rsi_14).toBeCloseTo(refRsi(closes).at(-1)!, 9);
    expect(typeof ind.sma_20).toBe('number');
    expect(typeof ind.macd).toBe('number');
    expect(typeof ind.atr_14).toBe('number');
    expect(typeof ind.vwap).toBe('number');
    expect(typeof ind.returns['1m']).toBe('number');
    // rsi has 16 values, fewer than the 20 a percentile needs; price vs SMA20 has 11
    expect(r.percentiles.rsi_14).toBeNull();
    expect(r.percentiles.price_vs_sma_20).toBeNull();
    expect(r.percentiles.price_vs_sma_200).toBeNull();
    expectAllFinite(r);
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/);
  });
});

describe('analyzeTechnicals returns, range and volatility', () => {
  // 300 bars, close = 100 + i: the last close is 399.
  const closes = Array.from({ length: 300 }, (_, i) => 100 + i);
  const r = analyzeTechnicals(barsFrom(closes, '2023-01-02'));

  it('computes price change against the previous close', () => {
    expect(r.price).toBe(399);
    expect(r.previous_close).toBe(398);
    expect(r.price_change).toBe(1);
    expect(r.price_change_pct).toBeCloseTo((399 / 398 - 1) * 100, 12);
    expect(r.bars_used).toBe(300);
  });

  it('computes returns against 1/5/21/63/252 bars earlier', () => {
    const ret = r.indicators.returns;
    expect(ret['1d']).toBeCloseTo((399 / 398 - 1) * 100, 12);
    expect(ret['5d']).toBeCloseTo((399 / 394 - 1) * 100, 12);
    expect(ret['1m']).toBeCloseTo((399 / 378 - 1) * 100, 12);
    expect(ret['3m']).toBeCloseTo((399 / 336 - 1) * 100, 12);
    expect(ret['1y']).toBeCloseTo((399 / 147 - 1) * 100, 12);
  });

  it('has no 1y return with exactly 252 bars (needs a close 252 bars earlier)', () => {
    const short = analyzeTechnicals(barsFrom(closes.slice(0, 252)));
    expect(short.indicators.returns['1y']).toBeNull();
    expect(analyzeTechnicals(barsFrom(closes.slice(0, 253))).indicators.returns['1y']).toBeCloseTo((352 / 100 - 1) * 100, 12);
  });

  it('computes ytd against the last close of the previous calendar year', () => {
    // 300 weekdays from 2023-01-02 end in 2024-02-23; the last 2023 weekday is Fri 2023-12-29.
    const bars = barsFrom(closes, '2023-01-02');
    expect(r.as_of).toBe('2024-02-23');
    const lastOf2023 = bars.filter((b) => b.date.startsWith('2023')).at(-1)!;
    expect(lastOf2023.date).toBe('2023-12-29');
    expect(r.indicators.returns.ytd).toBeCloseTo((399 / lastOf2023.close - 1) * 100, 12);
  });

  it('ytd by hand, and null when the prior bar is not from the previous year', () => {
    const bars: DailyBar[] = [
      { date: '2023-12-28', open: 48, high: 49, low: 47, close: 48, volume: 1 },
      { date: '2023-12-29', open: 50, high: 51, low: 49, close: 50, volume: 1 },
      { date: '2024-01-02', open: 52, high: 53, low: 51, close: 52, volume: 1 },
      { date: '2024-01-03', open: 55, high: 56, low: 54, close: 55, volume: 1 },
    ];
    expect(analyzeTechnicals(bars).indicators.returns.ytd).toBeCloseTo(10, 12);
    const gap = [{ ...bars[0]!, date: '2022-12-30' }, bars[2]!, bars[3]!];
    expect(analyzeTechnicals(gap).indicators.returns.ytd).toBeNull();
  });

  it('takes the 52-week high/low over the last 252 bars only', () => {
    const bars = barsFrom(closes);
    bars[10] = { ...bars[10]!, high: 10_000, low: 1 }; // outside the last 252 bars
    bars[100] = { ...bars[100]!, high: 5_000 }; // inside
    bars[200] = { ...bars[200]!, low: 50 }; // inside
    const x = analyzeTechnicals(bars);
    expect(x.indicators.high_52w).toBe(5_000);
    expect(x.indicators.low_52w).toBe(50);
  });

  it('annualises the sample std of the last 30 log returns', () => {
    // Log returns alternate +2% / -2%: mean 0, sample variance = 30 * 0.02^2 / 29.
    const prices = [100];
    for (let k = 0; k < 40; k++) prices.push(prices.at(-1)! * Math.exp(k % 2 === 0 ? 0.02 : -0.02));
    const v = analyzeTechnicals(barsFrom(prices)).indicators.volatility_30d_annualised;
    expect(v).toBeCloseTo(Math.sqrt((30 * 0.02 ** 2) / 29) * Math.sqrt(252) * 100, 9);
    // Exactly 31 closes is enough; 30 is not.
    expect(analyzeTechnicals(barsFrom(prices.slice(0, 31))).indicators.volatility_30d_annualised).toBeCloseTo(v!, 9);
    expect(analyzeTechnicals(barsFrom(prices.slice(0, 30))).indicators.volatility_30d_annualised).toBeNull();
  });

  it('gives RSI 100 for a steady rise', () => {
    expect(r.indicators.rsi_14).toBe(100);
    expectAllFinite(r);
  });
});

describe('analyzeTechnicals on real market data', () => {
  it.each(['NVDA', 'D05.SI', '0700.HK', '7974.T'])('%s: latest values agree with the reference; all finite', (symbol) => {
    const bars = loadFixtureBars(symbol, 600);
    const closes = bars.map((b) => b.close);
    const r = analyzeTechnicals(bars);
    const last = bars.at(-1)!;
    expect(r.as_of).toBe(last.date);
    expect(r.price).toBe(last.close);
    expect(r.bars_used).toBe(bars.length);

    const rel = (a: number | null, b: number | null | undefined) => {
      expect(a).not.toBeNull();
      expect(Math.abs(a! - b!)).toBeLessThanOrEqual(1e-9 * Math.abs(b!));
    };
    rel(r.indicators.rsi_14, refRsi(closes).at(-1));
    const macd = refMacd(closes);
    rel(r.indicators.macd, macd.macd.at(-1));
    rel(r.indicators.macd_signal, macd.signal.at(-1));
    rel(r.indicators.macd_hist, macd.hist.at(-1));
    const bb = refBollinger(closes);
    rel(r.indicators.bb_upper, bb.upper.at(-1));
    rel(r.indicators.bb_lower, bb.lower.at(-1));
    rel(r.indicators.atr_14, refAtr(bars).at(-1));
    expect(r.indicators.high_52w).toBe(Math.max(...bars.slice(-252).map((b) => b.high)));
    expect(r.indicators.low_52w).toBe(Math.min(...bars.slice(-252).map((b) => b.low)));
    expect(r.indicators.returns['1y']).toBeCloseTo((last.close / bars.at(-253)!.close - 1) * 100, 9);

    for (const [key, p] of Object.entries(r.percentiles)) {
      expect(p, key).not.toBeNull();
      expect(p!.lookback_bars).toBe(252);
      expect(p!.sample_size, key).toBe(252);
      expect(p!.percentile).toBeGreaterThan(0);
      expect(p!.percentile).toBeLessThanOrEqual(100);
      expect(p!.min).toBeLessThanOrEqual(p!.value);
      expect(p!.max).toBeGreaterThanOrEqual(p!.value);
    }
    expect(r.percentiles.rsi_14!.value).toBe(r.indicators.rsi_14);
    expect(r.percentiles.price_vs_sma_20!.value).toBeCloseTo((last.close / r.indicators.sma_20! - 1) * 100, 9);
    expectAllFinite(r);
  });

  it('0700.HK holiday bars with zero volume stay finite and a custom lookback is honoured', () => {
    const bars = loadFixtureBars('0700.HK', 600);
    expect(bars.some((b) => b.volume === 0)).toBe(true);
    const r = analyzeTechnicals(bars, { lookbackBars: 100 });
    expect(r.percentiles.atr_pct!.sample_size).toBe(100);
    expect(r.percentiles.atr_pct!.lookback_bars).toBe(100);
    expect(r.conventions.percentiles).toMatch(/last 100 /);
    expectAllFinite(r);
  });

  it('carries its conventions', () => {
    const r = analyzeTechnicals(loadFixtureBars('NVDA', 300));
    expect(r.conventions.rsi_14).toMatch(/Wilder/);
    expect(r.conventions.bollinger).toMatch(/population/);
    expect(r.conventions.macd).toMatch(/SMA-seeded/);
    expect(r.conventions.atr_14).toMatch(/Wilder/);
    expect(r.conventions.vwap).toMatch(/20-day rolling/);
    expect(r.conventions.percentiles).toMatch(/252/);
    expect(r.conventions.returns).toMatch(/previous calendar year/);
    expect(r.conventions.volatility_30d_annualised).toMatch(/sqrt\(252\)/);
  });
});

describe('decisionTechnicals (what a replayed call reads)', () => {
  /** The fields of a full analysis that `decisionTechnicals` gives, picked from `analyzeTechnicals`. */
  function decisionPartOf(r: TechnicalAnalysis): DecisionTechnicals {
    const i = r.indicators;
    return {
      as_of: r.as_of,
      price: r.price,
      indicators: {
        sma_20: i.sma_20,
        sma_50: i.sma_50,
        sma_200: i.sma_200,
        rsi_14: i.rsi_14,
        macd: i.macd,
        macd_hist: i.macd_hist,
        atr_pct: i.atr_pct,
        volume_ratio: i.volume_ratio,
        high_52w: i.high_52w,
        low_52w: i.low_52w,
        volatility_30d_annualised: i.volatility_30d_annualised,
      },
      percentiles: { atr_pct: r.percentiles.atr_pct },
    };
  }

  // Windows ending on every bar while the history grows through every warm-up (14, 19, 25, 33, 200, 252 bars), then
  // sliding 600-bar windows like a replay's, both as a copy and as a view of the whole history: equal to the last
  // bit (toEqual compares numbers with Object.is).
  it.each(['NVDA', '0700.HK', '7974.T', 'D05.SI'])('%s: equals the full analysis exactly, window by window', (symbol) => {
    const bars = loadFixtureBars(symbol, 1_000);
    const history = checkedHistory(bars);
    let compared = 0;
    for (let end = 1; end <= bars.length; end += end <= 300 ? 1 : 7) {
      const start = Math.max(0, end - 600);
      const window = bars.slice(start, end);
      const expected = decisionPartOf(analyzeTechnicals(window));
      expect(decisionTechnicals(window), `${symbol} to ${window.at(-1)!.date}`).toEqual(expected);
      expect(decisionTechnicalsAt(history, start, end), `${symbol} view to ${window.at(-1)!.date}`).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('equals it on a flat, volume-less stretch and with a custom lookback', () => {
    const flat = barsFrom([...Array.from({ length: 260 }, (_, i) => 100 + Math.sin(i)), ...Array(40).fill(101.25)]).map((b, i) =>
      i >= 260 ? { ...b, high: b.close, low: b.close, volume: 0 } : b,
    );
    const r = analyzeTechnicals(flat, { lookbackBars: 100 });
    expect(r.indicators.volume_ratio).toBeNull();
    expect(decisionTechnicals(flat, { lookbackBars: 100 })).toEqual(decisionPartOf(r));
  });

  it('refuses bad bars as the full analysis does', () => {
    expect(() => decisionTechnicals([])).toThrow(/no bars/);
    const bars = barsFrom([1, 2, 3]);
    expect(() => decisionTechnicals([bars[1]!, bars[0]!])).toThrow(/ascending/);
    expect(() => decisionTechnicals([{ ...bars[0]!, close: Number.NaN }])).toThrow(/non-finite/);
  });
});
