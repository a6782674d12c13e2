/**
 * What the narrative writers, the number injector and the quality scorers agree on. Writers (template or LLM) never
 * write numbers: they write prose with `{PLACEHOLDER}`s whose values come from `Facts`, and code injects them.
 */

export type Language = 'th' | 'en';
export type Stance = 'bullish' | 'bearish' | 'neutral';
export type Recommendation = 'BUY' | 'HOLD' | 'SELL';
export type Confidence = 'high' | 'medium' | 'low';

/** The four sections every narrative has, in this order, each a Markdown `## ` heading. */
export const NARRATIVE_SECTIONS = ['story', 'know', 'action', 'watch'] as const;
export type NarrativeSection = (typeof NARRATIVE_SECTIONS)[number];

export const SECTION_HEADINGS: Record<Language, Record<NarrativeSection, string>> = {
  th: {
    story: '📖 เรื่องราวของหุ้นตัวนี้',
    know: '💡 สิ่งที่คุณต้องรู้',
    action: '🎯 ควรทำอะไรตอนนี้',
    watch: '⚠️ สิ่งที่ต้องจับตา',
  },
  en: {
    story: '📖 The story',
    know: '💡 What you need to know',
    action: '🎯 What to do now',
    watch: '⚠️ What to watch',
  },
};

/** Closes every narrative; compliance checks it is there. */
export const DISCLAIMERS: Record<Language, string> = {
  th: 'ข้อมูลนี้จัดทำเพื่อการศึกษาเท่านั้น ไม่ใช่คำแนะนำการลงทุน การลงทุนมีความเสี่ยง ผู้ลงทุนควรศึกษาข้อมูลก่อนตัดสินใจลงทุน',
  en: 'This is for education only and is not investment advice. Investing involves risk; do your own research before you invest.',
};

/** Narrative length targets, counted with `Intl.Segmenter` word segmentation (Thai has no spaces between words). */
export const WORD_TARGETS: Record<Language, { min: number; max: number }> = {
  th: { min: 250, max: 350 },
  en: { min: 200, max: 350 },
};

/** How a fact's value is printed. */
export type FactUnit =
  | 'price' // in the ticker's currency, `decimals` places
  | 'percent' // 12.34%
  | 'signed_percent' // +1.23% / -1.23%
  | 'ratio' // 1.52x
  | 'number' // plain, `decimals` places
  | 'count'; // integer

/** One number the narrative may show, under its placeholder name (without braces): `RSI`, `PRICE`, `ATR_PCT`… */
export interface Fact {
  key: string;
  value: number;
  unit: FactUnit;
  decimals: number;
  /** What it is, in English, for catalogues and prompts. */
  label: string;
}

export type Facts = Record<string, Fact>;

/** Placeholders are UPPER_SNAKE names in braces. */
export const PLACEHOLDER_PATTERN = /\{([A-Z][A-Z0-9_]*)\}/g;

/** Discrete readings of the data, from which prose, stance and scores are derived (never from text keywords). */
export interface SemanticStates {
  rsi_zone: 'oversold' | 'approaching_oversold' | 'neutral' | 'approaching_overbought' | 'overbought' | 'unknown';
  trend: 'strong_up' | 'up' | 'sideways' | 'down' | 'strong_down' | 'unknown';
  macd_momentum: 'strengthening_bullish' | 'bullish' | 'weakening' | 'bearish' | 'strengthening_bearish' | 'unknown';
  volatility_regime: 'low' | 'normal' | 'high' | 'extreme' | 'unknown';
  volume: 'very_low' | 'low' | 'normal' | 'high' | 'surge' | 'unknown';
  range_position: 'near_low' | 'lower_half' | 'upper_half' | 'near_high' | 'unknown';
  news_tone: 'positive' | 'negative' | 'mixed' | 'neutral' | 'none';
  peer_relative: 'outperforming' | 'in_line' | 'underperforming' | 'unknown';
}
