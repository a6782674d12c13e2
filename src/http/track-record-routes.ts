import type { FastifyInstance } from 'fastify';
import { HORIZONS } from '../report/track-record/grade-calls.js';
import { buildTrackRecord, type TrackRecord } from '../report/track-record/track-record.js';
import type { RouteContext } from './http-deps.js';
import { errorResponses } from './schemas.js';

/** A built track record is reused this long: building the universe's reads every stored call. */
const CACHE_MS = 30_000;
export const DEFAULT_UNIVERSE_CALLS = 500;

interface Query {
  horizon?: number;
  limit?: number;
}

/** `GET /api/v1/track-record[/:symbol]` (DESIGN §12): graded calls, summaries, baselines, calibration, flip rate. */
export function registerTrackRecordRoutes(app: FastifyInstance, { http }: RouteContext): void {
  const cache = new Map<string, { at: number; record: Promise<TrackRecord> }>();
  const recordFor = (ticker: string | undefined, query: Query): Promise<TrackRecord> => {
    const key = `${ticker ?? '*'}|${query.horizon ?? ''}|${query.limit ?? ''}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < CACHE_MS) return hit.record;
    const record = http.store.listCalls(ticker ? { tickers: [ticker] } : {}).then((calls) =>
      buildTrackRecord(calls, {
        ...(ticker && { ticker }),
        ...(query.horizon !== undefined && { horizon: query.horizon }),
        limit: query.limit ?? (ticker ? Number.MAX_SAFE_INTEGER : DEFAULT_UNIVERSE_CALLS),
      }),
    );
    record.catch(() => cache.delete(key));
    if (cache.size > 200) cache.clear();
    cache.set(key, { at: now, record });
    return record;
  };

  const querystring = {
    type: 'object',
    additionalProperties: false,
    properties: {
      horizon: { type: 'integer', enum: Object.values(HORIZONS), description: 'only this horizon in the summaries (trading bars)' },
      limit: { type: 'integer', minimum: 0, maximum: 100_000, description: 'newest calls listed (default: 500 for the universe, all for a ticker)' },
    },
  } as const;
  const response = { 200: { type: 'object', additionalProperties: true }, ...errorResponses(400, 404) };

  app.get<{ Querystring: Query }>(
    '/api/v1/track-record',
    { schema: { tags: ['track-record'], summary: "How the universe's calls did, with the four baselines side by side", querystring, response } },
    async (_request, reply) => {
      reply.header('cache-control', `public, max-age=${CACHE_MS / 1000}`);
      return recordFor(undefined, _request.query);
    },
  );

  app.get<{ Params: { symbol: string }; Querystring: Query }>(
    '/api/v1/track-record/:symbol',
    {
      schema: {
        tags: ['track-record'],
        summary: "How one ticker's calls did (any symbol form)",
        params: { type: 'object', required: ['symbol'], properties: { symbol: { type: 'string', minLength: 1, maxLength: 30 } } },
        querystring,
        response,
      },
    },
    async (request, reply) => {
      const ticker = http.registry.resolveOrThrow(request.params.symbol);
      reply.header('cache-control', `public, max-age=${CACHE_MS / 1000}`);
      return recordFor(ticker.symbol, request.query);
    },
  );
}
