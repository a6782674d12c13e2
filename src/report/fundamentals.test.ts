import { describe, expect, it } from 'vitest';
import { buildFundamentals, earningsRisk, emptyCompanyInfo } from './fundamentals.js';
import { assessValuation, scoreValuation } from './valuation.js';

const stored = (info: Partial<ReturnType<typeof emptyCompanyInfo>>) => ({
  info: { ...emptyCompanyInfo(), currency: 'USD', ...info },
  business_date: '2026-11-27',
  source: 'yahoo',
});

describe('buildFundamentals', () => {
  it('keeps the numbers and computes the upside to the analysts’ mean target against the report’s price', () => {
    const f = buildFundamentals(stored({ pe_ratio: 40, analyst_target_mean: 220, analyst_count: 50 }), 200, 'USD');
    expect(f.pe_ratio).toBe(40);
    expect(f.analyst_upside_pct).toBeCloseTo(10, 12);
    expect(f).toMatchObject({ as_of: '2026-11-27', source: 'yahoo', analyst_count: 50, market_cap: null });
  });

  it('gives no upside when the target is quoted in another currency than the listing', () => {
    expect(buildFundamentals(stored({ analyst_target_mean: 220, currency: 'USD' }), 200, 'SGD').analyst_upside_pct).toBeNull();
  });
});

describe('earningsRisk', () => {
  it('flags an earnings date from today through 7 days ahead, not after, not past', () => {
    expect(earningsRisk('2026-12-04', '2026-12-01')).toEqual({ next_earnings_date: '2026-12-04', days_to_earnings: 3, earnings_within_7_days: true });
    expect(earningsRisk('2026-12-01', '2026-12-01').earnings_within_7_days).toBe(true);
    expect(earningsRisk('2026-12-08', '2026-12-01').earnings_within_7_days).toBe(true);
    expect(earningsRisk('2026-12-09', '2026-12-01')).toMatchObject({ days_to_earnings: 8, earnings_within_7_days: false });
    expect(earningsRisk('2026-11-20', '2026-12-01')).toMatchObject({ days_to_earnings: null, earnings_within_7_days: false });
    expect(earningsRisk(null, '2026-12-01').earnings_within_7_days).toBe(false);
  });
});

describe('assessValuation', () => {
  const own = (pe: number | null, extra = {}) => buildFundamentals(stored({ pe_ratio: pe, ...extra }), 100, 'USD');

  it('compares with the median of the sector mates that have a P/E, and labels by the stated bands', () => {
    const v = assessValuation(own(30), {
      sectorMates: [
        { ticker: 'MSFT19', pe_ratio: 35 },
        { ticker: 'ORCL19', pe_ratio: 40 },
        { ticker: 'DDOG19', pe_ratio: null },
        { ticker: 'NOW19', pe_ratio: 50 },
      ],
      correlated: [{ ticker: 'AAPL19', pe_ratio: 10 }],
    }, 'en');
    expect(v.peers_median_pe).toBe(40);
    expect(v.pe_vs_peers_median_pct).toBeCloseTo(-25, 12);
    expect(v.label).toBe('cheap');
    expect(v.peers.map((p) => p.ticker)).toEqual(['MSFT19', 'ORCL19', 'NOW19']);
    expect(v.basis).toContain('trailing P/E 30.0 is -25.0% vs the median 40.0 of 3 sector peers (MSFT19 35.0, ORCL19 40.0, NOW19 50.0)');
  });

  it('falls back to the correlated peers when fewer than two sector mates have a P/E; fair and expensive bands', () => {
    const peers = { sectorMates: [{ ticker: 'X', pe_ratio: 20 }], correlated: [{ ticker: 'A', pe_ratio: 20 }, { ticker: 'B', pe_ratio: 24 }] };
    const fair = assessValuation(own(23), peers, 'en');
    expect(fair.peers_median_pe).toBe(22);
    expect(fair.label).toBe('fair');
    expect(fair.basis).toContain('2 most correlated peers');
    expect(assessValuation(own(26.5), peers, 'en').label).toBe('expensive'); // +20.5 %
  });

  it('has no label for an ETF or a loss maker, and says why; none without peers', () => {
    const etf = assessValuation(own(null), { sectorMates: [], correlated: [] }, 'en');
    expect(etf).toMatchObject({ label: null, pe_vs_peers_median_pct: null });
    expect(etf.basis).toMatch(/no trailing P\/E/);
    expect(assessValuation(own(-5), { sectorMates: [], correlated: [] }, 'en').basis).toMatch(/not positive/);
    expect(assessValuation(own(20), { sectorMates: [], correlated: [{ ticker: 'A', pe_ratio: 20 }] }, 'en').basis).toMatch(/fewer than 2 peers/);
    expect(assessValuation(null, { sectorMates: [], correlated: [] }, 'en').basis).toMatch(/no company info/);
  });
});

describe('scoreValuation', () => {
  const peers = { sectorMates: [{ ticker: 'A', pe_ratio: 40 }, { ticker: 'B', pe_ratio: 40 }], correlated: [] };

  it('scores cheaper, growing and with upside higher, citing the numbers', () => {
    const cheap = buildFundamentals(stored({ pe_ratio: 20, forward_pe: 16, analyst_target_mean: 130, analyst_count: 12 }), 100, 'USD');
    const dear = buildFundamentals(stored({ pe_ratio: 60, forward_pe: 66, analyst_target_mean: 90 }), 100, 'USD');
    const a = scoreValuation(cheap, assessValuation(cheap, peers, 'en'), 'en');
    const b = scoreValuation(dear, assessValuation(dear, peers, 'en'), 'en');
    expect(a.category).toBe('valuation');
    expect(a.score!).toBeGreaterThan(7);
    expect(b.score!).toBeLessThan(3);
    expect(a.rationale).toContain('P/E 20.0 is -50.0% vs the peers\' median 40.0 (cheap)');
    expect(a.rationale).toContain('forward P/E 16.0 vs trailing 20.0 implies earnings +25.0%');
    expect(a.rationale).toContain("analysts' mean target 130.00 is +30.0% from the price (12 analysts)");
    expect(a.inputs.pe_vs_peers_median_pct).toBeCloseTo(-50, 12);
  });

  it('is null with the reason when nothing is available, never a constant', () => {
    const etf = buildFundamentals(stored({ dividend_yield_pct: 0.6 }), 100, 'USD');
    const s = scoreValuation(etf, assessValuation(etf, peers, 'en'), 'en');
    expect(s.score).toBeNull();
    expect(s.rationale).toMatch(/Valuation: no score.*no trailing P\/E/);
    const missing = scoreValuation(null, assessValuation(null, peers, 'en'), 'en');
    expect(missing.score).toBeNull();
    expect(missing.rationale).toMatch(/no company info/);
  });

  it('uses what is there: an upside alone still scores, and says what is missing', () => {
    const f = buildFundamentals(stored({ analyst_target_mean: 110 }), 100, 'USD');
    const s = scoreValuation(f, assessValuation(f, peers, 'en'), 'en');
    expect(s.score).toBeCloseTo(5 + 5 * Math.tanh(10 / 20), 1);
    expect(s.rationale).toMatch(/Missing: P\/E vs peers/);
  });
});
