/**
 * Rule-based quality scores of a finished narrative (after number injection), 0–100 each:
 *
 * - faithfulness: every number in the prose is traced to a fact within half a unit of the fact's last printed decimal;
 *   no `{PLACEHOLDER}` is left.
 * - completeness: every dimension whose data exists is covered (by its fact values and/or its th/en keywords), plus
 *   a recommendation and a risk/watch statement.
 * - reasoning_quality: claims agree with the semantic states ("overbought" only when RSI is overbought, "uptrend"
 *   only in an up trend...), the stated recommendation is the decided one, bullish/bearish words agree with the stance.
 * - compliance: the four headings in order, length within WORD_TARGETS (Intl.Segmenter words, never whitespace),
 *   the disclaimer, no promise of returns, prose rather than lists/tables, the narrative's language dominant.
 *
 * overall = 0.4 faithfulness + 0.2 completeness + 0.2 reasoning_quality + 0.2 compliance (QUALITY_WEIGHTS).
 * Every rule, weight and word list is below, in one place; each lost point comes with an issue saying why.
 * Pure: no I/O, no clock.
 */
import {
  DISCLAIMERS,
  NARRATIVE_SECTIONS,
  SECTION_HEADINGS,
  WORD_TARGETS,
  type Fact,
  type Facts,
  type FactUnit,
  type Language,
  type NarrativeSection,
  type Recommendation,
  type SemanticStates,
  type Stance,
} from './narrative-contract.js';
import { countWords } from './word-count.js';

export const QUALITY_SCORER_VERSION = 'daybreak-quality/1';

export interface Dimension {
  /** 0–100, one decimal. */
  score: number;
  /** Each 0–100, one decimal. */
  sub_scores: Record<string, number>;
  /** One line per lost point: what is wrong and where. Empty when the dimension is perfect. */
  issues: string[];
}

export interface QualityScores {
  faithfulness: Dimension;
  completeness: Dimension;
  reasoning_quality: Dimension;
  compliance: Dimension;
  overall: number;
  scorer_version: string;
}

export interface ScoreNarrativeInput {
  narrative: string;
  language: Language;
  facts: Facts;
  states: SemanticStates;
  stance: Stance;
  recommendation: Recommendation;
  newsCount: number;
  peerCount: number;
  /**
   * Optional proper names that may appear in the prose (company, peers): digits inside them are names, not data
   * ("Yuanta Taiwan Top 50 ETF", "3M").
   */
  names?: readonly string[];
}

export const QUALITY_WEIGHTS = { faithfulness: 0.4, completeness: 0.2, reasoning_quality: 0.2, compliance: 0.2 } as const;

/** Sub-score weights of each dimension (completeness is the plain mean of its applicable dimensions). */
export const FAITHFULNESS_WEIGHTS = { numbers_traced: 0.4, no_untraced_numbers: 0.4, placeholders_resolved: 0.2 } as const;
export const REASONING_WEIGHTS = { state_claims: 0.4, recommendation: 0.3, stance_words: 0.2, decision_coherence: 0.1 } as const;
export const COMPLIANCE_WEIGHTS = {
  structure: 0.3,
  length: 0.15,
  disclaimer: 0.2,
  no_return_promises: 0.2,
  prose_format: 0.05,
  language: 0.1,
} as const;

/** Points lost per defect, on the sub-score it belongs to (floored at 0). */
export const PENALTIES = {
  untracedNumber: 25,
  leftoverPlaceholder: 25,
  stateContradiction: 40,
  stanceContradiction: 40,
  missingHeading: 40,
  outOfOrderHeading: 20,
  foreignHeading: 20,
  inexactHeading: 10,
  extraHeading: 10,
  emptySection: 15,
  disclaimerNotLast: 20,
  returnPromise: 50,
  listOrTableLine: 25,
} as const;

/**
 * Compliance is capped here when a hard rule is broken — a missing section heading, a missing disclaimer or a promise
 * of returns — however good the rest is.
 */
export const COMPLIANCE_HARD_FAIL_CAP = 40;

/** A section body with fewer words than this counts as empty. */
const MIN_SECTION_WORDS = 5;

/** Share of the expected script among Thai + Latin letters: full marks at or above `full`, zero at or below `zero`. */
const SCRIPT_SHARE = { full: 0.7, zero: 0.3 } as const;

// ---------------------------------------------------------------------------------------------------------------
// Word lists (th and en together; every list is applied to both languages since Thai prose carries English terms)

