import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { isIsoDate } from '../report/business-date.js';
import { endOfBangkokDayMs, type Headline, type NewsRequest, type NewsSource } from './news-source.js';

export const NEWS_COLUMNS = ['symbol', 'published_at', 'title', 'site', 'url', 'text'] as const;

/**
 * The fixture files (Financial Modeling Prep `stock_news`) write `published_at` as `YYYY-MM-DD HH:MM:SS` with no
 * zone; FMP reports US Eastern time, so naive times are read in this zone (DST-aware) unless told otherwise.
 */
export const DEFAULT_NEWS_TIME_ZONE = 'America/New_York';

export interface CsvNewsOptions {
  /** IANA zone of naive `published_at` values. Values with `Z` or an offset are taken as written. */
  timeZone?: string;
}

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?$/;
const ZONED = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of zoneFormatter(timeZone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/**
 * Per zone and wall-clock day: the zone's offset when it is the same all day, null on a day with a DST change.
 * Formatting dates in a zone is slow (≈0.1 ms), so a file of a thousand rows looks the offset up once per day.
 */
const dayOffsets = new Map<string, Map<number, number | null>>();
const DAY_MS = 86_400_000;

/**
 * The UTC instant of a wall-clock time in `timeZone` (`wallMs` is the wall time read as if it were UTC). In the hour
 * skipped at the spring DST change the time is read with the offset before the change; in the repeated autumn hour,
 * as the first (daylight) occurrence.
 */
export function zonedWallTimeToUtcMs(wallMs: number, timeZone: string): number {
  let days = dayOffsets.get(timeZone);
  if (days === undefined) dayOffsets.set(timeZone, (days = new Map()));
  const day = Math.floor(wallMs / DAY_MS);
  let steady = days.get(day);
  if (steady === undefined) {
    // Every instant whose wall time falls on this day lies within [day − 14 h, day + 38 h] UTC.
    const before = zoneOffsetMs(day * DAY_MS - 14 * 3_600_000, timeZone);
    const after = zoneOffsetMs((day + 1) * DAY_MS + 14 * 3_600_000, timeZone);
    steady = before === after ? before : null;
    days.set(day, steady);
  }
  if (steady !== null) return wallMs - steady;

  const first = wallMs - zoneOffsetMs(wallMs, timeZone);
  const second = wallMs - zoneOffsetMs(first, timeZone);
  if (second === first) return first;
  // The offsets disagree near a change: prefer the reading that maps back to the same wall time, earliest first.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  return candidates.find((utc) => utc + zoneOffsetMs(utc, timeZone) === wallMs) ?? first;
}

/** Minimal entity decoding: the fixtures' ledes carry `&#8217;` and friends from the publishers' HTML. */
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00A0' };
export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, (match, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? match;
  });
}

/** `https://www.247wallst.com/` → `247wallst.com`; a bare host stays as it is. */
export function normaliseSite(site: string, url: string): string {
  let value = site.trim();
  if (value === '' && url !== '') {
    try {
      value = new URL(url).hostname;
    } catch {
      return '';
    }
  }
  return value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^www\./i, '').replace(/\/+$/, '');
}

function fail(file: string, line: number, problem: string): never {
  throw new PermanentError(`${file}:${line}: ${problem}`);
}

function parsePublishedAt(value: string, timeZone: string, file: string, line: number): number {
  const naive = NAIVE.exec(value);
  if (naive !== null) {
    const [, y, mo, d, h, mi, s, fraction] = naive;
    const date = `${y}-${mo}-${d}`;
    if (!isIsoDate(date) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) {
      fail(file, line, `published_at is not a real date-time: "${value}"`);
    }
    const ms = fraction === undefined ? 0 : Math.floor(Number(`0${fraction}`) * 1000);
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
    return zonedWallTimeToUtcMs(wall, timeZone);
  }
  if (ZONED.test(value) && isIsoDate(value.slice(0, 10))) {
    const ms = Date.parse(value.replace(' ', 'T'));
    if (Number.isFinite(ms)) return ms;
  }
  if (DATE_ONLY.test(value)) fail(file, line, `published_at has no time of day: "${value}" (expected YYYY-MM-DD HH:MM:SS)`);
  return fail(file, line, `published_at is not a date-time: "${value}" (expected YYYY-MM-DD HH:MM:SS, or ISO 8601 with Z or an offset)`);
}

interface ParsedRow {
  headline: Headline;
  at: number;
  line: number;
}

