/**
 * One call from inputs to the finished narrative: semantic states → stance decision → facts → the writer's template
 * → injected Markdown → summary sections. The stance, confidence and recommendation come from the states only; the
 * writer's text never feeds back into them.
 */
import { buildFacts, injectFacts } from '../report/facts.js';
import { WORD_TARGETS, type Facts, type SemanticStates } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { decideStance, deriveSemanticStates, type StanceDecision } from '../report/semantic-states.js';
import { extractSummarySections, type SummarySections } from '../report/summary-sections.js';
import { countWords } from '../report/word-count.js';
import type { NarrativeDraft, NarrativeWriter } from './narrative-writer.js';

export interface Narrative {
  /** Final Markdown, numbers injected. */
  markdown: string;
  states: SemanticStates;
  decision: StanceDecision;
  facts: Facts;
  summary_sections: SummarySections;
  words: number;
  /** Placeholders replaced / left unknown (and removed with their sentence). */
  injection: { injected: number; unknown: string[] };
  draft: NarrativeDraft;
  warnings: string[];
}

export async function narrate(inputs: NarrativeInputs, writer: NarrativeWriter): Promise<Narrative> {
  const states = deriveSemanticStates(inputs);
  const decision = decideStance(states);
  const facts = buildFacts(inputs);
  const draft = await writer.write(inputs, { states, decision, facts });
  const { text, injected, unknown } = injectFacts(draft.template, facts, inputs.language, inputs.ticker.currency);
  const words = countWords(text, inputs.language);
  const warnings = [...draft.warnings];
  if (unknown.length > 0) warnings.push(`narrative used unknown placeholders, removed with their sentences: ${unknown.join(', ')}`);
  const target = WORD_TARGETS[inputs.language];
  if ((words < target.min || words > target.max) && !warnings.some((w) => w.includes('words, outside'))) {
    warnings.push(`narrative is ${words} words, outside the ${target.min}-${target.max} target for ${inputs.language}`);
  }
  return {
    markdown: text,
    states,
    decision,
    facts,
    summary_sections: extractSummarySections(text, inputs.language),
    words,
    injection: { injected, unknown },
    draft,
    warnings,
  };
}
