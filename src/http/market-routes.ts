import type { FastifyInstance } from 'fastify';
import type { Ticker } from '../registry/ticker.js';
import { tickerJson } from '../registry/ticker-json.js';
import type { RouteContext } from './http-deps.js';
import type { CachedReport, ReportCache } from './report-cache.js';
import { errorResponses, reportSummarySchema } from './schemas.js';

export const RANKING_CATEGORIES = ['top_gainers', 'top_losers', 'volume_surge', 'trending'] as const;
export type RankingCategory = (typeof RANKING_CATEGORIES)[number];

/** A ticker counts as surging when its volume is at least this multiple of its 20-day average. */
export const VOLUME_SURGE_RATIO = 1.5;

const RANKING_RULES: Record<RankingCategory, string> = {
  top_gainers: 'price_change_pct > 0, highest first',
  top_losers: 'price_change_pct < 0, lowest first',
  volume_surge: `volume_ratio (volume / 20-day average volume) ≥ ${VOLUME_SURGE_RATIO}, highest first`,
  trending: 'score = |price_change_pct| + volume_ratio (missing values count 0), highest first',
};

function rankingItem(cache: ReportCache, entry: CachedReport) {
  const s = entry.summary;
  return {
    ticker: s.ticker,
    company_name: s.company_name,
    price: s.price,
    price_change_pct: s.price_change_pct,
    currency: s.currency,
    stance: s.stance,
    volume_ratio: s.volume_ratio,
    as_of: s.as_of,
    business_date: s.business_date,
    stale: cache.isStale(entry),
    data_source: s.data_source,
  };
}

/** Orders the latest stored reports for one category; never calls a market-data source. */
export function rank(cache: ReportCache, category: RankingCategory, limit: number) {
  const entries = cache.all();
  const change = (e: CachedReport) => e.summary.price_change_pct;
  const volume = (e: CachedReport) => e.summary.volume_ratio;
  let chosen: { entry: CachedReport; score: number }[];
  switch (category) {
    case 'top_gainers':
      chosen = entries.filter((e) => (change(e) ?? 0) > 0).map((entry) => ({ entry, score: change(entry)! }));
      chosen.sort((a, b) => b.score - a.score || a.entry.ticker.localeCompare(b.entry.ticker));
      break;
    case 'top_losers':
      chosen = entries.filter((e) => (change(e) ?? 0) < 0).map((entry) => ({ entry, score: change(entry)! }));
      chosen.sort((a, b) => a.score - b.score || a.entry.ticker.localeCompare(b.entry.ticker));
      break;
    case 'volume_surge':
      chosen = entries.filter((e) => (volume(e) ?? 0) >= VOLUME_SURGE_RATIO).map((entry) => ({ entry, score: volume(entry)! }));
      chosen.sort((a, b) => b.score - a.score || a.entry.ticker.localeCompare(b.entry.ticker));
      break;
    case 'trending':
      chosen = entries.map((entry) => ({ entry, score: Math.abs(change(entry) ?? 0) + (volume(entry) ?? 0) }));
      chosen.sort((a, b) => b.score - a.score || a.entry.ticker.localeCompare(b.entry.ticker));
      break;
  }
  return chosen.slice(0, limit).map(({ entry, score }) => ({
    ...rankingItem(cache, entry),
    ...(category === 'trending' && { score: Math.round(score * 1000) / 1000 }),
  }));
}

/** Search tiers: 0 exact form, 1 symbol prefix, 2 name starts with it (or a word of it does), 3 contains. */
export function searchTickers(tickers: readonly Ticker[], query: string, limit: number): { ticker: Ticker; tier: number }[] {
  const q = query.trim().toUpperCase();
  if (q === '') return [];
  const hits: { ticker: Ticker; tier: number }[] = [];
  for (const ticker of tickers) {
    const symbol = ticker.symbol.toUpperCase();
    const yahoo = ticker.yahooSymbol.toUpperCase();
    const stem = /^([A-Z0-9]*[A-Z])\d{2}$/.exec(symbol)?.[1];
    const yahooBase = yahoo.includes('.') ? yahoo.slice(0, yahoo.lastIndexOf('.')) : undefined;
    const name = ticker.name.toUpperCase();
    let tier: number;
    if (q === symbol || q === yahoo || q === stem || q === yahooBase) tier = 0;
    else if (symbol.startsWith(q) || yahoo.startsWith(q)) tier = 1;
    else if (name.startsWith(q) || name.split(/[\s.,&()-]+/).some((word) => word.startsWith(q))) tier = 2;
    else if (symbol.includes(q) || yahoo.includes(q) || name.includes(q)) tier = 3;
    else continue;
    hits.push({ ticker, tier });
  }
  hits.sort((a, b) => a.tier - b.tier || a.ticker.symbol.localeCompare(b.ticker.symbol));
  return hits.slice(0, limit);
}

