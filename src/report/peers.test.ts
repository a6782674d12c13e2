import { describe, expect, it } from 'vitest';
import { businessDaysEnding } from './business-date.js';
import { comparePeersAcrossUniverse, type PeerUniverseMember } from './peers.js';

const DATES = businessDaysEnding('2026-11-27', 80);

/** A deterministic pseudo-random walk of daily log returns. */
function shocks(seed: number): number[] {
  let s = seed;
  return DATES.map(() => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 - 0.5) * 0.04;
  });
}

function member(ticker: string, returns: number[], sector: string | null = null, skip: Set<number> = new Set()): PeerUniverseMember {
  let close = 100;
  const closes = returns.map((r, i) => ({ date: DATES[i]!, close: (close *= Math.exp(r)) }));
  return { ticker, name: `${ticker} Corp`, sector, closes: closes.filter((_, i) => !skip.has(i)) };
}

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let c = 0;
  let vx = 0;
  let vy = 0;
  x.forEach((_, i) => {
    c += (x[i]! - mx) * (y[i]! - my);
    vx += (x[i]! - mx) ** 2;
    vy += (y[i]! - my) ** 2;
  });
  return c / Math.sqrt(vx * vy);
}

describe('comparePeersAcrossUniverse', () => {
  const a = shocks(1);
  const noise = shocks(2);
  const universe = [
    member('AAA', a, 'Banks'),
    member('BBB', a.map((r, i) => r + 0.3 * noise[i]!), 'Banks'),
    member('CCC', a.map((r) => -r), 'Software'),
    member('DDD', shocks(3), 'Banks'),
    member('EEE', a.map((r, i) => 0.5 * r + noise[i]!), null),
  ];
  const peers = comparePeersAcrossUniverse(universe);

  it('ranks peers by the correlation of daily log returns over the last 60 returns', () => {
    const aaa = peers.get('AAA')!;
    expect(aaa.top.map((p) => p.ticker)).toEqual(['BBB', 'EEE', 'DDD', 'CCC']);
    const window = (rs: number[]) => rs.slice(-60);
    expect(aaa.top[0]!.correlation).toBeCloseTo(pearson(window(a), window(a.map((r, i) => r + 0.3 * noise[i]!))), 12);
    expect(aaa.top.at(-1)!.correlation).toBeCloseTo(-1, 12);
    expect(aaa.top[0]!.overlap).toBe(60);
  });

  it('names same-sector mates and compares return and volatility with the peers’ median', () => {
    const aaa = peers.get('AAA')!;
    expect(aaa.sector_mates).toEqual(['BBB', 'DDD']);
    expect(peers.get('EEE')!.sector_mates).toEqual([]);
    const returns = aaa.top.map((p) => p.return_1m_pct!).sort((x, y) => x - y);
    expect(aaa.peers_median_return_1m_pct).toBeCloseTo(returns[1]! + (returns[2]! - returns[1]!) / 2, 12);
    expect(aaa.return_1m_vs_median_pct).toBeCloseTo(aaa.return_1m_pct! - aaa.peers_median_return_1m_pct!, 12);
    const closes = universe[0]!.closes;
    expect(aaa.return_1m_pct).toBeCloseTo((closes.at(-1)!.close / closes.at(-22)!.close - 1) * 100, 10);
    expect(aaa.volatility_vs_median_pct).toBeCloseTo((aaa.volatility_30d_pct! / aaa.peers_median_volatility_30d_pct! - 1) * 100, 10);
  });

  it('aligns members with missing days by date and skips pairs with too little overlap', () => {
    const gaps = new Set(Array.from({ length: 30 }, (_, i) => 40 + i * 2)); // 30 missing days in the window
    const withGaps = comparePeersAcrossUniverse([member('AAA', a), member('GAP', a, null, gaps), member('NEW', a, null, new Set(DATES.map((_, i) => i).slice(0, 50)))]);
    const aaa = withGaps.get('AAA')!;
    const gap = aaa.top.find((p) => p.ticker === 'GAP')!;
    expect(gap.overlap).toBeGreaterThanOrEqual(40);
    expect(gap.overlap).toBeLessThan(60);
    expect(gap.correlation).toBeGreaterThan(0.5);
    // NEW has only 29 returns: no correlation is claimed.
    expect(aaa.top.map((p) => p.ticker)).not.toContain('NEW');
  });
});
