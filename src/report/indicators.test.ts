import {
  ATR,
  BollingerBands,
  EMA,
  MACD,
  RSI,
  SMA,
  TR,
  WSMA,
} from 'trading-signals';
import { describe, expect, it } from 'vitest';
import type { DailyBar } from './daily-bar.js';
import {
  loadFixtureBars,
  refAtr,
  refBollinger,
  refEma,
  refMacd,
  refRsi,
  refSma,
  refVwap,
  type RefSeries,
} from './indicator-reference.test-support.js';
import { computeIndicatorSeries, INDICATOR_CONVENTIONS, type IndicatorSeries } from './indicators.js';

const REL_TOL = 1e-9;
const TICKERS = ['NVDA', 'D05.SI', '0700.HK', '7974.T'] as const;

/**
 * Compares every bar: where the reference is undefined ours must be NaN (same warm-up), elsewhere the relative
 * error must be <= 1e-9. Returns how many defined values were compared, so callers can assert real coverage.
 */
function compareSeries(label: string, actual: Float64Array, expected: RefSeries, fromIndex = 0): number {
  expect(actual.length, label).toBe(expected.length);
  const mismatches: string[] = [];
  let compared = 0;
  for (let i = fromIndex; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i]!;
    if (e === null || e === undefined) {
      if (!Number.isNaN(a)) mismatches.push(`${label}[${i}]: expected no value, got ${a}`);
      continue;
    }
    compared++;
    if (!(Math.abs(a - e) <= REL_TOL * Math.abs(e))) mismatches.push(`${label}[${i}]: ${a} vs reference ${e}`);
  }
  expect(mismatches.slice(0, 5), label).toEqual([]);
  return compared;
}

function firstFinite(series: Float64Array): number {
  return series.findIndex((x) => Number.isFinite(x));
}

function bar(date: string, close: number, high = close, low = close, volume = 1000): DailyBar {
  return { date, open: close, high, low, close, volume };
}

/** Synthetic bars on consecutive made-up dates (the indicators never look at dates). */
function barsFromCloses(closes: number[], spread = 0, volume = 1000): DailyBar[] {
  return closes.map((c, i) => bar(`D${String(i).padStart(5, '0')}`, c, c + spread, c - spread, volume));
}

