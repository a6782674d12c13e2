/**
 * Shared by the narrative tests: the fixture inputs (from the report's test support) and helpers to cut a rendered
 * narrative into sections and sentences.
 */
import { buildFacts, formatFact } from '../report/facts.js';
import { NARRATIVE_SECTIONS, SECTION_HEADINGS, type Facts, type Language, type NarrativeSection } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { splitSentences } from '../report/sentences.js';
import { displayName } from './template-kit.js';

export * from '../report/narrative-inputs.test-support.js';

/** The body of each `## ` section, keyed by section, found by the contract's headings. */
export function sectionsOf(markdown: string, language: Language): Record<NarrativeSection, string> {
  const out = {} as Record<NarrativeSection, string>;
  const lines = markdown.split('\n');
  for (const section of NARRATIVE_SECTIONS) {
    const start = lines.indexOf(`## ${SECTION_HEADINGS[language][section]}`);
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    out[section] = start < 0 ? '' : lines.slice(start + 1, end).join('\n').trim();
  }
  return out;
}

/** Every sentence of the prose (headings and the disclaimer excluded), whitespace-normalised. */
export function proseSentences(markdown: string, language: Language): string[] {
  return markdown
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#') && !/^_.*_$/.test(l.trim()))
    .flatMap((l) => splitSentences(l, language).map((p) => p.text.replace(/\s+/g, ' ').trim()))
    .filter(Boolean);
}

/** Share of `a`'s sentences that also appear in `b`. */
export function sharedShare(a: string[], b: string[]): number {
  const set = new Set(b);
  return a.length === 0 ? 0 : a.filter((s) => set.has(s)).length / a.length;
}

/**
 * The text with every fact's formatted value and every name the inputs carry removed; what remains of digits was
 * typed by the writer.
 */
export function withoutFactsAndNames(text: string, facts: Facts, inputs: NarrativeInputs): string {
  const values = Object.values(facts).map((f) => formatFact(f, inputs.language, inputs.ticker.currency));
  const names = [inputs.ticker.name, displayName(inputs.ticker.name), ...(inputs.peers?.top ?? []).flatMap((p) => [p.name, displayName(p.name)])];
  let out = text;
  for (const v of [...values, ...names].sort((x, y) => y.length - x.length)) out = out.split(v).join(' ');
  return out;
}

export { buildFacts };
