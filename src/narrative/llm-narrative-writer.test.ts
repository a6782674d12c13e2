import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureBars, inputsFor, peersOf, POSITIVE_NEWS } from './narrative.test-support.js';
import { narrate } from './narrate.js';
import { buildFacts, formatFact, injectFacts } from '../report/facts.js';
import { DISCLAIMERS, NARRATIVE_SECTIONS, SECTION_HEADINGS, WORD_TARGETS } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { scoreNarrative } from '../report/quality-scores.js';
import { decideStance, deriveSemanticStates } from '../report/semantic-states.js';
import { LlmBudget, costAtPrice, DEFAULT_MODEL_PRICES, priceOf } from './llm-budget.js';
import { startFakeOpenAi, type FakeOpenAiServer, type FakeReply, type FakeChatRequest } from './fake-openai-server.js';
import { validateLlmAnswer } from './llm-answer-validation.js';
import { LlmNarrativeWriter, type LlmNarrativeWriterOptions } from './llm-narrative-writer.js';
import { buildLlmPrompt } from './llm-prompt.js';
import type { NarrativePlan } from './narrative-writer.js';
import { TemplateNarrativeWriter } from './template-narrative-writer.js';

const MODEL = 'openai/gpt-4o-mini';
const servers: FakeOpenAiServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fake(script: (r: FakeChatRequest) => FakeReply | Promise<FakeReply>, extra: { latencyMs?: number; costUsd?: number } = {}): Promise<FakeOpenAiServer> {
  const server = await startFakeOpenAi({ script, ...extra });
  servers.push(server);
  return server;
}

function nvda(overrides: Partial<Parameters<typeof inputsFor>[0]> = {}): NarrativeInputs {
  return inputsFor({
    symbol: 'NVDA19',
    name: 'NVIDIA Corporation',
    bars: fixtureBars('NVDA', '2024-03-08'),
    news: {
      ...POSITIVE_NEWS!,
      top: [...POSITIVE_NEWS!.top, { title: 'Nvidia shares jump 16% after $22.1 billion quarter', sentiment_label: 'positive', source: 'CNBC' }],
    },
    peers: peersOf(4.2),
    ...overrides,
  });
}

function planOf(inputs: NarrativeInputs): NarrativePlan {
  const states = deriveSemanticStates(inputs);
  return { states, decision: decideStance(states), facts: buildFacts(inputs) };
}

/** A well-formed answer in the contract's format: what a good model returns (placeholders, no digits). */
async function goodAnswer(inputs: NarrativeInputs): Promise<string> {
  const draft = await new TemplateNarrativeWriter().write(inputs, planOf(inputs));
  return draft.template;
}

function writerFor(server: FakeOpenAiServer, over: Partial<LlmNarrativeWriterOptions> = {}): LlmNarrativeWriter {
  return new LlmNarrativeWriter({
    client: new OpenAI({ baseURL: server.baseURL, apiKey: 'test-key', maxRetries: 0 }),
    model: MODEL,
    maxConcurrent: 4,
    timeoutMs: 2_000,
    retry: { attempts: 3, backoffMs: 5 },
    budget: new LlmBudget({ limitUsd: null }),
    fallback: new TemplateNarrativeWriter(),
    prices: DEFAULT_MODEL_PRICES,
    ...over,
  });
}

function scoresOf(inputs: NarrativeInputs, n: Awaited<ReturnType<typeof narrate>>) {
  return scoreNarrative({
    narrative: n.markdown,
    language: inputs.language,
    facts: n.facts,
    states: n.states,
    stance: n.decision.stance,
    recommendation: n.decision.recommendation,
    newsCount: inputs.news?.top.length ?? 0,
    peerCount: inputs.peers?.top.length ?? 0,
    names: [inputs.ticker.symbol, inputs.ticker.name, 'NVIDIA'],
  });
}