/** Negation in the clause just before a term: the term is not claimed ("not overbought", "ยังไม่เข้าโซน..."). */
const NEGATION = {
  en: /\b(?:not|no|never|neither|nor|without|nothing|none|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|hasn['’]t|haven['’]t|doesn['’]t|don['’]t|didn['’]t|won['’]t|cannot|can['’]t|rather than|instead of|far from|away from|out of|no longer)\b/i,
  th: /ไม่|มิได้|มิใช่|ห่างจาก|ห่างไกล|แทนที่จะ|ออกจาก|พ้นจาก|หลุดจาก/,
};

/** Condition or possibility in the clause just before a term: a scenario, not a claim ("if RSI rises above 70 it would be overbought"). */
const CONDITIONAL = {
  en: /\b(?:if|unless|could|might|may|would|should|whether|in case|watch for|risk of|risk that|until|once)\b/i,
  th: /หาก|ถ้า|อาจ|จะ|จนกว่า|เมื่อใด|หรือไม่|เสี่ยงที่จะ|ในกรณี|ระวัง|เปิดทาง/,
};

/** Negation written after the term, in the same clause (Thai: "สรุปเป็นขาขึ้นไม่ได้" = cannot be called an uptrend). */
const NEGATION_AFTER = /^[^.!?;\n]{0,12}?(?:ไม่ได้|ไม่ใช่|มิใช่)/u;

/** The term is one of alternatives ("ขาขึ้นหรือขาลง", "uptrend or downtrend"): named, not claimed. */
const ALTERNATIVE_BEFORE = /(?:หรือ|\bor|\bnor)\s*$/iu;
const ALTERNATIVE_AFTER = /^\s*(?:หรือ|or\b|nor\b)/iu;

/** A share figure in the same clause makes it a statement of shares, not of tone ("ข่าวร้ายมีเพียง 20.0%"). */
const SHARE_AFTER = /^[^.!?;\n]{0,24}?[+\-−]?\d[\d,.]*\s?%/u;

/** "approaching overbought": allows the approaching_* RSI zones. */
const APPROACHING = {
  en: /\b(?:approaching|approaches|approach|nearing|nears|near|close to|closer to|toward|towards|edging|verge of|brink of)\b/i,
  th: /ใกล้|เกือบ|เฉียด/,
};
/** The same, written after the term ("overbought territory is getting close", "โซนซื้อมากเกินไปใกล้เข้ามา"). */
const APPROACHING_AFTER = /^[^.!?;\n]{0,30}?(?:\b(?:getting|drawing|coming|moving|edging) (?:close|closer|near|nearer)\b|\bis (?:close|near)\b|\bin sight\b|\bnot far\b|ใกล้เข้ามา|ใกล้ถึง|ใกล้แล้ว)/iu;

type StateKey = keyof SemanticStates;

interface ClaimRule {
  id: string;
  patterns: RegExp[];
  /** A match whose immediately preceding text ends with this is not the claim ("ความเสี่ยงขาลง" = downside risk). */
  notAfter?: RegExp;
  /** A match followed by this (same clause) is not the claim ("ข่าวเชิงลบ 17%" is a share, not a tone). */
  notBefore?: RegExp;
  state: StateKey;
  /** States that support the claim. */
  allowed: readonly string[];
  /** States that support the claim when it is qualified by an APPROACHING word. */
  allowedWhenApproaching?: readonly string[];
  /** What the claim needs, for the issue text. */
  needs: string;
  needsWhenApproaching?: string;
}

/** Claims about the data, each checked against one semantic state. */
export const STATE_CLAIM_RULES: readonly ClaimRule[] = [
  {
    id: 'overbought',
    patterns: [/\bover-?bought\b/giu, /ซื้อมากเกิน(?:ไป)?/gu, /ภาวะซื้อมาก/gu],
    state: 'rsi_zone',
    allowed: ['overbought'],
    allowedWhenApproaching: ['approaching_overbought', 'overbought'],
    needs: 'rsi_zone overbought (RSI ≥ 70)',
    needsWhenApproaching: 'rsi_zone approaching_overbought or overbought (RSI ≥ 60)',
  },
  {
    id: 'oversold',
    patterns: [/\bover-?sold\b/giu, /ขายมากเกิน(?:ไป)?/gu, /ภาวะขายมาก/gu],
    state: 'rsi_zone',
    allowed: ['oversold'],
    allowedWhenApproaching: ['approaching_oversold', 'oversold'],
    needs: 'rsi_zone oversold (RSI < 30)',
    needsWhenApproaching: 'rsi_zone approaching_oversold or oversold (RSI < 40)',
  },
  {
    id: 'uptrend',
    patterns: [/\bup-?trend\b/giu, /\bupward trend\b/giu, /\btrending (?:higher|up)\b/giu, /ขาขึ้น/gu, /แนวโน้มขึ้น/gu, /แนวโน้มเป็นบวก/gu],
    // "แรงส่งขาขึ้น" (upward momentum) is about momentum, "ด้านขาขึ้น" about upside: not trend claims.
    notAfter: /(?:ด้าน|ฝั่ง|โอกาส|ศักยภาพ|แรงส่ง|โมเมนตัม|สัญญาณ|แรงซื้อ)\s*$/u,
    state: 'trend',
    allowed: ['up', 'strong_up'],
    needs: 'trend up or strong_up',
  },
  {
    id: 'downtrend',
    patterns: [/\bdown-?trend\b/giu, /\bdownward trend\b/giu, /\btrending (?:lower|down)\b/giu, /ขาลง/gu, /แนวโน้มลง/gu, /แนวโน้มเป็นลบ/gu],
    notAfter: /(?:ด้าน|ฝั่ง|ความเสี่ยง|ความเสี่ยงด้าน|แรงส่ง|โมเมนตัม|สัญญาณ|แรงขาย)\s*$/u,
    state: 'trend',
    allowed: ['down', 'strong_down'],
    needs: 'trend down or strong_down',
  },
  {
    id: 'sideways',
    patterns: [/\bsideways\b/giu, /\brange-?bound\b/giu, /ไซด์เวย์/gu, /แกว่งตัวในกรอบ/gu],
    state: 'trend',
    allowed: ['sideways'],
    needs: 'trend sideways',
  },
  {
    id: 'high_volume',
    patterns: [
      /\b(?:heavy|high|strong|surging|above-average) (?:trading )?volume\b/giu,
      /\bvolume (?:surge|spike)/giu,
      /ปริมาณ(?:การ)?ซื้อขาย(?:สูง|หนาแน่น|พุ่ง|คึกคัก)/gu,
      /วอลุ่ม(?:สูง|พุ่ง)/gu,
    ],
    state: 'volume',
    allowed: ['high', 'surge'],
    needs: 'volume high or surge',
  },
  {
    id: 'low_volume',
    patterns: [
      /\b(?:light|low|thin|weak|below-average) (?:trading )?volume\b/giu,
      /ปริมาณ(?:การ)?ซื้อขาย(?:ต่ำ|เบาบาง|น้อย|ซบเซา)/gu,
      /วอลุ่ม(?:ต่ำ|เบาบาง)/gu,
    ],
    state: 'volume',
    allowed: ['low', 'very_low'],
    needs: 'volume low or very_low',
  },
  {
    id: 'high_volatility',
    patterns: [/\b(?:high|elevated|extreme) volatility\b/giu, /\bhighly volatile\b/giu, /ความผันผวนสูง(?!ขึ้น)/gu, /ผันผวนรุนแรง/gu],
    state: 'volatility_regime',
    allowed: ['high', 'extreme'],
    needs: 'volatility_regime high or extreme',
  },
  {
    id: 'low_volatility',
    patterns: [/\blow volatility\b/giu, /ความผันผวนต่ำ(?!ลง)/gu],
    state: 'volatility_regime',
    allowed: ['low'],
    needs: 'volatility_regime low',
  },
  {
    id: 'near_52w_high',
    patterns: [/\b(?:near|close to|at|just below) (?:its |the )?52-week high\b/giu, /ใกล้(?:กับ)?(?:ระดับ)?(?:จุด)?สูงสุด(?:ใน)?รอบ\s*52/gu],
    state: 'range_position',
    allowed: ['near_high'],
    needs: 'range_position near_high',
  },
  {
    id: 'near_52w_low',
    patterns: [/\b(?:near|close to|at|just above) (?:its |the )?52-week low\b/giu, /ใกล้(?:กับ)?(?:ระดับ)?(?:จุด)?ต่ำสุด(?:ใน)?รอบ\s*52/gu],
    state: 'range_position',
    allowed: ['near_low'],
    needs: 'range_position near_low',
  },
  {
    id: 'positive_news',
    patterns: [/\b(?:positive|upbeat|favou?rable) (?:news|headlines)\b/giu, /ข่าว(?:เชิงบวก|ดี|ด้านบวก)/gu],
    notBefore: SHARE_AFTER,
    state: 'news_tone',
    allowed: ['positive', 'mixed'],
    needs: 'news_tone positive or mixed',
  },
  {
    id: 'negative_news',
    patterns: [/\b(?:negative|downbeat|unfavou?rable) (?:news|headlines)\b/giu, /ข่าว(?:เชิงลบ|ร้าย|ด้านลบ)/gu],
    notBefore: SHARE_AFTER,
    state: 'news_tone',
    allowed: ['negative', 'mixed'],
    needs: 'news_tone negative or mixed',
  },
];

/**
 * Bullish / bearish words. Routed by the clause they sit in: next to MACD they are checked against macd_momentum,
 * next to news against news_tone, otherwise against the stance (where only the opposite stance contradicts: a
 * neutral stance may mention bullish and bearish signals).
 */
export const STANCE_WORDS = {
  bullish: [/\bbullish\b/giu, /มุมมองเชิงบวก/gu, /มุมมองบวก/gu, /สัญญาณเชิงบวก/gu, /กระทิง/gu],
  bearish: [/\bbearish\b/giu, /มุมมองเชิงลบ/gu, /มุมมองลบ/gu, /สัญญาณเชิงลบ/gu, /หมี/gu],
} as const;
const MACD_CONTEXT = /MACD|histogram|ฮิสโทแกรม/i;
const NEWS_CONTEXT = /\bnews\b|headline|ข่าว/i;
const MACD_ALLOWED = {
  bullish: ['strengthening_bullish', 'bullish', 'weakening'],
  bearish: ['strengthening_bearish', 'bearish', 'weakening'],
} as const;
const NEWS_ALLOWED = { bullish: ['positive', 'mixed'], bearish: ['negative', 'mixed'] } as const;

/** Explicit recommendations. Upper-case BUY/HOLD/SELL is case-sensitive; the phrases capture the verb. */
const RECOMMENDATION_PATTERNS: readonly RegExp[] = [
  /\b(BUY|HOLD|SELL)\b/gu,
  /\b(?:recommend(?:ation)?|our call|verdict|rating)\s*(?:is\s*)?[:\-–—]?\s*(?:to\s+|a\s+)?[*_]*\s*(buy|hold|sell)\b/giu,
  /(?:คำแนะนำ|แนะนำ(?:ให้)?)\s*[:：\-–—]?\s*[*_]*\s*(?:ทยอย|เข้า)?(ซื้อ|ถือ|ขาย)/gu,
];
const RECOMMENDATION_WORDS: Record<string, Recommendation> = {
  buy: 'BUY',
  hold: 'HOLD',
  sell: 'SELL',
  ซื้อ: 'BUY',
  ถือ: 'HOLD',
  ขาย: 'SELL',
};

/** Promises of returns (compliance). Negated uses ("nothing is guaranteed", "ไม่ได้รับประกัน") are allowed. */
export const RETURN_PROMISES: readonly RegExp[] = [
  /\bguarantee[ds]?\b/giu,
  /\brisk[- ]free\b/giu,
  /\b(?:no|zero) risk\b/giu,
  /\bcan['’]?t lose\b/giu,
  /\bcannot lose\b/giu,
  /\bwill definitely\b/giu,
  /\bsure(?:-fire)? (?:profit|thing|bet|win|gains?)\b/giu,
  /\bcertain (?:profit|gains?|returns?)\b/giu,
  /\b100\s?% (?:return|profit|gain)s?\b/giu,
  /\bdouble your money\b/giu,
  /\bno-brainer\b/giu,
  /\bcan['’]?t go wrong\b/giu,
  /\beasy money\b/giu,
  /\bwill (?:surely|certainly) (?:rise|go up|gain|climb|double|rally)\b/giu,
  /รับประกัน/gu,
  /การันตี/gu,
  /ไม่มีความเสี่ยง/gu,
  /ปลอดความเสี่ยง/gu,
  /ความเสี่ยงเป็นศูนย์/gu,
  /กำไรแน่(?:นอน|ๆ)?/gu,
  /รวยแน่/gu,
  /ไม่มีทางขาดทุน/gu,
  /ไม่ขาดทุนแน่/gu,
  /ขึ้นแน่นอน/gu,
  /ผลตอบแทนแน่นอน/gu,
  /เสือนอนกิน/gu,
  /ผลตอบแทน\s*100\s*%/gu,
];

/** Completeness keywords per dimension. */
type CoverageDimension = 'trend' | 'momentum' | 'volatility' | 'volume' | 'range_52w' | 'news' | 'peers';
export const COVERAGE_KEYWORDS: Record<CoverageDimension | 'risk_watch', readonly RegExp[]> = {
  trend: [/\btrend/i, /moving average/i, /\bSMA\b/, /\b\d+-day (?:average|line|moving)/i, /\bsideways\b/i, /แนวโน้ม/, /ขาขึ้น/, /ขาลง/, /เส้นค่าเฉลี่ย/, /ไซด์เวย์/],
  momentum: [/\bRSI\b/, /\bMACD\b/, /momentum/i, /overbought|oversold/i, /โมเมนตัม/, /แรงส่ง/, /ซื้อมากเกิน/, /ขายมากเกิน/],
  volatility: [/volatil/i, /\bATR\b/, /\bswing/i, /daily range/i, /Bollinger/i, /ผันผวน/, /แกว่ง/, /เหวี่ยง/],
  volume: [/\bvolume\b/i, /liquidity/i, /turnover/i, /ปริมาณ(?:การ)?ซื้อขาย/, /วอลุ่ม/, /สภาพคล่อง/],
  range_52w: [/52-week|52 week/i, /\b(?:year|yearly|one-year|12-month|annual) (?:high|low|range)\b/i, /52\s*สัปดาห์/, /รอบปี/, /รอบ\s*1\s*ปี/],
  news: [/\bnews\b/i, /headlines?/i, /\bsentiment\b/i, /ข่าว/],
  peers: [/\bpeers?\b/i, /\bsector\b/i, /similar (?:stocks|companies)/i, /\bcompetitors?\b/i, /\bcorrelat/i, /กลุ่มเดียวกัน/, /กลุ่มเปรียบเทียบ/, /หุ้นในกลุ่ม/, /คู่แข่ง/, /เทียบกับกลุ่ม/, /สหสัมพันธ์/],
  risk_watch: [
    /\brisks?\b/i, /\bwatch/i, /\bif\b/i, /\bsupport\b/i, /\bresistance\b/i, /\bstops?\b/i, /\bhurdle/i, /\bbreak/i,
    /\bbelow\b/i, /\babove\b/i, /\bbeware\b/i, /\bcaution/i, /\bpullback/i, /\bposition size/i,
    /ความเสี่ยง/, /จับตา/, /ระวัง/, /หาก/, /ถ้า/, /แนวรับ/, /แนวต้าน/, /ติดตาม/, /เฝ้าดู/, /สัญญาณเตือน/, /หลุด/, /ทะลุ/,
  ],
};

/**
 * Which dimension a fact belongs to, from its key and label; first match wins. Bollinger bands belong to none: the
 * prose uses them as price levels.
 */
const FACT_DIMENSIONS: readonly [CoverageDimension, RegExp][] = [
  ['momentum', /RSI|MACD/i],
  ['volatility', /ATR|VOLATIL|VOL_?30/i],
  ['volume', /VOLUME|TURNOVER/i],
  ['range_52w', /52_?W|52-week|52 week|RANGE_POS/i],
  ['news', /NEWS|SENTIMENT/i],
  ['peers', /PEER/i],
  ['trend', /SMA|EMA|TREND|MOVING[ _]AVERAGE/i],
];

const COVERAGE_LABELS: Record<CoverageDimension, string> = {
  trend: 'trend (moving averages)',
  momentum: 'momentum (RSI/MACD)',
  volatility: 'volatility (ATR / annualised volatility)',
  volume: 'volume',
  range_52w: '52-week range position',
  news: 'news',
  peers: 'peers',
};

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const round1 = (x: number): number => Math.round(x * 10) / 10;
const clamp100 = (x: number): number => Math.min(100, Math.max(0, x));
const penalised = (count: number, each: number): number => clamp100(100 - count * each);

function weighted<K extends string>(subs: Record<K, number>, weights: Record<K, number>): number {
  let sum = 0;
  let w = 0;
  for (const k of Object.keys(weights) as K[]) {
    sum += subs[k] * weights[k];
    w += weights[k];
  }
  return w === 0 ? 0 : sum / w;
}

function roundAll(subs: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(subs)) out[k] = round1(v);
  return out;
}

function globalRe(re: RegExp): RegExp {
  return re.flags.includes('g') ? new RegExp(re.source, re.flags) : new RegExp(re.source, `${re.flags}g`);
}

interface Hit {
  text: string;
  index: number;
  end: number;
  groups: (string | undefined)[];
}

/** All matches of all patterns, overlapping ones merged (first start wins), in text order. */
function findAll(patterns: readonly RegExp[], text: string): Hit[] {
  const hits: Hit[] = [];
  for (const p of patterns) {
    for (const m of text.matchAll(globalRe(p))) {
      hits.push({ text: m[0], index: m.index, end: m.index + m[0].length, groups: m.slice(1) });
    }
  }
  hits.sort((a, b) => a.index - b.index || b.end - a.end);
  const out: Hit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (last && h.index < last.end) continue;
    out.push(h);
  }
  return out;
}

/** A short one-line excerpt around [index, end). */
function snippet(text: string, index: number, end: number, radius = 30): string {
  const from = Math.max(0, index - radius);
  const to = Math.min(text.length, end + radius);
  const body = text.slice(from, to).replace(/\s+/g, ' ').trim();
  return `"${from > 0 ? '…' : ''}${body}${to < text.length ? '…' : ''}"`;
}

const THAI_CHAR = '[\\u0E01-\\u0E5B]';
/** Clause boundaries: sentence punctuation, new lines, and (in Thai) a space between two Thai characters. */
const CLAUSE_BREAK = new RegExp(`[!?;\\n]|\\.(?=\\s|$)|(?<=${THAI_CHAR})\\s+(?=${THAI_CHAR})`, 'gu');

/** The text of the same clause just before `index`, at most `maxChars` long. */
export function clausePrefix(text: string, index: number, maxChars = 40): string {
  const before = text.slice(Math.max(0, index - maxChars), index);
  let cut = 0;
  for (const m of before.matchAll(CLAUSE_BREAK)) cut = m.index + m[0].length;
  return before.slice(cut);
}

/** The text of the same clause just after `end`, at most `maxChars` long. */
function clauseSuffix(text: string, end: number, maxChars = 20): string {
  const after = text.slice(end, end + maxChars);
  const m = new RegExp(CLAUSE_BREAK.source, 'u').exec(after);
  return m ? after.slice(0, m.index) : after;
}

function isNegatedOrConditional(text: string, index: number): boolean {
  const p = clausePrefix(text, index);
  return NEGATION.en.test(p) || NEGATION.th.test(p) || CONDITIONAL.en.test(p) || CONDITIONAL.th.test(p);
}

/**
 * Whether a matched term at [index, end) is not asserted: negated or conditional before it, negated after it (Thai),
 * or one of alternatives ("X or Y").
 */
function isNotAClaim(text: string, index: number, end: number): boolean {
  const before = clausePrefix(text, index);
  const after = clauseSuffix(text, end, 30);
  return (
    isNegatedOrConditional(text, index) ||
    NEGATION_AFTER.test(after) ||
    ALTERNATIVE_BEFORE.test(before) ||
    ALTERNATIVE_AFTER.test(after)
  );
}

function isNegated(text: string, index: number): boolean {
  const p = clausePrefix(text, index);
  return NEGATION.en.test(p) || NEGATION.th.test(p);
}

function isApproaching(text: string, index: number, end: number): boolean {
  const p = clausePrefix(text, index, 20);
  return APPROACHING.en.test(p) || APPROACHING.th.test(p) || APPROACHING_AFTER.test(clauseSuffix(text, end, 40));
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing the narrative

interface Heading {
  level: number;
  text: string;
  lineStart: number;
  lineEnd: number;
}

interface ParsedNarrative {
  original: string;
  /** The narrative with heading lines and disclaimers blanked out (same length, new lines kept): the prose. */
  prose: string;
  headings: Heading[];
  /** Offset of this language's disclaimer, -1 when absent. */
  disclaimerAt: number;
  otherDisclaimerAt: number;
  /** Body range (in `prose` offsets) of each section whose heading was found. */
  sectionRanges: Partial<Record<NarrativeSection, { start: number; end: number; heading: Heading }>>;
  /** How each expected heading was found. */
  headingMatches: Record<NarrativeSection, { heading: Heading; kind: 'exact' | 'inexact' | 'foreign' } | null>;
}

function blank(chars: string[], start: number, end: number): void {
  for (let i = start; i < end; i++) if (chars[i] !== '\n') chars[i] = ' ';
}

const normaliseHeading = (s: string): string => s.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}]+/gu, '').toLowerCase();

