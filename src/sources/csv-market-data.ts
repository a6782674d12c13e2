import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { isIsoDate } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import type { DailyBarsRequest, MarketDataSource } from './market-data.js';

const COLUMNS = ['date', 'open', 'high', 'low', 'close', 'adj_close', 'volume'] as const;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Float noise from split adjustment can put open a hair outside [low, high]; that much is clamped, not rejected. */
const RELATIVE_TOLERANCE = 1e-9;

/** `Adj Close` (Yahoo's own download) and `adj_close` are the same column. */
function normalizeHeader(line: string): string {
  return line
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'))
    .join(',');
}

/**
 * Parses a Yahoo-style daily CSV (`date,open,high,low,close,adj_close,volume`) into bars in ascending date order.
 * Split-based rather than a CSV library: the format is fixed (no quoting, no embedded commas) and files are ~6k rows,
 * so a split is both enough and several times faster. Every row is validated; the first problem throws a
 * `PermanentError` naming `file:line` and what is wrong.
 */
export function parseDailyBarsCsv(text: string, file: string): DailyBar[] {
  const lines = text.split('\n');
  const fail = (line: number, problem: string): never => {
    throw new PermanentError(`${file}:${line}: ${problem}`);
  };
  if (text.trim() === '') throw new PermanentError(`${file}: file is empty (expected header ${COLUMNS.join(',')})`);
  const header = normalizeHeader(lines[0]!.replace(/\r$/, ''));
  if (header !== COLUMNS.join(',')) fail(1, `wrong header "${lines[0]!.trim()}" (expected ${COLUMNS.join(',')})`);

  const bars: DailyBar[] = [];
  const lineOfDate = new Map<string, number>();
  let sorted = true;
  for (let index = 1; index < lines.length; index++) {
    const raw = lines[index]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    const lineNo = index + 1;
    const fields = line.split(',');
    if (fields.length !== COLUMNS.length) fail(lineNo, `expected ${COLUMNS.length} fields, found ${fields.length}`);
    const date = fields[0]!.trim();
    if (!isIsoDate(date)) fail(lineNo, `bad date "${date}" (expected YYYY-MM-DD)`);
    const values = new Array<number>(COLUMNS.length);
    for (let c = 1; c < COLUMNS.length; c++) {
      const field = fields[c]!.trim();
      if (c === 5 && field === '') continue; // adj_close is optional and unused
      const value = Number(field);
      if (!NUMBER.test(field) || !Number.isFinite(value)) fail(lineNo, `${COLUMNS[c]} is not a number: "${field}"`);
      values[c] = value;
    }
    let [, open, high, low, close] = values as [unknown, number, number, number, number];
    const volume = values[6]!;
    for (const [name, price] of [['open', open], ['high', high], ['low', low], ['close', close]] as const) {
      if (!(price > 0)) fail(lineNo, `${name} must be positive, got ${price}`);
    }
    if (volume < 0) fail(lineNo, `volume must not be negative, got ${volume}`);
    if (high < low) fail(lineNo, `high ${high} is below low ${low}`);
    const slack = high * RELATIVE_TOLERANCE;
    for (const [name, price] of [['open', open], ['close', close]] as const) {
      if (price > high + slack || price < low - slack) fail(lineNo, `${name} ${price} is outside [low ${low}, high ${high}]`);
    }
    high = Math.max(high, open, close);
    low = Math.min(low, open, close);
    const previousLine = lineOfDate.get(date);
    if (previousLine !== undefined) fail(lineNo, `duplicate date ${date} (also on line ${previousLine})`);
    lineOfDate.set(date, lineNo);
    if (bars.length > 0 && bars[bars.length - 1]!.date > date) sorted = false;
    bars.push({ date, open, high, low, close, volume });
  }
  if (bars.length === 0) throw new PermanentError(`${file}: has a header but no rows`);
  if (!sorted) bars.sort((a, b) => (a.date < b.date ? -1 : 1));
  return bars;
}

/** Real history from a folder of Yahoo-style CSVs, one `${yahooSymbol}.csv` per ticker (offline, reproducible). */
export class CsvMarketData implements MarketDataSource {
  readonly name = 'csv';

  constructor(readonly dir: string) {}

  async fetchDailyBars(ticker: Ticker, request: DailyBarsRequest): Promise<DailyBar[]> {
    const file = join(this.dir, `${ticker.yahooSymbol}.csv`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new PermanentError(`no CSV file for ${ticker.yahooSymbol}: expected ${file}`, { cause: error });
      if (code === 'EISDIR') throw new PermanentError(`${file} is a directory, expected a CSV file`, { cause: error });
      throw error; // EMFILE, EIO…: may pass on retry
    }
    const bars = parseDailyBarsCsv(text, file);
    let end = bars.length;
    while (end > 0 && bars[end - 1]!.date > request.endDate) end--;
    if (end === 0) throw new PermanentError(`${file}: no bars on or before ${request.endDate} (first is ${bars[0]!.date})`);
    return end === bars.length ? bars : bars.slice(0, end);
  }
}
