/**
 * The prompt of the `llm` narrative writer (llm-narrative-writer.ts): two messages that carry the semantic states,
 * the decision (in words) and a catalogue of `{PLACEHOLDER}`s (key, label, unit), never a fact's value, so the model
 * writes prose with placeholders and code injects the exact numbers later (report/facts.ts).
 */
import {
  DISCLAIMERS,
  NARRATIVE_SECTIONS,
  SECTION_HEADINGS,
  WORD_TARGETS,
  type Fact,
  type Language,
  type Recommendation,
  type SemanticStates,
} from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import { STATE_CLAIM_RULES } from '../report/quality-scores.js';
import type { NarrativePlan } from './narrative-writer.js';
import { displayName } from './template-kit.js';


export const RECOMMENDATION_LABEL: Record<Language, Record<Recommendation, string>> = {
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
