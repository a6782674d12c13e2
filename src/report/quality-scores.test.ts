import { describe, expect, it } from 'vitest';
import {
  DISCLAIMERS,
  SECTION_HEADINGS,
  WORD_TARGETS,
  type Fact,
  type FactUnit,
  type Facts,
  type Language,
  type SemanticStates,
} from './narrative-contract.js';
import { QUALITY_SCORER_VERSION, extractNumbers, scoreNarrative, type QualityScores, type ScoreNarrativeInput } from './quality-scores.js';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: one hand-made Facts object (a Thai DR on NVIDIA) and narratives written from it in the contract's format.

function fact(key: string, value: number, unit: FactUnit, decimals: number, label: string): Fact {
  return { key, value, unit, decimals, label };
}

function factsOf(list: Fact[]): Facts {
  return Object.fromEntries(list.map((f) => [f.key, f]));
}

const FACTS: Facts = factsOf([
  fact('PRICE', 24.6, 'price', 2, 'Last close (THB)'),
  fact('PRICE_CHANGE_PCT', 1.65, 'signed_percent', 2, 'Change on the day'),
  fact('RET_1M', 8.42, 'signed_percent', 2, '1-month return'),
  fact('RET_3M', 12.75, 'signed_percent', 2, '3-month return'),
  fact('SMA_20', 23.85, 'price', 2, 'SMA 20'),
  fact('SMA_50', 22.4, 'price', 2, 'SMA 50'),
  fact('SMA_200', 19.95, 'price', 2, 'SMA 200'),
  fact('PRICE_VS_SMA_200', 23.31, 'signed_percent', 2, 'Price vs SMA 200'),
  fact('RSI', 66.4, 'number', 1, 'RSI 14 (Wilder)'),
  fact('RSI_PCTL', 78, 'number', 0, 'RSI percentile over 252 bars'),
  fact('MACD_HIST', 0.12, 'number', 2, 'MACD histogram'),
  fact('ATR_PCT', 3.2, 'percent', 1, 'ATR 14 as % of price'),
  fact('ATR_PCT_PCTL', 55, 'number', 0, 'ATR% percentile over 252 bars'),
  fact('VOL_30D', 38.5, 'percent', 1, '30-day annualised volatility'),
  fact('VOLUME_RATIO', 1.45, 'ratio', 2, 'Volume vs its 20-day average'),
  fact('VOLUME_RATIO_PCTL', 82, 'number', 0, 'Volume ratio percentile over 252 bars'),
  fact('HIGH_52W', 26.1, 'price', 2, '52-week high'),
  fact('LOW_52W', 15.8, 'price', 2, '52-week low'),
  fact('RANGE_POSITION_PCT', 85, 'percent', 0, 'Position in the 52-week range'),
  fact('NEWS_COUNT', 6, 'count', 0, 'News items in the window'),
  fact('NEWS_POSITIVE_PCT', 50, 'percent', 0, 'Share of positive news'),
  fact('NEWS_NEGATIVE_PCT', 17, 'percent', 0, 'Share of negative news'),
  fact('PEER_COUNT', 5, 'count', 0, 'Peers compared'),
  fact('PEER_RET_1M_MEDIAN', 4.1, 'signed_percent', 2, "Peers' median 1-month return"),
  fact('RET_1M_VS_PEERS', 4.32, 'signed_percent', 2, '1-month return minus the peers median'),
]);

const STATES: SemanticStates = {
  rsi_zone: 'approaching_overbought',
  trend: 'strong_up',
  macd_momentum: 'bullish',
  volatility_regime: 'normal',
  volume: 'normal',
  range_position: 'near_high',
  news_tone: 'positive',
  peer_relative: 'outperforming',
};

function narrative(language: Language, bodies: [string, string, string, string]): string {
  const h = SECTION_HEADINGS[language];
  return [
    `## ${h.story}`, '', bodies[0], '',
    `## ${h.know}`, '', bodies[1], '',
    `## ${h.action}`, '', bodies[2], '',
    `## ${h.watch}`, '', bodies[3], '',
    DISCLAIMERS[language], '',
  ].join('\n');
}