/**
 * Parses a news CSV (`symbol,published_at,title,site,url,text`, in any column order, extra columns ignored) with
 * `csv-parse`, which handles quoted fields with commas, doubled quotes and newlines. Every row is validated; the
 * first problem throws a `PermanentError` naming `file:line`. Returns all rows, newest first (file order reversed
 * among equal times). The `symbol` column is not checked against the file name, so a file can be reused for a
 * listing with another symbol (the fixtures' SONY.csv for 6758.T).
 */
export function parseNewsCsv(content: string, file: string, options: CsvNewsOptions = {}): Headline[] {
  return parseRows(content, file, options.timeZone ?? DEFAULT_NEWS_TIME_ZONE).map((r) => r.headline);
}

/** RFC 4180 records with the line each ends on; a malformed file is a `PermanentError` naming it. */
export function parseCsvRecords(content: string, file: string): { record: string[]; info: { lines: number } }[] {
  try {
    return parse(content, { bom: true, info: true, skip_empty_lines: true, relax_column_count: false }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof CsvError) throw new PermanentError(`${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

function parseRows(content: string, file: string, timeZone: string): ParsedRow[] {
  if (content.trim() === '') throw new PermanentError(`${file}: file is empty (expected header ${NEWS_COLUMNS.join(',')})`);
  const records = parseCsvRecords(content, file);
  const header = records[0]!.record.map((c) => c.trim().toLowerCase());
  const index = Object.fromEntries(NEWS_COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof NEWS_COLUMNS)[number], number>;
  const missing = NEWS_COLUMNS.filter((c) => index[c] < 0);
  if (missing.length > 0) {
    fail(file, 1, `header "${records[0]!.record.join(',')}" lacks ${missing.join(', ')} (expected ${NEWS_COLUMNS.join(',')})`);
  }

  const rows: ParsedRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const line = info.lines;
    const field = (c: (typeof NEWS_COLUMNS)[number]) => record[index[c]]!.trim();
    const title = decodeEntities(field('title')).replace(/\s+/g, ' ');
    if (title === '') fail(file, line, 'title is empty');
    const url = field('url');
    if (url !== '' && !/^https?:\/\/\S+$/i.test(url)) fail(file, line, `url is not an http(s) URL: "${url}"`);
    const at = parsePublishedAt(field('published_at'), timeZone, file, line);
    const text = decodeEntities(field('text')).replace(/\s+/g, ' ');
    rows.push({
      headline: { title, published_at: new Date(at).toISOString(), site: normaliseSite(field('site'), url), url, text: text === '' ? null : text },
      at,
      line,
    });
  }
  return rows.sort((a, b) => b.at - a.at || b.line - a.line);
}

/**
 * Real headlines from a folder of news CSVs, one `${yahooSymbol}.csv` per ticker (offline, reproducible).
 * Returns EVERY row published on or before the end of `endDate` (Bangkok), newest first, not a `maxItems`-based cut:
 * the file is read whole anyway, and the report's window, dedupe and `overall_sentiment` should see all of it rather
 * than an arbitrary prefix. A file with a header and no row in range gives `[]` (no news is a fact there).
 */
export class CsvNewsSource implements NewsSource {
  readonly name = 'csv';
  private readonly timeZone: string;

  constructor(
    readonly dir: string,
    options: CsvNewsOptions = {},
  ) {
    this.timeZone = options.timeZone ?? DEFAULT_NEWS_TIME_ZONE;
    zoneFormatter(this.timeZone); // an unknown zone throws RangeError here, at configuration time
  }

  async fetchNews(ticker: Ticker, request: NewsRequest): Promise<Headline[]> {
    if (!isIsoDate(request.endDate)) throw new PermanentError(`csv news: bad end date "${request.endDate}" (want YYYY-MM-DD)`);
    const file = join(this.dir, `${ticker.yahooSymbol}.csv`);
    let content: string;
    try {
      content = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        const dirExists = await stat(this.dir).then((s) => s.isDirectory(), () => false);
        if (!dirExists) throw new PermanentError(`news folder not found: ${this.dir}`, { cause: error });
        throw new PermanentError(`no news file for ${ticker.yahooSymbol}: expected ${file}`, { cause: error });
      }
      if (code === 'EISDIR') throw new PermanentError(`${file} is a directory, expected a CSV file`, { cause: error });
      throw error; // EMFILE, EIO…: may pass on retry
    }
    const end = endOfBangkokDayMs(request.endDate);
    return parseRows(content, file, this.timeZone)
      .filter((r) => r.at < end)
      .map((r) => r.headline);
  }
}
