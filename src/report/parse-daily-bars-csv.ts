/**
 * The CSV format of daily bars, as a pure parser: the csv market-data adapter reads files with it, and so do the
 * tests that build report inputs from the shared fixtures.
 */
import { PermanentError } from '../errors.js';
import { isIsoDate } from './business-date.js';
import type { DailyBar } from './daily-bar.js';

const COLUMNS = ['date', 'open', 'high', 'low', 'close', 'adj_close', 'volume'] as const;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Float noise from split adjustment can put open or close a hair outside [low, high]; that much is clamped, not rejected. */
const RELATIVE_TOLERANCE = 1e-9;

/** `Adj Close` (Yahoo's own download) and `adj_close` are the same column. */
function normalizeHeader(line: string): string {
  return line
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'))
    .join(',');
}

function fail(file: string, line: number, problem: string): never {
  throw new PermanentError(`${file}:${line}: ${problem}`);
}

function parseNumber(field: string, column: string, file: string, line: number): number {
  const value = Number(field);
  // The regex keeps out what Number() would also accept: "", " ", "0x10", "Infinity".
  if (!Number.isFinite(value) || !NUMBER.test(field)) fail(file, line, `${column} is not a number: "${field}"`);
  return value;
}

function parsePrice(field: string, column: string, file: string, line: number): number {
  const value = parseNumber(field, column, file, line);
  if (!(value > 0)) fail(file, line, `${column} must be positive, got ${value}`);
  return value;
}

/**
 * Parses a Yahoo-style daily CSV (`date,open,high,low,close,adj_close,volume`) into bars in ascending date order.
 * Split-based rather than a CSV library: the format is fixed (no quoting, no embedded commas) and files are ~6k rows,
 * so a split is both enough and several times faster. Every row is validated; the first problem throws a
 * `PermanentError` naming `file:line` and what is wrong.
 */
export function parseDailyBarsCsv(text: string, file: string): DailyBar[] {
  if (text.trim() === '') throw new PermanentError(`${file}: file is empty (expected header ${COLUMNS.join(',')})`);
  const lines = text.split('\n');
  const header = normalizeHeader(lines[0]!.replace(/\r$/, ''));
  if (header !== COLUMNS.join(',')) fail(file, 1, `wrong header "${lines[0]!.trim()}" (expected ${COLUMNS.join(',')})`);

  const bars: DailyBar[] = [];
  const lineNos: number[] = [];
  let sorted = true;
  for (let index = 1; index < lines.length; index++) {
    let line = lines[index]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    const lineNo = index + 1;
    const fields = line.split(',');
    if (fields.length !== COLUMNS.length) fail(file, lineNo, `expected ${COLUMNS.length} fields, found ${fields.length}`);
    const date = fields[0]!;
    if (!isIsoDate(date)) fail(file, lineNo, `bad date "${date}" (expected YYYY-MM-DD)`);
    const open = parsePrice(fields[1]!, 'open', file, lineNo);
    let high = parsePrice(fields[2]!, 'high', file, lineNo);
    let low = parsePrice(fields[3]!, 'low', file, lineNo);
    const close = parsePrice(fields[4]!, 'close', file, lineNo);
    if (fields[5] !== '') parseNumber(fields[5]!, 'adj_close', file, lineNo); // optional and unused, but not garbage
    const volume = parseNumber(fields[6]!, 'volume', file, lineNo);
    if (volume < 0) fail(file, lineNo, `volume must not be negative, got ${volume}`);
    if (high < low) fail(file, lineNo, `high ${high} is below low ${low}`);
    const slack = high * RELATIVE_TOLERANCE;
    if (open > high + slack || open < low - slack) fail(file, lineNo, `open ${open} is outside [low ${low}, high ${high}]`);
    if (close > high + slack || close < low - slack) fail(file, lineNo, `close ${close} is outside [low ${low}, high ${high}]`);
    high = Math.max(high, open, close);
    low = Math.min(low, open, close);
    if (sorted && bars.length > 0) {
      const previous = bars[bars.length - 1]!.date;
      if (previous === date) fail(file, lineNo, `duplicate date ${date} (also on line ${lineNos[lineNos.length - 1]})`);
      if (previous > date) sorted = false;
    }
    bars.push({ date, open, high, low, close, volume });
    lineNos.push(lineNo);
  }
  if (bars.length === 0) throw new PermanentError(`${file}: has a header but no rows`);
  if (sorted) return bars;
  // Out of order: sort, then duplicates sit next to each other (the earlier line first).
  const order = bars.map((_, i) => i).sort((a, b) => (bars[a]!.date < bars[b]!.date ? -1 : bars[a]!.date > bars[b]!.date ? 1 : a - b));
  for (let k = 1; k < order.length; k++) {
    const [a, b] = [order[k - 1]!, order[k]!];
    if (bars[a]!.date === bars[b]!.date) fail(file, lineNos[b]!, `duplicate date ${bars[b]!.date} (also on line ${lineNos[a]})`);
  }
  return order.map((i) => bars[i]!);
}
