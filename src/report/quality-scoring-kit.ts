/**
 * What the four quality scorers share (quality-scores.ts combines them): the input and the shape of a dimension, the
 * penalties, the reading of the narrative (headings, sections, prose), the clause-level reading of a term (negated,
 * conditional, approaching), and the recommendations the prose states. Pure: no I/O, no clock.
 *
 * Word lists (th and en together; every list is applied to both languages since Thai prose carries English terms).
 */
import {
  DISCLAIMERS,
  NARRATIVE_SECTIONS,
  SECTION_HEADINGS,
  type Facts,
  type Language,
  type NarrativeSection,
  type Recommendation,
  type SemanticStates,
  type Stance,
} from './narrative-contract.js';

export interface Dimension {
  /** 0–100, one decimal. */
  score: number;
  /** Each 0–100, one decimal. */
  sub_scores: Record<string, number>;
  /** One line per lost point: what is wrong and where. Empty when the dimension is perfect. */
  issues: string[];
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

/** A section body with fewer words than this counts as empty. */
export const MIN_SECTION_WORDS = 5;

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

/** "approaching overbought": allows the approaching_* RSI zones. */
const APPROACHING = {
  en: /\b(?:approaching|approaches|approach|nearing|nears|near|close to|closer to|toward|towards|edging|verge of|brink of)\b/i,
  th: /ใกล้|เกือบ|เฉียด/,
};

/** The same, written after the term ("overbought territory is getting close", "โซนซื้อมากเกินไปใกล้เข้ามา"). */
const APPROACHING_AFTER = /^[^.!?;\n]{0,30}?(?:\b(?:getting|drawing|coming|moving|edging) (?:close|closer|near|nearer)\b|\bis (?:close|near)\b|\bin sight\b|\bnot far\b|ใกล้เข้ามา|ใกล้ถึง|ใกล้แล้ว)/iu;

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

export const round1 = (x: number): number => Math.round(x * 10) / 10;

export const clamp100 = (x: number): number => Math.min(100, Math.max(0, x));

export const penalised = (count: number, each: number): number => clamp100(100 - count * each);

export function weighted<K extends string>(subs: Record<K, number>, weights: Record<K, number>): number {
  let sum = 0;
  let w = 0;
  for (const k of Object.keys(weights) as K[]) {
    sum += subs[k] * weights[k];
    w += weights[k];
  }
  return w === 0 ? 0 : sum / w;
}

export function roundAll(subs: Record<string, number>): Record<string, number> {
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
export function findAll(patterns: readonly RegExp[], text: string): Hit[] {
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
export function snippet(text: string, index: number, end: number, radius = 30): string {
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
export function clauseSuffix(text: string, end: number, maxChars = 20): string {
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
export function isNotAClaim(text: string, index: number, end: number): boolean {
  const before = clausePrefix(text, index);
  const after = clauseSuffix(text, end, 30);
  return (
    isNegatedOrConditional(text, index) ||
    NEGATION_AFTER.test(after) ||
    ALTERNATIVE_BEFORE.test(before) ||
    ALTERNATIVE_AFTER.test(after)
  );
}

export function isNegated(text: string, index: number): boolean {
  const p = clausePrefix(text, index);
  return NEGATION.en.test(p) || NEGATION.th.test(p);
}

export function isApproaching(text: string, index: number, end: number): boolean {
  const p = clausePrefix(text, index, 20);
  return APPROACHING.en.test(p) || APPROACHING.th.test(p) || APPROACHING_AFTER.test(clauseSuffix(text, end, 40));
}

interface Heading {
  level: number;
  text: string;
  lineStart: number;
  lineEnd: number;
}

export interface ParsedNarrative {
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

export function parseNarrative(narrative: string, language: Language): ParsedNarrative {
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

export function sectionText(parsed: ParsedNarrative, section: NarrativeSection): string | null {
  const r = parsed.sectionRanges[section];
  return r ? parsed.prose.slice(r.start, r.end) : null;
}

export interface StatedRecommendation {
  recommendation: Recommendation;
  index: number;
  end: number;
}

/** Recommendations stated in the action section (the whole prose when that section is missing). */
export function statedRecommendations(parsed: ParsedNarrative): StatedRecommendation[] {
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
