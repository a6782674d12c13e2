import type { MorningBrief } from '../report/morning-brief.js';
import type { Confidence, Language, Recommendation, Stance } from '../report/narrative-contract.js';
import { CHANNEL_NAMES, type ChannelName } from '../store/subscription-store.js';

/**
 * The delivery port: every channel (email, webhook, line, telegram) is an adapter behind `DeliveryChannel`, and all
 * of them pass one contract suite. A digest is built once per (watchlist, language, business date) and handed to
 * every subscription that shares it; the channel only formats and sends.
 */

/** Defined with the subscriptions that store them (`store/subscription-store.ts`). */
export { CHANNEL_NAMES, type ChannelName };

/** Built in the pure core (`report/morning-brief.ts`); re-exported because every channel formats it. */
export type { MorningBrief };

/** One watchlist ticker in a digest: what a reader needs to decide whether to open the full report. */
export interface DigestItem {
  ticker: string;
  company_name: string;
  currency: string;
  price: number;
  price_change_pct: number | null;
  recommendation: Recommendation;
  stance: Stance;
  confidence: Confidence;
  /** The one-line why, in the digest's language. */
  why: string;
  /** Absolute: `${PUBLIC_BASE_URL}/#/report/SYMBOL`. */
  report_url: string;
  /** Absolute URL of the chart PNG under PUBLIC_BASE_URL, or null when the report has no chart. */
  chart_url: string | null;
  /** The chart bytes, for channels that attach it (e-mail `cid:`); null when there is none. */
  chart_png: Buffer | null;
  as_of: string;
  data_source: string;
}

/** What one subscription receives for one business date. Shared (read-only) by every subscription with the same watchlist. */
export interface Digest {
  business_date: string;
  execution_id: string;
  language: Language;
  brief: MorningBrief;
  items: DigestItem[];
  /** Watchlist tickers with no report on this business date (their run failed): channels say so, nothing is dropped silently. */
  unavailable: string[];
  /** True when any part comes from the demo source: every channel must say so. */
  demo: boolean;
}

/** One send: the digest and who it is for. `delivery_id` is stable per (subscription, business date). */
export interface DeliveryEnvelope {
  delivery_id: string;
  subscription_id: string;
  /** E-mail address, http(s) URL, LINE userId or Telegram chat id, as validated by the channel. */
  address: string;
  digest: Digest;
}

/**
 * How a send failed. `transient` is retried with backoff (network, 5xx, timeouts); `rate_limited` waits
 * `retry_after_ms` and retries without spending an attempt; `permanent` disables the subscription with `reason`
 * (bot blocked, unknown address, 4xx from the platform).
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    readonly kind: 'transient' | 'rate_limited' | 'permanent',
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DeliveryChannel {
  readonly name: ChannelName;
  /** Normalises an address or throws InputError with a reason a person understands (never touches the network). */
  normalizeAddress(address: string): string;
  /** Sends one digest, split at the platform's message limits, never cut off. Throws DeliveryError on failure. */
  send(envelope: DeliveryEnvelope): Promise<void>;
  /** Releases connections (SMTP pool, HTTP agents). */
  close(): Promise<void>;
}
