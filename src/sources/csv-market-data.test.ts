import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { parseDailyBarsCsv } from '../report/parse-daily-bars-csv.js';
import { CsvMarketData } from './csv-market-data.js';

const FIXTURES = new URL('../../../shared/fixtures/market/', import.meta.url).pathname;
const HEADER = 'date,open,high,low,close,adj_close,volume';

function ticker(yahooSymbol: string): Ticker {
  return { symbol: 'TEST19', yahooSymbol, name: 'Test', exchange: 'SGX', currency: 'SGD', sector: null, type: 'stock', active: true };
}

describe('CsvMarketData on the real fixtures', () => {
  const source = new CsvMarketData(FIXTURES);

  it('reads D05.SI.csv whole, ascending, with "748000.0" volumes', async () => {
    const bars = await source.fetchDailyBars(ticker('D05.SI'), { endDate: '2099-12-31', minBars: 600 });
    expect(source.name).toBe('csv');
    expect(bars).toHaveLength(5697);
    expect(bars[0]).toEqual({ date: '2000-01-03', open: 27.399999618530273, high: 27.5, low: 27, close: 27.299999237060547, volume: 748000 });
    expect(bars.every((b, i) => i === 0 || b.date > bars[i - 1]!.date)).toBe(true);
  });

  it('reads NVDA.csv and stops at the end date without truncating the start', async () => {
    const all = await source.fetchDailyBars(ticker('NVDA'), { endDate: '2099-12-31', minBars: 600 });
    expect(all).toHaveLength(6084);
    const until2010 = await source.fetchDailyBars(ticker('NVDA'), { endDate: '2010-01-01', minBars: 600 });
    expect(until2010[0]!.date).toBe('2000-01-03');
    expect(until2010.at(-1)!.date).toBe('2009-12-31');
    expect(until2010).toEqual(all.slice(0, until2010.length));
  });

  it('fails permanently when no bar is on or before the end date', async () => {
    await expect(source.fetchDailyBars(ticker('NVDA'), { endDate: '1999-12-31', minBars: 1 })).rejects.toThrow(
      /NVDA\.csv: no bars on or before 1999-12-31/,
    );
  });

  it('names the expected file when there is none', async () => {
    const error = await source.fetchDailyBars(ticker('ZZZ.SI'), { endDate: '2026-11-27', minBars: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(`no CSV file for ZZZ.SI: expected ${join(FIXTURES, 'ZZZ.SI.csv')}`);
  });
});

describe('CSV validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = new CsvMarketData(dir);
  let n = 0;

  /** Writes `content` as a fresh file and returns what fetching it gives. */
  async function load(content: string): Promise<{ bars?: Awaited<ReturnType<CsvMarketData['fetchDailyBars']>>; error?: Error; file: string }> {
    const symbol = `T${++n}.SI`;
    const file = join(dir, `${symbol}.csv`);
    writeFileSync(file, content);
    try {
      return { bars: await source.fetchDailyBars(ticker(symbol), { endDate: '2026-11-27', minBars: 1 }), file };
    } catch (error) {
      return { error: error as Error, file };
    }
  }

  const rows = (...lines: string[]) => [HEADER, ...lines].join('\n') + '\n';
  const good = '2020-01-02,10,11,9,10.5,,1000';

  it.each([
    ['an empty file', '', /: file is empty/],
    ['a blank file', '\n\n', /: file is empty/],
    ['a header only', `${HEADER}\n`, /: has a header but no rows/],
    ['a wrong header', 'date,open,high,low,close,volume\n2020-01-02,10,11,9,10.5,1000\n', /:1: wrong header "date,open,high,low,close,volume"/],
    ['a non-numeric close', rows(good, '2020-01-03,10,11,9,abc,,1000'), /:3: close is not a number: "abc"/],
    ['an empty open', rows('2020-01-02,,11,9,10.5,,1000'), /:2: open is not a number: ""/],
    ['a Yahoo "null" row', rows('2020-01-02,null,null,null,null,null,null'), /:2: open is not a number: "null"/],
    ['a hex number', rows('2020-01-02,0x10,11,9,10.5,,1000'), /:2: open is not a number: "0x10"/],
    ['a non-numeric adj_close', rows('2020-01-02,10,11,9,10.5,n/a,1000'), /:2: adj_close is not a number/],
    ['a zero price', rows('2020-01-02,10,11,0,10.5,,1000'), /:2: low must be positive, got 0/],
    ['a negative price', rows(good, good.replace('2020-01-02', '2020-01-03').replace(',10,', ',-10,')), /:3: open must be positive, got -10/],
    ['a negative volume', rows('2020-01-02,10,11,9,10.5,,-5'), /:2: volume must not be negative, got -5/],
    ['high below low', rows('2020-01-02,10,9,11,10.5,,1000'), /:2: high 9 is below low 11/],
    ['open above high', rows('2020-01-02,12,11,9,10.5,,1000'), /:2: open 12 is outside \[low 9, high 11\]/],
    ['close below low', rows('2020-01-02,10,11,9,8.5,,1000'), /:2: close 8.5 is outside \[low 9, high 11\]/],
    ['a bad date', rows('2020-13-01,10,11,9,10.5,,1000'), /:2: bad date "2020-13-01"/],
    ['a slashed date', rows('2020/01/02,10,11,9,10.5,,1000'), /:2: bad date "2020\/01\/02"/],
    ['a repeated row', rows(good, good), /:3: duplicate date 2020-01-02 \(also on line 2\)/],
    ['a duplicate date out of order', rows(good, '2020-01-03,10,11,9,10.5,,1000', good), /:4: duplicate date 2020-01-02 \(also on line 2\)/],
    ['a short row', rows('2020-01-02,10,11,9,10.5,1000'), /:2: expected 7 fields, found 6/],
  ])('rejects %s, naming the file, line and problem', async (_case, content, problem) => {
    const { error, file } = await load(content);
    expect(error).toBeInstanceOf(PermanentError);
    expect(error!.message.startsWith(file)).toBe(true);
    expect(error!.message).toMatch(problem);
  });

  it('tolerates CRLF, a missing final newline, an empty adj_close, "123.0" volumes and zero volume', async () => {
    const { bars, error } = await load(`${HEADER}\r\n2020-01-02,10,11,9,10.5,,123.0\r\n2020-01-03,10.5,10.5,10,10,9.1,0`);
    expect(error).toBeUndefined();
    expect(bars).toEqual([
      { date: '2020-01-02', open: 10, high: 11, low: 9, close: 10.5, volume: 123 },
      { date: '2020-01-03', open: 10.5, high: 10.5, low: 10, close: 10, volume: 0 },
    ]);
  });

  it("accepts Yahoo's own download header and a byte-order mark", async () => {
    const { bars } = await load(`\uFEFFDate,Open,High,Low,Close,Adj Close,Volume\n${good}\n\n`);
    expect(bars).toHaveLength(1);
  });

  it('sorts rows that are out of order', async () => {
    const { bars } = await load(rows('2020-01-06,10,11,9,10,,1', '2020-01-02,10,11,9,10,,2', '2020-01-03,10,11,9,10,,3'));
    expect(bars!.map((b) => b.date)).toEqual(['2020-01-02', '2020-01-03', '2020-01-06']);
    expect(bars!.map((b) => b.volume)).toEqual([2, 3, 1]);
  });

  it('clamps float noise from split adjustment instead of rejecting it', () => {
    const [bar] = parseDailyBarsCsv(rows('2020-01-02,11.000000000001,11,9,10.5,,1'), 'x.csv');
    expect(bar!.high).toBe(11.000000000001);
    expect(bar!.open).toBe(11.000000000001);
  });

  it('reports a directory in place of the file as permanent', async () => {
    mkdirSync(join(dir, 'DIR.SI.csv'));
    await expect(source.fetchDailyBars(ticker('DIR.SI'), { endDate: '2026-11-27', minBars: 1 })).rejects.toThrow(/is a directory/);
  });
});