describe('computeIndicatorSeries vs the naive reference on real market data', () => {
  describe.each(TICKERS)('%s (last 600 bars)', (symbol) => {
    const bars = loadFixtureBars(symbol, 600);
    const closes = bars.map((b) => b.close);
    const s = computeIndicatorSeries(bars);

    it('loads enough real bars', () => {
      expect(bars.length).toBeGreaterThanOrEqual(500);
    });

    it('RSI 14 matches at every bar', () => {
      expect(compareSeries('rsi14', s.rsi14, refRsi(closes))).toBeGreaterThanOrEqual(300);
    });

    it('MACD, signal and histogram match at every bar', () => {
      const ref = refMacd(closes);
      expect(compareSeries('macd', s.macd, ref.macd)).toBeGreaterThanOrEqual(300);
      expect(compareSeries('macdSignal', s.macdSignal, ref.signal)).toBeGreaterThanOrEqual(300);
      expect(compareSeries('macdHist', s.macdHist, ref.hist)).toBeGreaterThanOrEqual(300);
    });

    it('Bollinger 20/2 matches at every bar', () => {
      const ref = refBollinger(closes);
      expect(compareSeries('bbUpper', s.bbUpper, ref.upper)).toBeGreaterThanOrEqual(300);
      expect(compareSeries('bbMiddle', s.bbMiddle, ref.middle)).toBeGreaterThanOrEqual(300);
      expect(compareSeries('bbLower', s.bbLower, ref.lower)).toBeGreaterThanOrEqual(300);
    });

    it('ATR 14 and ATR% match at every bar', () => {
      const ref = refAtr(bars);
      expect(compareSeries('atr14', s.atr14, ref)).toBeGreaterThanOrEqual(300);
      const refPct = ref.map((a, i) => (a === null ? null : (a / closes[i]!) * 100));
      expect(compareSeries('atrPct', s.atrPct, refPct)).toBeGreaterThanOrEqual(300);
    });

    it('SMA 20/50/200 and EMA 12/26 match at every bar', () => {
      expect(compareSeries('sma20', s.sma20, refSma(closes, 20))).toBeGreaterThanOrEqual(300);
      expect(compareSeries('sma50', s.sma50, refSma(closes, 50))).toBeGreaterThanOrEqual(300);
      expect(compareSeries('sma200', s.sma200, refSma(closes, 200))).toBeGreaterThanOrEqual(300);
      expect(compareSeries('ema12', s.ema12, refEma(closes, 12))).toBeGreaterThanOrEqual(300);
      expect(compareSeries('ema26', s.ema26, refEma(closes, 26))).toBeGreaterThanOrEqual(300);
    });

    it('VWAP 20, volume SMA 20 and volume ratio match at every bar', () => {
      expect(compareSeries('vwap20', s.vwap20, refVwap(bars))).toBeGreaterThanOrEqual(300);
      const volumes = bars.map((b) => b.volume);
      const volSma = refSma(volumes, 20);
      expect(compareSeries('volumeSma20', s.volumeSma20, volSma)).toBeGreaterThanOrEqual(300);
      const ratio = volSma.map((m, i) => (m === null || m === 0 ? null : volumes[i]! / m));
      expect(compareSeries('volumeRatio', s.volumeRatio, ratio)).toBeGreaterThanOrEqual(300);
    });
  });
});

/**
 * Second, independent oracle. Conventions read from node_modules/trading-signals/dist/index.mjs (v7):
 * - RSI(14): gains/losses fed to WSMA(14) = SMA seed of the first 14, then prev + (x - prev)/14; 100 when avg loss
 *   is 0. Identical to ours, so compared exactly from bar 14.
 * - SMA: plain window mean. Identical.
 * - BollingerBands(20, 2): population std (getStandardDeviation divides by n). Identical values, but it only
 *   reports once a 21st price pushes one out (`if (pushUpdate(...))`), so its first value is at bar 20, not 19.
 * - ATR(14): its TR counts the FIRST bar as H-L and seeds on that, so its ATR starts at bar 13 and differs from
 *   ours (TR from the second bar). Not forced: we rebuild our convention from its own TR + WSMA primitives
 *   (dropping the first TR) and compare exactly; its stock ATR is only checked to converge.
 * - EMA / MACD: its EMA seeds with the FIRST PRICE, not an SMA, so early values differ by design. The seed's
 *   influence decays as (1 - alpha)^k, below 1e-12 after ~360 bars for EMA26, so only the last 150 of 600 bars
 *   are compared.
 * - VWAP: cumulative since the first bar (session-style), not a 20-bar rolling window: not comparable.
 */
