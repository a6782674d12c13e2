import { describe, expect, it } from 'vitest';
import { DEFAULT_LOOKBACK_BARS, describeAgainstHistory, percentileRank } from './percentiles.js';

describe('percentileRank', () => {
  it('is the share of values <= the value, in percent', () => {
    const history = [1, 2, 3, 4, 5];
    expect(percentileRank(history, 3)).toBe(60);
    expect(percentileRank(history, 0)).toBe(0);
    expect(percentileRank(history, 5)).toBe(100);
    expect(percentileRank(history, 99)).toBe(100);
    expect(percentileRank(history, 2.5)).toBe(40);
  });

  it('counts ties as at-or-below', () => {
    expect(percentileRank([1, 2, 2, 2, 3], 2)).toBe(80);
  });

  it('ignores non-finite history and works on typed arrays', () => {
    const history = new Float64Array([Number.NaN, 10, Number.POSITIVE_INFINITY, 20, Number.NaN, 30, 40]);
    expect(percentileRank(history, 25)).toBe(50);
  });

  it('is NaN when there is no finite history', () => {
    expect(percentileRank([], 1)).toBeNaN();
    expect(percentileRank([Number.NaN], 1)).toBeNaN();
  });
});

describe('describeAgainstHistory', () => {
  const warmup = new Array<number>(10).fill(Number.NaN);

  it('describes the last value against all finite values when there are fewer than the lookback', () => {
    const series = [...warmup, ...Array.from({ length: 30 }, (_, i) => i + 1)]; // NaN x10, then 1..30
    expect(describeAgainstHistory(series)).toEqual({
      value: 30,
      percentile: 100,
      lookback_bars: 252,
      sample_size: 30,
      mean: 15.5,
      min: 1,
      max: 30,
    });
  });

  it('uses only the last lookbackBars finite values, the current one included', () => {
    const series = [...warmup, ...Array.from({ length: 30 }, (_, i) => i + 1)];
    expect(describeAgainstHistory(series, { lookbackBars: 20 })).toEqual({
      value: 30,
      percentile: 100,
      lookback_bars: 20,
      sample_size: 20,
      mean: 20.5,
      min: 11,
      max: 30,
    });
  });

  it('skips gaps inside the window when counting the last finite values', () => {
    // 25 values with NaNs sprinkled in; the last 20 finite ones are 6..25.
    const series: number[] = [];
    for (let v = 1; v <= 25; v++) {
      series.push(v);
      if (v % 7 === 0) series.push(Number.NaN);
    }
    series.push(0); // current value: the lowest
    const d = describeAgainstHistory(series, { lookbackBars: 20 });
    expect(d).not.toBeNull();
    expect(d!.sample_size).toBe(20);
    expect(d!.value).toBe(0);
    expect(d!.min).toBe(0);
    expect(d!.max).toBe(25);
    expect(d!.percentile).toBe(5); // only itself is <= 0: 1/20
    expect(d!.mean).toBeCloseTo((7 + 25) * 19 / 2 / 20, 12); // 7..25 plus the 0
  });

  it('defaults to 252 bars', () => {
    const series = Array.from({ length: 400 }, (_, i) => i);
    const d = describeAgainstHistory(series)!;
    expect(DEFAULT_LOOKBACK_BARS).toBe(252);
    expect(d.lookback_bars).toBe(252);
    expect(d.sample_size).toBe(252);
    expect(d.min).toBe(148);
    expect(d.max).toBe(399);
  });

  it('places a middling value at its rank', () => {
    const series = [...Array.from({ length: 39 }, (_, i) => i + 1), 10]; // 1..39 then 10
    const d = describeAgainstHistory(series)!;
    // values <= 10: 1..10 and the current 10 -> 11 of 40
    expect(d.percentile).toBe(27.5);
    expect(d.sample_size).toBe(40);
  });

  it('is null with fewer than 20 finite values', () => {
    expect(describeAgainstHistory([...warmup, ...Array.from({ length: 19 }, (_, i) => i)])).toBeNull();
    expect(describeAgainstHistory(Array.from({ length: 20 }, (_, i) => i))).not.toBeNull();
    expect(describeAgainstHistory([])).toBeNull();
  });

  it('is null when the current value is missing, rather than describing a stale one', () => {
    expect(describeAgainstHistory([...Array.from({ length: 50 }, (_, i) => i), Number.NaN])).toBeNull();
  });

  it('rejects a lookback that is not a positive integer', () => {
    const series = Array.from({ length: 50 }, (_, i) => i);
    expect(() => describeAgainstHistory(series, { lookbackBars: 0 })).toThrow(/positive integer/);
    expect(() => describeAgainstHistory(series, { lookbackBars: 2.5 })).toThrow(/positive integer/);
  });
});
