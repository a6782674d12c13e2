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
 * 3. Optional sentences are added by priority while the injected text stays under the length cap. Word
 *    segmentation never joins words across the spaces and blank lines between sentences, so the length of a choice
 *    is the sum of its sentences' injected counts plus the headings and disclaimer (ICU segmentation costs ~1 ms per
 *    narrative: measuring the whole text once per candidate took ~40 ms per report). The final count is taken on
 *    the whole injected Markdown.
 * The template carries placeholders only; the caller injects the numbers with `injectFacts`.
 */
import { injectFacts } from '../report/facts.js';
import { DISCLAIMERS, NARRATIVE_SECTIONS, SECTION_HEADINGS, WORD_TARGETS, type Language } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { countWords } from '../report/word-count.js';
import { englishCandidates } from './phrasebook-en.js';
import { thaiCandidates } from './phrasebook-th.js';
import { buildWriterContext, chooseVariant, type Candidate } from './template-kit.js';
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

  const wordsOf = (text: string) => countWords(injectFacts(text, plan.facts, language, inputs.ticker.currency).text, language);
  const sentenceWords = new Map(resolved.map((r) => [r, wordsOf(r.text)]));

  const chosen = resolved.filter((r) => r.priority === 0);
  const optional = resolved.filter((r) => r.priority > 0).sort((a, b) => a.priority - b.priority || a.order - b.order);
  let estimate = wordsOf(assemble([], language));
  for (const r of chosen) estimate += sentenceWords.get(r)!;
  for (const r of optional) {
    const next = estimate + sentenceWords.get(r)!;
    if (next <= FILL_CAP[language]) {
      chosen.push(r);
      estimate = next;
    }
  }
  const template = assemble(chosen, language);
  const words = wordsOf(template);

  const warnings: string[] = [];
  const target = WORD_TARGETS[language];
  if (words < target.min || words > target.max) {
    warnings.push(`template narrative is ${words} words, outside the ${target.min}-${target.max} target for ${language}`);
  }
  return { template, writer: 'template', model: null, usage: null, warnings, words };
}

export class TemplateNarrativeWriter implements NarrativeWriter {
  readonly name = 'template';

  async write(inputs: NarrativeInputs, plan: NarrativePlan): Promise<NarrativeDraft> {
    const { words: _words, ...draft } = writeTemplateNarrative(inputs, plan);
    return draft;
  }
}