function freshness(cache: ReportCache, entry: CachedReport | undefined) {
  if (!entry) return null;
  const s = entry.summary;
  return {
    stance: s.stance,
    confidence: s.confidence,
    recommendation: s.recommendation,
    price: s.price,
    price_change_pct: s.price_change_pct,
    volume_ratio: s.volume_ratio,
    as_of: s.as_of,
    business_date: s.business_date,
    generated_at: s.generated_at,
    execution_id: s.execution_id,
    stale: cache.isStale(entry),
    data_source: s.data_source,
  };
}

/** Search, rankings and the ticker list: all from the registry and the cached latest reports. */
export function registerMarketRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { cache, http } = ctx;

  app.get<{ Querystring: { q: string; limit: number } }>(
    '/api/v1/search',
    {
      schema: {
        tags: ['market'],
        summary: 'Find tickers by DR symbol, Yahoo symbol or company name',
        description: 'Exact symbol forms first, then symbol prefixes, then names starting with the query, then anything containing it.',
        querystring: {
          type: 'object',
          required: ['q'],
          properties: {
            q: { type: 'string', minLength: 1, maxLength: 50 },
            limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              query: { type: 'string' },
              results: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const { q, limit } = request.query;
      return {
        query: q,
        results: searchTickers(http.registry.all(), q, limit).map(({ ticker, tier }) => ({
          ticker: ticker.symbol,
          yahoo_symbol: ticker.yahooSymbol,
          company_name: ticker.name,
          exchange: ticker.exchange,
          currency: ticker.currency,
          sector: ticker.sector,
          type: ticker.type,
          active: ticker.active,
          match: ['exact', 'symbol_prefix', 'name_prefix', 'contains'][tier],
          report: freshness(cache, cache.get(ticker.symbol)),
        })),
      };
    },
  );

  app.get<{ Querystring: { category: RankingCategory; limit: number } }>(
    '/api/v1/rankings',
    {
      schema: {
        tags: ['market'],
        summary: 'Rankings from the latest stored reports',
        description: Object.entries(RANKING_RULES)
          .map(([c, rule]) => `${c}: ${rule}`)
          .join('; '),
        querystring: {
          type: 'object',
          required: ['category'],
          properties: {
            category: { type: 'string', enum: [...RANKING_CATEGORIES] },
            limit: { type: 'integer', minimum: 1, maximum: 50, default: 10 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              category: { type: 'string' },
              rule: { type: 'string' },
              as_of: { type: ['string', 'null'] },
              count: { type: 'integer' },
              items: { type: 'array', items: reportSummarySchema },
            },
          },
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { category, limit } = request.query;
      const items = rank(cache, category, limit);
      reply.header('cache-control', 'no-cache');
      return {
        category,
        rule: RANKING_RULES[category],
        as_of: items.reduce<string | null>((latest, i) => (latest === null || i.as_of > latest ? i.as_of : latest), null),
        count: items.length,
        items,
      };
    },
  );

  app.get(
    '/api/v1/tickers',
    {
      schema: {
        tags: ['market'],
        summary: 'The registry, each ticker with its latest report\'s stance and freshness (null: no report yet)',
        response: {
          200: {
            type: 'object',
            properties: {
              today: { type: 'string' },
              count: { type: 'integer' },
              tickers: { type: 'array', items: { type: 'object', additionalProperties: true } },
            },
          },
        },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      const tickers = http.registry.all();
      return {
        today: cache.today(),
        count: tickers.length,
        tickers: tickers.map((t) => ({ ...tickerJson(t), report: freshness(cache, cache.get(t.symbol)) })),
      };
    },
  );
}
