/**
 * compliance: the four headings in order, length within WORD_TARGETS (Intl.Segmenter words, never whitespace), the
 * disclaimer, no promise of returns, prose rather than lists/tables, the narrative's language dominant. Pure.
 */
import {
  DISCLAIMERS,
  NARRATIVE_SECTIONS,
  SECTION_HEADINGS,
  WORD_TARGETS,
  type Language,
} from './narrative-contract.js';
import {
  clamp100,
  type Dimension,
  findAll,
  isNegated,
  MIN_SECTION_WORDS,
  type ParsedNarrative,
  penalised,
  PENALTIES,
  round1,
  roundAll,
  type ScoreNarrativeInput,
  sectionText,
  snippet,
  weighted,
} from './quality-scoring-kit.js';
import { countWords } from './word-count.js';

export const COMPLIANCE_WEIGHTS = {
  structure: 0.3,
  length: 0.15,
  disclaimer: 0.2,
  no_return_promises: 0.2,
  prose_format: 0.05,
  language: 0.1,
} as const;

/**
 * Compliance is capped here when a hard rule is broken — a missing section heading, a missing disclaimer or a promise
 * of returns — however good the rest is.
 */
export const COMPLIANCE_HARD_FAIL_CAP = 40;

/** Share of the expected script among Thai + Latin letters: full marks at or above `full`, zero at or below `zero`. */
const SCRIPT_SHARE = { full: 0.7, zero: 0.3 } as const;

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

/** Words counted for the length target: the prose of the sections, headings and the disclaimer excluded. */
function proseWords(parsed: ParsedNarrative, language: Language): number {
  return countWords(parsed.prose, language);
}

export function scoreCompliance(parsed: ParsedNarrative, input: ScoreNarrativeInput): Dimension {
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
