import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { Ticker } from './ticker.js';
import registryFile from './tickers.json' with { type: 'json' };
import { UnknownTickerError } from './unknown-ticker-error.js';

const MAX_SUGGESTIONS = 5;

/** `NVDA19` → `NVDA`: DR symbols are the underlying's stem plus a two-digit issuer code. */
function drStem(symbol: string): string | undefined {
  return /^([A-Z0-9]*[A-Z])\d{2}$/.exec(symbol)?.[1];
}

/** `D05.SI` → `D05`; undefined for symbols without an exchange suffix. */
function yahooBase(yahooSymbol: string): string | undefined {
  const dot = yahooSymbol.lastIndexOf('.');
  return dot > 0 ? yahooSymbol.slice(0, dot) : undefined;
}

function normalize(input: string): string {
  return input.trim().toUpperCase();
}

/** Every form a person may type for a ticker, in the registry's spelling. */
function formsOf(ticker: Ticker): string[] {
  const forms = [ticker.symbol, ticker.yahooSymbol];
  const stem = drStem(ticker.symbol);
  const base = yahooBase(ticker.yahooSymbol);
  if (stem) forms.push(stem);
  if (base) forms.push(base);
  return forms;
}

/** Adds `key → ticker` unless another ticker already claims the key; ambiguous keys map to null. */
function addUnambiguous(map: Map<string, Ticker | null>, key: string | undefined, ticker: Ticker): void {
  if (key === undefined) return;
  const existing = map.get(key);
  if (existing === undefined) map.set(key, ticker);
  else if (existing !== null && existing.symbol !== ticker.symbol) map.set(key, null);
}

/** Two-row Levenshtein distance; inputs are short symbols, so O(n·m) is nothing. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

/**
 * The one ticker registry: DR symbol is the key; any form a person types resolves to it.
 * Lookup order (first hit wins): DR symbol, DR stem, Yahoo symbol, Yahoo symbol without its exchange suffix.
 */
export class TickerRegistry {
  private readonly tickers: readonly Ticker[];
  private readonly byDr = new Map<string, Ticker>();
  private readonly byYahoo = new Map<string, Ticker>();
  private readonly byStem = new Map<string, Ticker | null>();
  private readonly byYahooBase = new Map<string, Ticker | null>();

  constructor(tickers: readonly Ticker[]) {
    this.tickers = [...tickers];
    for (const ticker of this.tickers) {
      const dr = normalize(ticker.symbol);
      const yahoo = normalize(ticker.yahooSymbol);
      if (this.byDr.has(dr)) throw new Error(`ticker registry: duplicate DR symbol ${ticker.symbol}`);
      const sameYahoo = this.byYahoo.get(yahoo);
      if (sameYahoo) {
        throw new Error(`ticker registry: ${sameYahoo.symbol} and ${ticker.symbol} share Yahoo symbol ${ticker.yahooSymbol}`);
      }
      this.byDr.set(dr, ticker);
      this.byYahoo.set(yahoo, ticker);
    }
    for (const ticker of this.tickers) {
      addUnambiguous(this.byStem, drStem(normalize(ticker.symbol)), ticker);
      addUnambiguous(this.byYahooBase, yahooBase(normalize(ticker.yahooSymbol)), ticker);
    }
  }

  /** Every ticker, active or not, in registry order. */
  all(): Ticker[] {
    return [...this.tickers];
  }

  active(): Ticker[] {
    return this.tickers.filter((t) => t.active);
  }

  /** By DR symbol only (the key used in jobs and the store). */
  get(symbol: string): Ticker | undefined {
    return this.byDr.get(normalize(symbol));
  }

  /** Any form, case-insensitive and trimmed: `NVDA19`, `nvda`, `D05.SI`, `d05`, `0700.hk`. */
  resolve(input: string): Ticker | undefined {
    const key = normalize(input);
    if (key === '') return undefined;
    return (
      this.byDr.get(key) ??
      this.byStem.get(key) ??
      this.byYahoo.get(key) ??
      this.byYahooBase.get(key) ??
      undefined
    );
  }

