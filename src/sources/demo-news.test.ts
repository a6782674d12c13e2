import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import { addDays, businessDaysEnding } from '../report/business-date.js';
import { analyzeNews, normaliseTitle, scoreHeadlineSentiment } from '../report/news-analysis.js';
import {
  DEMO_GENERIC_WORDS,
  DEMO_NEWS_MAX,
  DEMO_NEWS_MIN,
  DEMO_NEWS_SITE,
  DEMO_SECTOR_WORDS,
  DEMO_NEWS_TEMPLATES,
  DEMO_NEWS_URL_PREFIX,
  DemoNewsSource,
  generateDemoHeadlines,
  shortCompanyName,
} from './demo-news.js';
import { endOfBangkokDayMs, type Headline } from './news-source.js';

const tickers = loadDefaultTickers();
const tickerOf = (symbol: string): Ticker => tickers.find((t) => t.symbol === symbol)!;
const END = '2026-11-28'; // a Saturday
/** 24 end dates, one every 15 days, so weekdays, weekends and month ends all come up. */
const DATES = Array.from({ length: 24 }, (_, i) => addDays('2025-01-01', i * 15));
const isSyndicated = (h: Headline) => h.url.endsWith('-syndicated');

describe('DemoNewsSource', () => {
  const source = new DemoNewsSource();

  it('is labelled demo: name, site and a reserved .invalid URL', async () => {
    expect(source.name).toBe('demo');
    const news = await source.fetchNews(tickerOf('NVDA19'), { endDate: END, maxItems: 5 });
    expect(news.length).toBeGreaterThanOrEqual(DEMO_NEWS_MIN);
    for (const h of news) {
      expect(h.site).toBe(DEMO_NEWS_SITE);
      expect(h.url.startsWith(DEMO_NEWS_URL_PREFIX)).toBe(true);
      expect(h.url).toMatch(/^https:\/\/demo\.daybreak\.invalid\/news\/[a-z0-9-]+$/);
    }
    expect(new Set(news.map((h) => h.url)).size).toBe(news.length);
  });

  it('is deterministic: same input, identical output', async () => {
    for (const symbol of ['NVDA19', 'DBS19', 'GOLD19', 'VNM19']) {
      const a = await source.fetchNews(tickerOf(symbol), { endDate: END, maxItems: 5 });
      const b = await new DemoNewsSource().fetchNews(tickerOf(symbol), { endDate: END, maxItems: 20 });
      expect(b).toEqual(a);
    }
    expect(generateDemoHeadlines(tickerOf('AAPL19'), '2026-03-02')).not.toEqual(generateDemoHeadlines(tickerOf('MSFT19'), '2026-03-02'));
  });

  it('keeps past headlines unchanged as the end date moves forward', () => {
    const ticker = tickerOf('TENCENT19');
    const before = generateDemoHeadlines(ticker, '2026-11-20');
    const after = generateDemoHeadlines(ticker, '2026-11-27');
    const oldestBefore = before.at(-1)!.published_at;
    const cut = new Date(endOfBangkokDayMs('2026-11-20')).toISOString();
    const overlap = after.filter((h) => h.published_at < cut && h.published_at >= oldestBefore);
    expect(overlap.length).toBeGreaterThan(0);
    for (const h of overlap) expect(before).toContainEqual(h);
  });

  it('gives 6–15 headlines, newest first, over the last business days, all before the end of endDate (Bangkok)', () => {
    for (const ticker of tickers) {
      for (const date of DATES) {
        const news = generateDemoHeadlines(ticker, date);
        expect(news.length).toBeGreaterThanOrEqual(DEMO_NEWS_MIN);
        expect(news.length).toBeLessThanOrEqual(DEMO_NEWS_MAX);
        const end = endOfBangkokDayMs(date);
        const tenBusinessDaysAgo = Date.parse(`${businessDaysEnding(date, 10)[0]}T00:00:00+07:00`);
        for (let i = 0; i < news.length; i++) {
          const at = Date.parse(news[i]!.published_at);
          expect(at).toBeLessThan(end);
          expect(at).toBeGreaterThan(end - 45 * 86_400_000);
          if (i > 0) expect(news[i - 1]!.published_at >= news[i]!.published_at).toBe(true);
        }
        // Usually the whole list is within the last 10 business days (it reaches further only after quiet days).
        if (ticker.symbol === 'NVDA19') expect(Date.parse(news.at(-1)!.published_at)).toBeGreaterThan(tenBusinessDaysAgo - 30 * 86_400_000);
      }
    }
  });

  it('writes plausible headlines: the company’s short name, sector words, a short sentence of text', () => {
    const nvda = generateDemoHeadlines(tickerOf('NVDA19'), END);
    expect(nvda.every((h) => h.title.includes('NVIDIA'))).toBe(true);
    const words = DATES.flatMap((d) => generateDemoHeadlines(tickerOf('NVDA19'), d)).map((h) => h.title).join(' ');
    expect(words).toMatch(/AI chip demand|data-center|next-generation chips|AI accelerators|memory pricing|gaming|automotive/);
    const bank = DATES.flatMap((d) => generateDemoHeadlines(tickerOf('DBS19'), d)).map((h) => h.title).join(' ');
    expect(bank).toMatch(/net interest income|loan growth|wealth management|digital banking|fee income/);
    expect(bank).not.toMatch(/chip/);
    for (const ticker of tickers) {
      const short = shortCompanyName(ticker.name);
      for (const h of generateDemoHeadlines(ticker, END)) {
        expect(h.title.toUpperCase()).toContain(short.toUpperCase());
        expect(h.title).not.toMatch(/[{}]|undefined/);
        expect(h.text).toMatch(/^[A-Z].{10,90}\.$/);
      }
    }
    // ETFs get fund news, not earnings calls and CEOs.
    for (const symbol of ['GOLD19', 'QQQM19', 'TAIWAN19', 'BONDAS19']) {
      const titles = DATES.flatMap((d) => generateDemoHeadlines(tickerOf(symbol), d)).map((h) => h.title).join(' ');
      expect(titles).not.toMatch(/earnings|chief|dividend|CEO|lawsuit/i);
    }
  });

  it('shortens company names sensibly', () => {
    expect(shortCompanyName('NVIDIA Corporation')).toBe('NVIDIA');
    expect(shortCompanyName('Apple Inc.')).toBe('Apple');
    expect(shortCompanyName('DBS Group Holdings Ltd')).toBe('DBS');
    expect(shortCompanyName('Nintendo Co., Ltd.')).toBe('Nintendo');
    expect(shortCompanyName('The Walt Disney Company')).toBe('Walt Disney');
    expect(shortCompanyName('Vietnam Dairy Products JSC (Vinamilk)')).toBe('Vinamilk');
    expect(shortCompanyName('SPDR Gold Shares (SGD counter)')).toBe('SPDR Gold Shares');
    expect(shortCompanyName('Thai Beverage Public Company Limited')).toBe('Thai Beverage');
    expect(shortCompanyName('Mitsubishi UFJ Financial Group, Inc.')).toBe('Mitsubishi UFJ Financial Group');
    expect(shortCompanyName('Meituan')).toBe('Meituan');
  });

  it('mixes positive, negative and neutral news, each template scoring as the tone it was written for', () => {
    // Every template with every sector's wording, and the ETF assets.
    const wordings = [...DEMO_SECTOR_WORDS.map(([, w]) => w), DEMO_GENERIC_WORDS];
    const assets = ['gold', 'Asian credit', 'Indian stocks', 'Taiwan tech shares', 'US tech shares', 'US large caps', 'its index'];
    let checked = 0;
    for (const template of DEMO_NEWS_TEMPLATES) {
      for (const words of wordings) {
        for (let i = 0; i < 3; i++) {
          const fills: Record<string, string> = {
            co: 'Acme',
            driver: words.driver[i]!,
            product: words.product[(i + 1) % 3]!,
            segment: words.segment[(i + 2) % 3]!,
            asset: assets[i + (template.kind === 'etf' ? wordings.indexOf(words) % 5 : 0)]!,
            pct: '4',
            month: 'May',
          };
          const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => fills[k]!);
          expect(scoreHeadlineSentiment(fill(template.title), fill(template.text)).label, fill(template.title)).toBe(template.tone);
          checked++;
        }
      }
    }
    expect(checked).toBe(DEMO_NEWS_TEMPLATES.length * wordings.length * 3);
    const counts = { positive: 0, negative: 0, neutral: 0 };
    let total = 0;
    for (const ticker of tickers) {
      for (const h of generateDemoHeadlines(ticker, END)) {
        counts[scoreHeadlineSentiment(h.title, h.text).label]++;
        total++;
      }
    }
    for (const label of ['positive', 'negative', 'neutral'] as const) expect(counts[label] / total, label).toBeGreaterThan(0.2);
  });

  it('includes the occasional syndicated copy, which dedupe removes', () => {
    let lists = 0;
    let withCopies = 0;
    let removed = 0;
    for (const ticker of tickers) {
      for (const date of DATES.slice(0, 10)) {
        const news = generateDemoHeadlines(ticker, date);
        lists++;
        const copies = news.filter(isSyndicated);
        if (copies.length > 0) withCopies++;
        for (const copy of copies) {
          const original = news.find((h) => h.url === copy.url.replace(/-syndicated$/, ''));
          if (original === undefined) continue; // the original fell off the end of the list
          expect(normaliseTitle(copy.title)).toBe(normaliseTitle(original.title));
          expect(copy.published_at > original.published_at).toBe(true);
        }
        // Stocks do not repeat a story within the list except as a syndicated copy.
        if (ticker.type === 'stock') {
          const originals = news.filter((h) => !isSyndicated(h)).map((h) => normaliseTitle(h.title));
          expect(new Set(originals).size).toBe(originals.length);
        }
        const end = new Date(endOfBangkokDayMs(date)).toISOString();
        removed += analyzeNews(news, { windowEnd: end, windowDays: 30, maxItems: 5 }).deduplicated;
      }
    }
    expect(withCopies / lists).toBeGreaterThan(0.3);
    expect(withCopies / lists).toBeLessThan(0.95);
    expect(removed).toBeGreaterThan(0);
  });

  it('rejects a bad end date', async () => {
    await expect(source.fetchNews(tickerOf('NVDA19'), { endDate: '2026-02-30', maxItems: 5 })).rejects.toThrow(PermanentError);
  });
});
