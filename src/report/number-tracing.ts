/**
 * The numbers of the prose and their tracing to facts (for faithfulness and completeness): every number token, and
 * whether it is a fact's value within half a unit of its last printed decimal, or a structural number (an indicator
 * window, a year, an index name, an RSI threshold). Pure.
 */
import type { Fact, Facts, FactUnit } from './narrative-contract.js';
import { clausePrefix } from './quality-scoring-kit.js';

export type NumberKind = 'percent' | 'ratio' | 'plain';

export interface NumberToken {
  raw: string;
  value: number;
  kind: NumberKind;
  /** Printed with an explicit + or − sign. */
  signed: boolean;
  /** Digits after the decimal point as printed. */
  decimals: number;
  index: number;
  end: number;
}

/**
 * A number as printed: optional sign (only when not glued to a preceding letter or digit), digits with optional
 * thousands commas, optional decimals, then an optional unit: `%` / เปอร์เซ็นต์ (percent), `x` / `×` / เท่า (ratio).
 * Digits glued to a Latin letter (NVDA80, SMA200, Q3) are names, not numbers.
 */
const NUMBER_RE =
  /(?<![A-Za-z0-9_])([+\-−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:(\s?(?:%|เปอร์เซ็นต์))|(\s?เท่า)|([x×])(?![A-Za-z]))?/gu;

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/g;

const THAI_DIGITS = /[๐-๙]/g;

/** Every number token in `text` (ISO dates skipped; Thai digits read as Arabic ones). */
export function extractNumbers(text: string): NumberToken[] {
  const t = text
    .replace(THAI_DIGITS, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(ISO_DATE, (d) => ' '.repeat(d.length));
  const out: NumberToken[] = [];
  for (const m of t.matchAll(NUMBER_RE)) {
    const sign = m[1] ?? '';
    const intPart = m[2]!.replace(/,/g, '');
    const frac = m[3] ?? '';
    const magnitude = Number(frac ? `${intPart}.${frac}` : intPart);
    const value = sign === '-' || sign === '−' ? -magnitude : magnitude;
    const kind: NumberKind = m[4] ? 'percent' : m[5] || m[6] ? 'ratio' : 'plain';
    out.push({ raw: m[0], value, kind, signed: sign !== '', decimals: frac.length, index: m.index, end: m.index + m[0].length });
  }
  return out;
}

export const UNIT_KINDS: Record<NumberKind, readonly FactUnit[]> = {
  percent: ['percent', 'signed_percent'],
  ratio: ['ratio'],
  plain: ['price', 'number', 'count'],
};

/** Half a unit of the fact's last printed decimal, plus 1e-9 for binary round-off. */
export function factTolerance(fact: Fact): number {
  return 0.5 * 10 ** -Math.max(0, fact.decimals) + 1e-9;
}

export function printFact(f: Fact): string {
  const n = f.value.toFixed(Math.max(0, f.decimals));
  switch (f.unit) {
    case 'percent':
      return `${n}%`;
    case 'signed_percent':
      return `${f.value > 0 ? '+' : ''}${n}%`;
    case 'ratio':
      return `${n}x`;
    default:
      return n;
  }
}

/** Indicator windows and look-back lengths that the prose may name without them being data. */
const STRUCTURAL_WINDOWS = new Set([1, 3, 5, 6, 9, 12, 14, 20, 26, 30, 50, 52, 200, 252]);

const INDICATOR_BEFORE = /(?:SMA|EMA|RSI|ATR|MACD|VWAP|BB|Bollinger|เส้นค่าเฉลี่ย(?:เคลื่อนที่)?|ค่าเฉลี่ย(?:เคลื่อนที่)?)\s*[([]?\s*$/iu;

const PERIOD_AFTER =
  /^\s*-?\s*(?:trading days?|days?|weeks?|months?|years?|sessions?|bars?|วันทำการ|วัน|สัปดาห์|เดือน|ปี|แท่ง|เซสชัน)/iu;

const LIST_SEPARATOR = /^\s*(?:,|\/|&|and|or|และ|หรือ|-|–)\s*$/iu;

/** Index and fund names carry numbers that are names, not data ("S&P 500", "SET50", "Taiwan Top 50 ETF"). */
const INDEX_NAME_BEFORE = /(?:S&P|SET|FTSE|Nikkei|NASDAQ|Nasdaq|Russell|MSCI|CSI|KOSPI|STOXX|DAX|CAC|Hang Seng|ASX|TOPIX|Nifty|Sensex|Dow Jones|Top)\s*$/u;

const INDEX_NAME_AFTER = /^\s*(?:ETF|Index|index|Fund|ดัชนี)\b/u;

/** Conventional RSI thresholds (20/30/70/80) right after a threshold word in a clause that names RSI. */
const RSI_THRESHOLDS = new Set([20, 30, 70, 80]);

const THRESHOLD_WORD_BEFORE = /(?:above|below|over|under|past|cross(?:es)?|exceeds?|beyond|than|of|เกิน|กว่า|ระดับ|เส้น|ทะลุ|หลุด|เหนือ)\s*$/iu;

export interface TracedToken extends NumberToken {
  status: 'traced' | 'structural' | 'untraced' | 'unit_mismatch';
  matches: Fact[];
  valueOnly: Fact[];
}

function isYear(tok: NumberToken): boolean {
  return tok.kind === 'plain' && !tok.signed && tok.decimals === 0 && !tok.raw.includes(',') &&
    ((tok.value >= 1990 && tok.value <= 2100) || (tok.value >= 2533 && tok.value <= 2643));
}

export function traceNumbers(prose: string, facts: Facts, names: readonly string[] = []): TracedToken[] {
  const factList = Object.values(facts).filter((f) => Number.isFinite(f.value));
  const tokens: TracedToken[] = extractNumbers(prose).map((tok) => {
    const matches: Fact[] = [];
    const valueOnly: Fact[] = [];
    for (const f of factList) {
      if (Math.abs(tok.value - f.value) > factTolerance(f)) continue;
      (UNIT_KINDS[tok.kind].includes(f.unit) ? matches : valueOnly).push(f);
    }
    const status = matches.length > 0 ? 'traced' : valueOnly.length > 0 ? 'unit_mismatch' : 'untraced';
    return { ...tok, status, matches, valueOnly };
  });

  const windowCandidate = (t: TracedToken): boolean =>
    t.status !== 'traced' && t.kind === 'plain' && !t.signed && t.decimals === 0 && STRUCTURAL_WINDOWS.has(t.value);
  const nameRanges: [number, number][] = [];
  for (const name of names) {
    if (!/\d/.test(name)) continue;
    for (let at = prose.indexOf(name); at >= 0; at = prose.indexOf(name, at + 1)) nameRanges.push([at, at + name.length]);
  }
  for (const t of tokens) {
    if (nameRanges.some(([a, b]) => t.index >= a && t.end <= b)) {
      t.status = 'structural';
      continue;
    }
    if (t.status === 'traced') continue;
    const before = prose.slice(Math.max(0, t.index - 40), t.index);
    const after = prose.slice(t.end, t.end + 20);
    if (isYear(t)) t.status = 'structural';
    else if (t.kind === 'plain' && !t.signed && t.decimals === 0 && (INDEX_NAME_BEFORE.test(before) || INDEX_NAME_AFTER.test(after))) {
      t.status = 'structural';
    }
    else if (windowCandidate(t) && (INDICATOR_BEFORE.test(before) || PERIOD_AFTER.test(after) || /\d\/\s*$/.test(before) || /^\/\d/.test(after))) {
      t.status = 'structural';
    } else if (
      t.kind === 'plain' && !t.signed && t.decimals === 0 && RSI_THRESHOLDS.has(t.value) &&
      THRESHOLD_WORD_BEFORE.test(before) && /RSI/i.test(clausePrefix(prose, t.index))
    ) {
      t.status = 'structural';
    }
  }
  // Lists of windows ("SMA 20, 50 and 200"): a window number next to a structural one, across a separator, is one too.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (!windowCandidate(t) || t.status === 'structural') continue;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      const joined = (a: TracedToken | undefined, b: TracedToken | undefined): boolean =>
        !!a && !!b && LIST_SEPARATOR.test(prose.slice(a.end, b.index));
      if ((prev?.status === 'structural' && joined(prev, t)) || (next?.status === 'structural' && joined(t, next))) {
        t.status = 'structural';
      }
    }
  }
  return tokens;
}
