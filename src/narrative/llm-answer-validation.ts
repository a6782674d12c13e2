/**
 * Checks, repairs or rejects one answer of the `llm` narrative writer (llm-narrative-writer.ts); a rejected answer
 * falls back to the template writer.
 *
 * Validation of an answer, one pass (`validateLlmAnswer`):
 * 1. Clean-up (repairs, reported in one `llm answer repaired: …` warning): code fences stripped; headings matched to
 *    the four sections whatever their level (`#`…`######`), emoji, bold-only line or language, then rewritten as the
 *    exact `## ` headings; other headings and any preamble before the first section dropped; sections put back in
 *    order; bullet / numbered lists turned into a paragraph; tables and rules dropped; malformed placeholders
 *    normalised (`{{RSI}}`, `{ RSI }`, `{rsi}`, `[RSI]` → `{RSI}` when RSI is a fact) and units typed after a
 *    placeholder dropped (`{ATR_PCT}%`); the disclaimer (either language) removed from the prose and appended last.
 * 2. Sentences (Thai: clauses, report/sentences.ts) are removed, with a warning naming why, when they hold a
 *    placeholder that is not in the catalogue, a digit outside placeholders and known names (any script: 0-9, ๐-๙…),
 *    a number spelled out before a unit ("ten percent", "ห้าสิบดอลลาร์"), or a promise of returns.
 * 3. Rejected (→ fallback, `llm answer rejected: …`): empty answer or truncated at max_tokens; a section missing,
 *    repeated or empty; more than a third of the sentences removed; the narrative's language under 70% of the
 *    letters (Thai asked → Thai letters / (Thai + Latin), placeholders and names excluded); a recommendation that
 *    contradicts the decision; under half the word target; any number the quality scorer cannot trace to a fact
 *    after injection (the last guard: no unverified number is ever published).
 * 4. An action section without an explicit recommendation gets the decided one prepended by code (warned).
 */
import { injectFacts } from '../report/facts.js';
import {
  DISCLAIMERS,
  NARRATIVE_SECTIONS,
  SECTION_HEADINGS,
  WORD_TARGETS,
  type Language,
  type NarrativeSection,
  type Recommendation,
} from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { clausePrefix, RETURN_PROMISES, scoreNarrative } from '../report/quality-scores.js';
import { splitSentences } from '../report/sentences.js';
import { countWords } from '../report/word-count.js';
import { RECOMMENDATION_LABEL } from './llm-prompt.js';
import type { NarrativePlan } from './narrative-writer.js';
import { displayName } from './template-kit.js';

/** Answers in which more than this share of sentences had to be removed are rejected. */
export const MAX_REMOVED_SHARE = 1 / 3;
/** Share of the narrative language's script among Thai + Latin letters below which an answer is rejected. */
export const MIN_SCRIPT_SHARE = 0.7;
/** Answers shorter than this share of the word target's minimum are rejected (a truncated or lazy answer). */
export const MIN_LENGTH_SHARE = 0.5;
/** A section with fewer words than this after repairs is empty. */
const MIN_SECTION_WORDS = 5;

export type LlmValidation =
  | { ok: true; template: string; warnings: string[] }
  | { ok: false; reason: string; warnings: string[] };

const DEMO_NOTICE: Record<Language, string> = {
  th: '> **ข้อมูลสาธิต (demo):** รายงานฉบับนี้คำนวณจากราคาจำลองที่ระบบสร้างขึ้นเอง ไม่ใช่ราคาซื้อขายจริงในตลาด จึงใช้ได้เพื่อทดลองระบบเท่านั้น',
  en: '> **Demo data:** this report is computed from synthetic prices generated offline, not real market data. Use it only to try the system out.',
};

/** Emoji and key words that identify a section heading when its text is not exact. */
const SECTION_CUES: Record<NarrativeSection, { emoji: string; words: RegExp }> = {
  story: { emoji: '📖', words: /เรื่องราว|ภาพรวม|\bstory\b|\boverview\b|big picture/i },
  know: { emoji: '💡', words: /ต้องรู้|ควรรู้|need to know|\bknow\b|key points/i },
  action: { emoji: '🎯', words: /ควรทำอะไร|ทำอะไรตอนนี้|คำแนะนำ|what to do|\baction\b|recommendation/i },
  watch: { emoji: '⚠', words: /จับตา|ระวัง|ความเสี่ยง|\bwatch\b|\brisks?\b/i },
};

