import { describe, expect, it } from 'vitest';
import { type BriefReport, computeMorningBrief } from './morning-brief.js';

const r = (ticker: string, exchange: string, pct: number | null, recommendation: BriefReport['recommendation'] = 'HOLD'): BriefReport => ({
  ticker,
  exchange,
  price_change_pct: pct,
  recommendation,
  data_source: 'yahoo',
});

const reports = [
  r('NVDA19', 'NASDAQ', 2.5, 'BUY'),
  r('AAPL19', 'NASDAQ', -1.25),
  r('BRK19', 'NYSE', 0.5, 'BUY'),
  r('DBS19', 'SGX', -3.125, 'SELL'),
  r('UOB19', 'SGX', 1),
  r('TENCENT19', 'HKEX', 0),
  r('NEW19', 'HKEX', null),
];
const meta = { business_date: '2026-11-28', execution_id: 'precompute-20261128-050000' };

describe('computeMorningBrief', () => {
  it('counts breadth and calls, ranks best and worst, and groups by market', () => {
    const brief = computeMorningBrief(reports, { ...meta, language: 'en' });
    expect(brief).toMatchObject({ total: 7, advancers: 3, decliners: 2, unchanged: 2, calls: { BUY: 2, HOLD: 4, SELL: 1 }, data_source: 'yahoo' });
    expect(brief.best).toEqual([
      { ticker: 'NVDA19', price_change_pct: 2.5 },
      { ticker: 'UOB19', price_change_pct: 1 },
      { ticker: 'BRK19', price_change_pct: 0.5 },
    ]);
    expect(brief.worst.map((w) => w.ticker)).toEqual(['DBS19', 'AAPL19', 'TENCENT19']);
    expect(brief.worst[0]!.price_change_pct).toBe(-3.12);
    expect(brief.by_market).toEqual([
      { market: 'US', count: 3, median_change_pct: 0.5, advancers: 2, decliners: 1 },
      { market: 'HK', count: 2, median_change_pct: 0, advancers: 0, decliners: 0 },
      { market: 'SG', count: 2, median_change_pct: -1.06, advancers: 1, decliners: 1 },
    ]);
  });

  it('writes the narrative with the numbers injected by code, in English and Thai', () => {
    const en = computeMorningBrief(reports, { ...meta, language: 'en' }).narrative;
    expect(en).toContain('**A mixed night, leaning up.** 3 of 7 underlyings rose and 2 fell.');
    expect(en).toContain('Best: NVDA19 (+2.50%); worst: DBS19 (-3.12%).');
    expect(en).toContain('Median change by market: the US +0.50%, Hong Kong 0.00%, Singapore -1.06%.');
    expect(en).toContain("Today's calls: 2 BUY, 4 HOLD, 1 SELL.");
    expect(en).not.toMatch(/\{[A-Z_0-9]+\}/);
    const th = computeMorningBrief(reports, { ...meta, language: 'th' }).narrative;
    expect(th).toContain('หุ้นอ้างอิง 3 ตัวจาก 7 ตัวปรับขึ้น และ 2 ตัวปรับลง');
    expect(th).toContain('สหรัฐฯ +0.50%');
    expect(th).toContain('ซื้อ 2 ตัว ถือ 4 ตัว ขาย 1 ตัว');
  });

  it('says demo data is demo, and has nothing to rank without reports', () => {
    const demo = computeMorningBrief([{ ...r('NVDA19', 'NASDAQ', -5), data_source: 'demo' }], { ...meta, language: 'en' });
    expect(demo.narrative).toMatch(/broad sell-off[\s\S]*Demo data: synthetic prices/);
    const empty = computeMorningBrief([], { ...meta, language: 'en' });
    expect(empty).toMatchObject({ total: 0, best: [], worst: [], by_market: [], data_source: 'none' });
    expect(empty.narrative).toMatch(/No reports yet today/);
  });
});