const EN_BODIES: [string, string, string, string] = [
  'NVDA80, the Thai depositary receipt on NVIDIA, closed at 24.60 baht, +1.65% on the day. Over the past month it ' +
    'gained +8.42%, and over three months +12.75%. The price sits above its 20-day average of 23.85, its 50-day ' +
    'average of 22.40 and its 200-day average of 19.95, with the shorter averages stacked above the longer ones. That ' +
    'ordering describes a strong uptrend that has been building for several months, and the DR now trades +23.31% ' +
    'above its 200-day line.',
  'RSI (14) stands at 66.4, in the 78th percentile of its past year, so momentum is firm and approaching overbought ' +
    'territory without being stretched yet. The MACD histogram is positive at 0.12, a bullish reading. Daily swings ' +
    'average 3.2% of the price (ATR), around the 55th percentile of the past year, and 30-day annualised volatility ' +
    'is 38.5%, a normal level. Volume ran at 1.45x its 20-day average, in the 82nd percentile, so ' +
    'trading activity is healthy. At 24.60 the price sits at 85% of its 52-week range, between a low of 15.80 and a ' +
    'high of 26.10, which puts it near its 52-week high.',
  'Our call: **BUY**. The trend, momentum and volume point the same way and the overall picture is bullish. Of the 6 ' +
    'news items in the past week, 50% were positive and 17% negative, so the news flow supports the move. Against its 5 ' +
    "closest peers, the DR's 1-month return beat their median of +4.10% by +4.32%. Buyers who " +
    'prefer a better entry can wait for a pullback toward the 20-day average at 23.85, which has acted as support.',
  'The main risk is that RSI climbs above 70, which would put it in overbought territory and invite profit-taking. ' +
    'A close below the 50-day average at 22.40 would weaken the trend, and a fall under 23.85 is the first warning. ' +
    'Watch whether volume stays above its average, and whether the news flow turns negative.',
];

const TH_BODIES: [string, string, string, string] = [
  'NVDA80 ซึ่งเป็น DR ของ NVIDIA ปิดที่ 24.60 บาท เปลี่ยนแปลง +1.65% จากวันก่อน ' +
    'ในช่วง 1 เดือนราคาขึ้น +8.42% และในช่วง 3 เดือนขึ้น +12.75% ราคายืนเหนือเส้นค่าเฉลี่ย 20 วันที่ 23.85 บาท ' +
    'เส้นค่าเฉลี่ย 50 วันที่ 22.40 บาท และเส้นค่าเฉลี่ย 200 วันที่ 19.95 บาท ' +
    'ภาพรวมจึงเป็นแนวโน้มขาขึ้นที่แข็งแรง และราคาสูงกว่าเส้นค่าเฉลี่ย 200 วันถึง +23.31%',
  'RSI (14) อยู่ที่ 66.4 หรือเปอร์เซ็นไทล์ 78 ของช่วง 1 ปี แรงส่งยังดีและกำลังเข้าใกล้โซนซื้อมากเกินไป ' +
    'ฮิสโทแกรม MACD เป็นบวกที่ 0.12 ค่า ATR เท่ากับ 3.2% ของราคา อยู่ที่เปอร์เซ็นไทล์ 55 ' +
    'และความผันผวนรายปีอยู่ที่ 38.5% ซึ่งเป็นระดับปกติ ปริมาณการซื้อขายเท่ากับ 1.45 เท่าของค่าเฉลี่ย 20 วัน ' +
    'อยู่ที่เปอร์เซ็นไทล์ 82 ราคาอยู่ที่ 85% ของกรอบ 52 สัปดาห์ ระหว่าง 15.80 บาท ถึง 26.10 บาท ' +
    'จึงอยู่ใกล้จุดสูงสุดในรอบ 52 สัปดาห์',
  'คำแนะนำ: **ซื้อ** (BUY) เพราะแนวโน้ม โมเมนตัม และปริมาณการซื้อขายไปทางเดียวกัน จึงเป็นมุมมองเชิงบวก ' +
    'สัปดาห์นี้มีข่าว 6 ข่าว เป็นข่าวเชิงบวก 50% และข่าวเชิงลบ 17% ' +
    'เมื่อเทียบกับหุ้นกลุ่มเดียวกัน 5 ตัว ผลตอบแทน 1 เดือนสูงกว่าค่ามัธยฐานของกลุ่มที่ +4.10% อยู่ +4.32% ' +
    'ผู้ที่อยากได้ราคาดีกว่าอาจรอให้ราคาย่อลงใกล้ 23.85 บาท ซึ่งเป็นแนวรับแรก',
  'ความเสี่ยงหลักคือหาก RSI ขึ้นเกิน 70 อาจเข้าสู่โซนซื้อมากเกินไปและมีแรงขายทำกำไร ' +
    'หากราคาหลุดเส้นค่าเฉลี่ย 50 วันที่ 22.40 บาท แนวโน้มอาจอ่อนแรงลง ' +
    'ควรติดตามว่าปริมาณการซื้อขายยังสูงกว่าค่าเฉลี่ยหรือไม่ และจับตาข่าวของบริษัท',
];