/** A short paragraph that is a disclaimer in other words. */
const DISCLAIMER_LIKE = /ไม่ใช่(?:การ)?คำแนะนำ(?:ใน)?การลงทุน|เพื่อการศึกษาเท่านั้น|\bnot (?:an? )?(?:investment|financial) advice\b|\bfor (?:educational|education|informational) purposes only\b|\bfor education only\b/i;

const normaliseHeading = (s: string): string => s.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}]+/gu, '').toLowerCase();

/** Which section a line heads, if it is a heading (or a bold-only / bare line spelling a heading). */
function headingOf(line: string): { section: NarrativeSection | null; syntax: boolean; exact: boolean } | null {
  const md = /^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$/.exec(line);
  const bold = md ? null : /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$/.exec(line);
  const text = (md ? md[2]! : bold ? bold[1]! : line).replace(/[*_:]+/g, ' ').trim();
  const n = normaliseHeading(text);
  if (!md && !bold && n === '') return null;
  for (const lang of ['th', 'en'] as const) {
    for (const s of NARRATIVE_SECTIONS) {
      if (n === normaliseHeading(SECTION_HEADINGS[lang][s])) {
        return { section: s, syntax: Boolean(md || bold), exact: Boolean(md) && md![1] === '##' && text === SECTION_HEADINGS[lang][s] };
      }
    }
  }
  if (!md && !bold) return null; // a bare line is a heading only when it spells one exactly
  // A Markdown heading is matched by its emoji, else by its key words; a bold line only by a leading emoji (a bold
  // sentence such as "**คำแนะนำ: ถือ (HOLD)**" is prose, not a heading).
  for (const s of NARRATIVE_SECTIONS) {
    if (md ? text.includes(SECTION_CUES[s].emoji) : text.startsWith(SECTION_CUES[s].emoji)) return { section: s, syntax: true, exact: false };
  }
  if (md) {
    const hits = NARRATIVE_SECTIONS.filter((s) => SECTION_CUES[s].words.test(text));
    if (hits.length === 1) return { section: hits[0]!, syntax: true, exact: false };
    return { section: null, syntax: true, exact: false };
  }
  return null;
}

/** Proper names the prose may contain, digits and all (ticker symbols such as NVDA19, "Taiwan Top 50 ETF"). */
function allowedNames(inputs: NarrativeInputs): string[] {
  const t = inputs.ticker;
  const names = [t.symbol, t.name, displayName(t.name), t.exchange, t.sector ?? ''];
  for (const p of inputs.peers?.top ?? []) names.push(p.ticker, p.name, displayName(p.name));
  names.push(...(inputs.peers?.sector_mates ?? []));
  return [...new Set(names.filter((n) => n.trim().length > 0))].sort((a, b) => b.length - a.length);
}

function maskNames(text: string, names: readonly string[]): string {
  let out = text;
  for (const n of names) out = out.split(n).join(' ');
  return out;
}

const PLACEHOLDER_ANY = /\{([^{}\n]*)\}/g;
const PLACEHOLDER_WELL_FORMED = /\{([A-Z][A-Z0-9_]*)\}/g;
const ANY_DIGIT = /\p{Nd}/u;
const EN_NUMBER_WORD =
  '(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion)';
/** A number spelled out right before a unit: "ten percent", "fifty-two dollars", "ห้าสิบดอลลาร์", "ร้อยละห้า". */
const SPELLED_NUMBER: readonly RegExp[] = [
  new RegExp(`\\b${EN_NUMBER_WORD}(?:[\\s-]+(?:and[\\s-]+)?${EN_NUMBER_WORD})*[\\s-]*(?:percent|per cent|percentage points?|dollars?|baht|yen|cents?)\\b`, 'i'),
  /(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่สิบ|เอ็ด|ร้อย|พัน|หมื่น|แสน|ล้าน)+\s*(?:เปอร์เซ็นต์|เปอร์เซนต์|ดอลลาร์|บาท|เยน|หยวน|ยูโร|ดอง|จุด|เท่า(?!กับ|นั้น|เทียม|ไร|ที่))/u,
  /ร้อยละ\s*(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่สิบ)/u,
];

