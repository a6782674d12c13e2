import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentError } from '../errors.js';
import { isIsoDate } from '../report/business-date.js';
import { emptyCompanyInfo, type CompanyInfo } from './company-info.js';
import { parseCsvRecords } from './csv-news.js';

export const FUNDAMENTALS_FILE = 'fundamentals.csv';

const NUMERIC = [
  'market_cap',
  'pe_ratio',
  'forward_pe',
  'price_to_book',
  'eps',
  'dividend_yield_pct',
  'beta',
  'profit_margin_pct',
  'return_on_equity_pct',
  'revenue_growth_pct',
  'analyst_target_mean',
  'analyst_count',
] as const;
const TEXT = ['analyst_recommendation', 'sector', 'industry', 'long_name', 'currency'] as const;
/**
 * `fundamentals.csv`: a header row, then one row per Yahoo symbol. `symbol` is required; every other column is
 * optional and may come in any order; an empty cell is null (not 0). Numbers are plain decimals (percent columns in
 * percent: 1.5 means 1.5 %), `next_earnings_date` is `YYYY-MM-DD`, `currency` an ISO code. Quoted cells may hold
 * commas ("Electronic Equipment, Instruments & Components").
 */
export const FUNDAMENTALS_COLUMNS = ['symbol', ...NUMERIC, 'next_earnings_date', ...TEXT] as const;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses the file into company info by upper-cased Yahoo symbol; the first problem is a `PermanentError` at `file:line`. */
export function parseFundamentalsCsv(content: string, file: string): Map<string, CompanyInfo> {
  const fail = (line: number, problem: string): never => {
    throw new PermanentError(`${file}:${line}: ${problem}`);
  };
  if (content.trim() === '') throw new PermanentError(`${file}: file is empty (expected a header with symbol and any of ${FUNDAMENTALS_COLUMNS.slice(1).join(',')})`);
  const records = parseCsvRecords(content, file);
  const header = records[0]!.record.map((c) => c.trim().toLowerCase());
  const unknown = header.filter((c) => !(FUNDAMENTALS_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) fail(1, `unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${FUNDAMENTALS_COLUMNS.join(',')})`);
  if (!header.includes('symbol')) fail(1, `header "${records[0]!.record.join(',')}" has no symbol column`);
  const seen = new Map<string, number>();
  const result = new Map<string, CompanyInfo>();
  for (let r = 1; r < records.length; r++) {
    const { record, info: where } = records[r]!;
    const line = where.lines;
    const cell = (column: string): string => {
      const i = header.indexOf(column);
      return i < 0 ? '' : record[i]!.trim();
    };
    const symbol = cell('symbol').toUpperCase();
    if (symbol === '') fail(line, 'symbol is empty');
    const first = seen.get(symbol);
    if (first !== undefined) fail(line, `duplicate symbol ${symbol} (also on line ${first})`);
    seen.set(symbol, line);
    const info = emptyCompanyInfo();
    for (const column of NUMERIC) {
      const text = cell(column);
      if (text === '') continue;
      const value = Number(text);
      if (!NUMBER.test(text) || !Number.isFinite(value)) fail(line, `${column} is not a number: "${text}"`);
      if ((column === 'market_cap' || column === 'analyst_count' || column === 'analyst_target_mean') && value < 0) fail(line, `${column} must not be negative, got ${value}`);
      info[column] = value;
    }
    for (const column of TEXT) {
      const text = cell(column);
      if (text !== '') info[column] = text;
    }
    if (info.currency !== null && !/^[A-Z]{3}$/.test(info.currency)) fail(line, `currency must be an ISO code like USD, got "${info.currency}"`);
    const earnings = cell('next_earnings_date');
    if (earnings !== '') {
      if (!isIsoDate(earnings)) fail(line, `next_earnings_date is not a YYYY-MM-DD date: "${earnings}"`);
      info.next_earnings_date = earnings;
    }
    result.set(symbol, info);
  }
  return result;
}

/**
 * Company info from `DIR/fundamentals.csv` (optional). The file is read once per ingest process: a missing file or
 * a symbol without a row is a `PermanentError`, which ingest records as a warning (prices alone still make a report).
 */
export class CsvCompanyInfo {
  private file: Promise<Map<string, CompanyInfo>> | undefined;

  constructor(readonly dir: string) {}

  async fetch(yahooSymbol: string): Promise<CompanyInfo> {
    const path = join(this.dir, FUNDAMENTALS_FILE);
    this.file ??= readFile(path, 'utf8').then(
      (text) => parseFundamentalsCsv(text, path),
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') throw new PermanentError(`no company info: ${path} does not exist (it is optional)`, { cause: error });
        throw error;
      },
    );
    // A failed read is not cached: a transient one (EMFILE) may pass next time.
    const rows = await this.file.catch((error: unknown) => {
      if (!(error instanceof PermanentError)) this.file = undefined;
      throw error;
    });
    const info = rows.get(yahooSymbol.toUpperCase());
    if (!info) throw new PermanentError(`no company info for ${yahooSymbol}: ${path} has no row for it`);
    return info;
  }
}