  /** Like `resolve`, but an unknown input is an `UnknownTickerError` with up to five suggestions. */
  resolveOrThrow(input: string): Ticker {
    const ticker = this.resolve(input);
    if (ticker) return ticker;
    throw new UnknownTickerError(input, this.suggest(input));
  }

  /**
   * DR symbols close to `input`, best first: a form that starts with it, then a company name that contains it,
   * then a form within a small edit distance.
   */
  suggest(input: string, limit = MAX_SUGGESTIONS): string[] {
    const query = normalize(input);
    if (query === '') return [];
    const maxDistance = query.length <= 3 ? 1 : 2;
    const ranked: { symbol: string; tier: number; distance: number }[] = [];
    for (const ticker of this.tickers) {
      const forms = formsOf(ticker).map(normalize);
      const distance = Math.min(...forms.map((f) => levenshtein(query, f)));
      let tier: number;
      if (forms.some((f) => f.startsWith(query))) tier = 0;
      else if (query.length >= 3 && ticker.name.toUpperCase().includes(query)) tier = 1;
      else if (distance <= maxDistance) tier = 2;
      else continue;
      ranked.push({ symbol: ticker.symbol, tier, distance });
    }
    ranked.sort((a, b) => a.tier - b.tier || a.distance - b.distance || a.symbol.localeCompare(b.symbol));
    return ranked.slice(0, limit).map((r) => r.symbol);
  }
}

const exchanges = ['NASDAQ', 'NYSE', 'NYSEARCA', 'SGX', 'TSE', 'HKEX', 'HOSE', 'TWSE'] as const;

const tickerSchema = z.strictObject({
  symbol: z.string().regex(/^[A-Z0-9]+$/, 'must be upper-case letters and digits'),
  yahooSymbol: z.string().regex(/^[A-Z0-9^=-]+(\.[A-Z]{1,3})?$/, 'must look like a Yahoo symbol (NVDA, D05.SI)'),
  name: z.string().trim().min(1),
  exchange: z.enum(exchanges),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO currency code'),
  sector: z.string().min(1).nullable(),
  type: z.enum(['stock', 'etf']),
  active: z.boolean(),
  referencePrice: z.number().positive().finite().optional(),
  referenceMarketCapBillionUsd: z.number().positive().finite().optional(),
});

const tickerFileSchema = z
  .strictObject({
    version: z.number().int().positive(),
    updated: z.iso.date(),
    tickers: z.array(tickerSchema).min(1),
  })
  .superRefine((file, ctx) => {
    for (const field of ['symbol', 'yahooSymbol'] as const) {
      const seen = new Map<string, number>();
      file.tickers.forEach((t, i) => {
        const first = seen.get(t[field]);
        if (first === undefined) seen.set(t[field], i);
        else ctx.addIssue({ code: 'custom', path: ['tickers', i, field], message: `duplicate ${field} ${t[field]} (also row ${first})` });
      });
    }
  });

export type TickerFile = z.output<typeof tickerFileSchema>;

/** Validates a registry file's content; `source` names it in the error. */
export function parseTickerFile(data: unknown, source = 'tickers.json'): TickerFile {
  const parsed = tickerFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new InputError(`invalid ticker registry ${source}:\n${problems.join('\n')}`, { source, problems });
  }
  return parsed.data;
}

/** The versioned registry shipped in the repo (`src/registry/tickers.json`), validated. */
export function loadDefaultTickerFile(): TickerFile {
  return parseTickerFile(registryFile, 'src/registry/tickers.json');
}

export function loadDefaultTickers(): Ticker[] {
  return loadDefaultTickerFile().tickers;
}

/** A registry file in the same format from disk (e.g. `TICKERS_FILE`); any problem is an `InputError`. */
export function loadTickersFile(path: string): Ticker[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ticker registry ${path}: ${(error as Error).message}`, { source: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new InputError(`ticker registry ${path} is not valid JSON: ${(error as Error).message}`, { source: path });
  }
  return parseTickerFile(data, path).tickers;
}
