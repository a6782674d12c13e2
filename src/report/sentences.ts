/**
 * Sentence splitting for Thai and English narrative lines, shared by the number injector (which drops a sentence
 * holding an unknown placeholder) and the summary extractor.
 *
 * English: a sentence ends at `.`, `!` or `?` (plus closing quotes, brackets or Markdown emphasis) followed by
 * whitespace and then something that can start a sentence (capital, digit, `{`, `*`, `_`, `(`, quote). A decimal
 * point never ends one (no whitespace follows it) and "Apple Inc. is" does not either (lower case follows).
 *
 * Thai has no sentence punctuation; writers mark a new clause or sentence with a space. So a break is: whitespace
 * between two Thai characters (except before the repetition mark ๆ, which is written after a space), or `!`, `?`,
 * or `.` after a Thai character, followed by whitespace. Spaces next to numbers, Latin words, placeholders or
 * brackets are word spacing, not breaks. A clause opening with a connective ("แต่", "และ", "ซึ่ง", "จึง"…) stays with
 * the one before it, a clause opening with a subordinator ("หาก", "ตราบใด", "แม้"…) stays with the one after it, and
 * the space after an amount's Thai unit ("875.28 ดอลลาร์สหรัฐ", "1.52 เท่า") is word spacing.
 * What remains can still be a clause rather than a full sentence; callers that want sentences merge short clauses
 * (see `mergeShortClauses`).
 */
import type { Language } from './narrative-contract.js';
import { countWords } from './word-count.js';

const THAI = /[\u0E01-\u0E5B]/;
/** A Thai clause starting with one of these continues the sentence before it ("but", "and", "which", "so"…). */
const CONTINUES = [
  'แต่', 'และ', 'แปลว่า', 'ซึ่ง', 'โดย', 'หรือ', 'จึง', 'ทำให้', 'เพราะ', 'ก็', 'ขณะที่', 'หมายความว่า', 'บอกว่า',
  'สะท้อน', 'เป็นสัญญาณ', 'ส่วน', 'ประกอบกับ', 'อีกทั้ง', 'รวมถึง', 'จน', 'แล้วค่อย', 'ค่อย', 'ก่อน',
];
/** A Thai clause starting with one of these ("if", "as long as", "although", "when") leads into the next one. */
const BINDS_FORWARD = ['หาก', 'ถ้า', 'ตราบใด', 'แม้', 'เมื่อ', 'ถึงแม้'];
/** "… 875.28 ดอลลาร์สหรัฐ" ends an amount, not a sentence: the space after a number's Thai unit is word spacing. */
const AMOUNT_END = /\d\s*(?:ดอลลาร์\S*|เยน|ดอง|บาท|หยวน|ยูโร|เท่า|วอน|รูปี)$/;
const EN_BREAK = /([.!?]["'”’)\]*_]*)(\s+)(?=[A-Z0-9{*_("“'+\-])/g;

export interface SentencePiece {
  /** The sentence, without the whitespace that follows it. */
  text: string;
  /** The whitespace that separated it from the next one ('' for the last). */
  separator: string;
}

function splitThai(line: string): SentencePiece[] {
  const pieces: SentencePiece[] = [];
  let start = 0;
  let heldForward = false;
  const ws = /\s+/g;
  let m: RegExpExecArray | null;
  while ((m = ws.exec(line)) !== null) {
    const before = line[m.index - 1] ?? '';
    const after = line[m.index + m[0].length] ?? '';
    if (!before || !after) continue;
    const beforeBefore = line[m.index - 2] ?? '';
    const rest = line.slice(m.index + m[0].length);
    const rawThaiSpace = THAI.test(before) && THAI.test(after) && after !== 'ๆ';
    const hardEnd = before === '!' || before === '?' || (before === '.' && THAI.test(beforeBefore));
    if (rawThaiSpace && !hardEnd && !heldForward && BINDS_FORWARD.some((w) => line.startsWith(w, start))) {
      heldForward = true; // "if …, then …": the first break after a subordinate clause is not a sentence end
      continue;
    }
    const thaiSpace =
      rawThaiSpace &&
      !CONTINUES.some((w) => rest.startsWith(w)) &&
      (!AMOUNT_END.test(line.slice(start, m.index)) || BINDS_FORWARD.some((w) => rest.startsWith(w)));
    if (thaiSpace || hardEnd) {
      pieces.push({ text: line.slice(start, m.index), separator: m[0] });
      start = m.index + m[0].length;
      heldForward = false;
    }
  }
  pieces.push({ text: line.slice(start), separator: '' });
  return pieces.filter((p) => p.text.length > 0);
}

function splitEnglish(line: string): SentencePiece[] {
  const pieces: SentencePiece[] = [];
  let start = 0;
  for (const m of line.matchAll(EN_BREAK)) {
    const end = m.index + m[1]!.length;
    pieces.push({ text: line.slice(start, end), separator: m[2]! });
    start = end + m[2]!.length;
  }
  pieces.push({ text: line.slice(start), separator: '' });
  return pieces.filter((p) => p.text.length > 0);
}

/** Splits one line of prose into sentences (Thai: clauses), keeping the separators so the line can be rebuilt. */
export function splitSentences(line: string, language: Language): SentencePiece[] {
  return language === 'th' ? splitThai(line) : splitEnglish(line);
}

/** Joins clauses shorter than `minWords` with the clause after them, so a Thai "sentence" carries a whole thought. */
export function mergeShortClauses(pieces: readonly string[], language: Language, minWords = 8): string[] {
  const out: string[] = [];
  let pending = '';
  for (const p of pieces) {
    pending = pending ? `${pending} ${p}` : p;
    if (countWords(pending, language) >= minWords) {
      out.push(pending);
      pending = '';
    }
  }
  if (pending) {
    if (out.length > 0 && countWords(pending, language) < minWords) out[out.length - 1] = `${out[out.length - 1]} ${pending}`;
    else out.push(pending);
  }
  return out;
}
