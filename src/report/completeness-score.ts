/**
 * completeness: every dimension whose data exists is covered (by its fact values and/or its th/en keywords), plus a
 * recommendation and a risk/watch statement. Pure.
 */
import type { Fact } from './narrative-contract.js';
import type { TracedToken } from './number-tracing.js';
import {
  type Dimension,
  MIN_SECTION_WORDS,
  type ParsedNarrative,
  round1,
  roundAll,
  type ScoreNarrativeInput,
  sectionText,
  type StatedRecommendation,
} from './quality-scoring-kit.js';
import { countWords } from './word-count.js';

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

function factDimension(f: Fact): CoverageDimension | null {
  const key = `${f.key} ${f.label}`;
  for (const [dim, re] of FACT_DIMENSIONS) if (re.test(key)) return dim;
  return null;
}

export function scoreCompleteness(
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