/** Negation or condition in the clause just before a term (mirrors the quality scorer's reading). */
const NOT_A_CLAIM = {
  en: /\b(?:not|no|never|neither|nor|without|rather than|instead of|no longer|if|unless|could|might|may|would|should|whether|until|once|avoid)\b/i,
  th: /ไม่|มิได้|มิใช่|แทนที่จะ|หาก|ถ้า|อาจ|จะ|จนกว่า|เมื่อใด|หรือไม่|ในกรณี|ระวัง/,
};

const notAClaim = (text: string, index: number): boolean => {
  const p = clausePrefix(text, index);
  return NOT_A_CLAIM.en.test(p) || NOT_A_CLAIM.th.test(p);
};

const RECOMMENDATION_PATTERNS: readonly RegExp[] = [
  /\b(BUY|HOLD|SELL)\b/gu,
  /\b(?:recommend(?:ation)?|our call|verdict|rating)\s*(?:is\s*)?[:\-–—]?\s*(?:to\s+|a\s+)?[*_]*\s*(buy|hold|sell)\b/giu,
  /(?:คำแนะนำ|แนะนำ(?:ให้)?)\s*[:：\-–—]?\s*[*_]*\s*(?:ทยอย|เข้า)?(ซื้อ|ถือ|ขาย)/gu,
];
const RECOMMENDATION_WORDS: Record<string, Recommendation> = { buy: 'BUY', hold: 'HOLD', sell: 'SELL', ซื้อ: 'BUY', ถือ: 'HOLD', ขาย: 'SELL' };

function statedRecommendations(text: string): { rec: Recommendation; snippet: string }[] {
  const out: { rec: Recommendation; snippet: string; index: number }[] = [];
  for (const re of RECOMMENDATION_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const word = m[1]!;
      const rec = RECOMMENDATION_WORDS[word.toLowerCase()] ?? RECOMMENDATION_WORDS[word];
      if (!rec || notAClaim(text, m.index)) continue;
      if (out.some((o) => Math.abs(o.index - m.index) < 12)) continue; // "ซื้อ (BUY)" is one statement
      out.push({ rec, index: m.index, snippet: text.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, ' ').trim() });
    }
  }
  return out;
}

interface Section {
  section: NarrativeSection;
  lines: string[];
}

