import { validateSignature } from '@line/bot-sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LINE_USER_ID, LineChannel } from '../delivery/line-channel.js';
import { MAX_WATCHLIST } from '../delivery/subscription-input.js';
import { tokenMatches } from './execution-routes.js';
import { TelegramChannel } from '../delivery/telegram-channel.js';
import { errorMessage } from '../errors.js';
import type { RouteContext } from './http-deps.js';
import { HttpError } from './http-errors.js';
import { ChatHandler, type ChatReader, type ChatReply } from '../chat/chat-handler.js';
import { lineReplyMessages, telegramReplyMessages } from '../chat/chat-replies.js';
import { CHAT_TEXTS } from '../delivery/chat-texts.js';
import { ReaderRateLimit } from '../chat/reader-rate-limit.js';
import { ReportCards } from './report-cards.js';
import { registerMiniAppRoutes } from './mini-app-routes.js';

/** Webhook bodies past this are refused with 413 before anything reads them. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
/** Event ids are kept this long: LINE and Telegram stop redelivering well within a day. */
const EVENT_ID_TTL_MS = 2 * 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}


/**
 * The chat side of LINE and Telegram: `POST /webhooks/line`, `POST /webhooks/telegram` and the Mini App's
 * `/api/v1/me/watchlist`. Each webhook is authenticated on its raw bytes before anything is parsed (401, nothing
 * done otherwise); then each event is claimed in the store by its id (a redelivery does nothing), the platform gets
 * its 200, and the events are answered in the background from the report cache. The per-IP write limit does not
 * apply: the platforms post every reader's messages from a few addresses, so messages are limited per reader.
 */
