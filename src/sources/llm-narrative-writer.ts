/**
 * The `llm` narrative writer: any OpenAI-compatible chat-completions endpoint through the `openai` SDK (OpenRouter by
 * default). One call per report. The model never sees a fact's value and may not write a number: it gets the semantic
 * states, the decision (in words) and a catalogue of `{PLACEHOLDER}`s (key, label, unit), writes prose with those
 * placeholders, and code checks the answer, repairs what it safely can, rejects the rest, and later injects the exact
 * numbers (report/facts.ts). A rejected answer, an exhausted budget or an unavailable provider falls back to the
 * `fallback` writer (the template writer) with a warning saying why; the report is never left without a narrative.
 *
 * Validation of an answer, one pass (`validateLlmAnswer`):
 * 1. Clean-up (repairs, reported in one `llm answer repaired: …` warning): code fences stripped; headings matched to
 *    the four sections whatever their level (`#`…`######`), emoji, bold-only line or language, then rewritten as the
 *    exact `## ` headings; other headings and any preamble before the first section dropped; sections put back in
 *    order; bullet / numbered lists turned into a paragraph; tables and rules dropped; malformed placeholders
 *    normalised (`{{RSI}}`, `{ RSI }`, `{rsi}`, `[RSI]` → `{RSI}` when RSI is a fact) and units typed after a
 *    placeholder dropped (`{ATR_PCT}%`); the disclaimer (either language) removed from the prose and appended last.
 * 2. Sentences (Thai: clauses, report/sentences.ts) are removed, with a warning naming why, when they hold a
 *    placeholder that is not in the catalogue, a digit outside placeholders and known names (any script: 0-9, ๐-๙…),
 *    a number spelled out before a unit ("ten percent", "ห้าสิบดอลลาร์"), or a promise of returns.
 * 3. Rejected (→ fallback, `llm answer rejected: …`): empty answer or truncated at max_tokens; a section missing,
 *    repeated or empty; more than a third of the sentences removed; the narrative's language under 70% of the
 *    letters (Thai asked → Thai letters / (Thai + Latin), placeholders and names excluded); a recommendation that
 *    contradicts the decision; under half the word target; any number the quality scorer cannot trace to a fact
 *    after injection (the last guard: no unverified number is ever published).
 * 4. An action section without an explicit recommendation gets the decided one prepended by code (warned).
 *
 * Errors: 429 (waiting at least its retry-after), 408, 5xx, timeouts and connection errors are retried with
 * exponential backoff up to `retry.attempts` attempts in all, then fall back (`llm unavailable after N attempts: …`);
 * 402 is not retried: it falls back (`llm payment required (402): …`) and halts the budget so the rest of the run falls
 * back at once; 401/403 likewise; other 4xx fall back (`llm request failed (400): …`). The SDK's own retries are off
 * (`maxRetries: 0`) so every attempt is ours and counted on the budget's summary.
 *
 * Cost: the provider's reported cost when it sends one (OpenRouter `usage.cost`, requested with
 * `usage: {include: true}`), else tokens × the price table; a model with neither is recorded at 0 with a warning.
 * Concurrency: at most `maxConcurrent` HTTP attempts in flight per writer (p-limit); backoff waits hold no slot.
 */
import OpenAI from 'openai';
import pLimit, { type LimitFunction } from 'p-limit';
import { injectFacts } from '../report/facts.js';
import {
  DISCLAIMERS,
  NARRATIVE_SECTIONS,
  SECTION_HEADINGS,
  WORD_TARGETS,
  type Fact,
  type Language,
  type NarrativeSection,
  type Recommendation,
  type SemanticStates,
} from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { clausePrefix, RETURN_PROMISES, STATE_CLAIM_RULES, scoreNarrative } from '../report/quality-scores.js';
import { splitSentences } from '../report/sentences.js';
import { countWords } from '../report/word-count.js';
import { displayName } from '../narrative/template-kit.js';
import {
  costAtPrice,
  priceOf,
  type LlmBudget,
  type LlmFailureKind,
  type LlmFallbackReason,
  type LlmReservation,
  type ModelPriceTable,
} from './llm-budget.js';
import type { NarrativeDraft, NarrativePlan, NarrativeWriter } from './narrative-writer.js';