function otherLanguage(language: Language): Language {
  return language === 'th' ? 'en' : 'th';
}

function parseNarrative(narrative: string, language: Language): ParsedNarrative {
  const text = narrative.replace(/\r\n?/g, '\n');
  const chars = text.split(''); // UTF-16 units: blanking keeps every offset
  const headings: Heading[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) headings.push({ level: m[1]!.length, text: m[2]!.trim(), lineStart: offset, lineEnd: offset + line.length });
    offset += line.length + 1;
  }
  for (const h of headings) blank(chars, h.lineStart, h.lineEnd);

  const disclaimerAt = text.lastIndexOf(DISCLAIMERS[language]);
  if (disclaimerAt >= 0) blank(chars, disclaimerAt, disclaimerAt + DISCLAIMERS[language].length);
  const other = DISCLAIMERS[otherLanguage(language)];
  const otherDisclaimerAt = text.lastIndexOf(other);
  if (otherDisclaimerAt >= 0) blank(chars, otherDisclaimerAt, otherDisclaimerAt + other.length);
  const prose = chars.join('');

  const used = new Set<Heading>();
  const headingMatches = {} as ParsedNarrative['headingMatches'];
  for (const section of NARRATIVE_SECTIONS) {
    const expected = SECTION_HEADINGS[language][section];
    const foreign = SECTION_HEADINGS[otherLanguage(language)][section];
    const level2 = headings.filter((h) => h.level === 2 && !used.has(h));
    const exact = level2.find((h) => h.text === expected);
    const inexact = exact ? undefined : level2.find((h) => normaliseHeading(h.text) === normaliseHeading(expected));
    const foreignHit = exact || inexact ? undefined : level2.find((h) => normaliseHeading(h.text) === normaliseHeading(foreign));
    const found = exact ?? inexact ?? foreignHit;
    if (found) used.add(found);
    headingMatches[section] = found ? { heading: found, kind: exact ? 'exact' : inexact ? 'inexact' : 'foreign' } : null;
  }

  const sectionRanges: ParsedNarrative['sectionRanges'] = {};
  const sorted = [...headings].sort((a, b) => a.lineStart - b.lineStart);
  for (const section of NARRATIVE_SECTIONS) {
    const hm = headingMatches[section];
    if (!hm) continue;
    const next = sorted.find((h) => h.lineStart > hm.heading.lineStart);
    let end = next ? next.lineStart : text.length;
    if (disclaimerAt > hm.heading.lineEnd && disclaimerAt < end) end = disclaimerAt;
    sectionRanges[section] = { start: hm.heading.lineEnd, end, heading: hm.heading };
  }

  return { original: text, prose, headings, disclaimerAt, otherDisclaimerAt, sectionRanges, headingMatches };
}

