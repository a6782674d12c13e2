import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryLaterError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { endOfBangkokDayMs, type Headline } from './news-source.js';
import { createYahooClient, YahooUnavailableError } from './yahoo-client.js';
import { startFakeYahoo, type FakeYahoo } from './yahoo-fake-server.js';
import { YahooNewsSource } from './yahoo-news.js';

const LAST_DATE = '2026-03-06';

function ticker(yahooSymbol: string): Ticker {
  return { symbol: 'TEST19', yahooSymbol, name: 'Test', exchange: 'NASDAQ', currency: 'USD', sector: null, type: 'stock', active: true };
}

let fake: FakeYahoo;
beforeEach(async () => {
  fake = await startFakeYahoo({ lastDate: LAST_DATE });
});
afterEach(async () => {
  await fake.close();
});

function news(attempts = 3): YahooNewsSource {
  return new YahooNewsSource(createYahooClient({ fetch: fake.fetch, timeoutMs: 2_000, retry: { attempts, backoffMs: 20 }, warn: () => {} }));
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ('value' in outcome) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
  return outcome.error as Error;
}

describe('YahooNewsSource on the real client against the fake', () => {
  it('maps search news to headlines: publisher → site, providerPublishTime → ISO, newest first, ≤ end of the Bangkok day', async () => {
    const headlines = await news().fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 8 });

    const search = fake.requestsFor('NVDA', 'search')[0]!;
    expect(search.query.get('q')).toBe('NVDA');
    expect(search.query.get('newsCount')).toBe('16'); // 2 × maxItems: filters drop some

    const cutoff = endOfBangkokDayMs(LAST_DATE); // 2026-03-06T17:00:00Z
    const expected: Headline[] = fake
      .news('NVDA')
      .filter((n) => n.relatedTickers.includes('NVDA') && n.providerPublishTime * 1000 <= cutoff)
      .sort((a, b) => b.providerPublishTime - a.providerPublishTime)
      .map((n) => ({ title: n.title, published_at: new Date(n.providerPublishTime * 1000).toISOString(), site: n.publisher, url: n.link, text: null }));
    expect(headlines).toEqual(expected);
    expect(headlines.length).toBeGreaterThanOrEqual(6);
    expect(headlines[0]!.published_at).toBe('2026-03-06T11:00:00.000Z'); // 18:00 in Bangkok; the 00:00+ items are out
    expect(headlines.some((h) => h.title.includes('number 5'))).toBe(false); // about another ticker
    expect(headlines.every((h, i) => i === 0 || h.published_at <= headlines[i - 1]!.published_at)).toBe(true);
  });

  it('an earlier end date cuts later items', async () => {
    const headlines = await news().fetchNews(ticker('NVDA'), { endDate: '2026-03-05', maxItems: 20 });
    expect(headlines.length).toBeGreaterThan(0);
    expect(headlines.every((h) => Date.parse(h.published_at) <= endOfBangkokDayMs('2026-03-05'))).toBe(true);
  });

  it('asks for 10 to 50 items', async () => {
    await news().fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 1 });
    await news().fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 100 });
    expect(fake.requestsFor('NVDA', 'search').map((r) => r.query.get('newsCount'))).toEqual(['10', '50']);
  });

  it('returns [] when Yahoo answers with no news (search finds nothing for the symbol)', async () => {
    fake.symbol('NOPE', { fault: { kind: 'unknown' } });
    expect(await news().fetchNews(ticker('NOPE'), { endDate: LAST_DATE, maxItems: 5 })).toEqual([]);
    expect(fake.requestsFor('NOPE', 'search')[0]!.status).toBe(200);
  });

  it('429 then success', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', times: 1, retryAfter: '1' } });
    const headlines = await news().fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 5 });
    expect(headlines.length).toBeGreaterThan(0);
    const [first, second] = fake.requestsFor('NVDA', 'search');
    expect(second!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(950);
  });

  it('429 throughout: RetryLaterError', async () => {
    fake.symbol('NVDA', { fault: { kind: '429', retryAfter: '1' } });
    expect(await failure(news(2).fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 5 }))).toBeInstanceOf(RetryLaterError);
  });

  it('5xx then success; 5xx throughout is transient', async () => {
    fake.symbol('NVDA', { fault: { kind: '500', times: 1 } });
    expect((await news().fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 5 })).length).toBeGreaterThan(0);
    fake.symbol('AAPL', { fault: { kind: '500' } });
    const error = await failure(news(2).fetchNews(ticker('AAPL'), { endDate: LAST_DATE, maxItems: 5 }));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error.message).toMatch(/AAPL/);
  });

  it('malformed JSON is an error, never []', async () => {
    fake.symbol('NVDA', { fault: { kind: 'malformed' } });
    const error = await failure(news(2).fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 5 }));
    expect(error).toBeInstanceOf(YahooUnavailableError);
    expect(error.message).toMatch(/malformed/);
  });

  it('a schema-breaking answer is a PermanentError, never []', async () => {
    fake.symbol('NVDA', { fault: { kind: 'schema' } });
    const error = await failure(news().fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 5 }));
    expect(error).toBeInstanceOf(PermanentError);
    expect(fake.requestsFor('NVDA', 'search')).toHaveLength(1);
  });

  it('a timeout then success', async () => {
    fake.symbol('NVDA', { fault: { kind: 'hang', times: 1 } });
    const source = new YahooNewsSource(createYahooClient({ fetch: fake.fetch, timeoutMs: 250, retry: { attempts: 2, backoffMs: 10 }, warn: () => {} }));
    expect((await source.fetchNews(ticker('NVDA'), { endDate: LAST_DATE, maxItems: 5 })).length).toBeGreaterThan(0);
  });

  it('rejects a bad end date permanently', async () => {
    expect(await failure(news().fetchNews(ticker('NVDA'), { endDate: '2026-3-6', maxItems: 5 }))).toBeInstanceOf(PermanentError);
    expect(fake.requests).toHaveLength(0);
  });
});