describe('LlmNarrativeWriter against a loopback OpenAI-compatible server', () => {
  it('publishes a good Thai answer: one call, exact format, numbers injected by code, faithful, costed', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const server = await fake(() => ({ content: answer, usage: { prompt_tokens: 3_000, completion_tokens: 900 } }));
    const budget = new LlmBudget({ limitUsd: 1 });
    const writer = writerFor(server, { budget });

    const n = await narrate(inputs, writer);
    expect(server.requests).toHaveLength(1);
    expect(n.draft.writer).toBe('llm');
    expect(n.draft.model).toBe(MODEL);
    expect(n.draft.warnings).toEqual([]);
    expect(n.draft.template).toBe(answer);
    for (const s of NARRATIVE_SECTIONS) expect(n.markdown).toContain(`## ${SECTION_HEADINGS.th[s]}`);
    expect(n.markdown.trimEnd().endsWith(`_${DISCLAIMERS.th}_`)).toBe(true);
    expect(n.markdown).toContain(formatFact(n.facts.PRICE!, 'th', 'USD'));

    const scores = scoresOf(inputs, n);
    expect(scores.faithfulness.score).toBe(100);
    expect(scores.compliance.issues).toEqual([]);

    const cost = costAtPrice(priceOf(DEFAULT_MODEL_PRICES, MODEL)!, 3_000, 900);
    expect(n.draft.usage).toEqual({ input_tokens: 3_000, output_tokens: 900, cost_usd: cost });
    expect(cost).toBeCloseTo((3_000 * 0.15 + 900 * 0.6) / 1e6, 12);
    const summary = budget.summary();
    expect(summary).toMatchObject({ calls: 1, llm_reports: 1, input_tokens: 3_000, output_tokens: 900, exhausted: false });
    expect(summary.spent_usd).toBeCloseTo(cost, 12);
    expect(budget.reservedUsd).toBe(0);

    const body = server.requests[0]!.body;
    expect(body.model).toBe(MODEL);
    expect(body.max_tokens).toBe(2000);
    expect(body.usage).toBeUndefined(); // not OpenRouter: the provider-cost flag is not sent unasked
    expect(server.requests[0]!.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('accepts an answer written in its own words (not the template), fenced and with a title, and scores it faithful', async () => {
    const inputs = nvda();
    const own = [
      '```markdown',
      '# NVIDIA (NVDA19)',
      '',
      '## 📖 เรื่องราวของหุ้นตัวนี้',
      'NVIDIA ยังอยู่ในขาขึ้นที่แข็งแรงมาก ราคาปิดล่าสุดอยู่ที่ {PRICE} เปลี่ยนแปลง {CHANGE_PCT} จากวันก่อน แต่ภาพใหญ่ยังสวยงาม เพราะราคายืนเหนือเส้นค่าเฉลี่ยระยะสั้น ระยะกลาง และระยะยาว ซึ่งเรียงตัวกันเป็นขั้นบันได ตั้งแต่ต้นปีราคาเปลี่ยนแปลง {RETURN_YTD} และในรอบหนึ่งปีเปลี่ยนแปลง {RETURN_1Y} ตอนนี้ราคาอยู่ใกล้จุดสูงสุดรอบปีที่ {HIGH_52W} โดยห่างลงมาเพียง {FROM_HIGH_52W_PCT}',
      '',
      '## 💡 สิ่งที่คุณต้องรู้',
      'ค่า RSI อยู่ที่ {RSI} แปลว่าแรงซื้อยังแข็งแรงและกำลังเข้าใกล้เขตซื้อมากเกินไป ส่วน MACD ยังเป็นบวกและทิ้งห่างเส้นสัญญาณออกไปเรื่อย ๆ บอกว่าแรงส่งขาขึ้นยังเร่งตัว ปริมาณการซื้อขายวันนี้สูงกว่าค่าเฉลี่ยราว {VOLUME_RATIO} ด้านข่าว จาก {NEWS_COUNT} ข่าวล่าสุด สัดส่วนข่าวเชิงบวกอยู่ที่ {NEWS_POSITIVE_PCT} โดยเฉพาะข่าวรายได้ศูนย์ข้อมูลที่ทำสถิติใหม่ เมื่อเทียบกับกลุ่มหุ้นที่เคลื่อนไหวใกล้เคียงกันอย่าง Microsoft และ Apple หุ้นตัวนี้ทำผลงานดีกว่ากลุ่มในเดือนที่ผ่านมา {RETURN_VS_PEERS}',
      '',
      '## 🎯 ควรทำอะไรตอนนี้',
      'มุมมองของเราคือ **ซื้อ (BUY)** ด้วยความมั่นใจระดับปานกลาง เหตุผลหลักคือแนวโน้มที่แข็งแรงและแรงส่งที่ยังเร่งตัว ประกอบกับข่าวที่เป็นบวก อย่างไรก็ตามความผันผวนที่สูงมากทำให้ควรทยอยซื้อเป็นช่วง ๆ แทนการซื้อครั้งเดียว หากราคาปิดต่ำกว่าเส้นค่าเฉลี่ยระยะกลางแถว {SMA_50} ควรทบทวนมุมมองใหม่',
      '',
      '## ⚠️ สิ่งที่ต้องจับตา',
      'ความผันผวนของหุ้นตัวนี้สูงมาก ราคาแกว่งเฉลี่ยวันละราว {ATR_PCT} จึงอาจขึ้นลงแรงได้ทั้งสองทาง ควรจับตาเส้นค่าเฉลี่ยระยะสั้นแถว {SMA_20} หากหลุดลงไปอาจเป็นสัญญาณแรกว่าแรงซื้อเริ่มอ่อนลง และควรจำกัดขนาดการลงทุนให้เหมาะกับความเสี่ยงที่รับได้',
      '',
      `_${DISCLAIMERS.th}_`,
      '```',
    ].join('\n');
    const server = await fake(() => ({ content: own }));
    const n = await narrate(inputs, writerFor(server));
    expect(n.draft.writer).toBe('llm');
    expect(n.draft.warnings).toEqual(['llm answer repaired: code fences removed; extra heading(s) dropped: "# NVIDIA (NVDA19)"']);
    expect(n.draft.template.startsWith(`## ${SECTION_HEADINGS.th.story}\n\nNVIDIA ยังอยู่ในขาขึ้น`)).toBe(true);
    const scores = scoresOf(inputs, n);
    expect(scores.faithfulness.score).toBe(100);
    expect(scores.reasoning_quality.issues).toEqual([]);
    expect(scores.compliance.sub_scores.structure).toBe(100);
    expect(scores.compliance.sub_scores.disclaimer).toBe(100);
  });

  it('validates English narratives the same way', async () => {
    const inputs = nvda({ language: 'en' });
    const plan = planOf(inputs);
    const answer = (await new TemplateNarrativeWriter().write(inputs, plan)).template;
    expect(validateLlmAnswer(answer, inputs, plan)).toEqual({ ok: true, template: answer, warnings: [] });
    const typed = validateLlmAnswer(answer.replace(/(## 💡 What you need to know\n\n)/, '$1RSI hit 91.7 yesterday. Shares could fall ten percent. '), inputs, plan);
    expect(typed.ok && typed.template).toBe(answer);
    expect(typed.warnings).toEqual(['llm answer typed numbers, removed with their sentences: "RSI hit 91.7 yesterday."; "Shares could fall ten percent."']);
    const prompt = buildLlmPrompt(inputs, plan);
    expect(prompt.system).toContain('## 📖 The story');
    expect(prompt.system).toContain(DISCLAIMERS.en);
  });

  it('sends no fact value in the prompt: only states, the decision in words and the placeholder catalogue', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const server = await fake(async () => ({ content: await goodAnswer(inputs) }));
    await writerFor(server).write(inputs, plan);
    const prompt = server.requests[0]!.text;

    // What it must carry.
    for (const s of NARRATIVE_SECTIONS) expect(prompt).toContain(`## ${SECTION_HEADINGS.th[s]}`);
    expect(prompt).toContain(DISCLAIMERS.th);
    expect(prompt).toContain(`${WORD_TARGETS.th.min} and ${WORD_TARGETS.th.max}`);
    for (const f of Object.values(plan.facts)) expect(prompt).toContain(`{${f.key}}: ${f.label}`);
    expect(prompt).toContain(`recommendation: ${plan.decision.recommendation}`);
    expect(prompt).toContain('strong uptrend');
    expect(prompt).toContain('Microsoft (MSFT19)');
    expect(prompt).toContain('Nvidia shares jump 16% after $22.1 billion quarter');

    // No value in any form: formatted (th/en), raw, or at its printed decimals.
    for (const f of Object.values(plan.facts)) {
      const forms = new Set([
        formatFact(f, 'th', 'USD'),
        formatFact(f, 'en', 'USD'),
        String(f.value),
        f.value.toFixed(f.decimals),
        Math.abs(f.value).toFixed(f.decimals),
      ]);
      for (const form of forms) {
        // Small whole numbers (PEER_COUNT 3) also name windows in the labels ("3-month"): the digit sweep below covers them.
        if (!/\d/.test(form) || /^\d{1,2}$/.test(form)) continue;
        const re = new RegExp(`(?<![\\d.,])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\d])`);
        expect(re.test(prompt), `${f.key} value ${form} leaked into the prompt`).toBe(false);
      }
    }
    // Stronger: once placeholders, labels, names, headline titles and the word target are taken out, no digit is left.
    let rest = prompt;
    const strip = [
      ...Object.values(plan.facts).flatMap((f) => [`{${f.key}}`, f.label]),
      ...inputs.news!.top.map((n) => n.title),
      ...inputs.peers!.top.flatMap((p) => [p.ticker]),
      ...inputs.peers!.sector_mates,
      inputs.ticker.symbol,
      `${WORD_TARGETS.th.min} and ${WORD_TARGETS.th.max}`,
    ].sort((a, b) => b.length - a.length);
    for (const s of strip) rest = rest.split(s).join(' ');
    expect(rest.match(/.{0,30}\d.{0,30}/g)).toBeNull();
  });

  it('repairs malformed headings, fences, preamble and lists; keeps the exact format', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const h = SECTION_HEADINGS.th;
    const messy = [
      '```markdown',
      'แน่นอนครับ นี่คือรายงานของคุณ',
      '# รายงาน NVDA19',
      answer
        .replace(`## ${h.story}`, '### เรื่องราวของหุ้นตัวนี้')
        .replace(`## ${h.know}`, `**${h.know}**`)
        .replace(`## ${h.action}`, `# ${h.action}`)
        .replace(`## ${h.watch}`, `## ${SECTION_HEADINGS.en.watch}`)
        .replace(`_${DISCLAIMERS.th}_`, ''),
      '```',
    ].join('\n');
    const server = await fake(() => ({ content: messy }));
    const n = await narrate(inputs, writerFor(server));
    expect(n.draft.writer).toBe('llm');
    expect(n.draft.template).toBe(answer);
    expect(n.draft.warnings).toHaveLength(1);
    expect(n.draft.warnings[0]).toMatch(/^llm answer repaired: code fences removed; 4 heading\(s\) normalised; extra heading\(s\) dropped: "# รายงาน NVDA19"; text before the first section dropped$/);
    expect(scoresOf(inputs, n).compliance.sub_scores.structure).toBe(100);

    const list = answer.replace(/(## 💡 สิ่งที่คุณต้องรู้\n\n)/, '$1- ราคายืนเหนือเส้นค่าเฉลี่ยทุกเส้น\n- แรงส่งยังดี\n\n');
    const v = validateLlmAnswer(list, inputs, planOf(inputs));
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.template).toContain('ราคายืนเหนือเส้นค่าเฉลี่ยทุกเส้น แรงส่งยังดี');
      expect(v.template).not.toMatch(/^- /m);
      expect(v.warnings[0]).toContain('list turned into prose');
    }

    const paraphrased = validateLlmAnswer(answer.replace(`_${DISCLAIMERS.th}_`, '*ข้อมูลนี้มีไว้เพื่อการศึกษาเท่านั้น ไม่ใช่คำแนะนำการลงทุน*'), inputs, planOf(inputs));
    expect(paraphrased.ok && paraphrased.template).toBe(answer);
    expect(paraphrased.warnings).toEqual(['llm answer repaired: paraphrased disclaimer replaced']);
  });

  it('rejects an answer with a missing section and falls back to the template writer, saying why', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const noWatch = answer.replace(/## ⚠️ สิ่งที่ต้องจับตา[\s\S]*?(?=_ข้อมูลนี้)/, '');
    const server = await fake(() => ({ content: noWatch, usage: { prompt_tokens: 1000, completion_tokens: 500 } }));
    const budget = new LlmBudget({ limitUsd: null });
    const draft = await writerFor(server, { budget }).write(inputs, planOf(inputs));
    expect(draft.writer).toBe('template');
    expect(draft.model).toBeNull();
    expect(draft.warnings[0]).toBe('llm answer rejected: missing section "⚠️ สิ่งที่ต้องจับตา"');
    // The call was billed: its usage stays on the report and on the execution.
    expect(draft.usage?.input_tokens).toBe(1000);
    expect(budget.summary()).toMatchObject({ calls: 1, llm_reports: 0, fallback_reports: { rejected: 1 } });
  });

  it('removes a sentence with an unknown placeholder and warns; repairs malformed known ones', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const withUnknown = answer.replace(
      /(## 💡 สิ่งที่คุณต้องรู้\n\n)/,
      '$1อัตราส่วนราคาต่อกำไรอยู่ที่ {PE_RATIO} ถือว่าสูงกว่าค่าเฉลี่ย ค่า RSI ตอนนี้อยู่ที่ {{rsi}} ซึ่งยังไม่ร้อนแรงเกินไป ',
    );
    const server = await fake(() => ({ content: withUnknown }));
    const n = await narrate(inputs, writerFor(server));
    expect(n.draft.writer).toBe('llm');
    expect(n.draft.warnings).toContain('llm answer used unknown placeholders, removed with their sentences: {PE_RATIO}');
    expect(n.draft.warnings.join('\n')).toContain('1 malformed placeholder(s) normalised');
    expect(n.draft.template).not.toContain('PE_RATIO');
    expect(n.draft.template).not.toContain('อัตราส่วนราคาต่อกำไร');
    expect(n.draft.template).toContain('ค่า RSI ตอนนี้อยู่ที่ {RSI}');
    expect(n.markdown).toContain(`ค่า RSI ตอนนี้อยู่ที่ ${formatFact(n.facts.RSI!, 'th', 'USD')}`);
    expect(scoresOf(inputs, n).faithfulness.score).toBe(100);
  });

  it('strips every sentence with a number typed by the model (Arabic or Thai digits, spelled with a unit); names keep theirs', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const typed = answer
      .replace(/(## 💡 สิ่งที่คุณต้องรู้\n\n)/, '$1ค่า RSI พุ่งขึ้นไปถึง 91.7 จุดเมื่อวาน ส่วนเป้าหมายราคาอยู่ที่ ๙๙๙ ดอลลาร์ หุ้น NVDA19 ยังได้รับความสนใจจากนักลงทุนอย่างต่อเนื่อง ')
      .replace(/(## ⚠️ สิ่งที่ต้องจับตา\n\n)/, '$1ราคาอาจร่วงลงได้ถึงห้าสิบดอลลาร์ภายในสัปดาห์เดียว ');
    const server = await fake(() => ({ content: typed }));
    const n = await narrate(inputs, writerFor(server));
    expect(n.draft.writer).toBe('llm');
    const w = n.draft.warnings.find((x) => x.startsWith('llm answer typed numbers, removed with their sentences: '));
    expect(w).toBeDefined();
    expect(w).toContain('91.7');
    expect(n.markdown).not.toContain('91.7');
    expect(n.markdown).not.toContain('๙๙๙');
    expect(n.markdown).not.toContain('ห้าสิบดอลลาร์');
    expect(n.markdown).toContain('หุ้น NVDA19 ยังได้รับความสนใจจากนักลงทุนอย่างต่อเนื่อง');
    const scores = scoresOf(inputs, n);
    expect(scores.faithfulness.score).toBe(100);
  });

  it('rejects an answer that needed more than a third of its sentences removed', async () => {
    const inputs = nvda();
    const numbers = [
      '## 📖 เรื่องราวของหุ้นตัวนี้',
      'ราคาปิดที่ 875.28 ดอลลาร์ ปรับตัวลง 5.55% จากวันก่อน ราคายังยืนเหนือเส้นค่าเฉลี่ยทุกเส้น',
      '## 💡 สิ่งที่คุณต้องรู้',
      'RSI อยู่ที่ 72 ซึ่งใกล้เขตซื้อมากเกินไป MACD ยังเป็นบวก',
      '## 🎯 ควรทำอะไรตอนนี้',
      'มุมมองของเราคือ **ซื้อ (BUY)** เป้าหมาย 1,000 ดอลลาร์ ควรทยอยซื้อเป็นช่วง ๆ',
      '## ⚠️ สิ่งที่ต้องจับตา',
      'ความผันผวนวันละ 4.1% ถือว่าสูงมาก ควรจำกัดขนาดการลงทุน',
    ].join('\n\n');
    const server = await fake(() => ({ content: numbers }));
    const draft = await writerFor(server).write(inputs, planOf(inputs));
    expect(draft.writer).toBe('template');
    expect(draft.warnings[0]).toMatch(/^llm answer rejected: \d+ of \d+ sentences had to be removed/);
    expect(draft.warnings.some((x) => x.startsWith('llm answer typed numbers'))).toBe(true);
    const injected = injectFacts(draft.template, planOf(inputs).facts, 'th', 'USD').text;
    expect(injected).not.toContain('875.28 ดอลลาร์ ปรับ');
  });

  it('rejects a recommendation that contradicts the decision, and an answer not in Thai', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    expect(plan.decision.recommendation).toBe('BUY');
    const answer = await goodAnswer(inputs);
    const contrary = validateLlmAnswer(answer.replace('**ซื้อ (BUY)**', '**ขาย (SELL)**'), inputs, plan);
    expect(contrary.ok).toBe(false);
    if (!contrary.ok) expect(contrary.reason).toMatch(/^recommendation SELL contradicts the decision BUY/);

    const english = await new TemplateNarrativeWriter().write({ ...inputs, language: 'en' }, plan);
    const wrongLanguage = NARRATIVE_SECTIONS.reduce(
      (t, s) => t.replace(`## ${SECTION_HEADINGS.en[s]}`, `## ${SECTION_HEADINGS.th[s]}`),
      english.template,
    );
    const server = await fake(() => ({ content: wrongLanguage }));
    const draft = await writerFor(server).write(inputs, plan);
    expect(draft.writer).toBe('template');
    expect(draft.warnings[0]).toMatch(/^llm answer rejected: the answer is not in Thai \(\d+% Thai letters, 70% needed\)$/);
  });

  it('adds the decided recommendation when the answer states none, and the demo notice for demo data', async () => {
    const inputs = nvda({ dataSource: 'demo' });
    const plan = planOf(inputs);
    const answer = (await goodAnswer({ ...inputs, dataSource: 'csv' })).replace('มุมมองของเราในวันนี้คือ **ซื้อ (BUY)** ', '');
    const v = validateLlmAnswer(answer, inputs, plan);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.warnings).toContain('llm answer did not state the recommendation: "BUY" added from the decision');
    expect(v.template).toMatch(/## 🎯 ควรทำอะไรตอนนี้\n\nมุมมองของเราในวันนี้คือ \*\*ซื้อ \(BUY\)\*\* /);
    expect(v.template).toMatch(/## 📖 เรื่องราวของหุ้นตัวนี้\n\n> \*\*ข้อมูลสาธิต \(demo\):\*\*/);
  });

  it('rejects an answer cut at max_tokens', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const server = await fake(() => ({ content: answer.slice(0, 400), finishReason: 'length' }));
    const draft = await writerFor(server).write(inputs, planOf(inputs));
    expect(draft.writer).toBe('template');
    expect(draft.warnings[0]).toBe('llm answer rejected: truncated at max_tokens (2000)');
  });

  it('retries a 429 after its retry-after, then succeeds: two calls, one report', async () => {
    const inputs = nvda();
    const answer = await goodAnswer(inputs);
    const server = await fake((r) => (r.index === 0 ? { status: 429, retryAfter: 0.3 } : { content: answer }));
    const budget = new LlmBudget({ limitUsd: null });
    const draft = await writerFor(server, { budget }).write(inputs, planOf(inputs));
    expect(draft.writer).toBe('llm');
    expect(draft.warnings).toEqual([]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.startedAt - server.requests[0]!.finishedAt!).toBeGreaterThanOrEqual(280);
    const s = budget.summary();
    expect(s).toMatchObject({ calls: 2, llm_reports: 1, retries: { rate_limited: 1 }, failures: { rate_limited: 1 } });
    expect(s.warnings).toContain('1 LLM call(s) retried (rate_limited 1)');
  });

  it('gives up after the attempts on 429 / 5xx / timeouts and falls back with the last error', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);

    const limited = await fake(() => ({ status: 429, retryAfter: 0 }));
    const budget = new LlmBudget({ limitUsd: null });
    const a = await writerFor(limited, { budget }).write(inputs, plan);
    expect(a.writer).toBe('template');
    expect(a.usage).toBeNull();
    expect(a.warnings[0]).toBe('llm unavailable after 3 attempts: 429 Rate limit exceeded: too many requests');
    expect(limited.requests).toHaveLength(3);
    expect(budget.summary()).toMatchObject({ calls: 3, retries: { rate_limited: 2 }, failures: { rate_limited: 3 }, fallback_reports: { unavailable: 1 } });

    const answer = await goodAnswer(inputs);
    const flaky = await fake((r) => (r.index === 0 ? { status: 500 } : r.index === 1 ? { status: 503 } : { content: answer }));
    expect((await writerFor(flaky).write(inputs, plan)).writer).toBe('llm');
    expect(flaky.requests).toHaveLength(3);

    const hanging = await fake(() => ({ hang: true }));
    const b = await writerFor(hanging, { timeoutMs: 150, retry: { attempts: 2, backoffMs: 1 } }).write(inputs, plan);
    expect(b.writer).toBe('template');
    expect(b.warnings[0]).toBe('llm unavailable after 2 attempts: timeout after 150 ms');
    expect(hanging.requests).toHaveLength(2);

    const longWait = await fake(() => ({ status: 429, retryAfter: 3600 }));
    const c = await writerFor(longWait).write(inputs, plan);
    expect(c.warnings[0]).toMatch(/^llm unavailable after 1 attempt: 429 .*\(retry-after 3600 s is past the 60 s cap\)$/);
    expect(longWait.requests).toHaveLength(1);
  });

  it('402: no retry, falls back, and every later report of the run falls back without a call', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const server = await fake(() => ({ status: 402 }));
    const budget = new LlmBudget({ limitUsd: 5 });
    const writer = writerFor(server, { budget });

    const first = await writer.write(inputs, plan);
    expect(first.writer).toBe('template');
    expect(first.warnings[0]).toBe('llm payment required (402): Insufficient credits. Add more using https://openrouter.ai/settings/credits');
    expect(server.requests).toHaveLength(1);
    expect(budget.exhausted).toBe(true);
    expect(budget.exhaustedReason).toBe('payment_required');

    const second = await writer.write(nvda({ symbol: 'AAPL19', name: 'Apple Inc.' }), plan);
    expect(second.writer).toBe('template');
    expect(second.warnings.filter((w) => w.startsWith('llm '))).toEqual(['llm payment required (402) earlier in this run: template writer used']);
    expect(server.requests).toHaveLength(1);

    const s = budget.summary();
    expect(s).toMatchObject({ calls: 1, exhausted: true, exhausted_reason: 'payment_required', fallback_reports: { payment_required: 2 } });
    expect(s.warnings[0]).toMatch(/^llm payment required \(402\): Insufficient credits.*the rest of the run used the template writer$/);
  });

  it('401: the key is refused, the run stops calling', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const server = await fake(() => ({ status: 401, message: 'No auth credentials found' }));
    const budget = new LlmBudget({ limitUsd: null });
    const writer = writerFor(server, { budget });
    const first = await writer.write(inputs, plan);
    expect(first.warnings[0]).toBe('llm refused the request (401 No auth credentials found): template writer used');
    const second = await writer.write(inputs, plan);
    expect(second.warnings[0]).toBe('llm refused the API key earlier in this run (HTTP 401): template writer used');
    expect(server.requests).toHaveLength(1);
    expect(budget.summary()).toMatchObject({ exhausted_reason: 'unauthorized', fallback_reports: { unauthorized: 2 } });
  });

  it('budget exhausted mid-run: the calls that fit are made, the rest fall back with the warning', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const answer = await goodAnswer(inputs);
    const server = await fake(() => ({ content: answer, usage: { prompt_tokens: 3_000, completion_tokens: 900 } }));
    const price = priceOf(DEFAULT_MODEL_PRICES, MODEL)!;
    const perCall = costAtPrice(price, 3_000, 900);
    const probe = writerFor(server);
    const estimate = probe.estimateUsd(buildLlmPrompt(inputs, plan));
    expect(estimate).toBeGreaterThan(perCall); // the estimate is an upper bound
    const limit = perCall + estimate + perCall / 2; // fits two calls, not three
    const budget = new LlmBudget({ limitUsd: limit });
    const writer = writerFor(server, { budget });

    const drafts = [];
    for (let i = 0; i < 5; i++) drafts.push(await writer.write(inputs, plan));
    expect(drafts.map((d) => d.writer)).toEqual(['llm', 'llm', 'template', 'template', 'template']);
    expect(server.requests).toHaveLength(2);
    const expected = `llm budget of $${limit.toFixed(4)} reached: template writer used`;
    for (const d of drafts.slice(2)) expect(d.warnings.filter((w) => w.startsWith('llm '))).toEqual([expected]);
    expect(budget.spentUsd).toBeCloseTo(2 * perCall, 12);
    expect(budget.spentUsd).toBeLessThanOrEqual(limit);
    const s = budget.summary();
    expect(s).toMatchObject({ llm_reports: 2, exhausted: true, exhausted_reason: 'budget', fallback_reports: { budget: 3 } });
    expect(s.warnings[0]).toMatch(/^llm budget of \$\d\.\d{4} reached after 2 LLM report\(s\) .*: the rest of the run used the template writer$/);
  });

  it('budget with provider costs and concurrent calls: in-flight reservations keep the spend under the limit', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const answer = await goodAnswer(inputs);
    const server = await fake(() => ({ content: answer }), { latencyMs: 40, costUsd: 0.01 });
    // Unknown model, provider cost: the estimate is the dearest call seen so far.
    const budget = new LlmBudget({ limitUsd: 0.035 });
    const writer = writerFor(server, { budget, model: 'acme/unpriced-model', maxConcurrent: 16 });
    const first = await writer.write(inputs, plan);
    expect(first.usage?.cost_usd).toBe(0.01);
    expect(first.warnings).toEqual([]); // provider cost: no "no price" warning
    const rest = await Promise.all(Array.from({ length: 16 }, () => writer.write(inputs, plan)));
    const llm = [first, ...rest].filter((d) => d.writer === 'llm').length;
    expect(llm).toBe(3);
    expect(budget.spentUsd).toBeCloseTo(0.03, 12);
    expect(budget.spentUsd).toBeLessThanOrEqual(0.035);
    expect(server.requests).toHaveLength(3);
  });

  it('records the provider cost when given, asks OpenRouter for it, and warns for a model with no price', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const answer = await goodAnswer(inputs);
    const server = await fake(() => ({ content: answer, usage: { prompt_tokens: 100, completion_tokens: 50, cost: 0.0042 } }));
    const withCost = await writerFor(server, { requestProviderCost: true }).write(inputs, plan);
    expect(withCost.usage).toEqual({ input_tokens: 100, output_tokens: 50, cost_usd: 0.0042 });
    expect(server.requests[0]!.body.usage).toEqual({ include: true });

    const plain = await fake(() => ({ content: answer, usage: { prompt_tokens: 100, completion_tokens: 50 } }));
    const budget = new LlmBudget({ limitUsd: null });
    const unpriced = await writerFor(plain, { model: 'acme/mystery-1', budget }).write(inputs, plan);
    expect(unpriced.writer).toBe('llm');
    expect(unpriced.usage).toEqual({ input_tokens: 100, output_tokens: 50, cost_usd: 0 });
    expect(unpriced.warnings).toEqual(['no price for model acme/mystery-1: its cost is recorded as 0']);
    expect(budget.summary()).toMatchObject({ unpriced_calls: 1, warnings: ['no price for model acme/mystery-1: its cost is recorded as 0'] });

    // A bare vendor id finds its OpenRouter entry.
    expect(priceOf(DEFAULT_MODEL_PRICES, 'gpt-4o')).toEqual({ input_per_million_usd: 2.5, output_per_million_usd: 10 });
    expect(priceOf(DEFAULT_MODEL_PRICES, 'openai/gpt-4o-2024-08-06')).toEqual(DEFAULT_MODEL_PRICES['openai/gpt-4o']);
  });

  it('never has more calls in flight than its concurrency limit', async () => {
    const inputs = nvda();
    const plan = planOf(inputs);
    const answer = await goodAnswer(inputs);
    const server = await fake(() => ({ content: answer }), { latencyMs: 60 });
    const writer = writerFor(server, { maxConcurrent: 3 });
    const started = Date.now();
    const drafts = await Promise.all(Array.from({ length: 10 }, () => writer.write(inputs, plan)));
    expect(drafts.every((d) => d.writer === 'llm')).toBe(true);
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 60 - 10); // ⌈10/3⌉ waves

    // Two executions' writers from one process writer share its limit, each charging its own budget.
    const [b1, b2] = [new LlmBudget({ limitUsd: null }), new LlmBudget({ limitUsd: null })];
    const [w1, w2] = [writer.withBudget(b1), writer.withBudget(b2)];
    const before = server.requests.length;
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? w1 : w2).write(inputs, plan)));
    expect(server.requests.length - before).toBe(8);
    expect(server.maxInFlight).toBe(3);
    expect([b1.summary().llm_reports, b2.summary().llm_reports]).toEqual([4, 4]);
  });
});