export interface LlmNarrativeWriterOptions {
  client: OpenAI;
  /** Model id as the endpoint knows it, e.g. `openai/gpt-4o-mini` on OpenRouter. */
  model: string;
  /** HTTP attempts in flight at once, across all reports using this writer. */
  maxConcurrent: number;
  /** Per attempt. */
  timeoutMs: number;
  /** `attempts` in all (first call included); backoff `backoffMs × 2^(n−1)`, half of it jittered. */
  retry: { attempts: number; backoffMs: number; maxRetryAfterMs?: number };
  budget: LlmBudget;
  /** Writes the report when the LLM cannot (the template writer). */
  fallback: NarrativeWriter;
  prices: ModelPriceTable;
  /** `max_tokens` of the answer. Default 2000 (a 350-word Thai narrative is about 700–1,200 tokens). */
  maxOutputTokens?: number;
  /** Default 0.4. */
  temperature?: number;
  /**
   * Ask for the provider's cost with `usage: {include: true}` (OpenRouter). Default: on when the client's base URL is
   * OpenRouter's; other endpoints may reject the unknown field.
   */
  requestProviderCost?: boolean;
  /** For tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Answers in which more than this share of sentences had to be removed are rejected. */
export const MAX_REMOVED_SHARE = 1 / 3;
/** Share of the narrative language's script among Thai + Latin letters below which an answer is rejected. */
export const MIN_SCRIPT_SHARE = 0.7;
/** Answers shorter than this share of the word target's minimum are rejected (a truncated or lazy answer). */
export const MIN_LENGTH_SHARE = 0.5;
/** A section with fewer words than this after repairs is empty. */
const MIN_SECTION_WORDS = 5;

const DEFAULT_MAX_OUTPUT_TOKENS = 2000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

// ---------------------------------------------------------------------------------------------------------------
// Prompt

const RECOMMENDATION_LABEL: Record<Language, Record<Recommendation, string>> = {
  th: { BUY: 'ซื้อ (BUY)', HOLD: 'ถือ (HOLD)', SELL: 'ขาย (SELL)' },
  en: { BUY: 'BUY', HOLD: 'HOLD', SELL: 'SELL' },
};

const CONFIDENCE_TH = { high: 'สูง', medium: 'ปานกลาง', low: 'ต่ำ' } as const;

const STATE_TEXT: { [K in keyof SemanticStates]: { label: string; values: Record<SemanticStates[K], string> } } = {
  trend: {
    label: 'trend',
    values: {
      strong_up: 'strong uptrend: price is above its short, medium and long-term moving averages, which are stacked in rising order',
      up: 'uptrend: price holds above most of its moving averages',
      sideways: 'sideways: price is moving around its moving averages without a clear direction',
      down: 'downtrend: price sits below most of its moving averages',
      strong_down: 'strong downtrend: price is below its short, medium and long-term moving averages, stacked in falling order',
      unknown: 'unknown (not enough history): do not claim any trend',
    },
  },
  macd_momentum: {
    label: 'MACD momentum',
    values: {
      strengthening_bullish: 'MACD is positive and still pulling away above its signal line: upward momentum is building',
      bullish: 'MACD is positive, close to its signal line: upward momentum is steady',
      weakening: 'MACD momentum is fading against its current direction',
      bearish: 'MACD is negative, close to its signal line: downward momentum is steady',
      strengthening_bearish: 'MACD is negative and still falling away below its signal line: downward momentum is building',
      unknown: 'unknown: do not discuss MACD',
    },
  },
  rsi_zone: {
    label: 'RSI zone',
    values: {
      oversold: 'RSI is in the oversold zone',
      approaching_oversold: 'RSI is weak and approaching the oversold zone (not oversold yet)',
      neutral: 'RSI is in the neutral middle zone: neither overbought nor oversold',
      approaching_overbought: 'RSI is firm and approaching the overbought zone (not overbought yet)',
      overbought: 'RSI is in the overbought zone',
      unknown: 'unknown: do not discuss RSI',
    },
  },
  volatility_regime: {
    label: 'volatility',
    values: {
      low: 'low for this stock: calm, narrow daily ranges',
      normal: 'normal for this stock',
      high: 'high: wide daily swings',
      extreme: 'extreme: very wide daily swings, position size matters',
      unknown: 'unknown: do not characterise volatility',
    },
  },
  volume: {
    label: 'trading volume',
    values: {
      very_low: 'very low compared with its recent average',
      low: 'below its recent average',
      normal: 'around its recent average',
      high: 'above its recent average',
      surge: 'surging, far above its recent average',
      unknown: 'unknown: do not discuss volume',
    },
  },
  range_position: {
    label: 'position in the one-year range',
    values: {
      near_low: 'near its one-year low',
      lower_half: 'in the lower half of its one-year range',
      upper_half: 'in the upper half of its one-year range',
      near_high: 'near its one-year high',
      unknown: 'unknown: do not discuss the one-year range',
    },
  },
  news_tone: {
    label: 'news tone',
    values: {
      positive: 'mostly positive',
      negative: 'mostly negative',
      mixed: 'mixed: both positive and negative headlines',
      neutral: 'mostly neutral',
      none: 'no news available: do not discuss news',
    },
  },
  peer_relative: {
    label: 'versus peers over the past month',
    values: {
      outperforming: 'it beat its peers',
      in_line: 'it moved in line with its peers',
      underperforming: 'it lagged its peers',
      unknown: 'no peer comparison: do not discuss peers',
    },
  },
};

/** What a STATE_CLAIM_RULES id claims, in words (for the "do not claim" list). */
const CLAIM_WORDS: Record<string, string> = {
  overbought: 'overbought (ซื้อมากเกินไป)',
  oversold: 'oversold (ขายมากเกินไป)',
  uptrend: 'an uptrend (ขาขึ้น / แนวโน้มขึ้น)',
  downtrend: 'a downtrend (ขาลง / แนวโน้มลง)',
  sideways: 'a sideways market (ไซด์เวย์ / แกว่งตัวในกรอบ)',
  high_volume: 'high or heavy volume (ปริมาณซื้อขายสูง)',
  low_volume: 'low or thin volume (ปริมาณซื้อขายต่ำ)',
  high_volatility: 'high volatility (ความผันผวนสูง)',
  low_volatility: 'low volatility (ความผันผวนต่ำ)',
  near_52w_high: 'being near the one-year high (ใกล้จุดสูงสุดรอบปี)',
  near_52w_low: 'being near the one-year low (ใกล้จุดต่ำสุดรอบปี)',
  positive_news: 'positive news (ข่าวเชิงบวก)',
  negative_news: 'negative news (ข่าวเชิงลบ)',
};

function unitText(fact: Fact, inputs: NarrativeInputs): string {
  const th = inputs.language === 'th';
  switch (fact.unit) {
    case 'price': {
      const rel = fact.key === 'PRICE' ? '' : fact.value < inputs.technicals.price ? '; currently below the price' : fact.value > inputs.technicals.price ? '; currently above the price' : '; at the price';
      return `price, prints with the currency (${inputs.ticker.currency})${rel}`;
    }
    case 'percent':
      return 'percent, prints with %';
    case 'signed_percent': {
      const rounded = Number(fact.value.toFixed(fact.decimals));
      const sign = rounded > 0 ? 'positive' : rounded < 0 ? 'negative' : 'zero';
      return `signed percent, prints with its sign and %; currently ${sign}`;
    }
    case 'ratio':
      return `ratio, prints as "${th ? 'N เท่า' : 'Nx'}"`;
    case 'number':
      return 'number';
    case 'count':
      return 'count (whole number)';
  }
}

export interface LlmPrompt {
  system: string;
  user: string;
}

/**
 * The two messages of the one call per report. They carry the states, the decision and the catalogue (key, label,
 * unit, and for signed values their sign, for levels their side of the price), never a fact's value.
 */
export function buildLlmPrompt(inputs: NarrativeInputs, plan: NarrativePlan): LlmPrompt {
  const lang = inputs.language;
  const th = lang === 'th';
  const h = SECTION_HEADINGS[lang];
  const target = WORD_TARGETS[lang];
  const { decision, states, facts } = plan;
  const rec = RECOMMENDATION_LABEL[lang][decision.recommendation];
  const others = (['BUY', 'HOLD', 'SELL'] as const).filter((r) => r !== decision.recommendation);

  const system = [
    `You are a financial writer. You write the daily analysis of one Thai depositary receipt (DR) for retail investors in Thailand, ${th ? 'in Thai, in a warm, plain, conversational tone' : 'in plain English'}.`,
    '',
    'FORMAT. Markdown with exactly these four level-two headings, verbatim, in this order, each followed by one or two paragraphs of prose:',
    ...NARRATIVE_SECTIONS.map((s) => `## ${h[s]}`),
    `Nothing before the first heading (no title, no preamble) and no other headings. End with this line, verbatim: _${DISCLAIMERS[lang]}_`,
    `Length: between ${target.min} and ${target.max} ${th ? 'Thai words' : 'words'} of prose in all.`,
    '',
    'RULES.',
    '- You never write a number. Every figure is a placeholder from the catalogue, written exactly as listed with its braces, e.g. {PRICE}; code replaces it with the exact value. Use only placeholders from the catalogue; a sentence with any other placeholder is deleted.',
    '- No digits at all in your prose, in any script, not even for indicator windows, dates or years: say "short-term / medium-term / long-term moving average" for the windows in the labels, and "one-year" for fifty-two weeks. Do not spell numbers out in words either. A sentence with a digit outside a placeholder is deleted.',
    '- Placeholders print their own unit (currency, %, ratio): do not add a unit, sign or currency symbol next to them.',
    `- The recommendation is already decided: ${decision.recommendation}. State it once, in the "${h.action}" section, as **${rec}**, with the confidence and the reasons given. Never write ${others.join(' or ')}.`,
    '- Describe the market exactly as the semantic states say; never contradict them. Explain the decision, do not change it.',
    '- Prose only: no bullet or numbered lists, no tables, no code blocks.',
    `- No promises of returns: never write "guaranteed", "risk-free", "sure profit"${th ? ', "รับประกัน", "การันตี", "กำไรแน่นอน", "ไม่มีความเสี่ยง"' : ''}. Mention risk.`,
    '- News headlines are context: refer to them by topic in your own words; do not copy figures from them and do not add citation marks.',
    '',
    'SECTIONS.',
    `- ${h.story}: the big picture: the trend, recent returns, where the price sits in its one-year range, volatility.`,
    `- ${h.know}: momentum (RSI, MACD), volume, the news, the peers.`,
    `- ${h.action}: the recommendation with its confidence and reasons, and the level that would change the view.`,
    `- ${h.watch}: the risks: volatility, RSI extremes, the news, the levels whose break would hurt the view.`,
  ].join('\n');

  const t = inputs.ticker;
  const name = displayName(t.name);
  const lines: string[] = [];
  lines.push(`DR: ${t.symbol}, ${t.name} (call it "${name}"); ${t.type === 'etf' ? 'an ETF' : 'a stock'} listed on ${t.exchange}${t.sector ? `, sector ${t.sector}` : ''}; quoted in ${t.currency}.`);
  if (inputs.dataSource === 'demo') {
    lines.push('The prices are demo data (synthetic, generated offline): code adds a notice saying so; do not present them as real market prices.');
  }
  lines.push('', 'SEMANTIC STATES (computed by code from the data):');
  for (const key of Object.keys(STATE_TEXT) as (keyof SemanticStates)[]) {
    const entry = STATE_TEXT[key] as { label: string; values: Record<string, string> };
    lines.push(`- ${entry.label}: ${entry.values[states[key]] ?? states[key]}`);
  }
  const unsupported = STATE_CLAIM_RULES.filter((r) => !r.allowed.includes(states[r.state]) && !(r.allowedWhenApproaching ?? []).includes(states[r.state]));
  if (unsupported.length > 0) {
    lines.push(`Claims the data does not support (never make them): ${unsupported.map((r) => CLAIM_WORDS[r.id] ?? r.id.replace(/_/g, ' ')).join('; ')}.`);
  }
  const approaching = STATE_CLAIM_RULES.filter((r) => !r.allowed.includes(states[r.state]) && (r.allowedWhenApproaching ?? []).includes(states[r.state]));
  if (approaching.length > 0) {
    lines.push(`Only as "approaching", never as a fact: ${approaching.map((r) => CLAIM_WORDS[r.id] ?? r.id).join('; ')}.`);
  }

  lines.push('', 'DECISION (made by code; explain it, do not change it):');
  lines.push(`- stance: ${decision.stance}; confidence: ${decision.confidence}${th ? ` (${CONFIDENCE_TH[decision.confidence]})` : ''}`);
  lines.push(`- recommendation: ${decision.recommendation}, written **${rec}**`);
  for (const r of decision.reasons) lines.push(`- reason: ${r}`);

  lines.push('', 'PLACEHOLDER CATALOGUE (the only figures you may show; write them with their braces):');
  for (const f of Object.values(facts)) lines.push(`{${f.key}}: ${f.label} (${unitText(f, inputs)})`);

  const news = inputs.news?.top ?? [];
  if (news.length > 0) {
    lines.push('', 'NEWS HEADLINES (context only: do not copy their figures, refer to them in your own words):');
    for (const n of news) lines.push(`- [${n.sentiment_label}] "${n.title}" (${n.source})`);
  } else {
    lines.push('', 'NEWS: none available.');
  }
  const peers = inputs.peers;
  if (peers && (peers.top.length > 0 || peers.sector_mates.length > 0)) {
    lines.push('', 'PEERS:');
    if (peers.top.length > 0) lines.push(`- most correlated: ${peers.top.map((p) => `${displayName(p.name)} (${p.ticker})`).join(', ')}`);
    if (peers.sector_mates.length > 0) lines.push(`- same sector: ${peers.sector_mates.join(', ')}`);
  }
  lines.push('', `Write the narrative now, in ${th ? 'Thai' : 'English'}, following the FORMAT and the RULES.`);
  return { system, user: lines.join('\n') };
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

export type LlmValidation =
  | { ok: true; template: string; warnings: string[] }
  | { ok: false; reason: string; warnings: string[] };

const DEMO_NOTICE: Record<Language, string> = {
  th: '> **ข้อมูลสาธิต (demo):** รายงานฉบับนี้คำนวณจากราคาจำลองที่ระบบสร้างขึ้นเอง ไม่ใช่ราคาซื้อขายจริงในตลาด จึงใช้ได้เพื่อทดลองระบบเท่านั้น',
  en: '> **Demo data:** this report is computed from synthetic prices generated offline, not real market data. Use it only to try the system out.',
};

/** Emoji and key words that identify a section heading when its text is not exact. */
const SECTION_CUES: Record<NarrativeSection, { emoji: string; words: RegExp }> = {
  story: { emoji: '📖', words: /เรื่องราว|ภาพรวม|\bstory\b|\boverview\b|big picture/i },
  know: { emoji: '💡', words: /ต้องรู้|ควรรู้|need to know|\bknow\b|key points/i },
  action: { emoji: '🎯', words: /ควรทำอะไร|ทำอะไรตอนนี้|คำแนะนำ|what to do|\baction\b|recommendation/i },
  watch: { emoji: '⚠', words: /จับตา|ระวัง|ความเสี่ยง|\bwatch\b|\brisks?\b/i },
};

/** A short paragraph that is a disclaimer in other words. */
const DISCLAIMER_LIKE = /ไม่ใช่(?:การ)?คำแนะนำ(?:ใน)?การลงทุน|เพื่อการศึกษาเท่านั้น|\bnot (?:an? )?(?:investment|financial) advice\b|\bfor (?:educational|education|informational) purposes only\b|\bfor education only\b/i;

const normaliseHeading = (s: string): string => s.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}]+/gu, '').toLowerCase();

