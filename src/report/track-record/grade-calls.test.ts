import { describe, expect, it } from 'vitest';
import { gradeCall, HOLD_BAND_PCT, hitOf, UniverseReturns } from './grade-calls.js';
import { flipRate, summarizeCalls, type GradedCall } from './summarize-track-record.js';

const dates = Array.from({ length: 30 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
function series(closes: number[]) {
  return { dates: dates.slice(0, closes.length), closes };
}
const rising = Array.from({ length: 30 }, (_, i) => 100 + i); // +1 a bar
const flat = Array.from({ length: 30 }, () => 50);
const falling = Array.from({ length: 30 }, (_, i) => 200 - 2 * i);

describe('gradeCall', () => {
  const universe = new UniverseReturns(new Map([['UP', series(rising)], ['FLAT', series(flat)], ['DOWN', series(falling)]]));

  it('measures forward returns on the ticker\'s own bars and the excess over the universe median of the same dates', () => {
    const g = gradeCall({ ticker: 'UP', as_of: '2024-01-01', recommendation: 'BUY' }, universe);
    expect(g.returns.d1).toBeCloseTo(101 / 100 - 1, 12);
    expect(g.returns.d5).toBeCloseTo(105 / 100 - 1, 12);
    expect(g.returns.d21).toBeCloseTo(121 / 100 - 1, 12);
    // The median of (UP, FLAT, DOWN) over the same span is FLAT's 0.
    expect(g.excess.d5).toBeCloseTo(0.05, 12);
    expect(g.hit).toEqual({ d1: true, d5: true, d21: true });
  });

  it('leaves a horizon null until its bar exists', () => {
    const g = gradeCall({ ticker: 'DOWN', as_of: '2024-01-20', recommendation: 'SELL' }, universe);
    expect(g.returns.d5).not.toBeNull();
    expect(g.returns.d21).toBeNull();
    expect(g.hit.d21).toBeNull();
    expect(g.hit.d5).toBe(true);
  });

  it('grades HOLD against a band of about 1% × √h', () => {
    expect(hitOf('HOLD', 0.009, 'd1')).toBe(true);
    expect(hitOf('HOLD', -0.011, 'd1')).toBe(false);
    expect(hitOf('HOLD', 0.04, 'd21')).toBe(true);
    expect(HOLD_BAND_PCT).toEqual({ d1: 1, d5: 2.2, d21: 4.6 });
    expect(hitOf('SELL', 0, 'd1')).toBe(false);
    expect(hitOf('BUY', 0, 'd1')).toBe(false);
  });
});

describe('summaries', () => {
  const call = (ticker: string, day: number, recommendation: GradedCall['recommendation'], r: number): GradedCall => ({
    ticker,
    business_date: new Date(Date.UTC(2024, 0, 1 + day)).toISOString().slice(0, 10),
    as_of: '',
    source: 'backtest',
    strategy: 'daybreak',
    recommendation,
    stance: null,
    confidence: 'high',
    close: 1,
    returns: { d1: r, d5: r, d21: null },
    excess: { d1: r / 2, d5: r / 2, d21: null },
    hit: { d1: hitOf(recommendation, r, 'd1'), d5: hitOf(recommendation, r, 'd5'), d21: null },
  });

  it('counts hits per recommendation and horizon with a Wilson interval and mean returns in percent', () => {
    const calls = [call('A', 0, 'BUY', 0.02), call('A', 1, 'BUY', -0.01), call('A', 2, 'BUY', 0.03), call('A', 3, 'SELL', -0.02)];
    const rows = summarizeCalls(calls);
    const buy1 = rows.find((r) => r.recommendation === 'BUY' && r.horizon === 1)!;
    expect(buy1.count).toBe(3);
    expect(buy1.hit_rate).toBeCloseTo(2 / 3, 12);
    expect(buy1.mean_return_pct).toBeCloseTo((2 - 1 + 3) / 3, 12);
    expect(buy1.mean_excess_pct).toBeCloseTo((2 - 1 + 3) / 6, 12);
    expect(buy1.hit_rate_ci95![0]).toBeLessThan(2 / 3);
    expect(rows.find((r) => r.recommendation === 'BUY' && r.horizon === 21)).toMatchObject({ count: 0, hit_rate: null, hit_rate_ci95: null });
  });

  it('counts changes of call per ticker per month', () => {
    // Two tickers over 56 days (~1.84 months each), three changes in all.
    const calls = [call('A', 0, 'BUY', 0), call('A', 10, 'HOLD', 0), call('A', 55, 'BUY', 0), call('B', 0, 'SELL', 0), call('B', 55, 'BUY', 0)];
    const f = flipRate(calls);
    expect(f.changes).toBe(3);
    expect(f.ticker_months).toBeCloseTo((2 * 55) / 30.4375, 9);
    expect(f.changes_per_ticker_month).toBeCloseTo(3 / ((2 * 55) / 30.4375), 9);
  });
});
