import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { isIsoDate } from '../report/business-date.js';
import { endOfBangkokDayMs, type Headline, type NewsRequest, type NewsSource } from './news-source.js';
import type { SearchResult, YahooClient } from './yahoo-client.js';

/** Yahoo's search answers stop being useful past this many news items. */
export const YAHOO_MAX_NEWS = 50;

/**
 * Headlines from a search() answer: newest first, none published after the end of `endDate` (Asia/Bangkok).
 *
 * - `publisher` becomes `site` (Yahoo gives a publisher name such as "Motley Fool", not a host); `link` the url;
 *   `providerPublishTime` the ISO instant. Search news carries no lede, so `text` is null.
 * - Search matches on text, so an item whose `relatedTickers` list exists and leaves the symbol out is about someone
 *   else and is dropped; items without the list are kept.
 * - Items without a title or link are dropped; an unreadable publish time makes the answer malformed.
 */
export function headlinesFromSearch(symbol: string, result: SearchResult, endDate: string): Headline[] {
  const cutoff = endOfBangkokDayMs(endDate);
  const wanted = symbol.toUpperCase();
  const headlines: Headline[] = [];
  for (const item of result.news) {
    if (Array.isArray(item.relatedTickers) && !item.relatedTickers.some((t) => t.toUpperCase() === wanted)) continue;
    const title = item.title?.trim();
    const url = item.link?.trim();
    if (!title || !url) continue;
    const time = item.providerPublishTime instanceof Date ? item.providerPublishTime.getTime() : Number.NaN;
    if (!Number.isFinite(time)) throw new PermanentError(`Yahoo news for ${symbol}: "${title}" has no valid publish time`);
    if (time > cutoff) continue;
    headlines.push({ title, published_at: new Date(time).toISOString(), site: item.publisher?.trim() || 'Yahoo Finance', url, text: null });
  }
  return headlines.sort((a, b) => (a.published_at > b.published_at ? -1 : a.published_at < b.published_at ? 1 : a.title.localeCompare(b.title)));
}

/**
 * News from Yahoo Finance search, through the shared client. Asks for `2 × maxItems` items (10 to 50), since the
 * end-date and relevance filters drop some, and returns every item that passes (so possibly more than `maxItems`;
 * the report windows, dedupes and ranks them). `[]` means Yahoo answered and had no news about the symbol.
 */
export class YahooNewsSource implements NewsSource {
  readonly name = 'yahoo';
  readonly retriesInternally = true;

  constructor(private readonly client: YahooClient) {}

  async fetchNews(ticker: Ticker, request: NewsRequest): Promise<Headline[]> {
    if (!isIsoDate(request.endDate)) throw new PermanentError(`yahoo news: bad end date "${request.endDate}" (want YYYY-MM-DD)`);
    const newsCount = Math.min(YAHOO_MAX_NEWS, Math.max(10, Math.ceil(request.maxItems * 2) || 10));
    const result = await this.client.search(ticker.yahooSymbol, { newsCount, quotesCount: 1 });
    return headlinesFromSearch(ticker.yahooSymbol, result, request.endDate);
  }
}