function sectionText(parsed: ParsedNarrative, section: NarrativeSection): string | null {
  const r = parsed.sectionRanges[section];
  return r ? parsed.prose.slice(r.start, r.end) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers

export type NumberKind = 'percent' | 'ratio' | 'plain';

export interface NumberToken {
  raw: string;
  value: number;
  kind: NumberKind;
  /** Printed with an explicit + or − sign. */
  signed: boolean;
  /** Digits after the decimal point as printed. */
  decimals: number;
  index: number;
  end: number;
}

/**
 * A number as printed: optional sign (only when not glued to a preceding letter or digit), digits with optional
 * thousands commas, optional decimals, then an optional unit: `%` / เปอร์เซ็นต์ (percent), `x` / `×` / เท่า (ratio).
 * Digits glued to a Latin letter (NVDA80, SMA200, Q3) are names, not numbers.
 */
const NUMBER_RE =
  /(?<![A-Za-z0-9_])([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:(\s?(?:%|เปอร์เซ็นต์))|(\s?เท่า)|([x×])(?![A-Za-z]))?/gu;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;
const THAI_DIGITS = /[๐-๙]/g;

/** Every number token in `text` (ISO dates skipped; Thai digits read as Arabic ones). */
export function extractNumbers(text: string): NumberToken[] {
  const t = text
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(ISO_DATE, (d) => ' '.repeat(d.length));
  const out: NumberToken[] = [];
  for (const m of t.matchAll(NUMBER_RE)) {
    const sign = m[1] ?? '';
    const intPart = m[2]!.replace(/,/g, '');
    const frac = m[3] ?? '';
    const magnitude = Number(frac ? `${intPart}.${frac}` : intPart);
    const value = sign === '-' || sign === '−' ? -magnitude : magnitude;
    const kind: NumberKind = m[4] ? 'percent' : m[5] || m[6] ? 'ratio' : 'plain';
    out.push({ raw: m[0], value, kind, signed: sign !== '', decimals: frac.length, index: m.index, end: m.index + m[0].length });
  }
  return out;
}

const UNIT_KINDS: Record<NumberKind, readonly FactUnit[]> = {
  percent: ['percent', 'signed_percent'],
  ratio: ['ratio'],
  plain: ['price', 'number', 'count'],
};

/** Half a unit of the fact's last printed decimal, plus 1e-9 for binary round-off. */
export function factTolerance(fact: Fact): number {
  return 0.5 * 10 ** -Math.max(0, fact.decimals) + 1e-9;
}

function printFact(f: Fact): string {
  const n = f.value.toFixed(Math.max(0, f.decimals));
  switch (f.unit) {
    case 'percent':
      return `${n}%`;
    case 'signed_percent':
      return `${f.value > 0 ? '+' : ''}${n}%`;
    case 'ratio':
      return `${n}x`;
    default:
      return n;
  }
}

/** Indicator windows and look-back lengths that the prose may name without them being data. */
const STRUCTURAL_WINDOWS = new Set([1, 3, 5, 6, 9, 12, 14, 20, 26, 30, 50, 52, 200, 252]);
const INDICATOR_BEFORE = /(?:SMA|EMA|RSI|ATR|MACD|VWAP|BB|Bollinger|เส้นค่าเฉลี่ย(?:เคลื่อนที่)?|ค่าเฉลี่ย(?:เคลื่อนที่)?)\s*[([]?\s*$/iu;
const PERIOD_AFTER =
  /^\s*-?\s*(?:trading days?|days?|weeks?|months?|years?|sessions?|bars?|วันทำการ|วัน|สัปดาห์|เดือน|ปี|แท่ง|เซสชัน)/iu;
const LIST_SEPARATOR = /^\s*(?:,|\/|&|and|or|และ|หรือ|-|–)\s*$/iu;
/** Index and fund names carry numbers that are names, not data ("S&P 500", "SET50", "Taiwan Top 50 ETF"). */
const INDEX_NAME_BEFORE = /(?:S&P|SET|FTSE|Nikkei|NASDAQ|Nasdaq|Russell|MSCI|CSI|KOSPI|STOXX|DAX|CAC|Hang Seng|ASX|TOPIX|Nifty|Sensex|Dow Jones|Top)\s*$/u;
const INDEX_NAME_AFTER = /^\s*(?:ETF|Index|index|Fund|ดัชนี)\b/u;
/** Conventional RSI thresholds (20/30/70/80) right after a threshold word in a clause that names RSI. */
const RSI_THRESHOLDS = new Set([20, 30, 70, 80]);
const THRESHOLD_WORD_BEFORE = /(?:above|below|over|under|past|cross(?:es)?|exceeds?|beyond|than|of|เกิน|กว่า|ระดับ|เส้น|ทะลุ|หลุด|เหนือ)\s*$/iu;

interface TracedToken extends NumberToken {
  status: 'traced' | 'structural' | 'untraced' | 'unit_mismatch';
  matches: Fact[];
  valueOnly: Fact[];
}

function isYear(tok: NumberToken): boolean {
  return tok.kind === 'plain' && !tok.signed && tok.decimals === 0 && !tok.raw.includes(',') &&
    ((tok.value >= 1990 && tok.value <= 2100) || (tok.value >= 2533 && tok.value <= 2643));
}

function traceNumbers(prose: string, facts: Facts, names: readonly string[] = []): TracedToken[] {
  const factList = Object.values(facts).filter((f) => Number.isFinite(f.value));
  const tokens: TracedToken[] = extractNumbers(prose).map((tok) => {
    const matches: Fact[] = [];
    const valueOnly: Fact[] = [];
    for (const f of factList) {
      if (Math.abs(tok.value - f.value) > factTolerance(f)) continue;
      (UNIT_KINDS[tok.kind].includes(f.unit) ? matches : valueOnly).push(f);
    }
    const status = matches.length > 0 ? 'traced' : valueOnly.length > 0 ? 'unit_mismatch' : 'untraced';
    return { ...tok, status, matches, valueOnly };
  });

  const windowCandidate = (t: TracedToken): boolean =>
    t.status !== 'traced' && t.kind === 'plain' && !t.signed && t.decimals === 0 && STRUCTURAL_WINDOWS.has(t.value);
  const nameRanges: [number, number][] = [];
  for (const name of names) {
    if (!/\d/.test(name)) continue;
    for (let at = prose.indexOf(name); at >= 0; at = prose.indexOf(name, at + 1)) nameRanges.push([at, at + name.length]);
  }
  for (const t of tokens) {
    if (nameRanges.some(([a, b]) => t.index >= a && t.end <= b)) {
      t.status = 'structural';
      continue;
    }
    if (t.status === 'traced') continue;
    const before = prose.slice(Math.max(0, t.index - 40), t.index);
    const after = prose.slice(t.end, t.end + 20);
    if (isYear(t)) t.status = 'structural';
    else if (t.kind === 'plain' && !t.signed && t.decimals === 0 && (INDEX_NAME_BEFORE.test(before) || INDEX_NAME_AFTER.test(after))) {
      t.status = 'structural';
    }
    else if (windowCandidate(t) && (INDICATOR_BEFORE.test(before) || PERIOD_AFTER.test(after) || /\d\/\s*$/.test(before) || /^\/\d/.test(after))) {
      t.status = 'structural';
    } else if (
      t.kind === 'plain' && !t.signed && t.decimals === 0 && RSI_THRESHOLDS.has(t.value) &&
      THRESHOLD_WORD_BEFORE.test(before) && /RSI/i.test(clausePrefix(prose, t.index))
    ) {
      t.status = 'structural';
    }
  }
  // Lists of windows ("SMA 20, 50 and 200"): a window number next to a structural one, across a separator, is one too.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!windowCandidate(t) || t.status === 'structural') continue;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      const joined = (a: TracedToken | undefined, b: TracedToken | undefined): boolean =>
        !!a && !!b && LIST_SEPARATOR.test(prose.slice(a.end, b.index));
      if ((prev?.status === 'structural' && joined(prev, t)) || (next?.status === 'structural' && joined(t, next))) {
        t.status = 'structural';
      }
    }
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------------
// Faithfulness

function scoreFaithfulness(parsed: ParsedNarrative, tokens: TracedToken[], facts: Facts): Dimension {
  const issues: string[] = [];
  const checked = tokens.filter((t) => t.status !== 'structural');
  const traced = checked.filter((t) => t.status === 'traced');
  const bad = checked.filter((t) => t.status !== 'traced');
  const factList = Object.values(facts).filter((f) => Number.isFinite(f.value));

  for (const t of bad) {
    const where = snippet(parsed.original, t.index, t.end);
    if (t.status === 'unit_mismatch') {
      const f = t.valueOnly[0]!;
      issues.push(
        `number "${t.raw.trim()}" is printed as ${t.kind === 'plain' ? 'a plain number' : `a ${t.kind}`} but the fact ` +
          `with that value, ${f.key} (${printFact(f)}), is a ${f.unit}: ${where}`,
      );
      continue;
    }
    const sameKind = factList.filter((f) => UNIT_KINDS[t.kind].includes(f.unit));
    const pool = sameKind.length > 0 ? sameKind : factList;
    let nearest: Fact | undefined;
    for (const f of pool) if (!nearest || Math.abs(f.value - t.value) < Math.abs(nearest.value - t.value)) nearest = f;
    const hint = nearest ? ` (nearest fact: ${nearest.key} = ${printFact(nearest)} ± ${factTolerance(nearest).toPrecision(2)})` : ' (no facts given)';
    issues.push(`number "${t.raw.trim()}" matches no fact within tolerance${hint}: ${where}`);
  }

  const leftovers = findAll([/\{[^{}\n]{1,60}\}/gu], parsed.prose);
  for (const h of leftovers) issues.push(`unresolved placeholder ${h.text}: ${snippet(parsed.original, h.index, h.end)}`);

  if (checked.length === 0) {
    issues.push('no numbers found in the prose: faithfulness holds vacuously (numbers_traced = 100); completeness marks the missing figures');
  }

  const subs = {
    numbers_traced: checked.length === 0 ? 100 : (traced.length * 100) / checked.length,
    no_untraced_numbers: penalised(bad.length, PENALTIES.untracedNumber),
    placeholders_resolved: penalised(leftovers.length, PENALTIES.leftoverPlaceholder),
  };
  return { score: round1(weighted(subs, FAITHFULNESS_WEIGHTS)), sub_scores: roundAll(subs), issues };
}

// ---------------------------------------------------------------------------------------------------------------
// Recommendation detection (used by completeness and reasoning)

interface StatedRecommendation {
  recommendation: Recommendation;
  index: number;
  end: number;
}

/** Recommendations stated in the action section (the whole prose when that section is missing). */
function statedRecommendations(parsed: ParsedNarrative): StatedRecommendation[] {
  const range = parsed.sectionRanges.action;
  const start = range ? range.start : 0;
  const text = range ? parsed.prose.slice(range.start, range.end) : parsed.prose;
  const found: StatedRecommendation[] = [];
  for (const h of findAll(RECOMMENDATION_PATTERNS, text)) {
    const word = h.groups.find((g) => g !== undefined);
    const rec = word === undefined ? undefined : RECOMMENDATION_WORDS[word.toLowerCase()] ?? RECOMMENDATION_WORDS[word];
    if (!rec) continue;
    if (isNegatedOrConditional(parsed.prose, start + h.index)) continue;
    found.push({ recommendation: rec, index: start + h.index, end: start + h.end });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Completeness

function factDimension(f: Fact): CoverageDimension | null {
  const key = `${f.key} ${f.label}`;
  for (const [dim, re] of FACT_DIMENSIONS) if (re.test(key)) return dim;
  return null;
}

function scoreCompleteness(
  parsed: ParsedNarrative,
  tokens: TracedToken[],
  input: ScoreNarrativeInput,
  stated: StatedRecommendation[],
): Dimension {
  const { facts, states } = input;
  const issues: string[] = [];
  const subs: Record<string, number> = {};
  // A figure credits its dimension only when it matches one fact: a value shared by two facts proves neither.
  const shownKeys = new Set(tokens.filter((t) => t.status === 'traced' && t.matches.length === 1).map((t) => t.matches[0]!.key));
  const factsByDim = new Map<CoverageDimension, Fact[]>();
  for (const f of Object.values(facts)) {
    const d = factDimension(f);
    if (d) factsByDim.set(d, [...(factsByDim.get(d) ?? []), f]);
  }

  const applicable: Record<CoverageDimension, boolean> = {
    trend: states.trend !== 'unknown',
    momentum: states.rsi_zone !== 'unknown' || states.macd_momentum !== 'unknown',
    volatility: states.volatility_regime !== 'unknown',
    volume: states.volume !== 'unknown',
    range_52w: states.range_position !== 'unknown',
    news: input.newsCount > 0,
    peers: input.peerCount > 0,
  };
  for (const dim of Object.keys(applicable) as CoverageDimension[]) {
    const dimFacts = factsByDim.get(dim) ?? [];
    // News and peers follow their counts alone; the others also apply when a fact of theirs exists.
    const applies = applicable[dim] || (dim !== 'news' && dim !== 'peers' && dimFacts.length > 0);
    if (!applies) continue;
    const mentioned = COVERAGE_KEYWORDS[dim].some((re) => re.test(parsed.prose));
    const shown = dimFacts.some((f) => shownKeys.has(f.key));
    const label = COVERAGE_LABELS[dim];
    if (mentioned && (shown || dimFacts.length === 0)) subs[dim] = 100;
    else if (mentioned) {
      subs[dim] = 75;
      issues.push(`${label} is mentioned but none of its figures is shown (${dimFacts.map((f) => f.key).join(', ')})`);
    } else if (shown) {
      subs[dim] = 75;
      issues.push(`${label}: its figures appear but the text never names it`);
    } else {
      subs[dim] = 0;
      issues.push(`${label} is not covered although its data exists: no figure of it and no ${label} keyword`);
    }
  }

  if (stated.length > 0) subs.recommendation = 100;
  else {
    subs.recommendation = 0;
    issues.push('no explicit recommendation (BUY / HOLD / SELL, ซื้อ / ถือ / ขาย) in the action section');
  }

  const watch = sectionText(parsed, 'watch');
  const watchRange = parsed.sectionRanges.watch;
  const riskWords = (s: string): boolean => COVERAGE_KEYWORDS.risk_watch.some((re) => re.test(s));
  const levelInWatch = !!watchRange && tokens.some((t) => t.status === 'traced' && t.index >= watchRange.start && t.index < watchRange.end);
  if (watch !== null && countWords(watch, input.language) >= MIN_SECTION_WORDS && (riskWords(watch) || levelInWatch)) {
    subs.risk_watch = 100;
  }
  else if (riskWords(parsed.prose)) {
    subs.risk_watch = 50;
    issues.push('risks are mentioned, but not in a substantive "what to watch" section');
  } else {
    subs.risk_watch = 0;
    issues.push('no risk or watch statement (levels, conditions or risks to monitor)');
  }

  const values = Object.values(subs);
  const score = values.reduce((a, b) => a + b, 0) / values.length;
  return { score: round1(score), sub_scores: roundAll(subs), issues };
}

// ---------------------------------------------------------------------------------------------------------------
// Reasoning quality

function rsiFact(facts: Facts): Fact | undefined {
  const all = Object.values(facts);
  return (
    all.find((f) => /^RSI(?:_?14)?$/i.test(f.key)) ??
    all.find((f) => /RSI/i.test(f.key) && !/PCT|PERCENTILE|RANK/i.test(f.key))
  );
}

function scoreReasoning(parsed: ParsedNarrative, input: ScoreNarrativeInput, stated: StatedRecommendation[]): Dimension {
  const { states, stance, recommendation, facts } = input;
  const issues: string[] = [];
  const text = parsed.prose;
  const rsi = rsiFact(facts);
  const rsiNote = rsi ? `, RSI ${rsi.value.toFixed(Math.max(0, rsi.decimals))}` : '';

  let stateContradictions = 0;
  for (const rule of STATE_CLAIM_RULES) {
    for (const h of findAll(rule.patterns, text)) {
      if (rule.notAfter && rule.notAfter.test(text.slice(Math.max(0, h.index - 12), h.index))) continue;
      if (rule.notBefore && rule.notBefore.test(clauseSuffix(text, h.end, 30))) continue;
      if (isNotAClaim(text, h.index, h.end)) continue;
      const approaching = rule.allowedWhenApproaching !== undefined && isApproaching(text, h.index, h.end);
      const allowed = approaching ? rule.allowedWhenApproaching! : rule.allowed;
      const actual = states[rule.state];
      if (allowed.includes(actual)) continue;
      stateContradictions++;
      const needs = approaching ? rule.needsWhenApproaching! : rule.needs;
      const extra = rule.state === 'rsi_zone' ? rsiNote : '';
      issues.push(
        `"${h.text}" claimed${approaching ? ' (as approaching)' : ''} but ${rule.state} is ${actual}${extra}; ` +
          `it needs ${needs}: ${snippet(parsed.original, h.index, h.end)}`,
      );
    }
  }

  let stanceContradictions = 0;
  for (const side of ['bullish', 'bearish'] as const) {
    for (const h of findAll(STANCE_WORDS[side], text)) {
      if (isNotAClaim(text, h.index, h.end)) continue;
      const clause = `${clausePrefix(text, h.index)} ${clauseSuffix(text, h.end)}`;
      const where = snippet(parsed.original, h.index, h.end);
      if (MACD_CONTEXT.test(clause)) {
        if ((MACD_ALLOWED[side] as readonly string[]).includes(states.macd_momentum)) continue;
        stateContradictions++;
        issues.push(`"${h.text}" said of MACD but macd_momentum is ${states.macd_momentum}: ${where}`);
      } else if (NEWS_CONTEXT.test(clause)) {
        if ((NEWS_ALLOWED[side] as readonly string[]).includes(states.news_tone)) continue;
        stateContradictions++;
        issues.push(`"${h.text}" said of the news but news_tone is ${states.news_tone}: ${where}`);
      } else {
        const opposite = side === 'bullish' ? 'bearish' : 'bullish';
        if (stance !== opposite) continue;
        stanceContradictions++;
        issues.push(`${side} wording "${h.text}" contradicts the ${stance} stance: ${where}`);
      }
    }
  }

  let recommendationScore: number;
  const wrong = stated.filter((s) => s.recommendation !== recommendation);
  if (stated.length === 0) {
    recommendationScore = 50;
    issues.push(`no explicit recommendation found to check against the decision ${recommendation}`);
  } else if (wrong.length > 0) {
    recommendationScore = 0;
    for (const w of wrong) {
      issues.push(
        `the action section recommends ${w.recommendation} but the decision is ${recommendation}: ` +
          snippet(parsed.original, w.index, w.end),
      );
    }
  } else recommendationScore = 100;

  let coherence = 100;
  if ((stance === 'bullish' && recommendation === 'SELL') || (stance === 'bearish' && recommendation === 'BUY')) {
    coherence = 0;
    issues.push(`the decision itself is incoherent: ${stance} stance with a ${recommendation} recommendation`);
  }

  const subs = {
    state_claims: penalised(stateContradictions, PENALTIES.stateContradiction),
    recommendation: recommendationScore,
    stance_words: penalised(stanceContradictions, PENALTIES.stanceContradiction),
    decision_coherence: coherence,
  };
  return { score: round1(weighted(subs, REASONING_WEIGHTS)), sub_scores: roundAll(subs), issues };
}

// ---------------------------------------------------------------------------------------------------------------
// Compliance

/** Words counted for the length target: the prose of the sections, headings and the disclaimer excluded. */
function proseWords(parsed: ParsedNarrative, language: Language): number {
  return countWords(parsed.prose, language);
}

function scoreCompliance(parsed: ParsedNarrative, input: ScoreNarrativeInput): Dimension {
  const { language } = input;
  const issues: string[] = [];
  let hardFail = false;

  // Structure: the four headings, exact, in order, each with a body; no other headings.
  let structure = 100;
  const headings = SECTION_HEADINGS[language];
  const foundOrder: number[] = [];
  for (const section of NARRATIVE_SECTIONS) {
    const hm = parsed.headingMatches[section];
    if (!hm) {
      structure -= PENALTIES.missingHeading;
      hardFail = true;
      issues.push(`missing section heading "## ${headings[section]}" (${section})`);
      continue;
    }
    if (hm.kind === 'inexact') {
      structure -= PENALTIES.inexactHeading;
      issues.push(`heading "## ${hm.heading.text}" is not exactly "## ${headings[section]}"`);
    } else if (hm.kind === 'foreign') {
      structure -= PENALTIES.foreignHeading;
      issues.push(`heading "## ${hm.heading.text}" is in the wrong language; expected "## ${headings[section]}"`);
    }
    const last = foundOrder[foundOrder.length - 1];
    if (last !== undefined && hm.heading.lineStart < last) {
      structure -= PENALTIES.outOfOrderHeading;
      issues.push(`section "## ${headings[section]}" is out of order (expected order: ${NARRATIVE_SECTIONS.join(', ')})`);
    }
    foundOrder.push(hm.heading.lineStart);
    const body = sectionText(parsed, section) ?? '';
    if (countWords(body, language) < MIN_SECTION_WORDS) {
      structure -= PENALTIES.emptySection;
      issues.push(`section "## ${headings[section]}" is empty or nearly so`);
    }
  }
  const matched = new Set(Object.values(parsed.headingMatches).flatMap((m) => (m ? [m.heading] : [])));
  for (const h of parsed.headings) {
    if (matched.has(h)) continue;
    structure -= PENALTIES.extraHeading;
    issues.push(`unexpected heading "${'#'.repeat(h.level)} ${h.text}"`);
  }
  structure = clamp100(structure);

  // Length, in Intl.Segmenter words of the prose (never whitespace-separated tokens: Thai has no spaces between words).
  const words = proseWords(parsed, language);
  const target = WORD_TARGETS[language];
  let length = 100;
  if (words < target.min) {
    length = clamp100(100 - (200 * (target.min - words)) / target.min);
    issues.push(`too short: ${words} words (Intl.Segmenter, ${language}, prose without headings/disclaimer); target ${target.min}–${target.max}`);
  } else if (words > target.max) {
    length = clamp100(100 - (200 * (words - target.max)) / target.max);
    issues.push(`too long: ${words} words (Intl.Segmenter, ${language}, prose without headings/disclaimer); target ${target.min}–${target.max}`);
  }

  // Disclaimer: this language's text, closing the narrative.
  let disclaimer: number;
  if (parsed.disclaimerAt >= 0) {
    const after = parsed.original.slice(parsed.disclaimerAt + DISCLAIMERS[language].length);
    const lastHeading = Math.max(-1, ...parsed.headings.map((h) => h.lineStart));
    if (/[\p{L}\p{N}]/u.test(after) || parsed.disclaimerAt < lastHeading) {
      disclaimer = 100 - PENALTIES.disclaimerNotLast;
      issues.push('the disclaimer is present but does not close the narrative');
    } else disclaimer = 100;
  } else if (parsed.otherDisclaimerAt >= 0) {
    disclaimer = 50;
    issues.push(`the disclaimer is in the wrong language; expected: "${DISCLAIMERS[language]}"`);
  } else {
    disclaimer = 0;
    hardFail = true;
    issues.push(`missing disclaimer: "${DISCLAIMERS[language]}"`);
  }

  // Promises of returns.
  let promises = 0;
  for (const h of findAll(RETURN_PROMISES, parsed.prose)) {
    if (isNegated(parsed.prose, h.index)) continue;
    promises++;
    issues.push(`promise of returns "${h.text}": ${snippet(parsed.original, h.index, h.end)}`);
  }
  if (promises > 0) hardFail = true;

  // Prose format: no bullet or numbered lists, no tables, no code blocks.
  let formatLines = 0;
  for (const line of parsed.prose.split('\n')) {
    const kind = /^\s*(?:[-*+•]\s+|\d+[.)]\s+)/.test(line)
      ? 'list item'
      : /^\s*\|.*\|\s*$/.test(line)
        ? 'table row'
        : /^\s*(?:```|~~~)/.test(line)
          ? 'code fence'
          : null;
    if (!kind) continue;
    formatLines++;
    issues.push(`${kind} in prose (narratives are paragraphs): "${line.trim().slice(0, 60)}"`);
  }

  // Language: the expected script's share of Thai + Latin letters.
  const thai = (parsed.prose.match(/\p{Script=Thai}/gu) ?? []).filter((c) => /\p{L}/u.test(c)).length;
  const latin = (parsed.prose.match(/\p{Script=Latin}/gu) ?? []).length;
  const total = thai + latin;
  const share = total === 0 ? 0 : (language === 'th' ? thai : latin) / total;
  const languageScore = clamp100(((share - SCRIPT_SHARE.zero) / (SCRIPT_SHARE.full - SCRIPT_SHARE.zero)) * 100);
  if (languageScore < 100) {
    issues.push(
      `${language === 'th' ? 'Thai' : 'Latin'} script is ${Math.round(share * 100)}% of the letters; ` +
        `${language} prose needs ≥ ${SCRIPT_SHARE.full * 100}%`,
    );
  }

  const subs = {
    structure,
    length,
    disclaimer,
    no_return_promises: penalised(promises, PENALTIES.returnPromise),
    prose_format: penalised(formatLines, PENALTIES.listOrTableLine),
    language: languageScore,
  };
  let score = weighted(subs, COMPLIANCE_WEIGHTS);
  if (hardFail && score > COMPLIANCE_HARD_FAIL_CAP) {
    score = COMPLIANCE_HARD_FAIL_CAP;
    issues.push(`compliance capped at ${COMPLIANCE_HARD_FAIL_CAP}: a hard rule is broken (missing heading, missing disclaimer or promise of returns)`);
  }
  return { score: round1(score), sub_scores: roundAll(subs), issues };
}

// ---------------------------------------------------------------------------------------------------------------

export function scoreNarrative(input: ScoreNarrativeInput): QualityScores {
  const parsed = parseNarrative(input.narrative, input.language);
  const tokens = traceNumbers(parsed.prose, input.facts, input.names);
  const stated = statedRecommendations(parsed);

  const faithfulness = scoreFaithfulness(parsed, tokens, input.facts);
  const completeness = scoreCompleteness(parsed, tokens, input, stated);
  const reasoning_quality = scoreReasoning(parsed, input, stated);
  const compliance = scoreCompliance(parsed, input);
  const overall = round1(
    QUALITY_WEIGHTS.faithfulness * faithfulness.score +
      QUALITY_WEIGHTS.completeness * completeness.score +
      QUALITY_WEIGHTS.reasoning_quality * reasoning_quality.score +
      QUALITY_WEIGHTS.compliance * compliance.score,
  );
  return { faithfulness, completeness, reasoning_quality, compliance, overall, scorer_version: QUALITY_SCORER_VERSION };
}
