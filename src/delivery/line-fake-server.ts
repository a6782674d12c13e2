/**
 * A loopback fake of the LINE Messaging API (the parts Daybreak uses), for tests and the `line-webhooks` bench, so the
 * official `@line/bot-sdk` client runs unchanged against it (`baseURL` = `origin`). It speaks the real protocol:
 *
 * - `POST /v2/bot/message/push` `{to, messages}` and `POST /v2/bot/message/reply` `{replyToken, messages}`, each with
 *   `Authorization: Bearer <channel access token>` (401 `{"message":"Authentication failed…"}` otherwise); 1–5
 *   messages, text at most 5,000 characters, Flex `altText` at most 1,500, image URLs https only (400 with LINE's
 *   `{"message", "details":[{message, property}]}` otherwise); `200 {"sentMessages":[{id, quoteToken}]}` on success.
 * - A reply token works once (a second use, or one never issued by `lineTextEvent`, is 400 "Invalid reply token").
 * - Push to a userId in `unknownUsers` is 400 "Failed to send messages"; `X-Line-Retry-Key` seen before is 409 with
 *   `x-line-accepted-request-id`, as LINE does for 24 hours.
 * - `failNext(path, answers…)` scripts the next answers of an endpoint (429 rate limit, 500…).
 * It also plays LINE's side of the webhook: `signLineBody` and `lineTextEvent` build what LINE would POST.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { jsonOf, type JsonAnswer, startLoopbackJsonServer } from './loopback-json-server.js';

export const LINE_TEXT_MAX = 5000;
export const LINE_MESSAGES_PER_CALL = 5;
const ALT_TEXT_MAX = 1500;

export interface LineMessage {
  type: string;
  text?: string;
  altText?: string;
  contents?: unknown;
  originalContentUrl?: string;
  previewImageUrl?: string;
  [key: string]: unknown;
}

export interface LineCall {
  kind: 'push' | 'reply';
  /** userId for push, the reply token for reply. */
  to: string;
  messages: LineMessage[];
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the call's request arrived. */
  at: number;
  status: number;
}

export interface LineFakeServer {
  origin: string;
  /** Every call answered 200, in arrival order. */
  readonly accepted: LineCall[];
  /** Every call, whatever it was answered. */
  readonly calls: LineCall[];
  /** Users LINE does not know (or who never added the bot): push answers 400. */
  readonly unknownUsers: Set<string>;
  /** TCP connections accepted so far. */
  readonly connectionsAccepted: number;
  /** Reply tokens that are still unused. */
  issueReplyToken(): string;
  failNext(path: 'push' | 'reply', ...answers: { status: number; message?: string }[]): void;
  /** With `deferValidation`: parses and validates the reply calls answered since the last call; returns the invalid ones. */
  validateDeferred(): LineCall[];
  close(): Promise<void>;
}

/** `X-Line-Signature` of a webhook body: base64 HMAC-SHA256 of the raw bytes keyed with the channel secret. */
export function signLineBody(body: string | Buffer, channelSecret: string): string {
  return createHmac('sha256', channelSecret).update(body).digest('base64');
}

/** A text-message webhook event as LINE sends it. */
export function lineTextEvent(options: { userId: string; text: string; replyToken: string; redelivery?: boolean; eventId?: string }) {
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    source: { type: 'user', userId: options.userId },
    webhookEventId: options.eventId ?? randomUUID().replace(/-/g, '').slice(0, 26).toUpperCase(),
    deliveryContext: { isRedelivery: options.redelivery ?? false },
    replyToken: options.replyToken,
    message: { id: String(Date.now()), type: 'text', quoteToken: 'q', text: options.text },
  };
}

function bad(message: string, details: { message: string; property: string }[] = []): JsonAnswer {
  return { status: 400, body: details.length ? { message, details } : { message } };
}

/** Every `url` in a Flex container (images, URI actions), however deep. */
function urlsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) urlsIn(v, found);
  else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'url' && typeof v === 'string') found.push(v);
      else urlsIn(v, found);
    }
  }
  return found;
}

function validateMessages(messages: unknown): JsonAnswer | LineMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) return bad('The request body has 1 error(s)', [{ message: 'must be specified', property: 'messages' }]);
  if (messages.length > LINE_MESSAGES_PER_CALL) {
    return bad('The request body has 1 error(s)', [{ message: `Size must be between 1 and ${LINE_MESSAGES_PER_CALL}`, property: 'messages' }]);
  }
  const details: { message: string; property: string }[] = [];
  messages.forEach((m: LineMessage, i) => {
    if (m.type === 'text') {
      if (typeof m.text !== 'string' || m.text.length === 0) details.push({ message: 'must be specified', property: `messages[${i}].text` });
      else if (m.text.length > LINE_TEXT_MAX) details.push({ message: `Length must be between 0 and ${LINE_TEXT_MAX}`, property: `messages[${i}].text` });
    } else if (m.type === 'flex') {
      if (typeof m.altText !== 'string' || m.altText.length === 0 || m.altText.length > ALT_TEXT_MAX) {
        details.push({ message: `Length must be between 1 and ${ALT_TEXT_MAX}`, property: `messages[${i}].altText` });
      }
      if (!m.contents || typeof m.contents !== 'object') details.push({ message: 'must be specified', property: `messages[${i}].contents` });
      if (urlsIn(m.contents).some((url) => !url.startsWith('https://'))) details.push({ message: 'invalid uri scheme', property: `messages[${i}].contents` });
    } else if (m.type === 'image') {
      for (const key of ['originalContentUrl', 'previewImageUrl'] as const) {
        if (typeof m[key] !== 'string' || !m[key].startsWith('https://')) details.push({ message: 'invalid uri scheme', property: `messages[${i}].${key}` });
      }
    } else {
      details.push({ message: 'Invalid action type or message type', property: `messages[${i}].type` });
    }
  });
  return details.length ? bad(`The request body has ${details.length} error(s)`, details) : (messages as LineMessage[]);
}

