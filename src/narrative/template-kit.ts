/**
 * Building blocks of the template writer: the context the phrasebooks read, candidate sentences with priorities,
 * the deterministic per-ticker choice between phrasings, and optional `[[fragments]]`.
 *
 * A variant is prose with `{PLACEHOLDERS}` (never a digit). `[[ … ]]` marks a fragment that is kept only when every
 * placeholder in it has a fact; a variant whose remaining placeholders lack a fact is not eligible. Among eligible
 * variants the choice is seeded by the ticker symbol and the slot name, so two tickers in the same states pick
 * different phrasings slot by slot, and the same ticker reads the same way on a re-run.
 */
import type { Facts, Language, NarrativeSection, SemanticStates } from '../report/narrative-contract.js';
import { PLACEHOLDER_PATTERN } from '../report/narrative-contract.js';
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import type { StanceDecision, StanceDriver } from '../report/semantic-states.js';

export interface Candidate {
  section: NarrativeSection;
  /** Seed key and identity of the sentence, e.g. `story.open`. */
  slot: string;
  variants: readonly string[];
  /** 0 = always included; higher numbers are added in order while the length target allows. */
  priority: number;
  /** Paragraph within the section (sentences of one paragraph are joined into one line). */
  paragraph?: number;
}

export type LevelKey = 'SMA_20' | 'SMA_50' | 'SMA_200' | 'BB_LOWER' | 'BB_UPPER' | 'LOW_52W' | 'HIGH_52W';

export interface WriterContext {
  inputs: NarrativeInputs;
  language: Language;
  states: SemanticStates;
  decision: StanceDecision;
  facts: Facts;
  /** The company name without legal suffixes ("NVIDIA", "Walt Disney", "Vinamilk"). */
  name: string;
  isEtf: boolean;
  /** MACD at or above zero (null when unknown): tells which way a "weakening" momentum was pointing. */
  macdPositive: boolean | null;
  /** Direction of the last bar. */
  day: 'up' | 'down' | 'flat';
  /** Nearest level below the price worth defending (prefers the medium-term average). */
  support: LevelKey | null;
  /** Nearest level above the price that a rebound must clear. */
  resistance: LevelKey | null;
  /** Where a bullish HOLD would rather buy: the nearest average below the price. */
  entry: LevelKey | null;
  /**
   * A second level for the watch section, different from the one the action section names: in an uptrend the
   * early-warning average below the price, in a downtrend the next average above the nearest one.
   */
  watchLevel: LevelKey | null;
  topPeer: { name: string; correlation: number } | null;
  /** Signals that point the way of the stance, strongest first. */
  supporting: StanceDriver[];
  /** The strongest signal against the stance, if any. */
  opposing: StanceDriver | null;
  /** Percentiles are measured over roughly a year of bars. */
  yearLookback: boolean;
}

const LEGAL_SUFFIX = /(?:,?\s+(?:Inc\.?|Incorporated|Corporation|Corp\.?|Company|Co\.?|Ltd\.?|Limited|Public Company Limited|JSC|plc|PLC))+,?$/;

/** A readable short name: legal suffixes and "The" dropped; a one-word brand in brackets wins ("Vinamilk"). */
export function displayName(name: string): string {
  const brand = /\(([A-Z][a-z]+)\)/.exec(name)?.[1];
  if (brand && brand !== 'Group') return brand;
  let n = name.replace(/\s*\([^)]*\)/g, '').trim().replace(/^The\s+/, '');
  for (let previous = ''; previous !== n; ) {
    previous = n;
    n = n.replace(LEGAL_SUFFIX, '').trim();
  }
  return n || name;
}

/** FNV-1a, 32 bit: a stable small hash so the phrasing choice depends only on ticker and slot. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER_PATTERN)].map((m) => m[1]!);
}

/** Drops `[[…]]` fragments whose placeholders are not all facts, then unwraps the rest. */
export function resolveFragments(text: string, facts: Facts): string {
  return text.replace(/\[\[([\s\S]*?)\]\]/g, (_, inner: string) => (placeholders(inner).every((k) => k in facts) ? inner : ''));
}

