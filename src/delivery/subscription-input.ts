import { InputError } from '../errors.js';
import type { TickerRegistry } from '../registry/ticker-registry.js';
import type { Language } from '../report/narrative-contract.js';
import type { DeliveryChannels } from './delivery-channels.js';
import { parseChannelName } from './delivery-channels.js';
import type { SubscriptionInput } from '../store/subscription-store.js';

/** A subscription as a person types it (CLI flags, admin API body): any symbol form, any case. */
export interface SubscriptionRequest {
  channel: string;
  to: string;
  tickers?: string[];
  language?: string;
  at?: string | null;
}

export const MAX_WATCHLIST = 50;

/** `HH:MM`, 00:00–23:59. */
export function parseDeliverAt(value: string): string {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  if (!m) throw new InputError(`"${value}" is not a time of day: use HH:MM (24-hour, in SCHEDULE_TZ), e.g. 07:30`, { field: 'at' });
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

export function parseLanguage(value: string): Language {
  const v = value.trim().toLowerCase();
  if (v !== 'th' && v !== 'en') throw new InputError(`unknown language "${value}": use th or en`, { field: 'language' });
  return v;
}

/**
 * Validates everything before anything is stored: the channel (known, and configured in this process), the address
 * (by the channel's own rules), each symbol (unknown ones get "did you mean"), the language and the time.
 */
export function toSubscriptionInput(request: SubscriptionRequest, registry: TickerRegistry, channels: DeliveryChannels): SubscriptionInput {
  const channel = parseChannelName(request.channel);
  const adapter = channels.require(channel);
  const tickers = [...new Set((request.tickers ?? []).map((s) => registry.resolveOrThrow(s).symbol))];
  if (tickers.length > MAX_WATCHLIST) {
    throw new InputError(`a watchlist holds at most ${MAX_WATCHLIST} tickers, got ${tickers.length}`, { field: 'tickers' });
  }
  return {
    channel,
    address: adapter.normalizeAddress(request.to),
    tickers,
    language: request.language === undefined ? 'th' : parseLanguage(request.language),
    deliver_at: request.at === undefined || request.at === null ? null : parseDeliverAt(request.at),
  };
}
