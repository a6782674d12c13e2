import { createHash } from 'node:crypto';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import pLimit, { type LimitFunction } from 'p-limit';
import { errorMessage, InputError } from '../errors.js';
import { type DeliveryChannel, type DeliveryEnvelope, DeliveryError } from './delivery-channel.js';
import { lineDigestPushes } from './line-messages.js';
import { LineReplyClient } from './line-reply-client.js';
import { RateGate } from './rate-gate.js';

/** LINE's push limit is 2,000 requests/s per channel; half of it leaves room for replies. */
const PUSHES_PER_SECOND = 1000;
/** LINE sends no Retry-After with its 429: wait a second, as its docs suggest for bursts. */
const RATE_LIMIT_WAIT_MS = 1000;
/**
 * Calls to the Messaging API in flight at once (and connections kept open for replies). The SDK's client calls the
 * global `fetch` and takes no agent or dispatcher; undici's global one keeps connections alive but opens a new one for
 * every concurrent call, so a burst of 1,000 webhooks made 1,000 connections (a TCP handshake and a new socket per
 * reply). Bounding the calls in flight keeps a burst on this many reused connections; at ~50 ms to api.line.me that
 * is still ~1,000 calls/s, half of LINE's limit.
 */
const CALLS_IN_FLIGHT = 50;

export interface LineChannelOptions {
  channelAccessToken: string;
  /** `LINE_API_BASE_URL`: https://api.line.me, or a loopback fake in tests. */
  baseURL: string;
  pushesPerSecond?: number;
  /** Messaging API calls in flight at once (default CALLS_IN_FLIGHT). */
  callsInFlight?: number;
}

/** A LINE userId as the Messaging API spells it: `U` and 32 hex digits. */
export const LINE_USER_ID = /^U[0-9a-f]{32}$/;

/**
 * A UUID derived from the delivery id and the push's index: LINE accepts a push with a given `X-Line-Retry-Key`
 * once in 24 hours (409 afterwards), so a retried or re-run delivery never shows a reader the same push twice.
 */
export function lineRetryKey(deliveryId: string, part: number): string {
  const hex = createHash('sha256').update(`${deliveryId}:${part}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What LINE said, from its JSON error body (`{"message": …, "details": [...]}`); never the request or the token. */
function lineMessageOf(error: HTTPFetchError): string {
  try {
    const body = JSON.parse(error.body) as { message?: string; details?: { message?: string; property?: string }[] };
    const details = (body.details ?? []).map((d) => `${d.property}: ${d.message}`).join('; ');
    return `${body.message ?? error.statusText}${details ? ` (${details})` : ''}`;
  } catch {
    return error.statusText || `HTTP ${error.status}`;
  }
}

/** Maps a Messaging API failure to the delivery vocabulary. */
export function lineDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof HTTPFetchError) {
    const said = lineMessageOf(error);
    if (error.status === 429) return new DeliveryError('rate_limited', `LINE ${what}: ${said}`, RATE_LIMIT_WAIT_MS, { cause: error });
    // A wrong token is our deployment's fault, not the reader's: never disable a subscription for it.
    if (error.status === 401) return new DeliveryError('transient', `LINE ${what}: the channel access token was refused (${said})`);
    if (error.status >= 400 && error.status < 500) return new DeliveryError('permanent', `LINE ${what}: ${said}`);
    return new DeliveryError('transient', `LINE ${what}: HTTP ${error.status} ${said}`);
  }
  return new DeliveryError('transient', `LINE ${what}: ${errorMessage(error)}`, undefined, { cause: error });
}

/**
 * The `line` channel: digests by push (a text brief, then the watchlist as Flex carousels, five messages a push)
 * through the official `@line/bot-sdk`, and replies to chat commands, the hot path, through `LineReplyClient` (the
 * same request on a keep-alive node:http agent; the SDK's types and error class).
 */
export class LineChannel implements DeliveryChannel {
  readonly name = 'line' as const;
  private readonly client: messagingApi.MessagingApiClient;
  private readonly gate: RateGate;
  private readonly inFlight: LimitFunction;
  private readonly replies: LineReplyClient;

  constructor(options: LineChannelOptions) {
    this.client = new messagingApi.MessagingApiClient({ channelAccessToken: options.channelAccessToken, baseURL: options.baseURL.replace(/\/+$/, '') });
    this.gate = new RateGate(options.pushesPerSecond ?? PUSHES_PER_SECOND);
    const callsInFlight = options.callsInFlight ?? CALLS_IN_FLIGHT;
    this.inFlight = pLimit(callsInFlight);
    this.replies = new LineReplyClient({ channelAccessToken: options.channelAccessToken, baseURL: options.baseURL, maxSockets: callsInFlight });
  }

  normalizeAddress(address: string): string {
    const id = address.trim();
    if (!LINE_USER_ID.test(id)) {
      throw new InputError(`"${id.slice(0, 60)}" is not a LINE userId: it is U followed by 32 hex digits, as LINE's webhook events give it`, {
        address: id.slice(0, 60),
      });
    }
    return id;
  }

  async send(envelope: DeliveryEnvelope): Promise<void> {
    const to = this.normalizeAddress(envelope.address);
    const pushes = lineDigestPushes(envelope.digest);
    for (const [part, messages] of pushes.entries()) {
      await this.push(to, messages, lineRetryKey(envelope.delivery_id, part));
    }
  }

  /** One push; a 409 for its retry key means LINE already accepted it, which is success. */
  async push(to: string, messages: messagingApi.Message[], retryKey?: string): Promise<void> {
    await this.gate.take();
    try {
      await this.inFlight(() => this.client.pushMessage({ to, messages }, retryKey));
    } catch (error) {
      if (error instanceof HTTPFetchError && error.status === 409 && retryKey) return;
      throw lineDeliveryError(error, 'push');
    }
  }

  async reply(replyToken: string, messages: messagingApi.Message[]): Promise<void> {
    try {
      await this.replies.reply(replyToken, messages);
    } catch (error) {
      throw lineDeliveryError(error, 'reply');
    }
  }

  async close(): Promise<void> {
    this.replies.close();
  }
}