/** The seeded choice among the variants that can be filled from the facts; null when none can. */
export function chooseVariant(variants: readonly string[], facts: Facts, seedKey: string): string | null {
  const eligible = variants.map((v) => resolveFragments(v, facts)).filter((v) => placeholders(v).every((k) => k in facts));
  if (eligible.length === 0) return null;
  return eligible[seedOf(seedKey) % eligible.length]!;
}

function levelValue(facts: Facts, key: LevelKey): number | null {
  return facts[key]?.value ?? null;
}

export function buildWriterContext(
  inputs: NarrativeInputs,
  plan: { states: SemanticStates; decision: StanceDecision; facts: Facts },
): WriterContext {
  const { states, decision, facts } = plan;
  const t = inputs.technicals;
  const price = t.price;

  const below = (keys: LevelKey[]): LevelKey | null => {
    let best: LevelKey | null = null;
    for (const k of keys) {
      const v = levelValue(facts, k);
      if (v !== null && v < price && (best === null || v > levelValue(facts, best)!)) best = k;
    }
    return best;
  };
  const above = (keys: LevelKey[]): LevelKey | null => {
    let best: LevelKey | null = null;
    for (const k of keys) {
      const v = levelValue(facts, k);
      if (v !== null && v > price && (best === null || v < levelValue(facts, best)!)) best = k;
    }
    return best;
  };
  const sma50 = levelValue(facts, 'SMA_50');
  const support: LevelKey | null =
    sma50 !== null && sma50 < price
      ? 'SMA_50'
      : (below(['SMA_20', 'SMA_200']) ?? below(['BB_LOWER']) ?? below(['LOW_52W']));
  const resistance = above(['SMA_20', 'SMA_50', 'SMA_200']) ?? above(['BB_UPPER']) ?? above(['HIGH_52W']);

  const up = states.trend === 'strong_up' || states.trend === 'up';
  const down = states.trend === 'strong_down' || states.trend === 'down';
  const others = (keys: LevelKey[], used: LevelKey | null): LevelKey[] => keys.filter((k) => k !== used);
  const entry = below(['SMA_20', 'SMA_50']) ?? support;
  // The level the action section already names, so the watch section names another one.
  const used =
    decision.recommendation === 'BUY' ? support : decision.recommendation === 'HOLD' && decision.stance === 'bullish' ? entry : support;
  const watchLevel = up
    ? (below(others(['SMA_20'], used)) ?? below(others(['SMA_50'], used)) ?? below(others(['SMA_200'], used)))
    : down
      ? (above(others(['SMA_50'], resistance)) ?? above(others(['SMA_200'], resistance)) ?? above(others(['SMA_20'], resistance)))
      : null;

  const peers = inputs.peers?.top ?? [];
  const top = peers.length > 0 ? peers.reduce((a, b) => (b.correlation > a.correlation ? b : a)) : null;
  const direction = Math.sign(decision.score) || 1;
  const supporting = decision.drivers.filter((d) => Math.sign(d.contribution) === direction && d.contribution !== 0);
  const against = decision.drivers.filter((d) => Math.sign(d.contribution) === -direction && d.contribution !== 0);
  const opposing = against.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))[0] ?? null;
  const change = t.price_change ?? 0;
  const lookback = t.percentiles.rsi_14?.lookback_bars ?? t.percentiles.atr_pct?.lookback_bars ?? 252;

  return {
    inputs,
    language: inputs.language,
    states,
    decision,
    facts,
    name: displayName(inputs.ticker.name),
    isEtf: inputs.ticker.type === 'etf',
    macdPositive: t.indicators.macd === null ? null : t.indicators.macd >= 0,
    day: change > 0 ? 'up' : change < 0 ? 'down' : 'flat',
    support,
    resistance,
    entry,
    watchLevel,
    topPeer: top ? { name: displayName(top.name || top.ticker), correlation: top.correlation } : null,
    supporting,
    opposing,
    yearLookback: lookback >= 240 && lookback <= 260,
  };
}

/** Placeholder text for a level key: `{SMA_50}`. */
export const ph = (key: string): string => `{${key}}`;
