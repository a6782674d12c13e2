import { describe, expect, it } from 'vitest';
import { narrate, type Narrative } from './narrate.js';
import {
  fixtureBars,
  inputsFor,
  MIXED_NEWS,
  NEGATIVE_NEWS,
  peersOf,
  POSITIVE_NEWS,
  proseSentences,
  sectionsOf,
  sharedShare,
  withoutFactsAndNames,
  type InputOptions,
} from './narrative.test-support.js';
import { buildFacts, injectFacts } from '../report/facts.js';
import { DISCLAIMERS, SECTION_HEADINGS, WORD_TARGETS, type Language } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { decideStance, deriveSemanticStates } from '../report/semantic-states.js';
import { countWords } from '../report/word-count.js';
import { generateDemoBars } from '../sources/demo-market-data.js';
import { FILL_CAP, TemplateNarrativeWriter, writeTemplateNarrative } from './template-narrative-writer.js';

const writer = new TemplateNarrativeWriter();

/** Real and synthetic inputs covering both directions, neutral, short history, ETFs, four currencies and demo data. */
const CASES: Record<string, Omit<InputOptions, 'language'>> = {
  nvdaUp: { symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2024-03-08'), news: POSITIVE_NEWS, peers: peersOf(6.1) },
  nvdaDown: { symbol: 'NVDA19', name: 'NVIDIA Corporation', bars: fixtureBars('NVDA', '2022-10-14'), news: NEGATIVE_NEWS, peers: peersOf(-4.5, 35) },
  pfe: { symbol: 'PFIZER19', name: 'Pfizer Inc.', sector: 'Pharmaceuticals', exchange: 'NYSE', bars: fixtureBars('PFE', '2023-12-29') },
  pfeShort: { symbol: 'PFIZER19', name: 'Pfizer Inc.', sector: 'Pharmaceuticals', bars: fixtureBars('PFE', '2023-12-29', 120), news: MIXED_NEWS },
  dbs: { symbol: 'DBS19', name: 'DBS Group Holdings Ltd', currency: 'SGD', exchange: 'SGX', sector: 'Banks', bars: fixtureBars('D05.SI', '2022-09-19'), peers: peersOf(0.4) },
  tencent: { symbol: 'TENCENT19', name: 'Tencent Holdings Ltd', currency: 'HKD', exchange: 'HKEX', bars: fixtureBars('0700.HK', '2025-07-18'), news: POSITIVE_NEWS },
  nintendo: { symbol: 'NINTENDO19', name: 'Nintendo Co., Ltd.', currency: 'JPY', exchange: 'TSE', bars: fixtureBars('7974.T', '2025-05-26'), news: MIXED_NEWS, peers: peersOf(-1) },
  gold: { symbol: 'GOLDUS19', name: 'SPDR Gold Trust', type: 'etf', sector: null, exchange: 'NYSEARCA', bars: fixtureBars('GLD', '2026-03-25'), peers: peersOf(2) },
  demoStock: { symbol: 'MSFT19', name: 'Microsoft Corporation', bars: generateDemoBars('MSFT', '2026-11-27', 400), dataSource: 'demo', news: POSITIVE_NEWS, peers: peersOf(-3.5) },
  demoEtf: { symbol: 'QQQM19', name: 'Invesco NASDAQ 100 ETF', type: 'etf', sector: null, bars: generateDemoBars('QQQM', '2026-11-27', 400, { kind: 'etf' }), dataSource: 'demo' },
};

const rendered = new Map<string, Promise<Narrative>>();
function render(name: keyof typeof CASES, language: Language): Promise<Narrative> {
  const key = `${name}:${language}`;
  if (!rendered.has(key)) rendered.set(key, narrate(inputsFor({ ...CASES[name]!, language }), writer));
  return rendered.get(key)!;
}
function inputs(name: keyof typeof CASES, language: Language): NarrativeInputs {
  return inputsFor({ ...CASES[name]!, language });
}

const LANGS: Language[] = ['th', 'en'];
const NAMES = Object.keys(CASES) as (keyof typeof CASES)[];

describe('TemplateNarrativeWriter: shape', () => {
  it.each(LANGS)('%s: the four contract headings in order, prose only, then the disclaimer as the last line', async (lang) => {
    for (const name of NAMES) {
      const n = await render(name, lang);
      const headings = n.markdown.split('\n').filter((l) => l.startsWith('#'));
      expect(headings, name).toEqual(Object.values(SECTION_HEADINGS[lang]).map((h) => `## ${h}`));
      const lines = n.markdown.trimEnd().split('\n');
      expect(lines[lines.length - 1], name).toBe(`_${DISCLAIMERS[lang]}_`);
      expect(n.markdown, name).not.toMatch(/^\s*([-*+]|\d+\.)\s/m); // no bullet lists
      const sections = sectionsOf(n.markdown, lang);
      for (const [section, body] of Object.entries(sections)) expect(body.length, `${name} ${section}`).toBeGreaterThan(0);
    }
  });

  it('is deterministic and implements the port (name template, no model, no usage)', async () => {
    const i = inputs('nvdaUp', 'th');
    const plan = { states: deriveSemanticStates(i), decision: decideStance(deriveSemanticStates(i)), facts: buildFacts(i) };
    const a = await writer.write(i, plan);
    const b = await writer.write(i, plan);
    expect(a).toEqual(b);
    expect(writer.name).toBe('template');
    expect(a).toMatchObject({ writer: 'template', model: null, usage: null, warnings: [] });
  });
});

describe('TemplateNarrativeWriter: numbers only through placeholders', () => {
  it.each(LANGS)('%s: every placeholder is known, and every digit of the injected text comes from a fact', async (lang) => {
    for (const name of NAMES) {
      const n = await render(name, lang);
      expect(n.injection.unknown, name).toEqual([]);
      expect(n.injection.injected, name).toBeGreaterThan(5);
      expect(n.markdown, name).not.toMatch(/[{}]|\[\[|\]\]/);
      const template = n.draft.template.replace(/\{[A-Z0-9_]+\}/g, '');
      const i = inputs(name, lang);
      // The template itself has no digit outside the names it carries (a fund may be called "NASDAQ 100").
      expect(withoutFactsAndNames(template, {}, i), name).not.toMatch(/\d/);
      expect(withoutFactsAndNames(n.markdown, n.facts, i), name).not.toMatch(/\d/);
    }
  });
});

describe('TemplateNarrativeWriter: length', () => {
  it.each(LANGS)('%s: the injected narrative is within the word target, with and without headings and disclaimer', async (lang) => {
    const { min, max } = WORD_TARGETS[lang];
    const counts: Record<string, [number, number]> = {};
    for (const name of NAMES) {
      const n = await render(name, lang);
      const body = n.markdown
        .split('\n')
        .filter((l) => !l.startsWith('#') && !l.startsWith('_'))
        .join('\n');
      counts[name] = [countWords(n.markdown, lang), countWords(body, lang)];
      expect(n.words).toBe(counts[name][0]);
      expect(n.warnings, name).toEqual([]);
    }
    for (const [name, [whole, body]] of Object.entries(counts)) {
      expect(whole, `${name} whole`).toBeGreaterThanOrEqual(min);
      expect(whole, `${name} whole`).toBeLessThanOrEqual(max);
      expect(body, `${name} body`).toBeGreaterThanOrEqual(min);
      expect(body, `${name} body`).toBeLessThanOrEqual(max);
    }
  });
});

describe('TemplateNarrativeWriter: a bullish and a bearish history read differently', () => {
  it.each(LANGS)('%s: NVDA into 2024-03-08 vs NVDA into 2022-10-14', async (lang) => {
    const up = await render('nvdaUp', lang);
    const down = await render('nvdaDown', lang);
    expect(up.decision.stance).toBe('bullish');
    expect(down.decision.stance).toBe('bearish');
    expect(up.decision.recommendation).toBe('BUY');
    expect(down.decision.recommendation).toBe('SELL');

    const aUp = sectionsOf(up.markdown, lang).action;
    const aDown = sectionsOf(down.markdown, lang).action;
    if (lang === 'th') {
      expect(aUp).toContain('**ซื้อ (BUY)**');
      expect(aDown).toContain('**ขาย (SELL)**');
      expect(aUp).not.toMatch(/ขาย \(SELL\)|ถือ \(HOLD\)/);
    } else {
      expect(aUp).toContain('**BUY**');
      expect(aDown).toContain('**SELL**');
    }
    const sUp = proseSentences(up.markdown, lang);
    const sDown = proseSentences(down.markdown, lang);
    expect(sharedShare(sUp, sDown)).toBeLessThan(0.5);
    // The story opens on the trend: up vs down, in words.
    const story = (n: Narrative) => sectionsOf(n.markdown, lang).story;
    expect(story(up)).toMatch(lang === 'th' ? /ขาขึ้น/ : /uptrend/);
    expect(story(down)).toMatch(lang === 'th' ? /ขาลง/ : /downtrend/);
  });

  it('the action section follows the decision reasons, and HOLD caveats are spelled out', async () => {
    const up = await render('nvdaUp', 'en');
    expect(up.decision.drivers[0]!.state).toBe('trend');
    expect(sectionsOf(up.markdown, 'en').action).toMatch(/textbook uptrend/);
    // NVDA into 2024-02-16: strong uptrend, RSI overbought → HOLD with the reason given.
    const hot = await narrate(inputsFor({ ...CASES.nvdaUp!, bars: fixtureBars('NVDA', '2024-02-16'), language: 'th' }), writer);
    expect(hot.states.rsi_zone).toBe('overbought');
    expect(hot.decision).toMatchObject({ stance: 'bullish', recommendation: 'HOLD' });
    expect(sectionsOf(hot.markdown, 'th').action).toContain('**ถือ (HOLD)**');
    expect(sectionsOf(hot.markdown, 'th').action).toMatch(/เขตซื้อมากเกินไป/);
  });
});

describe('TemplateNarrativeWriter: seeded variation', () => {
  it.each(LANGS)('%s: two tickers in the same states do not read alike', async (lang) => {
    const bars = fixtureBars('NVDA', '2024-03-08');
    const a = await narrate(inputsFor({ symbol: 'NVDA19', name: 'NVIDIA Corporation', bars, news: POSITIVE_NEWS, peers: peersOf(6), language: lang }), writer);
    const b = await narrate(inputsFor({ symbol: 'MICRON19', name: 'Micron Technology, Inc.', bars, news: POSITIVE_NEWS, peers: peersOf(6), language: lang }), writer);
    expect(a.states).toEqual(b.states);
    expect(a.decision.recommendation).toBe(b.decision.recommendation);
    const norm = (n: Narrative, name: string) => proseSentences(n.markdown.split(name).join('NAME'), lang);
    expect(sharedShare(norm(a, 'NVIDIA'), norm(b, 'Micron Technology'))).toBeLessThan(0.6);
  });
});

describe('TemplateNarrativeWriter: data source, news, peers', () => {
  it.each(LANGS)('%s: a demo-data report says so in its story; a real one does not', async (lang) => {
    const label = lang === 'th' ? 'ข้อมูลสาธิต' : 'Demo data';
    for (const name of ['demoStock', 'demoEtf'] as const) expect(sectionsOf((await render(name, lang)).markdown, lang).story, name).toContain(label);
    for (const name of ['nvdaUp', 'pfe', 'gold'] as const) expect((await render(name, lang)).markdown, name).not.toContain(label);
  });

  it('mentions news tone and headline count when news is present, and says when it is unavailable', async () => {
    const withNews = sectionsOf((await render('nvdaDown', 'th')).markdown, 'th').know;
    expect(withNews).toMatch(/ข่าว/);
    expect(withNews).toContain('10 ข่าว'); // NEWS_COUNT injected
    expect(withNews).toContain('60.0%'); // NEWS_NEGATIVE_PCT injected
    const none = (await render('pfe', 'en')).markdown;
    expect(none).toMatch(/No news was available/);
  });

  it('ETFs are called a fund, not a stock, in the prose', async () => {
    const en = (await render('gold', 'en')).markdown;
    expect(en).not.toMatch(/the stock\b|The stock\b/);
  });
});

describe('injection of a writer template', () => {
  it('reports and removes unknown placeholders a writer might produce', () => {
    const i = inputs('nvdaUp', 'en');
    const facts = buildFacts(i);
    const r = injectFacts(
      '## 📖 The story\n\nNVIDIA closed at {PRICE}. Its P/E ratio is {PE_RATIO}, above the sector. RSI is {RSI}.\n',
      facts,
      'en',
      'USD',
    );
    expect(r.unknown).toEqual(['PE_RATIO']);
    expect(r.text).not.toMatch(/P\/E|\{/);
    expect(r.text).toMatch(/^NVIDIA closed at 875\.28 USD\. RSI is \d+\.\d\.$/m);
  });

  it('writeTemplateNarrative reports its injected word count, and fills up to the cap without passing it', () => {
    for (const lang of LANGS) {
      for (const name of NAMES) {
        const i = inputs(name, lang);
        const states = deriveSemanticStates(i);
        const plan = { states, decision: decideStance(states), facts: buildFacts(i) };
        const d = writeTemplateNarrative(i, plan);
        expect(d.words, `${name}:${lang}`).toBe(countWords(injectFacts(d.template, plan.facts, lang, i.ticker.currency).text, lang));
        // Sentences are chosen on the sum of their own counts; the sum must be the whole text's count.
        expect(d.words, `${name}:${lang}`).toBeLessThanOrEqual(FILL_CAP[lang]);
      }
    }
  });
});
