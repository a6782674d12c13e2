/**
 * Narrative writer port. A writer turns the semantic plan (states, the decided stance, the available facts) into
 * Markdown prose with `{PLACEHOLDERS}`; it never writes numbers and never decides the stance — code injects the
 * numbers (report/facts.ts) and the stance comes from report/semantic-states.ts.
 */
import type { Facts, SemanticStates } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import type { decideStance } from '../report/semantic-states.js';

export interface NarrativeDraft {
  /** Markdown with placeholders: the four `## ` sections in order, then the disclaimer line. */
  template: string;
  /** Name of the writer that produced it (`template`, `llm`…). */
  writer: string;
  model: string | null;
  usage: { input_tokens: number; output_tokens: number; cost_usd: number } | null;
  warnings: string[];
}

export interface NarrativePlan {
  states: SemanticStates;
  decision: ReturnType<typeof decideStance>;
  facts: Facts;
}

export interface NarrativeWriter {
  readonly name: string;
  write(inputs: NarrativeInputs, plan: NarrativePlan): Promise<NarrativeDraft>;
}
