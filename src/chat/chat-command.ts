import type { Language } from '../report/narrative-contract.js';
import type { Ticker } from '../registry/ticker.js';
import { THAI_NAMES } from './thai-names.js';

/** What the parser needs of the ticker registry (`TickerRegistry` is one). */
export interface SymbolResolver {
  resolve(input: string): Ticker | undefined;
  suggest(input: string): string[];
}

export interface UnknownSymbol {
  input: string;
  suggestions: string[];
}

/** One chat message, understood. Symbols are DR symbols; nothing here has touched a store or the network. */
export type ChatCommand =
  | { kind: 'report'; symbols: string[]; unknown: UnknownSymbol[] }
  | { kind: 'follow'; symbols: string[]; unknown: UnknownSymbol[] }
  | { kind: 'unfollow'; symbols: string[]; unknown: UnknownSymbol[] }
  | { kind: 'list' }
  | { kind: 'brief' }
  | { kind: 'lang'; language: Language | null }
  | { kind: 'help' }
  /** A command word with nothing after it that needs symbols (`follow`, `report`). */
  | { kind: 'need_symbols'; command: string }
  | { kind: 'symbol_too_long' }
  | { kind: 'not_understood'; text: string };

/** Longer than this is no symbol of any form (the longest DR symbol is 10 characters). */
const MAX_SYMBOL_CHARS = 20;
/** Symbols one message may name. */
export const MAX_SYMBOLS_PER_MESSAGE = 20;
/** Report cards one message may ask for (LINE replies with at most five messages). */
export const MAX_CARDS_PER_MESSAGE = 5;
/** Text past this length is not a command; it is answered with help, never parsed further. */
const MAX_COMMAND_CHARS = 500;

type Verb = 'report' | 'follow' | 'unfollow' | 'list' | 'brief' | 'lang' | 'help';

/** Command words, longest first so `เลิกติดตาม` is not read as `ติดตาม`. Thai words may be written without a space after them. */
const VERBS: [string, Verb][] = (
  [
    ['ยกเลิกติดตาม', 'unfollow'],
    ['เลิกติดตาม', 'unfollow'],
    ['unfollow', 'unfollow'],
    ['remove', 'unfollow'],
    ['ติดตาม', 'follow'],
    ['follow', 'follow'],
    ['add', 'follow'],
    ['รายงาน', 'report'],
    ['report', 'report'],
    ['รายการ', 'list'],
    ['watchlist', 'list'],
    ['list', 'list'],
    ['สรุปตลาด', 'brief'],
    ['สรุป', 'brief'],
    ['brief', 'brief'],
    ['language', 'lang'],
    ['ภาษา', 'lang'],
    ['lang', 'lang'],
    ['ช่วยเหลือ', 'help'],
    ['วิธีใช้', 'help'],
    ['help', 'help'],
    ['start', 'help'],
  ] as [string, Verb][]
).sort((a, b) => b[0].length - a[0].length);

const LANGUAGE_WORDS: Record<string, Language> = { th: 'th', thai: 'th', ไทย: 'th', en: 'en', english: 'en', อังกฤษ: 'en', eng: 'en' };

const isThai = (s: string) => /[\u0E00-\u0E7F]/.test(s);

/** Resolves one typed symbol: any registry form, then a Thai company name. */
function resolveSymbol(input: string, resolver: SymbolResolver): string | undefined {
  const ticker = resolver.resolve(input);
  if (ticker) return ticker.symbol;
  const thai = THAI_NAMES[input.trim()];
  return thai !== undefined ? resolver.resolve(thai)?.symbol : undefined;
}

function resolveAll(tokens: string[], resolver: SymbolResolver): { symbols: string[]; unknown: UnknownSymbol[]; tooLong: boolean } {
  const symbols: string[] = [];
  const unknown: UnknownSymbol[] = [];
  let tooLong = false;
  for (const token of tokens.slice(0, MAX_SYMBOLS_PER_MESSAGE)) {
    if (token.length > MAX_SYMBOL_CHARS) {
      tooLong = true;
      continue;
    }
    const symbol = resolveSymbol(token, resolver);
    if (symbol) {
      if (!symbols.includes(symbol)) symbols.push(symbol);
    } else {
      unknown.push({ input: token, suggestions: isThai(token) ? [] : resolver.suggest(token).slice(0, 3) });
    }
  }
  return { symbols, unknown, tooLong };
}

/** Splits a verb off the front: `/follow@daybreak_bot NVDA`, `follow NVDA`, `ติดตามNVDA`. */
function splitVerb(text: string): { verb: Verb; rest: string } | undefined {
  const lower = text.toLowerCase();
  for (const [word, verb] of VERBS) {
    if (!lower.startsWith(word)) continue;
    const after = text.slice(word.length);
    // A Latin verb must end at a word boundary (`listen` is not `list`); a Thai one may run into the symbol.
    if (!isThai(word) && after !== '' && !/^[\s@,]/.test(after)) continue;
    return { verb, rest: after.replace(/^@\w+/, '').trim() };
  }
  return undefined;
}

/**
 * Reads one chat message (LINE text, Telegram text with or without a leading `/`) in Thai or English. Pure: the
 * registry lookup is the only thing it consults.
 */
export function parseChatCommand(raw: string, resolver: SymbolResolver): ChatCommand {
  const text = raw.normalize('NFC').replace(/\s+/g, ' ').trim().replace(/^\//, '');
  if (text === '') return { kind: 'help' };
  if (text.length > MAX_COMMAND_CHARS) return { kind: 'not_understood', text: text.slice(0, 40) };
  const tokensOf = (s: string) => s.split(/[\s,，、]+/).filter(Boolean);
  const command = splitVerb(text);
  if (!command) {
    const tokens = tokensOf(text);
    const { symbols, unknown, tooLong } = resolveAll(tokens.slice(0, MAX_CARDS_PER_MESSAGE), resolver);
    if (symbols.length > 0) return { kind: 'report', symbols, unknown };
    if (tooLong && unknown.length === 0) return { kind: 'symbol_too_long' };
    // One word that looks like a symbol gets "did you mean"; anything else is not a command.
    if (tokens.length === 1 && /^[A-Za-z0-9.^=-]+$/.test(tokens[0]!)) return { kind: 'report', symbols: [], unknown };
    return { kind: 'not_understood', text };
  }
  const { verb, rest } = command;
  switch (verb) {
    case 'list':
    case 'brief':
    case 'help':
      return { kind: verb };
    case 'lang': {
      const word = tokensOf(rest)[0]?.toLowerCase();
      return { kind: 'lang', language: word ? (LANGUAGE_WORDS[word] ?? null) : null };
    }
    case 'report':
    case 'follow':
    case 'unfollow': {
      const tokens = tokensOf(rest);
      if (tokens.length === 0) return { kind: 'need_symbols', command: text.split(' ')[0]!.replace(/@\w+$/, '') };
      const { symbols, unknown, tooLong } = resolveAll(verb === 'report' ? tokens.slice(0, MAX_CARDS_PER_MESSAGE) : tokens, resolver);
      if (tooLong && symbols.length === 0 && unknown.length === 0) return { kind: 'symbol_too_long' };
      return { kind: verb, symbols, unknown };
    }
  }
}
