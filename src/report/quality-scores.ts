/**
 * Rule-based quality scores of a finished narrative (after number injection), 0–100 each:
 *
 * - faithfulness: every number in the prose is traced to a fact within half a unit of the fact's last printed decimal;
 *   no `{PLACEHOLDER}` is left.
 * - completeness: every dimension whose data exists is covered (by its fact values and/or its th/en keywords), plus
 *   a recommendation and a risk/watch statement.
 * - reasoning_quality: claims agree with the semantic states ("overbought" only when RSI is overbought, "uptrend"
 *   only in an up trend...), the stated recommendation is the decided one, bullish/bearish words agree with the stance.
 * - compliance: the four headings in order, length within WORD_TARGETS (Intl.Segmenter words, never whitespace),
 *   the disclaimer, no promise of returns, prose rather than lists/tables, the narrative's language dominant.
 *
 * overall = 0.4 faithfulness + 0.2 completeness + 0.2 reasoning_quality + 0.2 compliance (QUALITY_WEIGHTS).
 * One file per scorer (faithfulness-score.ts, completeness-score.ts, reasoning-quality-score.ts, compliance-score.ts),
 * each with its rules, weights and word lists; what they share is in quality-scoring-kit.ts and number-tracing.ts.
 * Each lost point comes with an issue saying why.
 * Pure: no I/O, no clock.
 */
import { scoreCompleteness } from './completeness-score.js';
import { scoreCompliance } from './compliance-score.js';
import { scoreFaithfulness } from './faithfulness-score.js';
import { traceNumbers } from './number-tracing.js';
import {
  type Dimension,
  parseNarrative,
  round1,
  type ScoreNarrativeInput,
  statedRecommendations,
} from './quality-scoring-kit.js';
import { scoreReasoning } from './reasoning-quality-score.js';

// Re-exported for the LLM writer's prompt and answer check (which quote the scorers' own rules) and the scorers' test.
export { type ScoreNarrativeInput, clausePrefix } from './quality-scoring-kit.js';
export { extractNumbers } from './number-tracing.js';
export { STATE_CLAIM_RULES } from './reasoning-quality-score.js';
export { RETURN_PROMISES } from './compliance-score.js';

export const QUALITY_SCORER_VERSION = 'daybreak-quality/1';

export interface QualityScores {
  faithfulness: Dimension;
  completeness: Dimension;
  reasoning_quality: Dimension;
  compliance: Dimension;
  overall: number;
  scorer_version: string;
}

export const QUALITY_WEIGHTS = { faithfulness: 0.4, completeness: 0.2, reasoning_quality: 0.2, compliance: 0.2 } as const;

export function scoreNarrative(input: ScoreNarrativeInput): QualityScores {
  const parsed = parseNarrative(input.narrative, input.language);
  const tokens = traceNumbers(parsed.prose, input.facts, input.names);
  const stated = statedRecommendations(parsed);

  const faithfulness = scoreFaithfulness(parsed, tokens, input.facts);
  const completeness = scoreCompleteness(parsed, tokens, input, stated);
  const reasoning_quality = scoreReasoning(parsed, input, stated);
  const compliance = scoreCompliance(parsed, input);
  const overall = round1(
    QUALITY_WEIGHTS.faithfulness * faithfulness.score +
      QUALITY_WEIGHTS.completeness * completeness.score +
      QUALITY_WEIGHTS.reasoning_quality * reasoning_quality.score +
      QUALITY_WEIGHTS.compliance * compliance.score,
  );
  return { faithfulness, completeness, reasoning_quality, compliance, overall, scorer_version: QUALITY_SCORER_VERSION };
}