function stripFences(text: string): { text: string; stripped: boolean } {
  const whole = /^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\s*\1\s*$/.exec(text);
  if (whole) return { text: whole[2]!, stripped: true };
  const lines = text.split('\n');
  const kept = lines.filter((l) => !/^\s*(?:`{3,}|~{3,})/.test(l));
  return { text: kept.join('\n'), stripped: kept.length !== lines.length };
}

function snippetOf(sentence: string): string {
  const s = sentence.replace(/\s+/g, ' ').trim();
  return `"${s.length > 60 ? `${s.slice(0, 60)}…` : s}"`;
}

/**
 * Checks, repairs or rejects one answer of the model (see the file header for the rules). On success `template` is
 * the narrative in the template writer's exact format, placeholders still in it.
 */
export function validateLlmAnswer(answer: string, inputs: NarrativeInputs, plan: NarrativePlan): LlmValidation {
  const lang = inputs.language;
  const facts = plan.facts;
  const isFact = (k: string): boolean => Object.prototype.hasOwnProperty.call(facts, k);
  const warnings: string[] = [];
  const repairs: string[] = [];
  const reject = (reason: string): LlmValidation => ({ ok: false, reason, warnings });

  let text = answer.replace(/\r\n?/g, '\n').replace(/\u200b/g, '').trim();
  if (text === '') return reject('empty answer');
  const fences = stripFences(text);
  text = fences.text;
  if (fences.stripped) repairs.push('code fences removed');

  // The disclaimer (either language) is taken out of the prose; code appends this language's at the end.
  for (const d of Object.values(DISCLAIMERS)) text = text.split(d).join('');

  // 1. Sections.
  const sections: Section[] = [];
  const seen = new Set<NarrativeSection>();
  let normalised = 0;
  const dropped: string[] = [];
  let preamble = 0;
  for (const line of text.split('\n')) {
    const h = headingOf(line);
    if (h && h.section) {
      if (seen.has(h.section)) return reject(`section "${SECTION_HEADINGS[lang][h.section]}" appears twice`);
      seen.add(h.section);
      if (!h.exact || line.trim() !== `## ${SECTION_HEADINGS[lang][h.section]}`) normalised++;
      sections.push({ section: h.section, lines: [] });
      continue;
    }
    if (h && h.syntax) {
      dropped.push(line.trim());
      continue;
    }
    const current = sections[sections.length - 1];
    if (!current) {
      if (line.trim()) preamble++;
      continue;
    }
    current.lines.push(line);
  }
  const missing = NARRATIVE_SECTIONS.filter((s) => !seen.has(s));
  if (missing.length > 0) return reject(`missing section${missing.length > 1 ? 's' : ''} ${missing.map((s) => `"${SECTION_HEADINGS[lang][s]}"`).join(', ')}`);
  if (normalised > 0) repairs.push(`${normalised} heading(s) normalised`);
  if (dropped.length > 0) repairs.push(`extra heading(s) dropped: ${dropped.map((d) => snippetOf(d)).join(', ')}`);
  if (preamble > 0) repairs.push('text before the first section dropped');
  const order = sections.map((s) => NARRATIVE_SECTIONS.indexOf(s.section));
  if (order.some((o, i) => i > 0 && o < order[i - 1]!)) {
    sections.sort((a, b) => NARRATIVE_SECTIONS.indexOf(a.section) - NARRATIVE_SECTIONS.indexOf(b.section));
    repairs.push('sections put back in order');
  }

  // 2. Paragraphs: lists become prose, tables and rules go.
  let listItems = 0;
  let tableLines = 0;
  const paragraphsOf = (lines: readonly string[]): string[] => {
    const paragraphs: string[] = [];
    let current: string[] = [];
    let inList = false;
    const flush = (): void => {
      if (current.length > 0) paragraphs.push(current.join(' ').replace(/\s+/g, ' ').trim());
      current = [];
      inList = false;
    };
    for (const raw of lines) {
      let line = raw.trim();
      if (line === '') {
        flush();
        continue;
      }
      if (/^(?:[-*_]\s*){3,}$/.test(line)) continue; // horizontal rule
      if (/^\|.*\|$/.test(line)) {
        tableLines++;
        continue;
      }
      line = line.replace(/^(?:>\s*)+/, '');
      const item = /^(?:[-*+•]|\p{Nd}+[.)])\s+(.*)$/u.exec(line);
      if (item) {
        listItems++;
        if (!inList) flush();
        inList = true;
        line = item[1]!;
      } else if (inList) {
        flush();
      }
      if (line.trim() === '' || /^[*_]+$/.test(line.trim())) continue;
      current.push(line);
    }
    flush();
    return paragraphs.filter((p) => p.length > 0);
  };
  const body = new Map<NarrativeSection, string[]>();
  let paraphrasedDisclaimers = 0;
  for (const s of sections) {
    // A disclaimer in the model's own words is replaced by the exact one code appends.
    const ps = paragraphsOf(s.lines).filter((p) => {
      const like = DISCLAIMER_LIKE.test(p) && countWords(p, lang) <= 40;
      if (like) paraphrasedDisclaimers++;
      return !like;
    });
    body.set(s.section, ps);
  }
  if (paraphrasedDisclaimers > 0) repairs.push('paraphrased disclaimer replaced');
  if (listItems > 0) repairs.push('list turned into prose');
  if (tableLines > 0) repairs.push('table removed');

  // 3. Placeholders: malformed ones normalised when they name a fact; units typed after them dropped.
  let fixedPlaceholders = 0;
  let droppedUnits = 0;
  const repairPlaceholders = (p: string): string => {
    let out = p.replace(
      /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}|\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}|\[([A-Za-z][A-Za-z0-9_]*)\]|<([A-Za-z][A-Za-z0-9_]*)>/g,
      (whole: string, a?: string, b?: string, c?: string, d?: string) => {
        const key = String(a ?? b ?? c ?? d).toUpperCase();
        if (whole === `{${key}}` || !isFact(key)) return whole; // well-formed, or not ours to guess
        fixedPlaceholders++;
        return `{${key}}`;
      },
    );
    out = out.replace(/[$฿]\s?(\{[A-Z][A-Z0-9_]*\})/g, (whole, ph: string) => {
      const f = facts[ph.slice(1, -1)];
      if (f?.unit !== 'price') return whole;
      droppedUnits++;
      return ph;
    });
    out = out.replace(/\{([A-Z][A-Z0-9_]*)\}(\s?(?:%|เปอร์เซ็นต์|percent\b|เท่า|x\b|×|[A-Z]{3}\b|ดอลลาร์(?:สหรัฐ|สิงคโปร์|ฮ่องกง|ไต้หวัน)?|บาท|เยน|ดอง|หยวน|ยูโร))/g, (whole, key: string, unit: string) => {
      const f = facts[key];
      if (!f) return whole;
      const u = unit.trim();
      const dup =
        ((f.unit === 'percent' || f.unit === 'signed_percent') && /^(?:%|เปอร์เซ็นต์|percent)$/.test(u)) ||
        (f.unit === 'ratio' && /^(?:เท่า|x|×)$/.test(u)) ||
        (f.unit === 'price' && (u === inputs.ticker.currency || /^(?:ดอลลาร์|บาท|เยน|ดอง|หยวน|ยูโร)/.test(u)));
      if (!dup) return whole;
      droppedUnits++;
      return `{${key}}`;
    });
    return out;
  };
  for (const [s, ps] of body) body.set(s, ps.map(repairPlaceholders));
  if (fixedPlaceholders > 0) repairs.push(`${fixedPlaceholders} malformed placeholder(s) normalised`);
  if (droppedUnits > 0) repairs.push(`${droppedUnits} unit(s) typed next to a placeholder dropped`);

  // 4. Sentences: unknown placeholders, typed numbers and promises of returns take their sentence with them.
  const names = allowedNames(inputs);
  const unknown: string[] = [];
  const typed: string[] = [];
  const promises: string[] = [];
  let total = 0;
  let removed = 0;
  const filterParagraph = (p: string): string => {
    const pieces = splitSentences(p, lang);
    total += pieces.length;
    const kept = pieces.filter((piece) => {
      const s = piece.text;
      let bad = false;
      for (const m of s.matchAll(PLACEHOLDER_ANY)) {
        const inner = m[1]!;
        if (/^[A-Z][A-Z0-9_]*$/.test(inner) && isFact(inner)) continue;
        bad = true;
        if (!unknown.includes(inner)) unknown.push(inner);
      }
      if (!bad) {
        const bare = maskNames(s.replace(PLACEHOLDER_WELL_FORMED, ' '), names);
        if (ANY_DIGIT.test(bare) || SPELLED_NUMBER.some((re) => re.test(bare))) {
          bad = true;
          typed.push(snippetOf(s));
        }
      }
      if (!bad) {
        for (const re of RETURN_PROMISES) {
          for (const m of s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
            const p2 = clausePrefix(s, m.index);
            if (NOT_A_CLAIM.en.test(p2) || /ไม่|มิได้|มิใช่/.test(p2)) continue;
            bad = true;
          }
        }
        if (bad) promises.push(snippetOf(s));
      }
      if (bad) removed++;
      return !bad;
    });
    return kept
      .map((k, i) => (i < kept.length - 1 ? k.text + (k.separator || ' ') : k.text))
      .join('')
      .trim();
  };
  for (const [s, ps] of body) body.set(s, ps.map(filterParagraph).filter((p) => p.length > 0 && !/^[*_\s]+$/.test(p)));
  total += tableLines;
  removed += tableLines;
  if (unknown.length > 0) warnings.push(`llm answer used unknown placeholders, removed with their sentences: ${unknown.map((u) => `{${u}}`).join(', ')}`);
  if (typed.length > 0) warnings.push(`llm answer typed numbers, removed with their sentences: ${typed.join('; ')}`);
  if (promises.length > 0) warnings.push(`llm answer promised returns, removed: ${promises.join('; ')}`);
  if (total > 0 && removed / total > MAX_REMOVED_SHARE) {
    return reject(`${removed} of ${total} sentences had to be removed (unknown placeholders, typed numbers, promises or tables), more than a third`);
  }

  for (const s of NARRATIVE_SECTIONS) {
    if (countWords((body.get(s) ?? []).join(' ').replace(PLACEHOLDER_WELL_FORMED, ' x '), lang) < MIN_SECTION_WORDS) {
      return reject(`section "${SECTION_HEADINGS[lang][s]}" is empty${removed > 0 ? ' after repairs' : ''}`);
    }
  }

  // 5. The recommendation: never against the decision; stated by code when the model did not.
  const decided = plan.decision.recommendation;
  const allProse = NARRATIVE_SECTIONS.map((s) => (body.get(s) ?? []).join('\n')).join('\n');
  const contrary = statedRecommendations(allProse).find((r) => r.rec !== decided);
  if (contrary) return reject(`recommendation ${contrary.rec} contradicts the decision ${decided}: "${contrary.snippet}"`);
  const action = body.get('action')!;
  if (!statedRecommendations(action.join('\n')).some((r) => r.rec === decided)) {
    const label = RECOMMENDATION_LABEL[lang][decided];
    const opener = lang === 'th' ? `มุมมองของเราในวันนี้คือ **${label}**` : `Our call today is **${label}**.`;
    action[0] = `${opener} ${action[0]}`;
    warnings.push(`llm answer did not state the recommendation: "${decided}" added from the decision`);
  }

  // 6. Language: the narrative's script must dominate (placeholders and names left out of the count).
  const letters = maskNames(allProse.replace(PLACEHOLDER_WELL_FORMED, ' '), names);
  const thai = (letters.match(/\p{Script=Thai}/gu) ?? []).filter((c) => /\p{L}/u.test(c)).length;
  const latin = (letters.match(/\p{Script=Latin}/gu) ?? []).length;
  const share = thai + latin === 0 ? 0 : (lang === 'th' ? thai : latin) / (thai + latin);
  if (share < MIN_SCRIPT_SHARE) {
    return reject(`the answer is not in ${lang === 'th' ? 'Thai' : 'English'} (${Math.round(share * 100)}% ${lang === 'th' ? 'Thai' : 'Latin'} letters, ${MIN_SCRIPT_SHARE * 100}% needed)`);
  }

  // 7. Assemble in the template writer's format.
  const parts: string[] = [];
  for (const s of NARRATIVE_SECTIONS) {
    parts.push(`## ${SECTION_HEADINGS[lang][s]}`);
    if (s === 'story' && inputs.dataSource === 'demo') parts.push(DEMO_NOTICE[lang]);
    parts.push(...body.get(s)!);
  }
  parts.push(`_${DISCLAIMERS[lang]}_`);
  const template = `${parts.join('\n\n')}\n`;

  // 8. Last guard, on the injected text: length, and every number traced to a fact.
  const injected = injectFacts(template, facts, lang, inputs.ticker.currency).text;
  const words = countWords(injected, lang);
  const min = WORD_TARGETS[lang].min;
  if (words < min * MIN_LENGTH_SHARE) return reject(`too short: ${words} words (target ${min}-${WORD_TARGETS[lang].max})`);
  const scores = scoreNarrative({
    narrative: injected,
    language: lang,
    facts,
    states: plan.states,
    stance: plan.decision.stance,
    recommendation: decided,
    newsCount: inputs.news?.top.length ?? 0,
    peerCount: inputs.peers?.top.length ?? 0,
    names,
  });
  const f = scores.faithfulness.sub_scores;
  if ((f.no_untraced_numbers ?? 100) < 100 || (f.placeholders_resolved ?? 100) < 100) {
    return reject(`numbers that cannot be traced to a fact: ${scores.faithfulness.issues.slice(0, 3).join('; ')}`);
  }
  if ((scores.reasoning_quality.sub_scores.recommendation ?? 100) === 0) {
    return reject(`recommendation contradicts the decision ${decided}: ${scores.reasoning_quality.issues.find((i) => i.includes('recommends')) ?? ''}`);
  }

  if (repairs.length > 0) warnings.unshift(`llm answer repaired: ${repairs.join('; ')}`);
  return { ok: true, template, warnings };
}
