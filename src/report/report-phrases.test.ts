import { describe, expect, it } from 'vitest';
import { earningsRisk, buildFundamentals, emptyCompanyInfo } from './fundamentals.js';
import { buildFxView } from './fx-view.js';
import type { Language, SemanticStates } from './narrative-contract.js';
import { fixtureBars, NEGATIVE_NEWS, POSITIVE_NEWS } from './narrative-inputs.test-support.js';
import { PEER_METHOD } from './peers.js';
import { assessRisk } from './report.js';
import { REPORT_PHRASES } from './report-phrases.js';
import { analyzeTechnicals, type TechnicalAnalysis } from './technical-analysis.js';
import { scoreForUsers, type UserFacingScoresInput } from './user-facing-scores.js';
import { assessValuation, scoreValuation, type PeerPe } from './valuation.js';

/** Every number as written, in order: a Thai sentence must carry the English one's, digit for digit. */
const numbers = (s: string): string[] => s.match(/[+-]?\d+(?:\.\d+)?/g) ?? [];
const THAI = /[\u0E00-\u0E7F]/;
/**
 * Latin words a Thai sentence may keep: indicator and ratio names as the Thai narrative writes them, tickers, the
 * Yahoo pair and the field names of the FX method. Anything else is English left behind.
 */
const KEPT = /^(SMA|RSI|MACD|ATR|P|E|B|EPS|Yahoo|XXXTHB|X|change_1m_pct|change_1d_pct|[A-Z]+\d+)$/;
const englishWords = (s: string): string[] => (s.match(/[A-Za-z_][A-Za-z_0-9]*/g) ?? []).filter((w) => !KEPT.test(w));

/** The Thai text says the same numbers as the English, in the same order, in Thai. */
function expectSameInThai(en: string, th: string): void {
  expect(th, en).toMatch(THAI);
  expect(englishWords(th), th).toEqual([]);
  expect(numbers(th), th).toEqual(numbers(en));
}

const stored = (info: Partial<ReturnType<typeof emptyCompanyInfo>>) => ({
  info: { ...emptyCompanyInfo(), currency: 'USD', ...info },
  business_date: '2026-11-27',
  source: 'yahoo',
});

describe('user-facing score rationales in Thai', () => {
  const long = analyzeTechnicals(fixtureBars('NVDA', '2024-03-08'));
  const short = analyzeTechnicals(fixtureBars('PFE', '2023-12-29', 60));
  const single = analyzeTechnicals(fixtureBars('PFE', '2023-12-29', 1));
  const cases: [string, Omit<UserFacingScoresInput, 'language'>][] = [
    ['a long history with news and peers', { technicals: long, news: POSITIVE_NEWS, peers: { return_1m_vs_median_pct: 4.2, volatility_vs_median_pct: 12.5 } }],
    ['negative news, no peer numbers', { technicals: long, news: NEGATIVE_NEWS, peers: { return_1m_vs_median_pct: null, volatility_vs_median_pct: null } }],
    ['60 bars (no SMA 200), no news source, no peers', { technicals: short, news: null, peers: null }],
    ['one bar: nothing scores', { technicals: single, news: { overall: null }, peers: null }],
    ['news with no items', { technicals: short, news: { overall: { positive_pct: 0, neutral_pct: 0, negative_pct: 0, count: 0 } }, peers: null }],
  ];
  for (const [name, input] of cases) {
    it(`${name}: each rationale is Thai with the English one's numbers, and the scores are the same`, () => {
      const en = scoreForUsers({ ...input, language: 'en' });
      const th = scoreForUsers({ ...input, language: 'th' });
      expect(th.map((s) => s.score)).toEqual(en.map((s) => s.score));
      expect(th.map((s) => s.inputs)).toEqual(en.map((s) => s.inputs));
      en.forEach((s, k) => expectSameInThai(s.rationale, th[k]!.rationale));
    });
  }

  it('names the trend order and the missing inputs in Thai', () => {
    const th = scoreForUsers({ technicals: short, news: null, peers: null, language: 'th' });
    expect(th[0]!.rationale).toContain('ลำดับ: ');
    expect(th[0]!.rationale).toContain('ขาดข้อมูล: SMA 200 (ต้องมีข้อมูล 200 แท่ง)');
    expect(th[4]!.rationale).toBe('กระแสข่าว: ยังให้คะแนนไม่ได้ ไม่มีข่าวของหุ้นตัวนี้ (แหล่งข่าวไม่ได้ส่งผลมา)');
  });
});