const EN_CLEAN = narrative('en', EN_BODIES);
const TH_CLEAN = narrative('th', TH_BODIES);

function input(language: Language, text: string, over: Partial<ScoreNarrativeInput> = {}): ScoreNarrativeInput {
  return {
    narrative: text,
    language,
    facts: FACTS,
    states: STATES,
    stance: 'bullish',
    recommendation: 'BUY',
    newsCount: 6,
    peerCount: 5,
    ...over,
  };
}

function allIssues(q: QualityScores): string[] {
  return [...q.faithfulness.issues, ...q.completeness.issues, ...q.reasoning_quality.issues, ...q.compliance.issues];
}

/** Replaces exactly one occurrence (fails loudly if the text is not there once, so fixtures cannot drift silently). */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  expect(at, `fixture must contain "${from}"`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(from, at + 1), `fixture must contain "${from}" once`).toBe(-1);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const whitespaceWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;
const segmenterWords = (text: string, language: Language): number =>
  [...new Intl.Segmenter(language, { granularity: 'word' }).segment(text)].filter((x) => x.isWordLike).length;

describe('clean narratives', () => {
  it.each([
    ['en', EN_CLEAN],
    ['th', TH_CLEAN],
  ] as const)('%s: scores >= 90 overall with no issues', (language, text) => {
    const q = scoreNarrative(input(language, text));
    expect(allIssues(q)).toEqual([]);
    expect(q.overall).toBeGreaterThanOrEqual(90);
    expect(q.overall).toBe(100);
    expect(q.scorer_version).toBe(QUALITY_SCORER_VERSION);
    expect(q.faithfulness.sub_scores).toEqual({ numbers_traced: 100, no_untraced_numbers: 100, placeholders_resolved: 100 });
  });

  it('the fixtures are within the length targets by Intl.Segmenter, while whitespace splitting misreads Thai', () => {
    const thProse = TH_BODIES.join('\n');
    const enProse = EN_BODIES.join('\n');
    const th = WORD_TARGETS.th;
    expect(segmenterWords(thProse, 'th')).toBeGreaterThanOrEqual(th.min);
    expect(segmenterWords(thProse, 'th')).toBeLessThanOrEqual(th.max);
    // Split on spaces, the same Thai prose looks far too short: spaces in Thai separate clauses, not words.
    expect(whitespaceWords(thProse)).toBeLessThan(th.min / 2);
    // In English the two agree roughly.
    expect(Math.abs(whitespaceWords(enProse) - segmenterWords(enProse, 'en'))).toBeLessThan(0.15 * segmenterWords(enProse, 'en'));
  });
});

describe('overall', () => {
  it('is the stated weighted mean 0.4 F + 0.2 C + 0.2 R + 0.2 compliance', () => {
    const q = scoreNarrative(input('en', replaceOnce(EN_CLEAN, 'Our call: **BUY**', 'Our call: **SELL**')));
    const expected = 0.4 * q.faithfulness.score + 0.2 * q.completeness.score + 0.2 * q.reasoning_quality.score + 0.2 * q.compliance.score;
    expect(q.overall).toBeCloseTo(expected, 1);
    expect(q.overall).toBeLessThan(100);
  });
});

describe('extractNumbers', () => {
  it('reads the printed formats: separators, signs, %, x / เท่า, plain integers', () => {
    const toks = extractNumbers('ปิดที่ 1,234.56 บาท ขึ้น +1.23% ลง -4.5% หรือ −2.0% ผันผวน 12.3% ปริมาณ 1.52x หรือ 1.52 เท่า มีข่าว 6 ข่าว');
    expect(toks.map((t) => [t.value, t.kind])).toEqual([
      [1234.56, 'plain'],
      [1.23, 'percent'],
      [-4.5, 'percent'],
      [-2, 'percent'],
      [12.3, 'percent'],
      [1.52, 'ratio'],
      [1.52, 'ratio'],
      [6, 'plain'],
    ]);
  });

  it('skips names glued to letters and ISO dates, and does not read a range dash as a minus sign', () => {
    const toks = extractNumbers('NVDA80 vs SMA200 on 2025-01-15, range 20-50');
    expect(toks.map((t) => t.value)).toEqual([20, 50]);
  });
});

