/**
 * A loopback fake of the Telegram Bot API (the methods Daybreak calls), for tests, so grammY's real client runs
 * against it (`apiRoot` = `origin`). It speaks the real protocol: `POST /bot<token>/<method>` with a JSON (or
 * form-encoded) body, answered `{"ok":true,"result":…}` or `{"ok":false,"error_code","description","parameters"?}`.
 *
 * - `sendMessage` (text 1–4,096 characters after HTML entities are parsed), `sendPhoto` (caption at most 1,024),
 *   `setWebhook` (https URL only; records `secret_token`), `getWebhookInfo`, `getMe`.
 * - A wrong token is 401 "Unauthorized"; a chat in `blockedChats` is 403 "Forbidden: bot was blocked by the user";
 *   a chat id in `unknownChats` is 400 "Bad Request: chat not found".
 * - Limits are enforced as Telegram does: more than `perChatPerSecond` messages to one chat within a second, or more
 *   than `perBotPerSecond` in all, is 429 "Too Many Requests: retry after N" with `parameters.retry_after`.
 * - `failNext(answers…)` scripts the next answers (a 429 with a given `retry_after`, a 500…).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { jsonOf, type JsonAnswer, startLoopbackJsonServer } from './loopback-json-server.js';

export const TELEGRAM_TEXT_MAX = 4096;
export const TELEGRAM_CAPTION_MAX = 1024;

export interface TelegramCall {
  method: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the call's request arrived. */
  at: number;
  status: number;
}

export interface TelegramFakeServer {
  origin: string;
  readonly calls: TelegramCall[];
  /** Calls answered ok, in arrival order. */
  readonly accepted: TelegramCall[];
  readonly blockedChats: Set<string>;
  readonly unknownChats: Set<string>;
  /** What the last `setWebhook` registered. */
  readonly webhook: { url: string; secret_token?: string; allowed_updates?: unknown } | undefined;
  failNext(...answers: { status: number; description?: string; retry_after?: number }[]): void;
  close(): Promise<void>;
}

/** The length Telegram counts: the text after HTML tags are parsed out and entities decoded. */
export function telegramVisibleLength(text: string, parseMode: unknown): number {
  if (parseMode !== 'HTML') return [...text].length;
  const plain = text
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot|#\d+);/g, 'x');
  return [...plain].length;
}

function error(status: number, description: string, parameters?: Record<string, unknown>): JsonAnswer {
  return { status, body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) } };
}

function bodyOf(raw: Buffer, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  return jsonOf(raw) ?? {};
}

export async function startTelegramFake(options: { token: string; perChatPerSecond?: number; perBotPerSecond?: number }): Promise<TelegramFakeServer> {
  const perChat = options.perChatPerSecond ?? 1;
  const perBot = options.perBotPerSecond ?? 30;
  const calls: TelegramCall[] = [];
  const accepted: TelegramCall[] = [];
  const blockedChats = new Set<string>();
  const unknownChats = new Set<string>();
  const scripted: { status: number; description?: string; retry_after?: number }[] = [];
  const sentAt: { chat: string; at: number }[] = [];
  let webhook: TelegramFakeServer['webhook'];
  let messageId = 1;

  const server = await startLoopbackJsonServer((req, raw, arrivedAt) => {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    if (!match) return error(404, 'Not Found');
    const [, token, method] = match as unknown as [string, string, string];
    const call: TelegramCall = { method, body: bodyOf(raw, req.headers['content-type']), headers: req.headers, at: arrivedAt, status: 0 };
    calls.push(call);
    const answer = token === options.token ? answerOf(call) : error(401, 'Unauthorized');
    call.status = answer.status;
    if (answer.status === 200) accepted.push(call);
    return answer;
  });

  function answerOf(call: TelegramCall): JsonAnswer {
    const next = scripted.shift();
    if (next) {
      const description = next.description ?? (next.status === 429 ? `Too Many Requests: retry after ${next.retry_after ?? 1}` : 'Internal Server Error');
      return error(next.status, description, next.retry_after !== undefined ? { retry_after: next.retry_after } : undefined);
    }
    const { body } = call;
    switch (call.method) {
      case 'getMe':
        return { status: 200, body: { ok: true, result: { id: Number(options.token.split(':')[0]), is_bot: true, first_name: 'Daybreak', username: 'daybreak_test_bot' } } };
      case 'setWebhook': {
        const url = String(body.url ?? '');
        if (!url.startsWith('https://')) return error(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
        if (body.secret_token !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(body.secret_token))) {
          return error(400, 'Bad Request: secret token contains unallowed characters');
        }
        webhook = { url, secret_token: body.secret_token as string | undefined, allowed_updates: body.allowed_updates };
        return { status: 200, body: { ok: true, result: true, description: 'Webhook was set' } };
      }
      case 'getWebhookInfo':
        return { status: 200, body: { ok: true, result: { url: webhook?.url ?? '', has_custom_certificate: false, pending_update_count: 0 } } };
      case 'sendMessage':
      case 'sendPhoto':
        return send(call);
      default:
        return error(404, 'Not Found: method not found');
    }
  }

  function send(call: TelegramCall): JsonAnswer {
    const { body } = call;
    const chat = String(body.chat_id ?? '');
    if (chat === '') return error(400, 'Bad Request: chat_id is empty');
    if (unknownChats.has(chat)) return error(400, 'Bad Request: chat not found');
    if (blockedChats.has(chat)) return error(403, 'Forbidden: bot was blocked by the user');
    if (call.method === 'sendMessage') {
      const text = typeof body.text === 'string' ? body.text : '';
      if (text.trim() === '') return error(400, 'Bad Request: message text is empty');
      if (telegramVisibleLength(text, body.parse_mode) > TELEGRAM_TEXT_MAX) return error(400, 'Bad Request: message is too long');
    } else {
      if (typeof body.photo !== 'string' || body.photo === '') return error(400, 'Bad Request: there is no photo in the request');
      const caption = typeof body.caption === 'string' ? body.caption : '';
      if (telegramVisibleLength(caption, body.parse_mode) > TELEGRAM_CAPTION_MAX) return error(400, 'Bad Request: message caption is too long');
    }
    const now = performance.now();
    while (sentAt.length > 0 && sentAt[0]!.at < now - 1000) sentAt.shift();
    const toChat = sentAt.filter((s) => s.chat === chat).length;
    if (toChat >= perChat || sentAt.length >= perBot) {
      const oldest = sentAt.find((s) => toChat >= perChat ? s.chat === chat : true)!;
      const retryAfter = Math.max(1, Math.ceil((oldest.at + 1000 - now) / 1000));
      return error(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    sentAt.push({ chat, at: now });
    return {
      status: 200,
      body: { ok: true, result: { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: 'private' }, text: body.text, caption: body.caption } },
    };
  }

  return {
    origin: server.origin,
    calls,
    accepted,
    blockedChats,
    unknownChats,
    get webhook() {
      return webhook;
    },
    failNext(...answers) {
      scripted.push(...answers);
    },
    close: () => server.close(),
  };
}
