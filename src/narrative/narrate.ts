/**
 * One call from inputs to the finished narrative: semantic states → stance decision → facts → the writer's template
 * → injected Markdown → summary sections. The stance, confidence and recommendation come from the states only; the
 * writer's text never feeds back into them.
 */
import { buildFacts, injectFacts } from '../report/facts.js';
import { WORD_TARGETS, type Facts, type SemanticStates } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { decideStance, deriveSemanticStates, type HeldCall, type StanceDecision } from '../report/semantic-states.js';
import { extractSummarySections, type SummarySections } from '../report/summary-sections.js';
import { countWords } from '../report/word-count.js';
import type { NarrativeDraft, NarrativeWriter } from './narrative-writer.js';
import { stanceReasons } from './stance-reasons.js';

export interface Narrative {
  /** Final Markdown, numbers injected. */
  markdown: string;
  states: SemanticStates;
  decision: StanceDecision;
  /** The decision's reasons in the narrative's language. */
  stance_reasons: string[];
  facts: Facts;
  summary_sections: SummarySections;
  words: number;
  /** Placeholders replaced / left unknown (and removed with their sentence). */
  injection: { injected: number; unknown: string[] };
  draft: NarrativeDraft;
  warnings: string[];
}

/** How the ticker's earlier BUY/SELL calls did over five bars, when the sample is large enough to quote. */
export interface NarrativeTrackRecord {
  count: number;
  hit_rate: number;
  ci95: [number, number];
}

export interface NarrateOptions {
  /** The call held on the previous bar (hysteresis, see `decideStance`). */
  held?: HeldCall;
  trackRecord?: NarrativeTrackRecord | null;
}

/** The track-record sentence, closing the narrative; its numbers are placeholders injected like every other. */
const TRACK_RECORD_SENTENCE = {
  en: 'Track record: of the last {TRACK_CALLS} BUY and SELL calls on this ticker graded over five trading days, {TRACK_HIT_RATE} went the way of the call (95% interval {TRACK_HIT_LOW} to {TRACK_HIT_HIGH}); past hit rates do not promise future ones.',
  th: 'สถิติย้อนหลัง: จากคำแนะนำซื้อและขาย {TRACK_CALLS} ครั้งล่าสุดของหุ้นตัวนี้ที่วัดผลหลังห้าวันทำการ ราคาไปตามทิศทางของคำแนะนำ {TRACK_HIT_RATE} (ช่วงความเชื่อมั่น 95% {TRACK_HIT_LOW} ถึง {TRACK_HIT_HIGH}) ผลในอดีตไม่ได้รับประกันผลในอนาคต',
} as const;

function trackRecordFacts(record: NarrativeTrackRecord): Facts {
  const fact = (key: string, value: number, unit: 'count' | 'percent', label: string) => ({ key, value, unit, decimals: 0, label });
  return {
    TRACK_CALLS: fact('TRACK_CALLS', record.count, 'count', 'BUY/SELL calls graded over 5 bars'),
    TRACK_HIT_RATE: fact('TRACK_HIT_RATE', record.hit_rate * 100, 'percent', 'share of those calls that hit, percent'),
    TRACK_HIT_LOW: fact('TRACK_HIT_LOW', record.ci95[0] * 100, 'percent', 'Wilson 95% interval, low end'),
    TRACK_HIT_HIGH: fact('TRACK_HIT_HIGH', record.ci95[1] * 100, 'percent', 'Wilson 95% interval, high end'),
  };
}

export async function narrate(inputs: NarrativeInputs, writer: NarrativeWriter, options: NarrateOptions = {}): Promise<Narrative> {
  const states = deriveSemanticStates(inputs);
  const decision = decideStance(states, options.held);
  const facts = buildFacts(inputs);
  const draft = await writer.write(inputs, { states, decision, facts });
  let template = draft.template;
  if (options.trackRecord) {
    Object.assign(facts, trackRecordFacts(options.trackRecord));
    template = `${template.trimEnd()}\n\n${TRACK_RECORD_SENTENCE[inputs.language]}\n`;
  }
  const { text, injected, unknown } = injectFacts(template, facts, inputs.language, inputs.ticker.currency);
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
    stance_reasons: stanceReasons(decision, inputs.language),
    facts,
    summary_sections: extractSummarySections(text, inputs.language),
    words,
    injection: { injected, unknown },
    draft,
    warnings,
  };
}
