import { MAX_WATCHLIST } from '../delivery/subscription-input.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RouteContext } from './http-deps.js';
import { HttpError } from './http-errors.js';
import { errorResponses } from './schemas.js';
import type { ChatSubscriptions } from '../chat/chat-handler.js';
import { verifyInitData } from '../chat/telegram-init-data.js';


const watchlistSchema = {
  type: 'object',
  required: ['channel', 'tickers', 'language', 'active'],
  properties: {
    channel: { type: 'string', enum: ['telegram'] },
    tickers: { type: 'array', items: { type: 'string' } },
    language: { type: 'string', enum: ['th', 'en'] },
    active: { type: 'boolean' },
  },
} as const;

/**
 * The Telegram Mini App's own watchlist: `GET/PUT /api/v1/me/watchlist`. The reader is whoever Telegram's signed
 * `X-Telegram-Init-Data` names (verified with the bot token, at most 24 hours old); no header or field that merely
 * names a user id is trusted. The watchlist is the reader's `telegram` subscription (address = their user id, which
 * is their private chat with the bot).
 */
export function registerMiniAppRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  options: { botToken?: string; subscriptions: ChatSubscriptions },
): void {
  const { registry, now } = ctx.http;

  function readerOf(request: FastifyRequest): string {
    if (!options.botToken) throw new HttpError(404, 'not_found', 'Telegram is not configured on this server');
    const header = request.headers['x-telegram-init-data'];
    const check = verifyInitData(typeof header === 'string' ? header : undefined, options.botToken, Math.floor(now().getTime() / 1000));
    if (!check.ok) throw new HttpError(401, 'invalid_init_data', `${check.reason}; open this page from the bot's Mini App button`);
    return check.userId;
  }

  const headers = {
    type: 'object',
    required: ['x-telegram-init-data'],
    properties: { 'x-telegram-init-data': { type: 'string', description: 'Telegram.WebApp.initData, as Telegram signed it' } },
  } as const;

  app.get(
    '/api/v1/me/watchlist',
    {
      schema: {
        tags: ['chat'],
        summary: "The Telegram Mini App reader's watchlist",
        headers,
        response: { 200: watchlistSchema, ...errorResponses(401, 404, 503) },
      },
    },
    async (request) => {
      const address = readerOf(request);
      const subscription = await options.subscriptions.getSubscriptionByAddress('telegram', address);
      return { channel: 'telegram', tickers: subscription?.tickers ?? [], language: subscription?.language ?? 'th', active: subscription?.active ?? false };
    },
  );

  app.put<{ Body: { tickers: string[]; language?: 'th' | 'en' } }>(
    '/api/v1/me/watchlist',
    {
      preHandler: ctx.writeLimit,
      schema: {
        tags: ['chat'],
        summary: "Replaces the Telegram Mini App reader's watchlist (any symbol form)",
        headers,
        body: {
          type: 'object',
          required: ['tickers'],
          additionalProperties: false,
          properties: {
            tickers: { type: 'array', maxItems: MAX_WATCHLIST, items: { type: 'string', minLength: 1, maxLength: 20 } },
            language: { type: 'string', enum: ['th', 'en'] },
          },
        },
        response: { 200: watchlistSchema, ...errorResponses(400, 401, 404, 429, 503) },
      },
    },
    async (request) => {
      const address = readerOf(request);
      const subscriptions = options.subscriptions;
      const tickers = [...new Set(request.body.tickers.map((t) => registry.resolveOrThrow(t).symbol))];
      const current = await subscriptions.getSubscriptionByAddress('telegram', address);
      const language = request.body.language ?? current?.language ?? 'th';
      const { subscription } = await subscriptions.upsertSubscription(
        { channel: 'telegram', address, tickers, language, deliver_at: current?.deliver_at ?? null },
        now().toISOString(),
      );
      return { channel: 'telegram', tickers: subscription.tickers, language: subscription.language, active: subscription.active };
    },
  );
}
