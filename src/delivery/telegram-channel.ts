import { Api, GrammyError } from 'grammy';
import { errorMessage, InputError } from '../errors.js';
import { type DeliveryChannel, type DeliveryEnvelope, DeliveryError } from './delivery-channel.js';
import { RateGate } from './rate-gate.js';
import { type TelegramMessage, telegramDigestMessages } from './telegram-messages.js';

export interface TelegramChannelOptions {
  botToken: string;
  /** `TELEGRAM_API_BASE_URL`: https://api.telegram.org, or a loopback fake in tests. */
  apiRoot: string;
  /** Telegram's broadcast limit is about 30 messages/s per bot; the default 25 leaves room for timer jitter. */
  perBotPerSecond?: number;
  /** …and 1 message/s per chat; a little margin, since Telegram measures on its side. */
  perChatIntervalMs?: number;
  /** A 429 asking to wait longer than this is handed back to the deliver step as `rate_limited`. Default 60 s. */
  maxInlineWaitMs?: number;
}

/** A Telegram chat id: a user's (positive) or a group's (negative) integer. */
const CHAT_ID = /^-?\d{1,20}$/;
const MAX_INLINE_RETRIES = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Maps a Bot API failure to the delivery vocabulary. grammY's errors never carry the token. */
export function telegramDeliveryError(error: unknown, method: string): DeliveryError {
  if (error instanceof GrammyError) {
    if (error.error_code === 429) {
      return new DeliveryError('rate_limited', `Telegram ${method}: ${error.description}`, (error.parameters.retry_after ?? 1) * 1000);
    }
    // A refused token is the deployment's fault: never disable a reader for it.
    if (error.error_code === 401 || error.error_code === 404) return new DeliveryError('transient', `Telegram ${method}: the bot token was refused (${error.description})`);
    if (error.error_code >= 400 && error.error_code < 500) return new DeliveryError('permanent', `Telegram ${method}: ${error.description}`);
    return new DeliveryError('transient', `Telegram ${method}: ${error.error_code} ${error.description}`);
  }
  return new DeliveryError('transient', `Telegram ${method}: ${errorMessage(error)}`, undefined, { cause: error });
}

/**
 * The `telegram` channel: digests as `sendMessage` / `sendPhoto` calls through grammY's `Api`, spaced within
 * Telegram's limits (≈30/s per bot, 1/s per chat). A 429 waits its `retry_after` and sends the same message again,
 * so a digest cut by a rate limit resumes where it stopped instead of repeating its first messages; what was sent
 * of a digest that failed is remembered by delivery id, so the deliver step's retry sends only the rest.
 */
export class TelegramChannel implements DeliveryChannel {
  readonly name = 'telegram' as const;
  readonly api: Api;
  private readonly gate: RateGate;
  private readonly maxInlineWaitMs: number;
  /** Messages of a digest already sent, by delivery id, while a send of it is unfinished. */
  private readonly sentParts = new Map<string, number>();

  constructor(options: TelegramChannelOptions) {
    this.api = new Api(options.botToken, { apiRoot: options.apiRoot.replace(/\/+$/, '') });
    this.gate = new RateGate(options.perBotPerSecond ?? 25, options.perChatIntervalMs ?? 1050);
    this.maxInlineWaitMs = options.maxInlineWaitMs ?? 60_000;
  }

  normalizeAddress(address: string): string {
    const id = address.trim();
    if (!CHAT_ID.test(id)) {
      throw new InputError(`"${id.slice(0, 60)}" is not a Telegram chat id: it is an integer such as 123456789, as the bot's updates give it`, {
        address: id.slice(0, 60),
      });
    }
    return id;
  }

  async send(envelope: DeliveryEnvelope): Promise<void> {
    const chat = this.normalizeAddress(envelope.address);
    const messages = telegramDigestMessages(envelope.digest);
    try {
      for (let i = this.sentParts.get(envelope.delivery_id) ?? 0; i < messages.length; i++) {
        await this.sendOne(chat, messages[i]!);
        this.sentParts.set(envelope.delivery_id, i + 1);
      }
      this.sentParts.delete(envelope.delivery_id);
    } catch (error) {
      // Only a retry (transient, rate limit) resumes; a permanent failure ends this delivery.
      if (!(error instanceof DeliveryError) || error.kind === 'permanent') this.sentParts.delete(envelope.delivery_id);
      throw error;
    }
  }

  /** Sends one message to a chat within the limits, waiting out 429s of up to `maxInlineWaitMs`. */
  async sendOne(chat: string, message: TelegramMessage): Promise<void> {
    for (let retries = 0; ; retries++) {
      await this.gate.take(chat);
      try {
        if (message.method === 'sendPhoto') await this.api.raw.sendPhoto({ chat_id: chat, ...message.payload });
        else await this.api.raw.sendMessage({ chat_id: chat, ...message.payload });
        return;
      } catch (error) {
        const failure = telegramDeliveryError(error, message.method);
        if (failure.kind !== 'rate_limited' || retries >= MAX_INLINE_RETRIES || (failure.retryAfterMs ?? 0) > this.maxInlineWaitMs) throw failure;
        this.gate.defer(chat, failure.retryAfterMs ?? 1000);
        await sleep(failure.retryAfterMs ?? 1000);
      }
    }
  }

  async close(): Promise<void> {}
}