describe('faithfulness', () => {
  it.each([
    ['en', EN_CLEAN, 'closed at 24.60 baht', 'closed at 27.35 baht'],
    ['th', TH_CLEAN, 'ปิดที่ 24.60 บาท', 'ปิดที่ 27.35 บาท'],
  ] as const)('%s: a wrong number drops the score and the issue names it', (language, clean, from, to) => {
    const q = scoreNarrative(input(language, replaceOnce(clean, from, to)));
    expect(q.faithfulness.score).toBeLessThan(90);
    expect(q.faithfulness.sub_scores.numbers_traced).toBeLessThan(100);
    expect(q.faithfulness.sub_scores.no_untraced_numbers).toBe(75);
    expect(q.faithfulness.issues).toHaveLength(1);
    expect(q.faithfulness.issues[0]).toMatch(/^number "27\.35" matches no fact within tolerance \(nearest fact: HIGH_52W = 26\.10/);
    expect(q.faithfulness.issues[0]).toContain(to);
  });

  it('keeps the sign of signed percents', () => {
    const q = scoreNarrative(input('en', replaceOnce(EN_CLEAN, 'gained +8.42%', 'gained -8.42%')));
    expect(q.faithfulness.issues).toEqual([expect.stringMatching(/^number "-8\.42%" matches no fact/)]);
  });

  it('tolerates half a unit of the last printed decimal, no more', () => {
    const withRsi = (value: number): Facts => ({ ...FACTS, RSI: { ...FACTS.RSI!, value } });
    expect(scoreNarrative(input('en', EN_CLEAN, { facts: withRsi(66.449) })).faithfulness.issues).toEqual([]);
    expect(scoreNarrative(input('en', EN_CLEAN, { facts: withRsi(66.351) })).faithfulness.issues).toEqual([]);
    const off = scoreNarrative(input('en', EN_CLEAN, { facts: withRsi(66.46) }));
    expect(off.faithfulness.issues).toEqual([expect.stringMatching(/^number "66\.4" matches no fact.*nearest fact: RSI = 66\.5/)]);
  });

  it('flags a number printed in the wrong unit', () => {
    const q = scoreNarrative(input('en', replaceOnce(EN_CLEAN, 'ran at 1.45x its', 'ran at 1.45% of its')));
    expect(q.faithfulness.issues).toEqual([
      expect.stringMatching(/^number "1\.45%" is printed as a percent but the fact with that value, VOLUME_RATIO \(1\.45x\), is a ratio/),
    ]);
  });

  it('flags a placeholder left in the text', () => {
    const q = scoreNarrative(input('th', replaceOnce(TH_CLEAN, 'อยู่ที่ 66.4 หรือ', 'อยู่ที่ {RSI} หรือ')));
    expect(q.faithfulness.sub_scores.placeholders_resolved).toBe(75);
    expect(q.faithfulness.issues).toEqual([expect.stringMatching(/^unresolved placeholder \{RSI\}/)]);
  });

  it('lets indicator windows and RSI thresholds through, but not a number that merely sits near RSI', () => {
    // The clean texts already carry "RSI (14)", "200-day", "52 สัปดาห์", "เกิน 70"; a bare "RSI is 70" is a claim.
    const q = scoreNarrative(input('en', replaceOnce(EN_CLEAN, 'RSI (14) stands at 66.4', 'RSI (14) stands at 70')));
    expect(q.faithfulness.issues).toEqual([expect.stringMatching(/^number "70" matches no fact/)]);
    const days = scoreNarrative(input('en', replaceOnce(EN_CLEAN, 'over three months', 'over 7 days')));
    expect(days.faithfulness.issues).toEqual([expect.stringMatching(/^number "7" matches no fact/)]);
  });

  it('states its rule for prose without numbers: vacuously traced, said in issues', () => {
    const bodies = EN_BODIES.map((b) => b.replace(/[+\-]?\d[\d,.]*(?:%|x)?/g, 'some')) as typeof EN_BODIES;
    const q = scoreNarrative(input('en', narrative('en', bodies)));
    expect(q.faithfulness.sub_scores.numbers_traced).toBe(100);
    expect(q.faithfulness.issues).toEqual([expect.stringMatching(/^no numbers found in the prose/)]);
    expect(q.completeness.score).toBeLessThan(100);
  });
});

describe('completeness', () => {
  it('requires peers only when there are peers, news only when there is news', () => {
    const withoutPeers = EN_BODIES.map((b) => b.replace(/Against its 5 .*?by \+4\.32%\. /, '')) as typeof EN_BODIES;
    const text = narrative('en', withoutPeers);
    const q = scoreNarrative(input('en', text));
    expect(q.completeness.sub_scores.peers).toBe(0);
    expect(q.completeness.issues).toEqual([expect.stringMatching(/^peers is not covered although its data exists/)]);
    const noPeers = scoreNarrative(input('en', text, { peerCount: 0 }));
    expect(noPeers.completeness.sub_scores).not.toHaveProperty('peers');
    expect(noPeers.completeness.issues).toEqual([]);
    expect(scoreNarrative(input('en', EN_CLEAN, { newsCount: 0 })).completeness.sub_scores).not.toHaveProperty('news');
  });

  it('flags a dimension named without any of its figures', () => {
    const vague = replaceOnce(EN_CLEAN, 'Volume ran at 1.45x its 20-day average, in the 82nd percentile, so', 'Volume ran above its 20-day average, so');
    const q = scoreNarrative(input('en', vague));
    expect(q.completeness.sub_scores.volume).toBe(75);
    expect(q.completeness.issues).toEqual([expect.stringMatching(/^volume is mentioned but none of its figures is shown \(VOLUME_RATIO, VOLUME_RATIO_PCTL\)/)]);
  });
});

describe('reasoning quality', () => {
  const rsi40: Partial<ScoreNarrativeInput> = {
    facts: { ...FACTS, RSI: { ...FACTS.RSI!, value: 40 } },
    states: { ...STATES, rsi_zone: 'neutral' },
  };

  it('en: "overbought" at RSI 40 is a contradiction', () => {
    let text = replaceOnce(EN_CLEAN, 'stands at 66.4', 'stands at 40.0');
    text = replaceOnce(text, 'approaching overbought territory', 'in overbought territory');
    const q = scoreNarrative(input('en', text, rsi40));
    expect(q.reasoning_quality.issues).toEqual([
      expect.stringMatching(/^"overbought" claimed but rsi_zone is neutral, RSI 40\.0; it needs rsi_zone overbought \(RSI ≥ 70\): .*in overbought territory/),
    ]);
    expect(q.reasoning_quality.sub_scores.state_claims).toBe(60);
    expect(q.reasoning_quality.score).toBeLessThan(90);
    expect(q.faithfulness.issues).toEqual([]);
  });

  it.each([
    ['โซนซื้อมากเกินไป', 'แรงส่งยังดีและกำลังเข้าใกล้โซนซื้อมากเกินไป', 'แรงส่งแรงมากจนอยู่ในโซนซื้อมากเกินไป'],
    ['ซื้อมากเกินไป', 'แรงส่งยังดีและกำลังเข้าใกล้โซนซื้อมากเกินไป', 'หุ้นตัวนี้ถูกซื้อมากเกินไปแล้ว'],
  ])('th: "%s" at RSI 40 is a contradiction', (_label, from, to) => {
    let text = replaceOnce(TH_CLEAN, 'อยู่ที่ 66.4', 'อยู่ที่ 40.0');
    text = replaceOnce(text, from, to);
    const q = scoreNarrative(input('th', text, rsi40));
    expect(q.reasoning_quality.issues).toEqual([
      expect.stringMatching(/^"ซื้อมากเกินไป" claimed but rsi_zone is neutral, RSI 40\.0; it needs rsi_zone overbought/),
    ]);
    expect(q.reasoning_quality.score).toBeLessThan(90);
  });

  it('"approaching overbought" needs at least the approaching zone (RSI ≥ 60)', () => {
    const en = scoreNarrative(input('en', replaceOnce(EN_CLEAN, 'stands at 66.4', 'stands at 40.0'), rsi40));
    expect(en.reasoning_quality.issues).toEqual([
      expect.stringMatching(/^"overbought" claimed \(as approaching\) but rsi_zone is neutral, RSI 40\.0; it needs rsi_zone approaching_overbought or overbought/),
    ]);
    const th = scoreNarrative(input('th', replaceOnce(TH_CLEAN, 'อยู่ที่ 66.4', 'อยู่ที่ 40.0'), rsi40));
    expect(th.reasoning_quality.issues).toEqual([expect.stringMatching(/^"ซื้อมากเกินไป" claimed \(as approaching\)/)]);
  });

  it('accepts negated and conditional mentions at RSI 40, and plain "overbought" when RSI is overbought', () => {
    let en = replaceOnce(EN_CLEAN, 'stands at 66.4', 'stands at 40.0');
    en = replaceOnce(en, 'approaching overbought territory', 'not in overbought territory');
    expect(scoreNarrative(input('en', en, rsi40)).reasoning_quality.issues).toEqual([]);
    let th = replaceOnce(TH_CLEAN, 'อยู่ที่ 66.4', 'อยู่ที่ 40.0');
    th = replaceOnce(th, 'กำลังเข้าใกล้โซนซื้อมากเกินไป', 'ยังไม่เข้าโซนซื้อมากเกินไป');
    expect(scoreNarrative(input('th', th, rsi40)).reasoning_quality.issues).toEqual([]);
    const hot = scoreNarrative(
      input('en', replaceOnce(replaceOnce(EN_CLEAN, 'stands at 66.4', 'stands at 74.2'), 'approaching overbought', 'in overbought'), {
        facts: { ...FACTS, RSI: { ...FACTS.RSI!, value: 74.2 } },
        states: { ...STATES, rsi_zone: 'overbought' },
      }),
    );
    expect(hot.reasoning_quality.issues).toEqual([]);
  });

  it('flags trend words against the trend state', () => {
    const q = scoreNarrative(input('th', TH_CLEAN, { states: { ...STATES, trend: 'down' } }));
    expect(q.reasoning_quality.issues).toEqual([expect.stringMatching(/^"ขาขึ้น" claimed but trend is down; it needs trend up or strong_up/)]);
  });

  it.each([
    ['en', EN_CLEAN, 'Our call: **BUY**', 'Our call: **SELL**'],
    ['th', TH_CLEAN, 'คำแนะนำ: **ซื้อ** (BUY)', 'คำแนะนำ: **ขาย** (SELL)'],
  ] as const)('%s: a recommendation that contradicts the decision is caught', (language, clean, from, to) => {
    const q = scoreNarrative(input(language, replaceOnce(clean, from, to)));
    expect(q.reasoning_quality.sub_scores.recommendation).toBe(0);
    expect(q.reasoning_quality.issues.length).toBeGreaterThanOrEqual(1);
    for (const issue of q.reasoning_quality.issues) expect(issue).toMatch(/^the action section recommends SELL but the decision is BUY/);
  });

  it('flags bullish wording under a bearish stance, and an incoherent decision', () => {
    const q = scoreNarrative(input('en', EN_CLEAN, { stance: 'bearish' }));
    expect(q.reasoning_quality.issues).toContainEqual(
      expect.stringMatching(/^bullish wording "bullish" contradicts the bearish stance: ".*the overall picture is bullish\./),
    );
    expect(q.reasoning_quality.sub_scores.stance_words).toBe(60);
    expect(q.reasoning_quality.issues).toContain('the decision itself is incoherent: bearish stance with a BUY recommendation');
    // "a bullish reading" next to MACD is checked against macd_momentum instead, which is bullish: no issue for it.
    expect(q.reasoning_quality.issues.filter((i) => i.includes('MACD'))).toEqual([]);
  });
});

describe('compliance', () => {
  it.each([
    ['en', EN_CLEAN],
    ['th', TH_CLEAN],
  ] as const)('%s: a missing section is named and caps compliance', (language, clean) => {
    const heading = `## ${SECTION_HEADINGS[language].know}`;
    const q = scoreNarrative(input(language, replaceOnce(clean, `${heading}\n`, '')));
    expect(q.compliance.issues).toContain(`missing section heading "${heading}" (know)`);
    expect(q.compliance.sub_scores.structure).toBe(60);
    expect(q.compliance.score).toBeLessThanOrEqual(40);
  });

  it('flags sections out of order', () => {
    const h = SECTION_HEADINGS.en;
    const swapped = EN_CLEAN.replace(`## ${h.action}`, '@@A').replace(`## ${h.watch}`, `## ${h.action}`).replace('@@A', `## ${h.watch}`);
    const q = scoreNarrative(input('en', swapped));
    expect(q.compliance.issues).toContain(`section "## ${h.watch}" is out of order (expected order: story, know, action, watch)`);
  });

  it('en: a promise of returns is caught, phrase by phrase', () => {
    const text = replaceOnce(EN_CLEAN, 'which has acted as support.', 'which has acted as support. Returns are guaranteed and the trade is risk-free.');
    const q = scoreNarrative(input('en', text));
    expect(q.compliance.issues.filter((i) => i.startsWith('promise of returns'))).toEqual([
      expect.stringMatching(/^promise of returns "guaranteed": /),
      expect.stringMatching(/^promise of returns "risk-free": /),
    ]);
    expect(q.compliance.sub_scores.no_return_promises).toBe(0);
    expect(q.compliance.score).toBeLessThanOrEqual(40);
  });

  it('th: a promise of returns is caught, phrase by phrase', () => {
    const text = replaceOnce(TH_CLEAN, 'ซึ่งเป็นแนวรับแรก', 'ซึ่งเป็นแนวรับแรก รับประกันว่าได้กำไรแน่นอน การันตีผลตอบแทน');
    const q = scoreNarrative(input('th', text));
    expect(q.compliance.issues.filter((i) => i.startsWith('promise of returns'))).toEqual([
      expect.stringMatching(/^promise of returns "รับประกัน": /),
      expect.stringMatching(/^promise of returns "กำไรแน่นอน": /),
      expect.stringMatching(/^promise of returns "การันตี": /),
    ]);
    expect(q.compliance.score).toBeLessThanOrEqual(40);
  });

  it('allows negated mentions ("nothing is guaranteed", "ไม่มีอะไรรับประกัน")', () => {
    const en = replaceOnce(EN_CLEAN, 'which has acted as support.', 'which has acted as support. Nothing here is guaranteed.');
    expect(scoreNarrative(input('en', en)).compliance.issues).toEqual([]);
    const th = replaceOnce(TH_CLEAN, 'ซึ่งเป็นแนวรับแรก', 'ซึ่งเป็นแนวรับแรก แต่ไม่มีอะไรรับประกันผลตอบแทน');
    expect(scoreNarrative(input('th', th)).compliance.issues).toEqual([]);
  });

  it('requires the disclaimer, in the narrative language, at the end', () => {
    const missing = scoreNarrative(input('en', EN_CLEAN.replace(DISCLAIMERS.en, '')));
    expect(missing.compliance.issues).toContain(`missing disclaimer: "${DISCLAIMERS.en}"`);
    expect(missing.compliance.score).toBeLessThanOrEqual(40);
    const wrong = scoreNarrative(input('th', TH_CLEAN.replace(DISCLAIMERS.th, DISCLAIMERS.en)));
    expect(wrong.compliance.sub_scores.disclaimer).toBe(50);
  });

  it('th: too short and too long are measured with Intl.Segmenter', () => {
    const firstClause = TH_BODIES.map((b) => b.split(' ').slice(0, 8).join(' ')) as typeof TH_BODIES;
    const short = scoreNarrative(input('th', narrative('th', firstClause)));
    const shortWords = segmenterWords(firstClause.join('\n'), 'th');
    expect(shortWords).toBeLessThan(WORD_TARGETS.th.min);
    expect(short.compliance.issues).toContain(`too short: ${shortWords} words (Intl.Segmenter, th, prose without headings/disclaimer); target 250–350`);
    expect(short.compliance.sub_scores.length).toBeLessThan(100);

    const longBodies = [TH_BODIES[0], `${TH_BODIES[1]} ${TH_BODIES[1]}`, TH_BODIES[2], TH_BODIES[3]] as typeof TH_BODIES;
    const longWords = segmenterWords(longBodies.join('\n'), 'th');
    const long = scoreNarrative(input('th', narrative('th', longBodies)));
    expect(longWords).toBeGreaterThan(WORD_TARGETS.th.max);
    expect(long.compliance.issues).toContain(`too long: ${longWords} words (Intl.Segmenter, th, prose without headings/disclaimer); target 250–350`);
    // Whitespace splitting would have called this over-long text too short.
    expect(whitespaceWords(longBodies.join('\n'))).toBeLessThan(WORD_TARGETS.th.min);
  });

  it('flags bullet lists and tables in the prose', () => {
    const listed = replaceOnce(EN_CLEAN, 'The MACD histogram is positive', '\n- The MACD histogram is positive');
    const q = scoreNarrative(input('en', listed));
    expect(q.compliance.issues).toEqual([expect.stringMatching(/^list item in prose \(narratives are paragraphs\): "- The MACD histogram/)]);
    const table = replaceOnce(EN_CLEAN, 'Our call: **BUY**.', '| call | BUY |\n|---|---|\nOur call: **BUY**.');
    expect(scoreNarrative(input('en', table)).compliance.issues.filter((i) => i.startsWith('table row'))).toHaveLength(2);
  });

  it('th: English prose under Thai headings fails the language check', () => {
    const mixed = narrative('th', EN_BODIES);
    const q = scoreNarrative(input('th', mixed));
    expect(q.compliance.sub_scores.language).toBe(0);
    expect(q.compliance.issues).toContainEqual(expect.stringMatching(/^Thai script is 0% of the letters; th prose needs ≥ 70%/));
  });
});

describe('phrasings met in real template output are read right (regressions)', () => {
  it('th: alternatives, after-negation and momentum wording are not trend claims', () => {
    const sideways = { states: { ...STATES, trend: 'sideways' as const } };
    let text = replaceOnce(TH_CLEAN, 'ภาพรวมจึงเป็นแนวโน้มขาขึ้นที่แข็งแรง', 'ภาพรวมจึงยังสรุปเป็นขาขึ้นหรือขาลงไม่ได้');
    text = replaceOnce(text, 'แรงส่งยังดีและ', 'แรงส่งขาขึ้นยังเร่งตัวและ');
    expect(scoreNarrative(input('th', text, sideways)).reasoning_quality.issues).toEqual([]);
    const claimed = replaceOnce(TH_CLEAN, 'ภาพรวมจึงเป็นแนวโน้มขาขึ้นที่แข็งแรง', 'ภาพรวมจึงเป็นขาลงชัดเจน');
    expect(scoreNarrative(input('th', claimed, sideways)).reasoning_quality.issues).toEqual([
      expect.stringMatching(/^"ขาลง" claimed but trend is sideways/),
    ]);
  });

  it('th: a share of negative news is not a negative tone; a negative-news claim is', () => {
    const share = replaceOnce(TH_CLEAN, 'และข่าวเชิงลบ 17%', 'ส่วนข่าวร้ายมีเพียง 17%');
    expect(scoreNarrative(input('th', share)).reasoning_quality.issues).toEqual([]);
    const tone = replaceOnce(TH_CLEAN, 'และข่าวเชิงลบ 17%', 'และข่าวร้ายกดดันราคาอย่างหนัก');
    expect(scoreNarrative(input('th', tone)).reasoning_quality.issues).toEqual([
      expect.stringMatching(/^"ข่าวร้าย" claimed but news_tone is positive/),
    ]);
  });

  it('en: "overbought territory is getting close" and "nears overbought" read as approaching', () => {
    for (const phrase of ['momentum is firm, but overbought territory is getting close,', 'momentum is firm as it nears overbought territory,']) {
      const text = replaceOnce(EN_CLEAN, 'momentum is firm and approaching overbought territory', phrase);
      expect(scoreNarrative(input('en', text)).reasoning_quality.issues, phrase).toEqual([]);
    }
  });

  it('digits inside names are not data: index-fund names, and any name passed in `names`', () => {
    const fund = replaceOnce(EN_CLEAN, 'NVDA80, the Thai depositary receipt on NVIDIA,', 'NVDA80, the Thai depositary receipt on Yuanta Taiwan Top 50 ETF,');
    expect(scoreNarrative(input('en', fund)).faithfulness.issues).toEqual([]);
    const company = replaceOnce(EN_CLEAN, 'the Thai depositary receipt on NVIDIA', 'the Thai depositary receipt on 3M Company');
    expect(scoreNarrative(input('en', company)).faithfulness.issues).toEqual([expect.stringMatching(/^number "3" matches no fact/)]);
    expect(scoreNarrative(input('en', company, { names: ['3M Company'] })).faithfulness.issues).toEqual([]);
  });

  it('a watch section naming a level counts as a watch statement without any risk keyword', () => {
    const bodies = [...EN_BODIES] as typeof EN_BODIES;
    bodies[3] = 'Everything hinges on the 50-day average around 22.40 and the short-term average at 23.85, which buyers have defended for weeks.';
    const q = scoreNarrative(input('en', narrative('en', bodies)));
    expect(q.completeness.sub_scores.risk_watch).toBe(100);
  });
});