/** Which section a line heads, if it is a heading (or a bold-only / bare line spelling a heading). */
function headingOf(line: string): { section: NarrativeSection | null; syntax: boolean; exact: boolean } | null {
  const md = /^\s{0,3}(#{1,6})\s*(.*?)\s*#*\s*$/.exec(line);
  const bold = md ? null : /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$/.exec(line);
  const text = (md ? md[2]! : bold ? bold[1]! : line).replace(/[*_:]+/g, ' ').trim();
  const n = normaliseHeading(text);
  if (!md && !bold && n === '') return null;
  for (const lang of ['th', 'en'] as const) {
    for (const s of NARRATIVE_SECTIONS) {
      if (n === normaliseHeading(SECTION_HEADINGS[lang][s])) {
        return { section: s, syntax: Boolean(md || bold), exact: Boolean(md) && md![1] === '##' && text === SECTION_HEADINGS[lang][s] };
      }
    }
  }
  if (!md && !bold) return null; // a bare line is a heading only when it spells one exactly
  // A Markdown heading is matched by its emoji, else by its key words; a bold line only by a leading emoji (a bold
  // sentence such as "**คำแนะนำ: ถือ (HOLD)**" is prose, not a heading).
  for (const s of NARRATIVE_SECTIONS) {
    if (md ? text.includes(SECTION_CUES[s].emoji) : text.startsWith(SECTION_CUES[s].emoji)) return { section: s, syntax: true, exact: false };
  }
  if (md) {
    const hits = NARRATIVE_SECTIONS.filter((s) => SECTION_CUES[s].words.test(text));
    if (hits.length === 1) return { section: hits[0]!, syntax: true, exact: false };
    return { section: null, syntax: true, exact: false };
  }
  return null;
}

/** Proper names the prose may contain, digits and all (ticker symbols such as NVDA19, "Taiwan Top 50 ETF"). */
function allowedNames(inputs: NarrativeInputs): string[] {
  const t = inputs.ticker;
  const names = [t.symbol, t.name, displayName(t.name), t.exchange, t.sector ?? ''];
  for (const p of inputs.peers?.top ?? []) names.push(p.ticker, p.name, displayName(p.name));
  names.push(...(inputs.peers?.sector_mates ?? []));
  return [...new Set(names.filter((n) => n.trim().length > 0))].sort((a, b) => b.length - a.length);
}

function maskNames(text: string, names: readonly string[]): string {
  let out = text;
  for (const n of names) out = out.split(n).join(' ');
  return out;
}

const PLACEHOLDER_ANY = /\{([^{}\n]*)\}/g;
const PLACEHOLDER_WELL_FORMED = /\{([A-Z][A-Z0-9_]*)\}/g;
const ANY_DIGIT = /\p{Nd}/u;
const EN_NUMBER_WORD =
  '(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion)';
/** A number spelled out right before a unit: "ten percent", "fifty-two dollars", "ห้าสิบดอลลาร์", "ร้อยละห้า". */
const SPELLED_NUMBER: readonly RegExp[] = [
  new RegExp(`\\b${EN_NUMBER_WORD}(?:[\\s-]+(?:and[\\s-]+)?${EN_NUMBER_WORD})*[\\s-]*(?:percent|per cent|percentage points?|dollars?|baht|yen|cents?)\\b`, 'i'),
  /(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่สิบ|เอ็ด|ร้อย|พัน|หมื่น|แสน|ล้าน)+\s*(?:เปอร์เซ็นต์|เปอร์เซนต์|ดอลลาร์|บาท|เยน|หยวน|ยูโร|ดอง|จุด|เท่า(?!กับ|นั้น|เทียม|ไร|ที่))/u,
  /ร้อยละ\s*(?:หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ยี่สิบ)/u,
];

/** Negation or condition in the clause just before a term (mirrors the quality scorer's reading). */
const NOT_A_CLAIM = {
  en: /\b(?:not|no|never|neither|nor|without|rather than|instead of|no longer|if|unless|could|might|may|would|should|whether|until|once|avoid)\b/i,
  th: /ไม่|มิได้|มิใช่|แทนที่จะ|หาก|ถ้า|อาจ|จะ|จนกว่า|เมื่อใด|หรือไม่|ในกรณี|ระวัง/,
};

const notAClaim = (text: string, index: number): boolean => {
  const p = clausePrefix(text, index);
  return NOT_A_CLAIM.en.test(p) || NOT_A_CLAIM.th.test(p);
};

const RECOMMENDATION_PATTERNS: readonly RegExp[] = [
  /\b(BUY|HOLD|SELL)\b/gu,
  /\b(?:recommend(?:ation)?|our call|verdict|rating)\s*(?:is\s*)?[:\-–—]?\s*(?:to\s+|a\s+)?[*_]*\s*(buy|hold|sell)\b/giu,
  /(?:คำแนะนำ|แนะนำ(?:ให้)?)\s*[:：\-–—]?\s*[*_]*\s*(?:ทยอย|เข้า)?(ซื้อ|ถือ|ขาย)/gu,
];
const RECOMMENDATION_WORDS: Record<string, Recommendation> = { buy: 'BUY', hold: 'HOLD', sell: 'SELL', ซื้อ: 'BUY', ถือ: 'HOLD', ขาย: 'SELL' };

function statedRecommendations(text: string): { rec: Recommendation; snippet: string }[] {
  const out: { rec: Recommendation; snippet: string; index: number }[] = [];
  for (const re of RECOMMENDATION_PATTERNS) {
    for (const m of text.matchAll(re)) {
      const word = m[1]!;
      const rec = RECOMMENDATION_WORDS[word.toLowerCase()] ?? RECOMMENDATION_WORDS[word];
      if (!rec || notAClaim(text, m.index)) continue;
      if (out.some((o) => Math.abs(o.index - m.index) < 12)) continue; // "ซื้อ (BUY)" is one statement
      out.push({ rec, index: m.index, snippet: text.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, ' ').trim() });
    }
  }
  return out;
}

