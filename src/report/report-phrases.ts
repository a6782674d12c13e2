/**
 * The sentences the report core writes itself (user-facing score rationales, the valuation basis, risk bullets, the
 * THB view's method) in each report language, so a Thai report is not English under its Thai narrative. Callers
 * format every number (same digits in both languages); a phrase only places them. Nothing here feeds the LLM prompt
 * or the quality scorers: those read states and numbers, not these sentences. Thai terms follow the narrative's
 * (src/narrative/phrasebook-th.ts) and the page's (src/http/web/strings.js).
 */
import type { Language } from './narrative-contract.js';
import { MIN_OVERLAP, PEER_METHOD, PEER_WINDOW_RETURNS, TOP_PEERS } from './peers.js';

type ScoredCategory = 'trend' | 'momentum' | 'volatility_risk' | 'volume_liquidity' | 'news_sentiment' | 'relative_strength' | 'valuation';
type RsiLabel = 'overbought' | 'firm' | 'neutral' | 'weak' | 'oversold';
type Order = 'bullish' | 'bearish' | 'mixed';
type Label = 'cheap' | 'fair' | 'expensive';

export interface ReportPhrases {
  titles: Record<ScoredCategory, string>;
  /** What a higher score means, per category. */
  directions: Record<ScoredCategory, string>;
  /** One used input with its score. */
  part(describe: string, score: string): string;
  /** The missing inputs, appended to a rationale (leading space included); '' when none. */
  missing(items: string[]): string;
  scored(title: string, score: string, direction: string, parts: string[], missing: string): string;
  unscored(title: string, missing: string): string;
  /** A category with no score for a stated reason (news, relative strength, valuation). */
  noScore(title: string, why: string): string;
  trend: {
    price: string;
    gap(a: string, av: string, gap: string, b: string, bv: string): string;
    needsBars(sma: string, bars: number): string;
    orderMissing(a: string, b: string): string;
    /** Appended to a scored trend rationale (leading space included). */
    order(order: string, kind: Order): string;
  };
  momentum: {
    rsiLabel: Record<RsiLabel, string>;
    rsi(value: string, label: string): string;
    hist(value: string, pctOfPrice: string, positive: boolean): string;
    histPercentile(p: string): string;
    missingRsi: string;
    missingHist: string;
    missingHistPercentile: string;
  };
  volatility: {
    atrPercentile(atrPct: string | null, p: string): string;
    atrAbsolute(atrPct: string): string;
    vol30(v: string): string;
    vsPeers(v: string): string;
    missingAtr: string;
    missingVol30: string;
    missingVsPeers: string;
  };
  volume: {
    ratio(r: string): string;
    ratioPercentile(p: string): string;
    missingRatio: string;
    missingRatioPercentile: string;
  };
  news: {
    noSource: string;
    noSentiment: string;
    noItems: string;
    noShares: string;
    scored(score: string, positive: string, negative: string, net: string, count: number, weight: string, shrink: number): string;
  };
  relative: {
    noPeers: string;
    noReturn: string;
    scored(score: string, points: string): string;
  };
  valuation: {
    noCompany: string;
    noPe: string;
    notPositive(pe: string): string;
    fewPeers(pe: string, minPeers: number): string;
    kind: { sector: string; correlated: string };
    basis(pe: string, pct: string, median: string, count: number, kind: string, list: string, cheapAt: number, expensiveAt: number): string;
    noCompanyScore: string;
    label: Record<Label, string>;
    peVsPeers(pe: string, pct: string, median: string, label: string): string;
    forward(forward: string, pe: string, growth: string): string;
    upside(target: string, upside: string, analysts: number | null): string;
    missingPeVsPeers(basis: string): string;
    missingForward: string;
    missingUpside: string;
  };
  risk: {
    regime(regime: 'high' | 'extreme'): string;
    wideRange: string;
    overbought: string;
    oversold: string;
    nearHigh: string;
    nearLow: string;
    negativeNews: string;
    earnings(date: string | null, days: number | null): string;
  };
  fxMethod(monthBars: number): string;
  /** How the peers were chosen (`peer_comparison.method`); English is the peer table's own `PEER_METHOD`. */
  peerMethod: string;
}