describe('computeIndicatorSeries vs trading-signals on real market data', () => {
  describe.each(TICKERS)('%s (last 600 bars)', (symbol) => {
    const bars = loadFixtureBars(symbol, 600);
    const closes = bars.map((b) => b.close);
    const s = computeIndicatorSeries(bars);

    it('RSI 14 equals trading-signals RSI(14) at every bar', () => {
      const rsi = new RSI(14);
      const theirs = closes.map((c) => rsi.add(c));
      expect(theirs.findIndex((x) => x !== null)).toBe(14);
      expect(compareSeries('rsi14', s.rsi14, theirs)).toBe(closes.length - 14);
    });

    it('SMA 20/50/200 equal trading-signals SMA', () => {
      for (const [period, ours] of [
        [20, s.sma20],
        [50, s.sma50],
        [200, s.sma200],
      ] as const) {
        const sma = new SMA(period);
        const theirs = closes.map((c) => sma.add(c));
        expect(compareSeries(`sma${period}`, ours, theirs)).toBe(closes.length - period + 1);
      }
    });

    it('Bollinger 20/2 equals trading-signals BollingerBands(20, 2) from bar 20', () => {
      const bb = new BollingerBands(20, 2);
      const theirs = closes.map((c) => bb.add(c));
      expect(theirs[19]).toBeNull();
      const pick = (k: 'upper' | 'middle' | 'lower') => theirs.map((r) => (r === null ? null : r[k]));
      expect(compareSeries('bbUpper', s.bbUpper, pick('upper'), 20)).toBe(closes.length - 20);
      expect(compareSeries('bbMiddle', s.bbMiddle, pick('middle'), 20)).toBe(closes.length - 20);
      expect(compareSeries('bbLower', s.bbLower, pick('lower'), 20)).toBe(closes.length - 20);
    });

    it('ATR 14 equals Wilder smoothing (trading-signals WSMA) of trading-signals TR from the second bar', () => {
      const tr = new TR();
      const wsma = new WSMA(14);
      const theirs: RefSeries = bars.map((b, i) => {
        const range = tr.update(b, false);
        return i === 0 ? null : wsma.add(range);
      });
      expect(theirs.findIndex((x) => x !== null)).toBe(14);
      expect(compareSeries('atr14', s.atr14, theirs)).toBe(bars.length - 14);
    });

    it('trading-signals stock ATR(14) differs at the start (other seed) and converges to ours', () => {
      const atr = new ATR(14);
      const theirs = bars.map((b) => atr.add(b));
      expect(theirs[13]).not.toBeNull();
      expect(s.atr14[13]).toBeNaN();
      expect(theirs[14]).not.toBeCloseTo(s.atr14[14]!, 12);
      const tail = theirs.map((x, i) => (i < bars.length - 150 ? null : x));
      expect(compareSeries('atr14 tail', s.atr14, tail, bars.length - 150)).toBe(150);
    });

    it('EMA 12/26 and MACD 12/26/9 converge to trading-signals over the last 150 bars', () => {
      const from = bars.length - 150;
      const tail = (xs: (number | null)[]): RefSeries => xs.map((x, i) => (i < from ? null : x));
      const e12 = new EMA(12);
      const e26 = new EMA(26);
      const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
      const t12: number[] = [];
      const t26: number[] = [];
      const tm: RefSeries = [];
      const ts: RefSeries = [];
      const th: RefSeries = [];
      for (const c of closes) {
        t12.push(e12.update(c, false));
        t26.push(e26.update(c, false));
        const r = macd.add(c);
        tm.push(r?.macd ?? null);
        ts.push(r?.signal ?? null);
        th.push(r?.histogram ?? null);
      }
      expect(compareSeries('ema12', s.ema12, tail(t12), from)).toBe(150);
      expect(compareSeries('ema26', s.ema26, tail(t26), from)).toBe(150);
      expect(compareSeries('macd', s.macd, tail(tm), from)).toBe(150);
      expect(compareSeries('macdSignal', s.macdSignal, tail(ts), from)).toBe(150);
      expect(compareSeries('macdHist', s.macdHist, tail(th), from)).toBe(150);
    });
  });
});

