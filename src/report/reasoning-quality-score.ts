/**
 * reasoning_quality: claims agree with the semantic states ("overbought" only when RSI is overbought, "uptrend" only
 * in an up trend...), the stated recommendation is the decided one, bullish/bearish words agree with the stance. Pure.
 */
import type { Fact, Facts, SemanticStates } from './narrative-contract.js';
import {
  clausePrefix,
  clauseSuffix,
  type Dimension,
  findAll,
  isApproaching,
  isNotAClaim,
  type ParsedNarrative,
  penalised,
  PENALTIES,
  round1,
  roundAll,
  type ScoreNarrativeInput,
  snippet,
  type StatedRecommendation,
  weighted,
} from './quality-scoring-kit.js';

export const REASONING_WEIGHTS = { state_claims: 0.4, recommendation: 0.3, stance_words: 0.2, decision_coherence: 0.1 } as const;

/** A share figure in the same clause makes it a statement of shares, not of tone ("ข่าวร้ายมีเพียง 20.0%"). */
const SHARE_AFTER = /^[^.!?;\n]{0,24}?[+\-−]?\d[\d,.]*\s?%/u;

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

function rsiFact(facts: Facts): Fact | undefined {
  const all = Object.values(facts);
  return (
    all.find((f) => /^RSI(?:_?14)?$/i.test(f.key)) ??
    all.find((f) => /RSI/i.test(f.key) && !/PCT|PERCENTILE|RANK/i.test(f.key))
  );
}

export function scoreReasoning(parsed: ParsedNarrative, input: ScoreNarrativeInput, stated: StatedRecommendation[]): Dimension {
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