export function registerChatRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { config, store, registry, now } = ctx.http;
  const log = app.log;
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
  const cards = new ReportCards(ctx.cache, publicBaseUrl);
  const handler = new ChatHandler({
    resolver: registry,
    cards,
    subscriptions: store,
    brief: (language) => cards.brief(language),
    now,
    maxWatchlist: MAX_WATCHLIST,
  });
  const limit = new ReaderRateLimit(config.CHAT_MESSAGES_PER_MIN);
  // The deliver step's instances when it has them, so replies and pushes share one rate gate per platform
  // (Telegram's 1 message/s per chat counts both); made from the config when delivery is not set up.
  const channels = ctx.http.delivery?.channels;
  const line =
    (channels?.get('line') as LineChannel | undefined) ??
    (config.LINE_CHANNEL_SECRET && config.LINE_CHANNEL_ACCESS_TOKEN
      ? new LineChannel({ channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN, baseURL: config.LINE_API_BASE_URL })
      : undefined);
  const telegram =
    (channels?.get('telegram') as TelegramChannel | undefined) ??
    (config.TELEGRAM_BOT_TOKEN && config.TELEGRAM_WEBHOOK_SECRET
      ? new TelegramChannel({ botToken: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_BASE_URL })
      : undefined);

  /** Answers still being sent; closing the server waits for them. */
  const inFlight = new Set<Promise<void>>();
  const background = (work: () => Promise<void>) => {
    const p = work()
      .catch((error) => log.warn({ err: errorMessage(error) }, 'chat event failed'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  app.addHook('onClose', async () => {
    await Promise.allSettled([...inFlight]);
    // Channels made here (not the deliver step's) are closed here: they hold keep-alive connections.
    if (line && line !== channels?.get('line')) await line.close();
  });

  let lastPurge = 0;
  const purgeNowAndThen = () => {
    const t = now().getTime();
    if (t - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = t;
    store.purgeWebhookEvents(new Date(t - EVENT_ID_TTL_MS).toISOString()).catch((error) => log.warn({ err: errorMessage(error) }, 'webhook event purge failed'));
  };

  /** Claims an event id; a store failure becomes 503 so the platform delivers the webhook again later. */
  async function claim(platform: 'line' | 'telegram', eventId: string): Promise<boolean> {
    try {
      return await store.claimWebhookEvent(platform, eventId.slice(0, 128), now().toISOString());
    } catch (error) {
      log.error({ err: errorMessage(error), platform }, 'cannot record webhook event');
      throw new HttpError(503, 'unavailable', 'cannot record the event now; deliver it again later');
    }
  }

  /** Runs one reader's message into replies; never throws (a failure is answered politely and logged). */
  async function repliesFor(reader: ChatReader, work: () => Promise<ChatReply[]>): Promise<ChatReply[]> {
    const allowed = limit.take(`${reader.channel}:${reader.address}`);
    if (allowed === 'silent') return [];
    if (allowed === 'over') return [{ kind: 'text', text: CHAT_TEXTS.th.slowDown }];
    try {
      return await work();
    } catch (error) {
      const failure = ChatHandler.failureReply(error);
      log.warn({ err: failure.error, channel: reader.channel }, 'chat command failed');
      return failure.replies;
    }
  }

  const rawBody = (scope: FastifyInstance) => {
    // The signature is over the exact bytes: take every body as a Buffer, whatever its content type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body));
  };

  void app.register(async (scope) => {
    rawBody(scope);

    scope.post(
      '/webhooks/line',
      // compress: false — the answer is `{}`; the compression hook would only cost every webhook a few µs.
      { bodyLimit: WEBHOOK_BODY_LIMIT_BYTES, compress: false, schema: { tags: ['chat'], summary: 'LINE Messaging API webhook (X-Line-Signature)' } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        if (!line || !config.LINE_CHANNEL_SECRET) throw new HttpError(404, 'not_found', 'LINE is not configured on this server');
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['x-line-signature'];
        if (typeof signature !== 'string' || !validateSignature(raw, config.LINE_CHANNEL_SECRET, signature)) {
          throw new HttpError(401, 'invalid_signature', 'X-Line-Signature does not match the body');
        }
        const body = parseJson(raw);
        const events = isObject(body) && Array.isArray(body.events) ? body.events.filter(isObject) : [];
        if (!isObject(body)) log.warn({}, 'LINE webhook: signed body is not a JSON object; ignored');
        purgeNowAndThen();
        const work: (() => Promise<void>)[] = [];
        for (const event of events) {
          const userId = isObject(event.source) ? event.source.userId : undefined;
          if (typeof userId !== 'string' || !LINE_USER_ID.test(userId)) continue; // groups and rooms without a user: nothing to do
          if (typeof event.webhookEventId === 'string' && !(await claim('line', event.webhookEventId))) continue;
          const reader: ChatReader = { channel: 'line', address: userId };
          const replyToken = typeof event.replyToken === 'string' ? event.replyToken : undefined;
          const answer = (replies: ChatReply[]) => (replyToken && replies.length > 0 ? line.reply(replyToken, lineReplyMessages(replies)) : Promise.resolve());
          const message = isObject(event.message) ? event.message : undefined;
          if (event.type === 'message' && message) {
            const text = message.type === 'text' && typeof message.text === 'string' ? message.text : undefined;
            work.push(async () => answer(await repliesFor(reader, () => (text !== undefined ? handler.handleText(reader, text) : handler.handleOther(reader)))));
          } else if (event.type === 'follow') {
            work.push(async () => answer(await handler.greet(reader)));
          } else if (event.type === 'unfollow') {
            work.push(() => handler.readerLeft(reader, 'the reader blocked or removed the LINE bot'));
          }
        }
        for (const w of work) background(w);
        return reply.code(200).send({});
      },
    );

    scope.post(
      '/webhooks/telegram',
      { bodyLimit: WEBHOOK_BODY_LIMIT_BYTES, compress: false, schema: { tags: ['chat'], summary: 'Telegram Bot API webhook (X-Telegram-Bot-Api-Secret-Token)' } },
      async (request: FastifyRequest, reply: FastifyReply) => {
        if (!telegram || !config.TELEGRAM_WEBHOOK_SECRET) throw new HttpError(404, 'not_found', 'Telegram is not configured on this server');
        const secret = request.headers['x-telegram-bot-api-secret-token'];
        if (typeof secret !== 'string' || !tokenMatches(secret, config.TELEGRAM_WEBHOOK_SECRET)) {
          throw new HttpError(401, 'invalid_secret_token', 'X-Telegram-Bot-Api-Secret-Token is missing or wrong');
        }
        const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const update = parseJson(raw);
        if (!isObject(update)) return reply.code(200).send({});
        const message = isObject(update.message) ? update.message : undefined;
        const chatId = message && isObject(message.chat) ? message.chat.id : undefined;
        if (typeof chatId !== 'number' || !Number.isInteger(chatId)) return reply.code(200).send({});
        if (typeof update.update_id === 'number' && !(await claim('telegram', String(update.update_id)))) return reply.code(200).send({});
        purgeNowAndThen();
        const chat = String(chatId);
        const reader: ChatReader = { channel: 'telegram', address: chat };
        const text = typeof message!.text === 'string' ? message!.text : undefined;
        background(async () => {
          const replies = await repliesFor(reader, () => (text !== undefined ? handler.handleText(reader, text) : handler.handleOther(reader)));
          for (const m of telegramReplyMessages(replies)) await telegram.sendOne(chat, m);
        });
        return reply.code(200).send({});
      },
    );
  });

  registerMiniAppRoutes(app, ctx, { ...(telegram && { botToken: config.TELEGRAM_BOT_TOKEN }), subscriptions: store });
}