describe('computeIndicatorSeries hand-checked cases', () => {
  it('starts each series at the documented bar', () => {
    const s = computeIndicatorSeries(barsFromCloses(Array.from({ length: 250 }, (_, i) => 100 + Math.sin(i) * 5), 1));
    const starts: Record<keyof IndicatorSeries, number> = {
      sma20: 19,
      sma50: 49,
      sma200: 199,
      ema12: 11,
      ema26: 25,
      rsi14: 14,
      macd: 25,
      macdSignal: 33,
      macdHist: 33,
      bbUpper: 19,
      bbMiddle: 19,
      bbLower: 19,
      atr14: 14,
      atrPct: 14,
      vwap20: 19,
      volumeSma20: 19,
      volumeRatio: 19,
    };
    for (const [key, start] of Object.entries(starts)) {
      const series = s[key as keyof IndicatorSeries];
      expect(series.length, key).toBe(250);
      expect(firstFinite(series), key).toBe(start);
      expect(series.slice(start).every(Number.isFinite), key).toBe(true);
    }
  });

  it('RSI of a strictly rising series is 100', () => {
    const s = computeIndicatorSeries(barsFromCloses(Array.from({ length: 60 }, (_, i) => 10 + i * 0.37)));
    for (let i = 14; i < 60; i++) expect(s.rsi14[i]).toBe(100);
  });

  it('RSI of a strictly falling series is 0', () => {
    const s = computeIndicatorSeries(barsFromCloses(Array.from({ length: 40 }, (_, i) => 100 - i)));
    for (let i = 14; i < 40; i++) expect(s.rsi14[i]).toBe(0);
  });

  it('RSI by hand: seven +1 and seven -1 changes give 50, then a +2 change gives 100*8.5/15', () => {
    const closes = [10];
    for (let k = 0; k < 14; k++) closes.push(closes[closes.length - 1]! + (k % 2 === 0 ? 1 : -1));
    closes.push(closes[closes.length - 1]! + 2);
    const s = computeIndicatorSeries(barsFromCloses(closes));
    expect(s.rsi14[13]).toBeNaN();
    expect(s.rsi14[14]).toBeCloseTo(50, 12);
    // avg gain = (0.5*13 + 2)/14 = 8.5/14, avg loss = 6.5/14 -> RSI = 100 * 8.5 / 15
    expect(s.rsi14[15]).toBeCloseTo((100 * 8.5) / 15, 12);
  });

  it('SMA-seeded EMA of a ramp lags by exactly (n-1)/2, so MACD of a ramp is 7 and its histogram 0', () => {
    // A first-value seed would not give this: the lag would only approach (n-1)/2.
    const s = computeIndicatorSeries(barsFromCloses(Array.from({ length: 80 }, (_, i) => i)));
    for (let i = 11; i < 80; i++) expect(s.ema12[i]).toBeCloseTo(i - 5.5, 9);
    for (let i = 25; i < 80; i++) expect(s.ema26[i]).toBeCloseTo(i - 12.5, 9);
    for (let i = 25; i < 80; i++) expect(s.macd[i]).toBeCloseTo(7, 9);
    for (let i = 33; i < 80; i++) {
      expect(s.macdSignal[i]).toBeCloseTo(7, 9);
      expect(s.macdHist[i]).toBeCloseTo(0, 9);
    }
  });

  it('Bollinger bands on a constant series have zero width', () => {
    const s = computeIndicatorSeries(barsFromCloses(new Array(40).fill(50)));
    for (let i = 19; i < 40; i++) {
      expect(s.bbMiddle[i]).toBe(50);
      expect(s.bbUpper[i]).toBe(50);
      expect(s.bbLower[i]).toBe(50);
    }
  });

  it('Bollinger uses the population std: closes 1..20 give mean 10.5, std sqrt(33.25)', () => {
    const s = computeIndicatorSeries(barsFromCloses(Array.from({ length: 20 }, (_, i) => i + 1)));
    // population variance of 1..20 = (20^2 - 1)/12 = 33.25 (the sample one would be 35)
    expect(s.bbMiddle[19]).toBe(10.5);
    expect(s.bbUpper[19]).toBeCloseTo(10.5 + 2 * Math.sqrt(33.25), 12);
    expect(s.bbLower[19]).toBeCloseTo(10.5 - 2 * Math.sqrt(33.25), 12);
  });

  it('ATR of a constant-range series equals the range', () => {
    const flat = computeIndicatorSeries(barsFromCloses(new Array(40).fill(100), 1));
    for (let i = 14; i < 40; i++) expect(flat.atr14[i]).toBe(2);
    // Drifting 0.1 a bar inside a +/-1 range: the gaps to the previous close (1.1, 0.9) stay inside H-L = 2.
    const drift = computeIndicatorSeries(barsFromCloses(Array.from({ length: 40 }, (_, i) => 100 + 0.1 * i), 1));
    for (let i = 14; i < 40; i++) expect(drift.atr14[i]).toBeCloseTo(2, 12);
    expect(drift.atrPct[39]).toBeCloseTo((2 / 103.9) * 100, 12);
  });

  it('ATR takes the gap to the previous close when it exceeds the day range', () => {
    // Each bar gaps up 5 from the previous close with a range of 2: TR = |H - prevC| = 6.
    const bars = Array.from({ length: 30 }, (_, i) => bar(`D${i}`, 100 + 5 * i, 101 + 5 * i, 99 + 5 * i));
    const s = computeIndicatorSeries(bars);
    for (let i = 14; i < 30; i++) expect(s.atr14[i]).toBeCloseTo(6, 12);
  });

  it('VWAP weights the typical price by volume over a rolling 20-bar window', () => {
    const bars: DailyBar[] = [];
    for (let i = 0; i < 20; i++) bars.push(bar(`D${i}`, i % 2 === 0 ? 10 : 20, undefined, undefined, i % 2 === 0 ? 100 : 300));
    // Ten at 10 x 100 and ten at 20 x 300 -> (10*1000 + 20*3000)/4000 = 17.5
    expect(computeIndicatorSeries(bars).vwap20[19]).toBeCloseTo(17.5, 12);

    // A heavy early block falls out of the window: rolling VWAP forgets it, a cumulative one would not.
    const shifted = [
      ...Array.from({ length: 5 }, (_, i) => bar(`A${i}`, 100, undefined, undefined, 1_000_000)),
      ...Array.from({ length: 20 }, (_, i) => bar(`B${i}`, 10, 12, 8, 100)),
    ];
    expect(computeIndicatorSeries(shifted).vwap20[24]).toBeCloseTo(10, 12);
  });

  it('volume SMA and ratio; zero volume gives no VWAP and no ratio rather than Infinity', () => {
    const volumes = [...new Array(19).fill(1000), 3000];
    const bars = volumes.map((v, i) => bar(`D${i}`, 10, 11, 9, v));
    const s = computeIndicatorSeries(bars);
    expect(s.volumeSma20[19]).toBe(1100);
    expect(s.volumeRatio[19]).toBeCloseTo(3000 / 1100, 12);

    const silent = computeIndicatorSeries(new Array(25).fill(0).map((_, i) => bar(`D${i}`, 10, 11, 9, 0)));
    expect(silent.volumeSma20[24]).toBe(0);
    expect(silent.volumeRatio[24]).toBeNaN();
    expect(silent.vwap20[24]).toBeNaN();
  });

  it('returns all-NaN series for short input and empty series for no input', () => {
    const short = computeIndicatorSeries(barsFromCloses([1, 2, 3]));
    for (const series of Object.values(short)) {
      expect(series.length).toBe(3);
      expect(Array.from(series as Float64Array).every(Number.isNaN)).toBe(true);
    }
    for (const series of Object.values(computeIndicatorSeries([]))) expect(series.length).toBe(0);
  });

  it('states its conventions', () => {
    expect(INDICATOR_CONVENTIONS.rsi_14).toMatch(/Wilder/);
    expect(INDICATOR_CONVENTIONS.bollinger).toMatch(/population/);
    expect(INDICATOR_CONVENTIONS.macd).toMatch(/SMA-seeded/);
    expect(INDICATOR_CONVENTIONS.atr_14).toMatch(/Wilder/);
    expect(INDICATOR_CONVENTIONS.vwap).toMatch(/20-day rolling/);
  });
});
