/**
 * The `template` narrative writer: deterministic data-to-text in Thai (default) or English, the default when no
 * LLM key is configured. Pure logic behind an async port.
 *
 * How a narrative is put together:
 * 1. The phrasebook of the language turns the semantic states and the decision into candidate sentences, each with
 *    several phrasings, a section, and a priority (0 = always; higher = added while the length allows). The story
 *    opens on the trend, the action section states the decision's call and its reasons, the watch section ranks
 *    the risks (volatility, RSI extremes, news, range edges, peers).
 * 2. For each slot one phrasing is chosen among those whose placeholders have facts, seeded by ticker + slot.
 * 3. Optional sentences are added by priority while the injected text stays under the length cap; the length is
 *    measured on the injected Markdown as a whole (headings and disclaimer included) with `countWords`.
 * The template carries placeholders only; the caller injects the numbers with `injectFacts`.
 */
import { injectFacts } from '../report/facts.js';
import { DISCLAIMERS, NARRATIVE_SECTIONS, SECTION_HEADINGS, WORD_TARGETS, type Language } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { countWords } from '../report/word-count.js';
import { englishCandidates } from '../narrative/phrasebook-en.js';
import { thaiCandidates } from '../narrative/phrasebook-th.js';
import { buildWriterContext, chooseVariant, type Candidate } from '../narrative/template-kit.js';
import type { NarrativeDraft, NarrativePlan, NarrativeWriter } from './narrative-writer.js';

/**
 * Optional sentences are added while the whole injected narrative stays at or under this many words. Below the
 * targets' maximum so the body alone (without headings and disclaimer) still clears the minimum.
 */
export const FILL_CAP: Record<Language, number> = { th: 340, en: 300 };

interface Resolved extends Candidate {
  order: number;
  text: string;
}

function assemble(sentences: readonly Resolved[], language: Language): string {
  const parts: string[] = [];
  for (const section of NARRATIVE_SECTIONS) {
    parts.push(`## ${SECTION_HEADINGS[language][section]}`);
    const mine = sentences.filter((s) => s.section === section).sort((a, b) => a.order - b.order);
    const paragraphs = new Map<number, string[]>();
    for (const s of mine) {
      const p = s.paragraph ?? 0;
      if (!paragraphs.has(p)) paragraphs.set(p, []);
      paragraphs.get(p)!.push(s.text);
    }
    for (const p of [...paragraphs.keys()].sort((a, b) => a - b)) parts.push(paragraphs.get(p)!.join(' '));
  }
  parts.push(`_${DISCLAIMERS[language]}_`);
  return `${parts.join('\n\n')}\n`;
}

/** The narrative template for `inputs` under `plan`, plus the word count it reaches once injected. */
export function writeTemplateNarrative(inputs: NarrativeInputs, plan: NarrativePlan): NarrativeDraft & { words: number } {
  const language = inputs.language;
  const ctx = buildWriterContext(inputs, plan);
  const candidates = language === 'th' ? thaiCandidates(ctx) : englishCandidates(ctx);
  const resolved: Resolved[] = [];
  candidates.forEach((c, order) => {
    const text = chooseVariant(c.variants, plan.facts, `${inputs.ticker.symbol}|${c.slot}`);
    if (text !== null) resolved.push({ ...c, order, text });
  });

  const measure = (chosen: readonly Resolved[]): number =>
    countWords(injectFacts(assemble(chosen, language), plan.facts, language, inputs.ticker.currency).text, language);

  const chosen = resolved.filter((r) => r.priority === 0);
  const optional = resolved.filter((r) => r.priority > 0).sort((a, b) => a.priority - b.priority || a.order - b.order);
  let words = measure(chosen);
  for (const r of optional) {
    const next = measure([...chosen, r]);
    if (next <= FILL_CAP[language]) {
      chosen.push(r);
      words = next;
    }
  }

  const warnings: string[] = [];
  const target = WORD_TARGETS[language];
  if (words < target.min || words > target.max) {
    warnings.push(`template narrative is ${words} words, outside the ${target.min}-${target.max} target for ${language}`);
  }
  return { template: assemble(chosen, language), writer: 'template', model: null, usage: null, warnings, words };
}

export class TemplateNarrativeWriter implements NarrativeWriter {
  readonly name = 'template';

  async write(inputs: NarrativeInputs, plan: NarrativePlan): Promise<NarrativeDraft> {
    const { words: _words, ...draft } = writeTemplateNarrative(inputs, plan);
    return draft;
  }
}
