/**
 * The valuation and currency sentences (DESIGN §11): the template writes them with placeholders in both languages,
 * the LLM prompt asks for them, and the quality scorer holds a narrative to them.
 */
import { describe, expect, it } from 'vitest';
import { formatFact } from '../report/facts.js';
import { WORD_TARGETS, type Language } from '../report/narrative-contract.js';
import { scoreNarrative } from '../report/quality-scores.js';
import { buildLlmPrompt } from './llm-prompt.js';
import { narrate } from './narrate.js';
import { fixtureBars, inputsFor, peersOf, POSITIVE_NEWS, sectionsOf } from './narrative.test-support.js';
import { TemplateNarrativeWriter } from './template-narrative-writer.js';

const valuation = (label: 'cheap' | 'fair' | 'expensive' | null, pe = 64.3, median = 41.2) => ({
  label,
  pe_ratio: pe,
  peers_median_pe: label === null ? null : median,
  pe_vs_peers_median_pct: label === null ? null : (pe / median - 1) * 100,
  analyst_upside_pct: 12.4,
  peer_count: 2,
});
const FX = { base_currency: 'USD', change_1m_pct: -2.35, return_1m_thb_pct: 3.6 };

const inputs = (language: Language, v = valuation('expensive'), fx: typeof FX | null = FX) =>
  inputsFor({ symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2024-03-08'), news: POSITIVE_NEWS, peers: peersOf(6.1), valuation: v, fx, language });

async function write(language: Language, v = valuation('expensive'), fx: typeof FX | null = FX) {
  const i = inputs(language, v, fx);
  const n = await narrate(i, new TemplateNarrativeWriter());
  const score = (markdown: string) =>
    scoreNarrative({
      narrative: markdown,
      language,
      facts: n.facts,
      states: n.states,
      stance: n.decision.stance,
      recommendation: n.decision.recommendation,
      newsCount: 8,
      peerCount: 3,
      names: ['NVIDIA Corporation', 'Microsoft Corporation', 'Apple Inc.', 'Oracle Corporation'],
    });
  return { i, n, score };
}

describe('template narrative: valuation and currency sentences', () => {
  for (const language of ['en', 'th'] as const) {
    it(`${language}: states the P/E against the peers' median and the month in baht, numbers injected, within the length target`, async () => {
      const { i, n, score } = await write(language);
      const know = sectionsOf(n.markdown, language).know;
      const f = (key: string) => formatFact(n.facts[key]!, language, i.ticker.currency);
      for (const key of ['PE_RATIO', 'PEERS_MEDIAN_PE', 'PE_VS_PEERS', 'RETURN_1M_THB']) expect(know, key).toContain(f(key));
      expect(f('PE_RATIO')).toBe('64.3');
      expect(f('RETURN_1M_THB')).toBe('+3.6%');
      expect(know).toMatch(language === 'en' ? /expensive next to its peers|premium/ : /แพงกว่ากลุ่ม/);
      expect(know).toMatch(language === 'en' ? /baht/ : /เงินบาท/);
      expect(n.injection.unknown).toEqual([]);
      expect(n.words).toBeGreaterThanOrEqual(WORD_TARGETS[language].min);
      expect(n.words).toBeLessThanOrEqual(WORD_TARGETS[language].max);
      const q = score(n.markdown);
      expect(q.completeness.sub_scores.valuation).toBe(100);
      expect(q.faithfulness.score).toBe(100);
    });
  }

  it('says cheap or fair by the verdict, and nothing about peers when there is no verdict', async () => {
    expect(sectionsOf((await write('en', valuation('cheap', 20, 40))).n.markdown, 'en').know).toMatch(/cheap/);
    expect(sectionsOf((await write('en', valuation('fair', 40, 41))).n.markdown, 'en').know).toMatch(/fair/);
    const none = (await write('en', valuation(null))).n;
    expect(none.markdown).not.toMatch(/cheap|expensive|fairly priced/);
    expect(none.facts.PE_VS_PEERS).toBeUndefined();
  });

  it('an ETF without valuation data or a THB listing gets neither sentence, and no completeness penalty for valuation', async () => {
    const { n, score } = await write('en', null as never, null);
    expect(n.markdown).not.toMatch(/P\/E|baht/);
    const q = score(n.markdown);
    expect(q.completeness.sub_scores.valuation).toBeUndefined();
  });
});

describe('quality scorer knows the valuation facts', () => {
  it('a wrong P/E loses faithfulness', async () => {
    const { n, score } = await write('en');
    const wrong = n.markdown.replace('P/E of 64.3', 'P/E of 45.0');
    expect(wrong).not.toBe(n.markdown);
    const q = score(wrong);
    expect(q.faithfulness.score).toBeLessThan(score(n.markdown).faithfulness.score);
    expect(q.faithfulness.issues.join('\n')).toMatch(/"45\.0" matches no fact/);
  });

  it('a narrative that omits valuation when the data exist loses completeness, and the issue says so', async () => {
    const { n, score } = await write('en');
    const know = sectionsOf(n.markdown, 'en').know;
    const valuationLine = know.split('\n\n').find((p) => /P\/E/.test(p))!;
    const without = n.markdown.replace(valuationLine, 'The currency helped a holder in baht this month.');
    const q = score(without);
    expect(q.completeness.sub_scores.valuation).toBe(0);
    expect(q.completeness.score).toBeLessThan(score(n.markdown).completeness.score);
    expect(q.completeness.issues.join('\n')).toMatch(/valuation \(P\/E vs the peers' median\) is not covered/);
  });
});

describe('LLM prompt', () => {
  it('catalogues the valuation and currency placeholders and asks for one sentence on each, never their values', async () => {
    const i = inputs('th');
    const n = await narrate(i, new TemplateNarrativeWriter());
    const prompt = buildLlmPrompt(i, { states: n.states, decision: n.decision, facts: n.facts });
    expect(prompt.system).toMatch(/one sentence on valuation/);
    for (const key of ['PE_RATIO', 'PEERS_MEDIAN_PE', 'PE_VS_PEERS', 'ANALYST_UPSIDE', 'RETURN_1M_THB', 'FX_CHANGE_1M']) expect(prompt.user).toContain(`{${key}}:`);
    expect(prompt.user).toMatch(/VALUATION \(computed by code\):\n- trailing P\/E vs the median of 2 peers: expensive \(แพงกว่ากลุ่ม\)/);
    expect(prompt.user).toMatch(/CURRENCY: quoted in USD/);
    expect(prompt.user).not.toContain('64.3');
  });
});