/** The reply token of a body that begins `{"replyToken":"…"` (as Daybreak's reply client writes it), else undefined. */
function leadingReplyToken(raw: Buffer): string | undefined {
  return /^\{"replyToken":"([0-9A-Za-z_-]{1,128})"/.exec(raw.toString('latin1', 0, 160))?.[1];
}

export interface LineFakeOptions {
  channelAccessToken: string;
  /**
   * For the `line-webhooks` bench: a reply call is answered once its token and authorization are checked, and its
   * messages are parsed and validated later, by `validateDeferred()`. The fake stands for LINE's servers, whose JSON
   * parsing is not done on our machine; here it would take the same two cores as the server being measured. In this
   * mode a reply's answer lists one sent message whatever it carried.
   */
  deferValidation?: boolean;
  /** For the same bench: serve over the minimal HTTP/1.1 transport of raw-http-server.ts instead of node:http. */
  rawHttp?: boolean;
}

export async function startLineFake(options: LineFakeOptions): Promise<LineFakeServer> {
  const accepted: LineCall[] = [];
  const awaitingValidation: { call: LineCall; raw: Buffer }[] = [];
  const calls: LineCall[] = [];
  const unknownUsers = new Set<string>();
  const replyTokens = new Set<string>();
  const retryKeys = new Map<string, string>();
  const scripted: Record<'push' | 'reply', { status: number; message?: string }[]> = { push: [], reply: [] };

  const server = await startLoopbackJsonServer((req, raw, arrivedAt) => {
    const kind = req.method === 'POST' && req.url === '/v2/bot/message/push' ? 'push' : req.method === 'POST' && req.url === '/v2/bot/message/reply' ? 'reply' : undefined;
    if (!kind) return { status: 404, body: { message: 'Not found' } };
    const deferredToken = kind === 'reply' && options.deferValidation ? leadingReplyToken(raw) : undefined;
    const body = deferredToken === undefined ? (jsonOf(raw) ?? {}) : { replyToken: deferredToken };
    const call: LineCall = {
      kind,
      to: String((kind === 'push' ? body.to : body.replyToken) ?? ''),
      messages: (Array.isArray(body.messages) ? body.messages : []) as LineMessage[],
      headers: req.headers,
      at: arrivedAt,
      status: 0,
    };
    calls.push(call);
    const answer = answerOf(kind, call, req.headers, body, deferredToken === undefined ? undefined : raw);
    call.status = answer.status;
    if (answer.status === 200) accepted.push(call);
    return answer;
  }, { rawHttp: options.rawHttp });

  function answerOf(kind: 'push' | 'reply', call: LineCall, headers: IncomingHttpHeaders, body: Record<string, unknown>, deferredRaw?: Buffer): JsonAnswer {
    if (headers.authorization !== `Bearer ${options.channelAccessToken}`) {
      return { status: 401, body: { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' } };
    }
    const next = scripted[kind].shift();
    if (next) {
      const message = next.message ?? (next.status === 429 ? 'The API rate limit has been exceeded. Try again later.' : 'An error occurred in the backend server.');
      return { status: next.status, body: { message } };
    }
    const retryKey = headers['x-line-retry-key'];
    if (kind === 'push' && typeof retryKey === 'string') {
      const requestId = retryKeys.get(retryKey);
      if (requestId) return { status: 409, body: { message: 'The retry key is already accepted', sentMessages: [] }, headers: { 'x-line-accepted-request-id': requestId } };
    }
    if (deferredRaw) {
      if (!replyTokens.delete(call.to)) return bad('Invalid reply token');
      awaitingValidation.push({ call, raw: deferredRaw });
      return { status: 200, body: { sentMessages: [{ id: String(awaitingValidation.length), quoteToken: call.to }] } };
    }
    const messages = validateMessages(body.messages);
    if (!Array.isArray(messages)) return messages;
    if (kind === 'reply') {
      if (!replyTokens.delete(call.to)) return bad('Invalid reply token');
    } else {
      if (typeof body.to !== 'string' || !/^U[0-9a-f]{32}$/.test(body.to)) {
        return bad('The request body has 1 error(s)', [{ message: 'Invalid userId', property: 'to' }]);
      }
      if (unknownUsers.has(body.to)) return bad('Failed to send messages');
    }
    const requestId = randomUUID();
    if (kind === 'push' && typeof retryKey === 'string') retryKeys.set(retryKey, requestId);
    return {
      status: 200,
      body: { sentMessages: messages.map(() => ({ id: String(Math.floor(Math.random() * 1e17)), quoteToken: randomUUID() })) },
      headers: { 'x-line-request-id': requestId },
    };
  }

  return {
    origin: server.origin,
    accepted,
    calls,
    unknownUsers,
    get connectionsAccepted() {
      return server.connectionsAccepted;
    },
    issueReplyToken() {
      const token = randomUUID().replace(/-/g, '');
      replyTokens.add(token);
      return token;
    },
    failNext(path, ...answers) {
      scripted[path].push(...answers);
    },
    validateDeferred() {
      const invalid: LineCall[] = [];
      for (const { call, raw } of awaitingValidation.splice(0)) {
        const body = jsonOf(raw) ?? {};
        const messages = validateMessages(body.messages);
        if (Array.isArray(messages)) call.messages = messages;
        else invalid.push(call);
      }
      return invalid;
    },
    close: () => server.close(),
  };
}