const EN: ReportPhrases = {
  titles: {
    trend: 'Trend',
    momentum: 'Momentum',
    volatility_risk: 'Volatility risk',
    volume_liquidity: 'Volume / liquidity',
    news_sentiment: 'News sentiment',
    relative_strength: 'Relative strength',
    valuation: 'Valuation',
  },
  directions: {
    trend: 'higher = price further above rising averages',
    momentum: 'higher = firmer upward momentum; very high RSI scores lower as stretched',
    volatility_risk: 'higher = calmer, lower risk; higher volatility lowers the score',
    volume_liquidity: 'higher = more trading activity than usual',
    news_sentiment: 'higher = more positive news',
    relative_strength: 'higher = beating peers',
    valuation: 'higher = cheaper vs peers, growing earnings, upside to target',
  },
  part: (describe, score) => `${describe} → ${score}`,
  missing: (items) => (items.length > 0 ? ` Missing: ${items.join('; ')}.` : ''),
  scored: (title, score, direction, parts, missing) => `${title} ${score}/10 (${direction}) from ${parts.join('; ')}.${missing}`,
  unscored: (title, missing) => `${title}: no score, its inputs are unavailable.${missing}`,
  noScore: (title, why) => `${title}: no score, ${why}.`,
  trend: {
    price: 'price',
    gap: (a, av, gap, b, bv) => `${a} ${av} is ${gap}% vs ${b} ${bv}`,
    needsBars: (sma, bars) => `${sma} (needs ${bars} bars)`,
    orderMissing: (a, b) => `${a} vs ${b} order`,
    order: (order, kind) => ` Order: ${order} (${{ bullish: 'fully bullish order', bearish: 'fully bearish order', mixed: 'mixed' }[kind]}).`,
  },
  momentum: {
    rsiLabel: { overbought: 'overbought, stretched', firm: 'firm', neutral: 'neutral', weak: 'weak', oversold: 'oversold' },
    rsi: (value, label) => `RSI 14 ${value} (${label}; curve peaks at 65)`,
    hist: (value, pct, positive) => `MACD histogram ${value} (${pct}% of price, ${positive ? 'positive' : 'negative'})`,
    histPercentile: (p) => `MACD histogram at percentile ${p} of its own history`,
    missingRsi: 'RSI 14 (needs 15 bars)',
    missingHist: 'MACD histogram (needs 34 bars)',
    missingHistPercentile: 'MACD histogram percentile (needs 20 histogram values)',
  },
  volatility: {
    atrPercentile: (atrPct, p) => `ATR% ${atrPct === null ? '' : `${atrPct}% `}at percentile ${p} of its own history`,
    atrAbsolute: (atrPct) => `ATR% ${atrPct}% (no percentile yet, absolute level used)`,
    vol30: (v) => `30-day annualised volatility ${v}%`,
    vsPeers: (v) => `volatility ${v}% vs the peers' median`,
    missingAtr: 'ATR% (needs 15 bars) and its percentile',
    missingVol30: '30-day annualised volatility (needs 31 bars)',
    missingVsPeers: "volatility vs the peers' median (no peer comparison)",
  },
  volume: {
    ratio: (r) => `volume ${r}x its 20-day average`,
    ratioPercentile: (p) => `volume ratio at percentile ${p} of its own history`,
    missingRatio: 'volume ratio (needs 20 bars)',
    missingRatioPercentile: 'volume ratio percentile (needs 20 ratio values)',
  },
  news: {
    noSource: 'news is unavailable for this ticker (no news source result)',
    noSentiment: 'no news sentiment was computed (no headlines in the window)',
    noItems: 'there are no news items in the window (count 0)',
    noShares: 'the positive/negative shares are missing',
    scored: (score, positive, negative, net, count, weight, shrink) =>
      `News sentiment ${score}/10 (higher = more positive news) from ${positive}% positive ` +
      `minus ${negative}% negative = ${net} points over ${count} item(s), ` +
      `weighted ${weight} for the count (count / (count + ${shrink})).`,
  },
  relative: {
    noPeers: 'Relative strength: no score, no peer comparison is available for this ticker.',
    noReturn: "Relative strength: no score, the 1-month return vs the peers' median is missing (too little shared history).",
    scored: (score, points) => `Relative strength ${score}/10 (higher = beating peers) from a 1-month return ${points} points vs the peers' median.`,
  },
  valuation: {
    noCompany: 'no company info for this ticker, so no valuation',
    noPe: 'no trailing P/E from the source (funds have none; nor do companies without earnings)',
    notPositive: (pe) => `trailing P/E ${pe} is not positive: a P/E comparison says nothing`,
    fewPeers: (pe, minPeers) => `trailing P/E ${pe}, but fewer than ${minPeers} peers have a P/E to compare with`,
    kind: { sector: 'sector peers', correlated: 'most correlated peers' },
    basis: (pe, pct, median, count, kind, list, cheapAt, expensiveAt) =>
      `trailing P/E ${pe} is ${pct}% vs the median ${median} of ${count} ${kind} (${list}); ` +
      `cheap at or below ${cheapAt}%, expensive at or above +${expensiveAt}%`,
    noCompanyScore: 'Valuation: no score, no company info is stored for this ticker.',
    label: { cheap: 'cheap', fair: 'fair', expensive: 'expensive' },
    peVsPeers: (pe, pct, median, label) => `P/E ${pe} is ${pct}% vs the peers' median ${median} (${label})`,
    forward: (forward, pe, growth) => `forward P/E ${forward} vs trailing ${pe} implies earnings ${growth}%`,
    upside: (target, upside, analysts) => `analysts' mean target ${target} is ${upside}% from the price` + (analysts === null ? '' : ` (${analysts} analysts)`),
    missingPeVsPeers: (basis) => `P/E vs peers (${basis})`,
    missingForward: 'forward vs trailing P/E (one of them is missing)',
    missingUpside: "upside to the analysts' target (no target)",
  },
  risk: {
    regime: (regime) => `volatility regime is ${regime}`,
    wideRange: 'daily range (ATR %) is wider than on most days of the past year',
    overbought: 'RSI is overbought: short-term pullback risk',
    oversold: 'RSI is oversold: the fall may continue before any rebound',
    nearHigh: 'price is near its one-year high',
    nearLow: 'price is near its one-year low',
    negativeNews: 'recent news is mostly negative',
    earnings: (date, days) => {
      const when = days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`;
      return `earnings are due on ${date} (${when}): results can move the price sharply`;
    },
  },
  fxMethod: (monthBars) =>
    `rate = THB per unit of the listing currency (Yahoo pair XXXTHB=X), the last one on or before the report's last bar; ` +
    `1-month return = close vs the close ${monthBars} bars earlier, in THB each close is multiplied by the rate on or ` +
    'before its date; change_1m_pct is the rate over the same two dates; change_1d_pct is the last rate vs the one before.',
  peerMethod: PEER_METHOD,
};

/** Thai sentences end without a full stop; a space separates them, as in the narrative. */
const TH: ReportPhrases = {
  titles: {
    trend: 'แนวโน้ม',
    momentum: 'โมเมนตัม',
    volatility_risk: 'ความเสี่ยงจากความผันผวน',
    volume_liquidity: 'ปริมาณและสภาพคล่อง',
    news_sentiment: 'กระแสข่าว',
    relative_strength: 'ความแข็งแกร่งเทียบกลุ่ม',
    valuation: 'มูลค่า',
  },
  directions: {
    trend: 'คะแนนสูง = ราคายิ่งอยู่เหนือเส้นค่าเฉลี่ยที่กำลังขึ้น',
    momentum: 'คะแนนสูง = โมเมนตัมขาขึ้นหนักแน่นกว่า; RSI ที่สูงมากได้คะแนนลดลงเพราะตึงตัว',
    volatility_risk: 'คะแนนสูง = ราคานิ่งกว่า ความเสี่ยงต่ำกว่า; ความผันผวนที่สูงขึ้นทำให้คะแนนลดลง',
    volume_liquidity: 'คะแนนสูง = ซื้อขายคึกคักกว่าปกติ',
    news_sentiment: 'คะแนนสูง = ข่าวเป็นบวกมากกว่า',
    relative_strength: 'คะแนนสูง = ทำได้ดีกว่ากลุ่มเปรียบเทียบ',
    valuation: 'คะแนนสูง = ถูกกว่ากลุ่มเปรียบเทียบ กำไรมีแนวโน้มเติบโต และยังห่างจากราคาเป้าหมาย',
  },
  part: (describe, score) => `${describe} → ${score}`,
  missing: (items) => (items.length > 0 ? ` ขาดข้อมูล: ${items.join('; ')}` : ''),
  scored: (title, score, direction, parts, missing) => `${title} ${score}/10 (${direction}) จาก ${parts.join('; ')}${missing}`,
  unscored: (title, missing) => `${title}: ยังให้คะแนนไม่ได้ เพราะไม่มีข้อมูลที่ต้องใช้${missing}`,
  noScore: (title, why) => `${title}: ยังให้คะแนนไม่ได้ ${why}`,
  trend: {
    price: 'ราคา',
    gap: (a, av, gap, b, bv) => `${a} ${av} ห่าง ${gap}% จาก ${b} ${bv}`,
    needsBars: (sma, bars) => `${sma} (ต้องมีข้อมูล ${bars} แท่ง)`,
    orderMissing: (a, b) => `ลำดับของ ${a} กับ ${b}`,
    order: (order, kind) => ` ลำดับ: ${order} (${{ bullish: 'เรียงตัวเป็นขาขึ้นเต็มรูปแบบ', bearish: 'เรียงตัวเป็นขาลงเต็มรูปแบบ', mixed: 'ปะปนกัน' }[kind]})`,
  },
  momentum: {
    rsiLabel: { overbought: 'ซื้อมากเกินไป ตึงตัว', firm: 'แข็งแรง', neutral: 'ระดับกลาง', weak: 'อ่อนแรง', oversold: 'ขายมากเกินไป' },
    rsi: (value, label) => `RSI 14 ${value} (${label}; คะแนนสูงสุดที่ 65)`,
    hist: (value, pct, positive) => `ฮิสโตแกรม MACD ${value} (${pct}% ของราคา ${positive ? 'เป็นบวก' : 'เป็นลบ'})`,
    histPercentile: (p) => `ฮิสโตแกรม MACD อยู่ที่เปอร์เซ็นไทล์ ${p} ของประวัติตัวเอง`,
    missingRsi: 'RSI 14 (ต้องมีข้อมูล 15 แท่ง)',
    missingHist: 'ฮิสโตแกรม MACD (ต้องมีข้อมูล 34 แท่ง)',
    missingHistPercentile: 'เปอร์เซ็นไทล์ของฮิสโตแกรม MACD (ต้องมีค่าฮิสโตแกรม 20 ค่า)',
  },
  volatility: {
    atrPercentile: (atrPct, p) => `ATR% ${atrPct === null ? '' : `${atrPct}% `}อยู่ที่เปอร์เซ็นไทล์ ${p} ของประวัติตัวเอง`,
    atrAbsolute: (atrPct) => `ATR% ${atrPct}% (ยังไม่มีเปอร์เซ็นไทล์ จึงใช้ระดับจริง)`,
    vol30: (v) => `ความผันผวนรายปีจาก 30 วัน ${v}%`,
    vsPeers: (v) => `ความผันผวน ${v}% เทียบค่ากลางของกลุ่มเปรียบเทียบ`,
    missingAtr: 'ATR% (ต้องมีข้อมูล 15 แท่ง) และเปอร์เซ็นไทล์',
    missingVol30: 'ความผันผวนรายปีจาก 30 วัน (ต้องมีข้อมูล 31 แท่ง)',
    missingVsPeers: 'ความผันผวนเทียบค่ากลางของกลุ่ม (ไม่มีกลุ่มเปรียบเทียบ)',
  },
  volume: {
    ratio: (r) => `ปริมาณซื้อขาย ${r} เท่าของค่าเฉลี่ย 20 วัน`,
    ratioPercentile: (p) => `อัตราส่วนปริมาณซื้อขายอยู่ที่เปอร์เซ็นไทล์ ${p} ของประวัติตัวเอง`,
    missingRatio: 'อัตราส่วนปริมาณซื้อขาย (ต้องมีข้อมูล 20 แท่ง)',
    missingRatioPercentile: 'เปอร์เซ็นไทล์ของอัตราส่วนปริมาณซื้อขาย (ต้องมีอัตราส่วน 20 ค่า)',
  },
  news: {
    noSource: 'ไม่มีข่าวของหุ้นตัวนี้ (แหล่งข่าวไม่ได้ส่งผลมา)',
    noSentiment: 'ยังไม่ได้คำนวณโทนข่าว (ไม่มีหัวข้อข่าวในช่วงนี้)',
    noItems: 'ไม่มีข่าวในช่วงนี้ (0 ข่าว)',
    noShares: 'ไม่มีสัดส่วนข่าวบวกและข่าวลบ',
    scored: (score, positive, negative, net, count, weight, shrink) =>
      `กระแสข่าว ${score}/10 (คะแนนสูง = ข่าวเป็นบวกมากกว่า) จากข่าวบวก ${positive}% ` +
      `ลบข่าวลบ ${negative}% = ${net} จุด จาก ${count} ข่าว ` +
      `ถ่วงน้ำหนัก ${weight} ตามจำนวนข่าว (จำนวน / (จำนวน + ${shrink}))`,
  },
  relative: {
    noPeers: 'ความแข็งแกร่งเทียบกลุ่ม: ยังให้คะแนนไม่ได้ ไม่มีกลุ่มเปรียบเทียบของหุ้นตัวนี้',
    noReturn: 'ความแข็งแกร่งเทียบกลุ่ม: ยังให้คะแนนไม่ได้ ไม่มีผลตอบแทน 1 เดือนเทียบค่ากลางของกลุ่ม (ประวัติราคาร่วมกันยังสั้นเกินไป)',
    scored: (score, points) => `ความแข็งแกร่งเทียบกลุ่ม ${score}/10 (คะแนนสูง = ทำได้ดีกว่ากลุ่มเปรียบเทียบ) จากผลตอบแทน 1 เดือน ${points} จุด เทียบค่ากลางของกลุ่ม`,
  },
  valuation: {
    noCompany: 'ไม่มีข้อมูลบริษัทของหุ้นตัวนี้ จึงประเมินมูลค่าไม่ได้',
    noPe: 'แหล่งข้อมูลไม่มี P/E ย้อนหลัง (กองทุนไม่มีค่านี้ บริษัทที่ไม่มีกำไรก็ไม่มี)',
    notPositive: (pe) => `P/E ย้อนหลัง ${pe} ไม่เป็นบวก การเทียบ P/E จึงไม่มีความหมาย`,
    fewPeers: (pe, minPeers) => `P/E ย้อนหลัง ${pe} แต่หุ้นในกลุ่มที่มี P/E ให้เทียบมีไม่ถึง ${minPeers} ตัว`,
    kind: { sector: 'หุ้นกลุ่มเดียวกัน', correlated: 'หุ้นที่เคลื่อนไหวสัมพันธ์กันมากที่สุด' },
    basis: (pe, pct, median, count, kind, list, cheapAt, expensiveAt) =>
      `P/E ย้อนหลัง ${pe} ห่าง ${pct}% จากค่ากลาง ${median} ของ${kind} ${count} ตัว (${list}); ` +
      `ถูกเมื่อต่ำกว่าหรือเท่ากับ ${cheapAt}% แพงเมื่อสูงกว่าหรือเท่ากับ +${expensiveAt}%`,
    noCompanyScore: 'มูลค่า: ยังให้คะแนนไม่ได้ ไม่มีข้อมูลบริษัทของหุ้นตัวนี้',
    label: { cheap: 'ถูกกว่ากลุ่ม', fair: 'สมเหตุสมผล', expensive: 'แพงกว่ากลุ่ม' },
    peVsPeers: (pe, pct, median, label) => `P/E ${pe} ห่าง ${pct}% จากค่ากลางของกลุ่ม ${median} (${label})`,
    forward: (forward, pe, growth) => `P/E ล่วงหน้า ${forward} เทียบ P/E ย้อนหลัง ${pe} สะท้อนกำไรที่คาดว่าจะเปลี่ยนไป ${growth}%`,
    upside: (target, upside, analysts) =>
      `ราคาเป้าหมายเฉลี่ยของนักวิเคราะห์ ${target} ห่างจากราคาปัจจุบัน ${upside}%` + (analysts === null ? '' : ` (นักวิเคราะห์ ${analysts} ราย)`),
    missingPeVsPeers: (basis) => `P/E เทียบกลุ่ม (${basis})`,
    missingForward: 'P/E ล่วงหน้าเทียบ P/E ย้อนหลัง (ขาดค่าใดค่าหนึ่ง)',
    missingUpside: 'ส่วนต่างถึงราคาเป้าหมายของนักวิเคราะห์ (ไม่มีราคาเป้าหมาย)',
  },
  risk: {
    regime: (regime) => `ความผันผวนอยู่ในระดับ${regime === 'extreme' ? 'สูงมาก' : 'สูง'}`,
    wideRange: 'ช่วงแกว่งรายวัน (ATR %) กว้างกว่าวันส่วนใหญ่ในรอบปีที่ผ่านมา',
    overbought: 'RSI อยู่ในเขตซื้อมากเกินไป เสี่ยงต่อการย่อตัวระยะสั้น',
    oversold: 'RSI อยู่ในเขตขายมากเกินไป ราคาอาจลงต่อก่อนจะเด้งกลับ',
    nearHigh: 'ราคาอยู่ใกล้จุดสูงสุดในรอบหนึ่งปี',
    nearLow: 'ราคาอยู่ใกล้จุดต่ำสุดในรอบหนึ่งปี',
    negativeNews: 'ข่าวช่วงนี้ส่วนใหญ่เป็นลบ',
    earnings: (date, days) =>
      `ประกาศงบวันที่ ${date} (${days === 0 ? 'วันนี้' : `อีก ${days} วัน`}) ผลประกอบการอาจทำให้ราคาเคลื่อนไหวแรง`,
  },
  fxMethod: (monthBars) =>
    'อัตรา = บาทต่อหนึ่งหน่วยของสกุลเงินที่หุ้นจดทะเบียน (คู่เงิน XXXTHB=X ของ Yahoo) ค่าล่าสุดในหรือก่อนวันของแท่งสุดท้ายของรายงาน; ' +
    `ผลตอบแทน 1 เดือน = ราคาปิดเทียบราคาปิดเมื่อ ${monthBars} แท่งก่อน ในหน่วยบาทราคาปิดแต่ละวันคูณด้วยอัตราในหรือก่อนวันนั้น; ` +
    'change_1m_pct คือการเปลี่ยนแปลงของอัตราระหว่างสองวันเดียวกัน; change_1d_pct คืออัตราล่าสุดเทียบกับอัตราก่อนหน้า',
  peerMethod:
    `สหสัมพันธ์แบบเพียร์สันของผลตอบแทนรายวันแบบลอการิทึม ${PEER_WINDOW_RETURNS} วันล่าสุดบนปฏิทินร่วมของทั้งกลุ่ม ` +
    `(แต่ละคู่ต้องมีวันซื้อขายร่วมกันอย่างน้อย ${MIN_OVERLAP} วัน); เลือก ${TOP_PEERS} ตัวที่สหสัมพันธ์สูงสุด; ` +
    'ผลตอบแทน 1 เดือน = ราคาปิดเทียบราคาปิดเมื่อ 21 แท่งก่อน; ความผันผวน = ส่วนเบี่ยงเบนมาตรฐานของผลตอบแทนลอการิทึม 30 วันล่าสุด × √252; ' +
    'ค่ามัธยฐานคิดจากกลุ่มเปรียบเทียบอันดับต้น',
};

export const REPORT_PHRASES: Record<Language, ReportPhrases> = { en: EN, th: TH };
