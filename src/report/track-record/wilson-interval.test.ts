import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  it('matches the textbook values (Wilson 1927; e.g. 8/10 → 0.490–0.943, 50/100 → 0.404–0.596)', () => {
    const [lo, hi] = wilsonInterval(8, 10)!;
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
    const [lo2, hi2] = wilsonInterval(50, 100)!;
    expect(lo2).toBeCloseTo(0.4038, 3);
    expect(hi2).toBeCloseTo(0.5962, 3);
  });

  it('stays inside [0, 1] at the edges and is null with no sample', () => {
    expect(wilsonInterval(0, 5)![0]).toBe(0);
    expect(wilsonInterval(5, 5)![1]).toBe(1);
    expect(wilsonInterval(0, 5)![1]).toBeGreaterThan(0.4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
