import { describe, expect, it } from 'vitest';
import type { Report } from '../report/report.js';
import { digestFundamentalsOf, fundamentalsLine, fundamentalsRows } from './digest-fundamentals.js';

/** The parts of a report the block reads (a whole report is built by the pipeline's tests). */
const reportWith = (over: Partial<Pick<Report, 'fundamentals' | 'valuation' | 'fx' | 'currency'>>): Report =>
  ({
    currency: 'JPY',
    valuation: { pe_ratio: 18.04, peers_median_pe: 14.5, peers: [], pe_vs_peers_median_pct: 24.4, label: 'expensive', basis: '…', analyst_upside_pct: null },
    fundamentals: { market_cap: 1.21e13, pe_ratio: 18.04, dividend_yield_pct: 1.456, currency: 'JPY' },
    fx: { pair: 'JPYTHB=X', base_currency: 'JPY', return_1m_thb_pct: -4.25, return_1m_local_pct: 1.05 },
    ...over,
  }) as unknown as Report;

describe('the valuation and THB block of a digest item and a chat card', () => {
  it('words the report’s numbers in English and Thai, verdict included', () => {
    const block = digestFundamentalsOf(reportWith({}));
    expect(fundamentalsLine(block, 'en')).toBe('P/E 18.0 · expensive vs peers (+24.4%) | Dividend yield 1.46% | Market cap 12.1T JPY | 1 month in THB -4.3% (+1.1% in JPY)');
    expect(fundamentalsRows(block, 'th').map((r) => `${r.label}: ${r.value}`)).toEqual([
      'P/E: 18.0 · แพงกว่ากลุ่ม (+24.4%)',
      'อัตราปันผล: 1.46%',
      'มูลค่าตลาด: 12.1 ล้านล้าน เยน',
      '1 เดือน คิดเป็นบาท: -4.3% (สกุลเยน +1.1%)',
    ]);
  });

  it('leaves out what the report does not have, and says nothing for a report made before fundamentals', () => {
    const etf = digestFundamentalsOf(
      reportWith({
        valuation: { pe_ratio: null, peers_median_pe: null, peers: [], pe_vs_peers_median_pct: null, label: null, basis: 'no P/E', analyst_upside_pct: null },
        fundamentals: { market_cap: null, pe_ratio: null, dividend_yield_pct: null, currency: 'USD' } as Report['fundamentals'],
        fx: null,
        currency: 'USD',
      }),
    );
    expect(etf).toBeNull();
    const noVerdict = digestFundamentalsOf(
      reportWith({ valuation: { pe_ratio: 9.5, peers_median_pe: null, peers: [], pe_vs_peers_median_pct: null, label: null, basis: 'too few peers', analyst_upside_pct: null } }),
    );
    expect(fundamentalsRows(noVerdict, 'en')[0]).toEqual({ key: 'pe_ratio', label: 'P/E', value: '9.5' });
    const old = { currency: 'USD' } as unknown as Report;
    expect(digestFundamentalsOf(old)).toBeNull();
    expect(fundamentalsLine(null, 'th')).toBeNull();
  });
});