describe('valuation basis and score in Thai', () => {
  const own = (pe: number | null, extra = {}) => buildFundamentals(stored({ pe_ratio: pe, ...extra }), 100, 'USD');
  const sector: PeerPe[] = [
    { ticker: 'MSFT19', pe_ratio: 35 },
    { ticker: 'ORCL19', pe_ratio: 40 },
    { ticker: 'NOW19', pe_ratio: 50 },
  ];
  const cases: [string, ReturnType<typeof own> | null, { sectorMates: PeerPe[]; correlated: PeerPe[] }][] = [
    ['cheap against sector peers, with forward P/E and a target', own(30, { forward_pe: 24, analyst_target_mean: 130, analyst_count: 12 }), { sectorMates: sector, correlated: [] }],
    ['expensive against the most correlated peers', own(60), { sectorMates: [], correlated: sector }],
    ['fair, target without a count', own(42, { analyst_target_mean: 95 }), { sectorMates: sector, correlated: [] }],
    ['too few peers', own(20), { sectorMates: [], correlated: [{ ticker: 'A19', pe_ratio: 20 }] }],
    ['no trailing P/E (a fund)', own(null, { analyst_target_mean: 110, analyst_count: 3 }), { sectorMates: sector, correlated: [] }],
    ['a negative P/E', own(-5), { sectorMates: sector, correlated: [] }],
    ['no company info', null, { sectorMates: sector, correlated: [] }],
  ];
  for (const [name, fundamentals, peers] of cases) {
    it(`${name}: the basis and the rationale are Thai with the English numbers; the label and score are the same`, () => {
      const at = (language: Language) => {
        const v = assessValuation(fundamentals, peers, language);
        return { v, s: scoreValuation(fundamentals, v, language) };
      };
      const en = at('en');
      const th = at('th');
      expect({ ...th.v, basis: '' }).toEqual({ ...en.v, basis: '' });
      expect(th.s.score).toBe(en.s.score);
      expectSameInThai(en.v.basis, th.v.basis);
      expectSameInThai(en.s.rationale, th.s.rationale);
    });
  }

  it('words the verdict as the Thai narrative does', () => {
    const f = own(30);
    const th = scoreValuation(f, assessValuation(f, { sectorMates: sector, correlated: [] }, 'th'), 'th');
    expect(th.rationale).toContain('P/E 30.0 ห่าง -25.0% จากค่ากลางของกลุ่ม 40.0 (ถูกกว่ากลุ่ม)');
  });
});

describe('risk bullets in Thai', () => {
  const technicals = analyzeTechnicals(fixtureBars('NVDA', '2024-03-08'));
  // ATR at its own 90th percentile: the wide-range bullet too.
  const wide: TechnicalAnalysis = { ...technicals, percentiles: { ...technicals.percentiles, atr_pct: { ...technicals.percentiles.atr_pct!, percentile: 90 } } };
  const states = (over: Partial<SemanticStates>): SemanticStates => ({
    rsi_zone: 'neutral',
    trend: 'up',
    macd_momentum: 'bullish',
    volatility_regime: 'normal',
    volume: 'normal',
    range_position: 'upper_half',
    news_tone: 'neutral',
    peer_relative: 'in_line',
    ...over,
  });
  const cases: [string, SemanticStates, string | null][] = [
    ['high volatility, overbought, near the high, earnings in 3 days', states({ volatility_regime: 'high', rsi_zone: 'overbought', range_position: 'near_high' }), '2026-12-04'],
    ['extreme volatility, oversold, near the low, negative news, earnings tomorrow', states({ volatility_regime: 'extreme', rsi_zone: 'oversold', range_position: 'near_low', news_tone: 'negative' }), '2026-12-02'],
    ['earnings today', states({}), '2026-12-01'],
  ];
  for (const [name, s, earningsDate] of cases) {
    it(`${name}: the same bullets in Thai with the same numbers and dates`, () => {
      const earnings = earningsRisk(earningsDate, '2026-12-01');
      const en = assessRisk(wide, s, 'en', earnings);
      const th = assessRisk(wide, s, 'th', earnings);
      expect({ ...th, risk_bullets: [] }).toEqual({ ...en, risk_bullets: [] });
      expect(th.risk_bullets).toHaveLength(en.risk_bullets.length);
      expect(en.risk_bullets.length).toBeGreaterThan(1);
      en.risk_bullets.forEach((b, k) => expectSameInThai(b, th.risk_bullets[k]!));
    });
  }

  it('says when the earnings are due in Thai', () => {
    const th = assessRisk(technicals, states({}), 'th', earningsRisk('2026-12-04', '2026-12-01'));
    expect(th.risk_bullets.at(-1)).toBe('ประกาศงบวันที่ 2026-12-04 (อีก 3 วัน) ผลประกอบการอาจทำให้ราคาเคลื่อนไหวแรง');
    expect(assessRisk(technicals, states({}), 'th', earningsRisk('2026-12-01', '2026-12-01')).risk_bullets.at(-1)).toContain('(วันนี้)');
  });
});

describe('the THB view’s method in Thai', () => {
  it('is Thai with the English numbers; the rates and returns are the same', () => {
    const bars = fixtureBars('NVDA', '2024-03-08', 40);
    const rates = bars.map((b, i) => ({ ...b, close: 35 + i * 0.01 }));
    const en = buildFxView('USDTHB=X', bars, rates, 'en')!;
    const th = buildFxView('USDTHB=X', bars, rates, 'th')!;
    expect({ ...th, method: '' }).toEqual({ ...en, method: '' });
    expectSameInThai(en.method, th.method);
  });
});

describe('the peer method in Thai', () => {
  it('says how the peers were chosen in Thai, with the English numbers; English is the peer table’s own method', () => {
    expect(REPORT_PHRASES.en.peerMethod).toBe(PEER_METHOD);
    expectSameInThai(PEER_METHOD, REPORT_PHRASES.th.peerMethod);
  });
});