interface Section {
  section: NarrativeSection;
  lines: string[];
}

function stripFences(text: string): { text: string; stripped: boolean } {
  const whole = /^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n\s*\1\s*$/.exec(text);
  if (whole) return { text: whole[2]!, stripped: true };
  const lines = text.split('\n');
  const kept = lines.filter((l) => !/^\s*(?:`{3,}|~{3,})/.test(l));
  return { text: kept.join('\n'), stripped: kept.length !== lines.length };
}

function snippetOf(sentence: string): string {
  const s = sentence.replace(/\s+/g, ' ').trim();
  return `"${s.length > 60 ? `${s.slice(0, 60)}…` : s}"`;
}

/**
 * Checks, repairs or rejects one answer of the model (see the file header for the rules). On success `template` is
 * the narrative in the template writer's exact format, placeholders still in it.
 */
export function validateLlmAnswer(answer: string, inputs: NarrativeInputs, plan: NarrativePlan): LlmValidation {
  const lang = inputs.language;
  const facts = plan.facts;
  const isFact = (k: string): boolean => Object.prototype.hasOwnProperty.call(facts, k);
  const warnings: string[] = [];
  const repairs: string[] = [];
  const reject = (reason: string): LlmValidation => ({ ok: false, reason, warnings });

  let text = answer.replace(/\r\n?/g, '\n').replace(/\u200b/g, '').trim();
  if (text === '') return reject('empty answer');
  const fences = stripFences(text);
  text = fences.text;
  if (fences.stripped) repairs.push('code fences removed');

  // The disclaimer (either language) is taken out of the prose; code appends this language's at the end.
  for (const d of Object.values(DISCLAIMERS)) text = text.split(d).join('');

  // 1. Sections.
  const sections: Section[] = [];
  const seen = new Set<NarrativeSection>();
  let normalised = 0;
  const dropped: string[] = [];
  let preamble = 0;
  for (const line of text.split('\n')) {
    const h = headingOf(line);
    if (h && h.section) {
      if (seen.has(h.section)) return reject(`section "${SECTION_HEADINGS[lang][h.section]}" appears twice`);
      seen.add(h.section);
      if (!h.exact || line.trim() !== `## ${SECTION_HEADINGS[lang][h.section]}`) normalised++;
      sections.push({ section: h.section, lines: [] });
      continue;
    }
    if (h && h.syntax) {
      dropped.push(line.trim());
      continue;
    }
    const current = sections[sections.length - 1];
    if (!current) {
      if (line.trim()) preamble++;
      continue;
    }
    current.lines.push(line);
  }
  const missing = NARRATIVE_SECTIONS.filter((s) => !seen.has(s));
  if (missing.length > 0) return reject(`missing section${missing.length > 1 ? 's' : ''} ${missing.map((s) => `"${SECTION_HEADINGS[lang][s]}"`).join(', ')}`);
  if (normalised > 0) repairs.push(`${normalised} heading(s) normalised`);
  if (dropped.length > 0) repairs.push(`extra heading(s) dropped: ${dropped.map((d) => snippetOf(d)).join(', ')}`);
  if (preamble > 0) repairs.push('text before the first section dropped');
  const order = sections.map((s) => NARRATIVE_SECTIONS.indexOf(s.section));
  if (order.some((o, i) => i > 0 && o < order[i - 1]!)) {
    sections.sort((a, b) => NARRATIVE_SECTIONS.indexOf(a.section) - NARRATIVE_SECTIONS.indexOf(b.section));
    repairs.push('sections put back in order');
  }

  // 2. Paragraphs: lists become prose, tables and rules go.
  let listItems = 0;
  let tableLines = 0;
  const paragraphsOf = (lines: readonly string[]): string[] => {
    const paragraphs: string[] = [];
    let current: string[] = [];
    let inList = false;
    const flush = (): void => {
      if (current.length > 0) paragraphs.push(current.join(' ').replace(/\s+/g, ' ').trim());
      current = [];
      inList = false;
    };
    for (const raw of lines) {
      let line = raw.trim();
      if (line === '') {
        flush();
        continue;
      }
      if (/^(?:[-*_]\s*){3,}$/.test(line)) continue; // horizontal rule
      if (/^\|.*\|$/.test(line)) {
        tableLines++;
        continue;
      }
      line = line.replace(/^(?:>\s*)+/, '');
      const item = /^(?:[-*+•]|\p{Nd}+[.)])\s+(.*)$/u.exec(line);
      if (item) {
        listItems++;
        if (!inList) flush();
        inList = true;
        line = item[1]!;
      } else if (inList) {
        flush();
      }
      if (line.trim() === '' || /^[*_]+$/.test(line.trim())) continue;
      current.push(line);
    }
    flush();
    return paragraphs.filter((p) => p.length > 0);
  };
  const body = new Map<NarrativeSection, string[]>();
  let paraphrasedDisclaimers = 0;
  for (const s of sections) {
    // A disclaimer in the model's own words is replaced by the exact one code appends.
    const ps = paragraphsOf(s.lines).filter((p) => {
      const like = DISCLAIMER_LIKE.test(p) && countWords(p, lang) <= 40;
      if (like) paraphrasedDisclaimers++;
      return !like;
    });
    body.set(s.section, ps);
  }
  if (paraphrasedDisclaimers > 0) repairs.push('paraphrased disclaimer replaced');
  if (listItems > 0) repairs.push('list turned into prose');
  if (tableLines > 0) repairs.push('table removed');

  // 3. Placeholders: malformed ones normalised when they name a fact; units typed after them dropped.
  let fixedPlaceholders = 0;
  let droppedUnits = 0;
  const repairPlaceholders = (p: string): string => {
    let out = p.replace(
      /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}|\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}|\[([A-Za-z][A-Za-z0-9_]*)\]|<([A-Za-z][A-Za-z0-9_]*)>/g,
      (whole: string, a?: string, b?: string, c?: string, d?: string) => {
        const key = String(a ?? b ?? c ?? d).toUpperCase();
        if (whole === `{${key}}` || !isFact(key)) return whole; // well-formed, or not ours to guess
        fixedPlaceholders++;
        return `{${key}}`;
      },
    );
    out = out.replace(/[$฿]\s?(\{[A-Z][A-Z0-9_]*\})/g, (whole, ph: string) => {
      const f = facts[ph.slice(1, -1)];
      if (f?.unit !== 'price') return whole;
      droppedUnits++;
      return ph;
    });
    out = out.replace(/\{([A-Z][A-Z0-9_]*)\}(\s?(?:%|เปอร์เซ็นต์|percent\b|เท่า|x\b|×|[A-Z]{3}\b|ดอลลาร์(?:สหรัฐ|สิงคโปร์|ฮ่องกง|ไต้หวัน)?|บาท|เยน|ดอง|หยวน|ยูโร))/g, (whole, key: string, unit: string) => {
      const f = facts[key];
      if (!f) return whole;
      const u = unit.trim();
      const dup =
        ((f.unit === 'percent' || f.unit === 'signed_percent') && /^(?:%|เปอร์เซ็นต์|percent)$/.test(u)) ||
        (f.unit === 'ratio' && /^(?:เท่า|x|×)$/.test(u)) ||
        (f.unit === 'price' && (u === inputs.ticker.currency || /^(?:ดอลลาร์|บาท|เยน|ดอง|หยวน|ยูโร)/.test(u)));
      if (!dup) return whole;
      droppedUnits++;
      return `{${key}}`;
    });
    return out;
  };
  for (const [s, ps] of body) body.set(s, ps.map(repairPlaceholders));
  if (fixedPlaceholders > 0) repairs.push(`${fixedPlaceholders} malformed placeholder(s) normalised`);
  if (droppedUnits > 0) repairs.push(`${droppedUnits} unit(s) typed next to a placeholder dropped`);

  // 4. Sentences: unknown placeholders, typed numbers and promises of returns take their sentence with them.
  const names = allowedNames(inputs);
  const unknown: string[] = [];
  const typed: string[] = [];
  const promises: string[] = [];
  let total = 0;
  let removed = 0;
  const filterParagraph = (p: string): string => {
    const pieces = splitSentences(p, lang);
    total += pieces.length;
    const kept = pieces.filter((piece) => {
      const s = piece.text;
      let bad = false;
      for (const m of s.matchAll(PLACEHOLDER_ANY)) {
        const inner = m[1]!;
        if (/^[A-Z][A-Z0-9_]*$/.test(inner) && isFact(inner)) continue;
        bad = true;
        if (!unknown.includes(inner)) unknown.push(inner);
      }
      if (!bad) {
        const bare = maskNames(s.replace(PLACEHOLDER_WELL_FORMED, ' '), names);
        if (ANY_DIGIT.test(bare) || SPELLED_NUMBER.some((re) => re.test(bare))) {
          bad = true;
          typed.push(snippetOf(s));
        }
      }
      if (!bad) {
        for (const re of RETURN_PROMISES) {
          for (const m of s.matchAll(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`))) {
            const p2 = clausePrefix(s, m.index);
            if (NOT_A_CLAIM.en.test(p2) || /ไม่|มิได้|มิใช่/.test(p2)) continue;
            bad = true;
          }
        }
        if (bad) promises.push(snippetOf(s));
      }
      if (bad) removed++;
      return !bad;
    });
    return kept
      .map((k, i) => (i < kept.length - 1 ? k.text + (k.separator || ' ') : k.text))
      .join('')
      .trim();
  };
  for (const [s, ps] of body) body.set(s, ps.map(filterParagraph).filter((p) => p.length > 0 && !/^[*_\s]+$/.test(p)));
  total += tableLines;
  removed += tableLines;
  if (unknown.length > 0) warnings.push(`llm answer used unknown placeholders, removed with their sentences: ${unknown.map((u) => `{${u}}`).join(', ')}`);
  if (typed.length > 0) warnings.push(`llm answer typed numbers, removed with their sentences: ${typed.join('; ')}`);
  if (promises.length > 0) warnings.push(`llm answer promised returns, removed: ${promises.join('; ')}`);
  if (total > 0 && removed / total > MAX_REMOVED_SHARE) {
    return reject(`${removed} of ${total} sentences had to be removed (unknown placeholders, typed numbers, promises or tables), more than a third`);
  }

  for (const s of NARRATIVE_SECTIONS) {
    if (countWords((body.get(s) ?? []).join(' ').replace(PLACEHOLDER_WELL_FORMED, ' x '), lang) < MIN_SECTION_WORDS) {
      return reject(`section "${SECTION_HEADINGS[lang][s]}" is empty${removed > 0 ? ' after repairs' : ''}`);
    }
  }

  // 5. The recommendation: never against the decision; stated by code when the model did not.
  const decided = plan.decision.recommendation;
  const allProse = NARRATIVE_SECTIONS.map((s) => (body.get(s) ?? []).join('\n')).join('\n');
  const contrary = statedRecommendations(allProse).find((r) => r.rec !== decided);
  if (contrary) return reject(`recommendation ${contrary.rec} contradicts the decision ${decided}: "${contrary.snippet}"`);
  const action = body.get('action')!;
  if (!statedRecommendations(action.join('\n')).some((r) => r.rec === decided)) {
    const label = RECOMMENDATION_LABEL[lang][decided];
    const opener = lang === 'th' ? `มุมมองของเราในวันนี้คือ **${label}**` : `Our call today is **${label}**.`;
    action[0] = `${opener} ${action[0]}`;
    warnings.push(`llm answer did not state the recommendation: "${decided}" added from the decision`);
  }

  // 6. Language: the narrative's script must dominate (placeholders and names left out of the count).
  const letters = maskNames(allProse.replace(PLACEHOLDER_WELL_FORMED, ' '), names);
  const thai = (letters.match(/\p{Script=Thai}/gu) ?? []).filter((c) => /\p{L}/u.test(c)).length;
  const latin = (letters.match(/\p{Script=Latin}/gu) ?? []).length;
  const share = thai + latin === 0 ? 0 : (lang === 'th' ? thai : latin) / (thai + latin);
  if (share < MIN_SCRIPT_SHARE) {
    return reject(`the answer is not in ${lang === 'th' ? 'Thai' : 'English'} (${Math.round(share * 100)}% ${lang === 'th' ? 'Thai' : 'Latin'} letters, ${MIN_SCRIPT_SHARE * 100}% needed)`);
  }

  // 7. Assemble in the template writer's format.
  const parts: string[] = [];
  for (const s of NARRATIVE_SECTIONS) {
    parts.push(`## ${SECTION_HEADINGS[lang][s]}`);
    if (s === 'story' && inputs.dataSource === 'demo') parts.push(DEMO_NOTICE[lang]);
    parts.push(...body.get(s)!);
  }
  parts.push(`_${DISCLAIMERS[lang]}_`);
  const template = `${parts.join('\n\n')}\n`;

  // 8. Last guard, on the injected text: length, and every number traced to a fact.
  const injected = injectFacts(template, facts, lang, inputs.ticker.currency).text;
  const words = countWords(injected, lang);
  const min = WORD_TARGETS[lang].min;
  if (words < min * MIN_LENGTH_SHARE) return reject(`too short: ${words} words (target ${min}-${WORD_TARGETS[lang].max})`);
  const scores = scoreNarrative({
    narrative: injected,
    language: lang,
    facts,
    states: plan.states,
    stance: plan.decision.stance,
    recommendation: decided,
    newsCount: inputs.news?.top.length ?? 0,
    peerCount: inputs.peers?.top.length ?? 0,
    names,
  });
  const f = scores.faithfulness.sub_scores;
  if ((f.no_untraced_numbers ?? 100) < 100 || (f.placeholders_resolved ?? 100) < 100) {
    return reject(`numbers that cannot be traced to a fact: ${scores.faithfulness.issues.slice(0, 3).join('; ')}`);
  }
  if ((scores.reasoning_quality.sub_scores.recommendation ?? 100) === 0) {
    return reject(`recommendation contradicts the decision ${decided}: ${scores.reasoning_quality.issues.find((i) => i.includes('recommends')) ?? ''}`);
  }

  if (repairs.length > 0) warnings.unshift(`llm answer repaired: ${repairs.join('; ')}`);
  return { ok: true, template, warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// The writer

interface Failure {
  kind: LlmFailureKind | 'unauthorized';
  retry: boolean;
  /** For warnings: `429 Rate limit exceeded`, `timeout after 30000 ms`… */
  text: string;
  status: number | null;
  retryAfterMs: number | null;
}

type CallOutcome =
  | { kind: 'answer'; completion: OpenAI.Chat.Completions.ChatCompletion; reservation: LlmReservation | null; attempts: number }
  | { kind: 'refused' }
  | { kind: 'failed'; failure: Failure; attempts: number; warning: string; reason: LlmFallbackReason };

function retryAfterMs(headers: Headers | undefined): number | null {
  if (!headers || typeof headers.get !== 'function') return null;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = headers.get('retry-after');
  if (ra === null) return null;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

function classify(error: unknown, timeoutMs: number): Failure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return { kind: 'timeout', retry: true, text: `timeout after ${timeoutMs} ms`, status: null, retryAfterMs: null };
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return { kind: 'connection', retry: true, text: `connection error: ${error.message}`, status: null, retryAfterMs: null };
  }
  if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
    const status = error.status;
    const text = error.message.startsWith(String(status)) ? error.message : `${status} ${error.message}`;
    const headers = error.headers as Headers | undefined;
    if (status === 402) return { kind: 'payment_required', retry: false, text, status, retryAfterMs: null };
    if (status === 429) return { kind: 'rate_limited', retry: true, text, status, retryAfterMs: retryAfterMs(headers) };
    if (status === 408) return { kind: 'timeout', retry: true, text, status, retryAfterMs: null };
    if (status >= 500) return { kind: 'server_error', retry: true, text, status, retryAfterMs: retryAfterMs(headers) };
    if (status === 401 || status === 403) return { kind: 'unauthorized', retry: false, text, status, retryAfterMs: null };
    return { kind: 'client_error', retry: false, text, status, retryAfterMs: null };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'server_error', retry: true, text: `unexpected answer: ${message}`, status: null, retryAfterMs: null };
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class LlmNarrativeWriter implements NarrativeWriter {
  readonly name = 'llm';
  readonly model: string;
  readonly #o: LlmNarrativeWriterOptions;
  readonly #limit: LimitFunction;
  readonly #maxOutputTokens: number;
  readonly #providerCost: boolean;
  readonly #sleep: (ms: number) => Promise<void>;

  /** `sharedLimit` is for `withBudget`: writers of several executions sharing one concurrency limit. */
  constructor(options: LlmNarrativeWriterOptions, sharedLimit?: LimitFunction) {
    if (!(options.maxConcurrent >= 1)) throw new RangeError(`maxConcurrent must be at least 1, got ${options.maxConcurrent}`);
    if (!(options.retry.attempts >= 1)) throw new RangeError(`retry.attempts must be at least 1, got ${options.retry.attempts}`);
    this.#o = options;
    this.model = options.model;
    this.#limit = sharedLimit ?? pLimit(Math.floor(options.maxConcurrent));
    this.#maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
    this.#providerCost = options.requestProviderCost ?? /openrouter\.ai/i.test(options.client.baseURL);
    this.#sleep = options.sleep ?? defaultSleep;
  }

  /**
   * The same writer (client, model, prices, and the same concurrency limit) charging another execution's budget:
   * build one writer per process, then `withBudget(new LlmBudget({ limitUsd }))` per execution.
   */
  withBudget(budget: LlmBudget): LlmNarrativeWriter {
    return new LlmNarrativeWriter({ ...this.#o, budget }, this.#limit);
  }

  /** HTTP attempts running right now. */
  get activeCalls(): number {
    return this.#limit.activeCount;
  }

  get pendingCalls(): number {
    return this.#limit.pendingCount;
  }

  async write(inputs: NarrativeInputs, plan: NarrativePlan): Promise<NarrativeDraft> {
    const budget = this.#o.budget;
    if (budget.exhausted) return this.#fallback(inputs, plan, budget.exhaustedReason ?? 'budget', budget.exhaustedWarning(), null);

    const prompt = buildLlmPrompt(inputs, plan);
    const outcome = await this.#call(prompt);
    if (outcome.kind === 'refused') return this.#fallback(inputs, plan, budget.exhaustedReason ?? 'budget', budget.exhaustedWarning(), null);
    if (outcome.kind === 'failed') return this.#fallback(inputs, plan, outcome.reason, outcome.warning, null);

    const { completion, reservation } = outcome;
    const accounted = this.#account(completion, prompt, reservation);
    const choice = completion.choices[0];
    const content = choice?.message?.content ?? '';
    if (choice?.finish_reason === 'length') {
      return this.#fallback(inputs, plan, 'rejected', `llm answer rejected: truncated at max_tokens (${this.#maxOutputTokens})`, accounted.usage, accounted.warnings);
    }
    const validation = validateLlmAnswer(content, inputs, plan);
    if (!validation.ok) {
      return this.#fallback(inputs, plan, 'rejected', `llm answer rejected: ${validation.reason}`, accounted.usage, [...accounted.warnings, ...validation.warnings]);
    }
    budget.noteLlmReport();
    return {
      template: validation.template,
      writer: this.name,
      model: completion.model || this.model,
      usage: accounted.usage,
      warnings: [...accounted.warnings, ...validation.warnings],
    };
  }

  /** The upper-bound USD estimate booked on the budget before a call (see llm-budget.ts). */
  estimateUsd(prompt: LlmPrompt): number {
    const price = priceOf(this.#o.prices, this.model);
    if (!price) return this.#o.budget.maxCallCostUsd;
    const inputTokens = Math.ceil((prompt.system.length + prompt.user.length) / 2);
    return costAtPrice(price, inputTokens, this.#maxOutputTokens);
  }

  async #call(prompt: LlmPrompt): Promise<CallOutcome> {
    const { retry, budget, timeoutMs, client } = this.#o;
    const body: OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming & { usage?: { include: boolean } } = {
      model: this.model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      max_tokens: this.#maxOutputTokens,
      temperature: this.#o.temperature ?? 0.4,
    };
    if (this.#providerCost) body.usage = { include: true };

    let reservation: LlmReservation | null = null;
    let last: Failure | null = null;
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      const result = await this.#limit(async (): Promise<{ ok: OpenAI.Chat.Completions.ChatCompletion } | { err: Failure } | 'refused'> => {
        if (budget.exhausted && (attempt === 1 || budget.exhaustedReason !== 'budget')) return 'refused';
        if (attempt === 1) {
          reservation = budget.reserve(this.estimateUsd(prompt));
          if (!reservation) return 'refused';
        }
        budget.noteCall();
        try {
          const completion = await client.chat.completions.create(body, { timeout: timeoutMs, maxRetries: 0 });
          if (!completion || !Array.isArray(completion.choices) || completion.choices.length === 0) {
            const err = (completion as unknown as { error?: { message?: string } } | undefined)?.error;
            return { err: { kind: 'server_error', retry: true, text: `answer without choices${err?.message ? `: ${err.message}` : ''}`, status: null, retryAfterMs: null } };
          }
          return { ok: completion };
        } catch (error) {
          return { err: classify(error, timeoutMs) };
        }
      });
      if (result === 'refused') {
        (reservation as LlmReservation | null)?.release();
        if (attempt > 1 && last) {
          return { kind: 'failed', failure: last, attempts: attempt - 1, reason: budget.exhaustedReason ?? 'unavailable', warning: `${budget.exhaustedWarning()} (after ${last.text})` };
        }
        return { kind: 'refused' };
      }
      if ('ok' in result) return { kind: 'answer', completion: result.ok, reservation, attempts: attempt };

      const failure = result.err;
      last = failure;
      const kind: LlmFailureKind = failure.kind === 'unauthorized' ? 'client_error' : failure.kind;
      if (failure.kind === 'payment_required') {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        const detail = failure.text.replace(/^402\s*/, '');
        budget.halt('payment_required', detail);
        return { kind: 'failed', failure, attempts: attempt, reason: 'payment_required', warning: `llm payment required (402): ${detail}` };
      }
      if (failure.kind === 'unauthorized') {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        budget.halt('unauthorized', `HTTP ${failure.status}`);
        return { kind: 'failed', failure, attempts: attempt, reason: 'unauthorized', warning: `llm refused the request (${failure.text}): template writer used` };
      }
      if (!failure.retry) {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        return { kind: 'failed', failure, attempts: attempt, reason: 'request_failed', warning: `llm request failed (${failure.text})` };
      }
      const maxRetryAfter = retry.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
      if (attempt < retry.attempts && failure.retryAfterMs !== null && failure.retryAfterMs > maxRetryAfter) {
        budget.noteFailure(kind, false);
        (reservation as LlmReservation | null)?.release();
        return {
          kind: 'failed',
          failure,
          attempts: attempt,
          reason: 'unavailable',
          warning: `llm unavailable after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${failure.text} (retry-after ${Math.round(failure.retryAfterMs / 1000)} s is past the ${Math.round(maxRetryAfter / 1000)} s cap)`,
        };
      }
      const more = attempt < retry.attempts;
      budget.noteFailure(kind, more);
      if (!more) break;
      const backoff = retry.backoffMs * 2 ** (attempt - 1);
      const jittered = backoff / 2 + (Math.random() * backoff) / 2;
      await this.#sleep(Math.max(jittered, failure.retryAfterMs ?? 0));
    }
    (reservation as LlmReservation | null)?.release();
    const n = retry.attempts;
    return { kind: 'failed', failure: last!, attempts: n, reason: 'unavailable', warning: `llm unavailable after ${n} attempt${n > 1 ? 's' : ''}: ${last!.text}` };
  }

  /** Tokens and USD of one answer, recorded on the budget (settling the call's reservation). */
  #account(
    completion: OpenAI.Chat.Completions.ChatCompletion,
    prompt: LlmPrompt,
    reservation: LlmReservation | null,
  ): { usage: NonNullable<NarrativeDraft['usage']>; warnings: string[] } {
    const warnings: string[] = [];
    const u = completion.usage as (OpenAI.Completions.CompletionUsage & { cost?: unknown }) | undefined;
    let input = u?.prompt_tokens;
    let output = u?.completion_tokens;
    if (typeof input !== 'number' || typeof output !== 'number') {
      input = Math.ceil((prompt.system.length + prompt.user.length) / 4);
      output = Math.ceil((completion.choices[0]?.message?.content ?? '').length / 4);
      warnings.push('llm provider returned no token usage: tokens estimated at four characters per token');
    }
    let cost: number;
    let priced = true;
    if (typeof u?.cost === 'number' && Number.isFinite(u.cost) && u.cost >= 0) {
      cost = u.cost;
    } else {
      const price = priceOf(this.#o.prices, this.model) ?? (completion.model ? priceOf(this.#o.prices, completion.model) : null);
      if (price) cost = costAtPrice(price, input, output);
      else {
        cost = 0;
        priced = false;
        const w = `no price for model ${this.model}: its cost is recorded as 0`;
        warnings.push(w);
        this.#o.budget.warnOnce(w);
      }
    }
    const usage = { input_tokens: input, output_tokens: output, priced };
    if (reservation) reservation.settle(cost, usage);
    else this.#o.budget.record(cost, usage);
    return { usage: { input_tokens: input, output_tokens: output, cost_usd: cost }, warnings };
  }

  async #fallback(
    inputs: NarrativeInputs,
    plan: NarrativePlan,
    reason: LlmFallbackReason,
    warning: string,
    usage: NarrativeDraft['usage'],
    extra: string[] = [],
  ): Promise<NarrativeDraft> {
    this.#o.budget.noteFallback(reason);
    const draft = await this.#o.fallback.write(inputs, plan);
    // A billed but rejected answer keeps its usage on the report: the money was spent for it.
    return { ...draft, usage: usage ?? draft.usage, warnings: [warning, ...extra, ...draft.warnings], fallback_reason: reason };
  }
}
