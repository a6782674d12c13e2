import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { analyzeNews } from '../report/news-analysis.js';
import { CsvNewsSource, decodeEntities, normaliseSite, parseNewsCsv, zonedWallTimeToUtcMs } from './csv-news.js';
import type { Headline } from './news-source.js';

const FIXTURES = new URL('../../../shared/fixtures/news/', import.meta.url).pathname;
const HEADER = 'symbol,published_at,title,site,url,text';
const ALL = { endDate: '2099-12-31', maxItems: 5 };

function ticker(yahooSymbol: string): Ticker {
  return { symbol: 'TEST19', yahooSymbol, name: 'Test', exchange: 'NASDAQ', currency: 'USD', sector: null, type: 'stock', active: true };
}

describe('CsvNewsSource on the real fixtures', () => {
  const source = new CsvNewsSource(FIXTURES);

  it('reads every file whole: row counts as in SOURCES.md', async () => {
    const expected: Record<string, number> = { AAPL: 996, MSFT: 999, NVDA: 997, COST: 984, DELL: 657, NOW: 537, ORCL: 966, TSLA: 996, SONY: 280 };
    expect(source.name).toBe('csv');
    for (const [symbol, rows] of Object.entries(expected)) {
      expect((await source.fetchNews(ticker(symbol), ALL)).length, symbol).toBe(rows);
    }
  });

  it('parses quoted fields with commas and doubled quotes, and normalises time, site and entities', async () => {
    const news = await source.fetchNews(ticker('NVDA'), ALL);
    const huawei = news.find((h) => h.url === 'https://www.fool.com/investing/2025/05/02/did-huawei-just-say-checkmate-to-nvidia/')!;
    expect(huawei.title).toBe('Did Huawei Just Say "Checkmate" to Nvidia?');
    expect(huawei.published_at).toBe('2025-05-02T11:30:00.000Z'); // 07:30 US Eastern, daylight time
    expect(huawei.site).toBe('fool.com');
    const huang = news.find((h) => h.title === 'Nvidia CEO Jensen Huang Made Only $1.5 Million Last Year')!;
    expect(huang.site).toBe('247wallst.com'); // written "https://247wallst.com" in the file
    expect(huang.text).toContain('world’s most successful company'); // "&#8217;" in the file
    expect(news.some((h) => /&#\d+;/.test(`${h.title} ${h.text}`))).toBe(false);
    for (const h of news) {
      expect(h.published_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      expect(h.title.trim()).toBe(h.title);
      expect(h.url).toMatch(/^https?:\/\//);
      expect(h.text === null || h.text.length > 0).toBe(true);
    }
    // Winter rows are Eastern Standard Time (UTC−5).
    const cost = await source.fetchNews(ticker('COST'), ALL);
    expect(cost.find((h) => h.title === 'Is Costco Stock Still a Buy After a 38% Gain in the Past Year?')!.published_at).toBe('2025-01-10T13:46:00.000Z');
  });

  it('returns newest first, everything published before the end of endDate in Bangkok', async () => {
    const all = await source.fetchNews(ticker('NVDA'), ALL);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.published_at >= all[i]!.published_at).toBe(true);
    expect(all[0]!.published_at).toBe('2025-06-10T00:20:29.000Z'); // 2025-06-09 20:20:29 Eastern

    // 2025-05-20 ends at 17:00Z (midnight in Bangkok) = 13:00 Eastern: the 12:18 row is in, the 13:00 row is not.
    const may20 = await source.fetchNews(ticker('NVDA'), { endDate: '2025-05-20', maxItems: 5 });
    expect(may20[0]!.title).toBe('NVIDIA (NASDAQ: NVDA) Price Prediction and Forecast 2025-2030 for May 20');
    expect(may20[0]!.published_at).toBe('2025-05-20T16:18:23.000Z');
    expect(may20.every((h) => h.published_at < '2025-05-20T17:00:00.000Z')).toBe(true);
    expect(may20).toEqual(all.filter((h) => h.published_at < '2025-05-20T17:00:00.000Z'));

    // Before the first row: no news is a fact, not an error.
    expect(await source.fetchNews(ticker('NVDA'), { endDate: '2025-01-01', maxItems: 5 })).toEqual([]);
  });

  it('feeds analyzeNews: a week of AAPL news with dedupe and sentiment percentages', async () => {
    const news = await source.fetchNews(ticker('AAPL'), { endDate: '2025-05-02', maxItems: 5 });
    const result = analyzeNews(news, { windowEnd: '2025-05-02T17:00:00.000Z', windowDays: 7, maxItems: 5 });
    expect(result.items).toHaveLength(5);
    expect(result.overall_sentiment!.count).toBeGreaterThan(50);
    const { positive_pct, neutral_pct, negative_pct } = result.overall_sentiment!;
    expect(positive_pct + neutral_pct + negative_pct).toBeCloseTo(100, 9);
    expect(result.deduplicated).toBeGreaterThanOrEqual(0);
  });

  it('fails permanently, naming the expected file, when the ticker has none', async () => {
    const error = await source.fetchNews(ticker('ZZZ.SI'), ALL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe(`no news file for ZZZ.SI: expected ${join(FIXTURES, 'ZZZ.SI.csv')}`);
    const noDir = await new CsvNewsSource('/nonexistent/news').fetchNews(ticker('NVDA'), ALL).catch((e: unknown) => e);
    expect(noDir).toBeInstanceOf(PermanentError);
    expect((noDir as Error).message).toBe('news folder not found: /nonexistent/news');
    await expect(source.fetchNews(ticker('NVDA'), { endDate: '2025-13-01', maxItems: 5 })).rejects.toThrow(PermanentError);
  });
});

describe('news CSV validation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-news-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const source = new CsvNewsSource(dir);
  let n = 0;

  async function load(content: string): Promise<{ news?: Headline[]; error?: Error; file: string }> {
    const symbol = `T${++n}`;
    const file = join(dir, `${symbol}.csv`);
    writeFileSync(file, content);
    try {
      return { news: await source.fetchNews(ticker(symbol), ALL), file };
    } catch (error) {
      return { error: error as Error, file };
    }
  }

  it('parses a field with embedded newlines and reports the right line after it', async () => {
    const good = await load(
      `${HEADER}\nT,2025-06-02 10:00:00,"Title, with comma",reuters.com,https://x.example/1,"Line one\nline two, ""quoted"""\n`,
    );
    expect(good.news).toEqual([
      { title: 'Title, with comma', published_at: '2025-06-02T14:00:00.000Z', site: 'reuters.com', url: 'https://x.example/1', text: 'Line one line two, "quoted"' },
    ]);
    const bad = await load(`${HEADER}\nT,2025-06-02 10:00:00,A,s.com,https://x.example/1,"one\ntwo"\nT,2025-06-31 10:00:00,B,s.com,https://x.example/2,t\n`);
    expect(bad.error).toBeInstanceOf(PermanentError);
    expect(bad.error!.message).toBe(`${bad.file}:4: published_at is not a real date-time: "2025-06-31 10:00:00"`);
  });

  it('rejects malformed files with the file name and the line', async () => {
    const cases: [string, RegExp][] = [
      ['', /file is empty/],
      ['date,title\n2025-01-01,x\n', /:1: header "date,title" lacks symbol, published_at, site, url, text/],
      [`${HEADER}\nT,2025-06-02 10:00:00,"unclosed,s.com,https://x.example/,t\n`, /Quote Not Closed/i],
      [`${HEADER}\nT,2025-06-02 10:00:00,A,s.com,https://x.example/\n`, /line 2/],
      [`${HEADER}\nT,2025-06-02 10:00:00,A,s.com,https://x.example/,t\nT,yesterday,B,s.com,https://x.example/,t\n`, /:3: published_at is not a date-time: "yesterday"/],
      [`${HEADER}\nT,2025-06-02,A,s.com,https://x.example/,t\n`, /:2: published_at has no time of day/],
      [`${HEADER}\nT,2025-06-02 24:00:00,A,s.com,https://x.example/,t\n`, /:2: published_at is not a real date-time/],
      [`${HEADER}\nT,2025-06-02 10:00:00,  ,s.com,https://x.example/,t\n`, /:2: title is empty/],
      [`${HEADER}\nT,2025-06-02 10:00:00,A,s.com,ftp://x.example/,t\n`, /:2: url is not an http\(s\) URL/],
    ];
    for (const [content, pattern] of cases) {
      const { error, file } = await load(content);
      expect(error, content).toBeInstanceOf(PermanentError);
      expect(error!.message, content).toContain(file);
      expect(error!.message, content).toMatch(pattern);
    }
  });

  it('accepts a header-only file (no news), any column order, a BOM and zoned timestamps', async () => {
    expect((await load(`${HEADER}\n`)).news).toEqual([]);
    const { news } = await load(
      `\uFEFFtitle,url,site,text,published_at,symbol,extra\n` +
        `Zoned,https://x.example/a,https://www.example.com/,,2025-06-02T10:00:00+02:00,T,x\n` +
        `Utc,https://x.example/b,,Text,2025-06-02 09:00:00Z,T,x\n`,
    );
    expect(news).toEqual([
      { title: 'Utc', published_at: '2025-06-02T09:00:00.000Z', site: 'x.example', url: 'https://x.example/b', text: 'Text' },
      { title: 'Zoned', published_at: '2025-06-02T08:00:00.000Z', site: 'example.com', url: 'https://x.example/a', text: null },
    ]);
  });

  it('uses the configured zone for naive times', () => {
    const content = `${HEADER}\nT,2025-06-02 10:00:00,A,s.com,https://x.example/,t\n`;
    expect(parseNewsCsv(content, 'f.csv', { timeZone: 'UTC' })[0]!.published_at).toBe('2025-06-02T10:00:00.000Z');
    expect(parseNewsCsv(content, 'f.csv', { timeZone: 'Asia/Bangkok' })[0]!.published_at).toBe('2025-06-02T03:00:00.000Z');
    expect(parseNewsCsv(content, 'f.csv')[0]!.published_at).toBe('2025-06-02T14:00:00.000Z');
    expect(() => new CsvNewsSource(dir, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('fails permanently for a directory where the file should be', async () => {
    mkdirSync(join(dir, 'DIR.csv'));
    await expect(source.fetchNews(ticker('DIR'), ALL)).rejects.toThrow(/is a directory/);
  });
});

describe('helpers', () => {
  it('converts US Eastern wall time across DST changes', () => {
    const wall = (s: string) => Date.parse(`${s}Z`);
    const utc = (s: string) => new Date(zonedWallTimeToUtcMs(wall(s), 'America/New_York')).toISOString();
    expect(utc('2025-03-09T01:30:00')).toBe('2025-03-09T06:30:00.000Z'); // EST
    expect(utc('2025-03-09T02:30:00')).toBe('2025-03-09T07:30:00.000Z'); // skipped hour: read as EST
    expect(utc('2025-03-09T03:30:00')).toBe('2025-03-09T07:30:00.000Z'); // EDT
    expect(utc('2025-11-02T01:30:00')).toBe('2025-11-02T05:30:00.000Z'); // repeated hour: first (EDT)
    expect(utc('2025-11-02T02:30:00')).toBe('2025-11-02T07:30:00.000Z'); // EST
  });

  it('normalises sites and decodes entities', () => {
    expect(normaliseSite('https://www.247wallst.com/', '')).toBe('247wallst.com');
    expect(normaliseSite('', 'https://www.reuters.com/x')).toBe('reuters.com');
    expect(normaliseSite('Daybreak demo', '')).toBe('Daybreak demo');
    expect(decodeEntities('it&#8217;s &amp; &quot;x&quot; &#x2014; &bogus;')).toBe('it’s & "x" — &bogus;');
  });
});
