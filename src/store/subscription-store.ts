import type { Language } from '../report/narrative-contract.js';
import type { StoredReport } from './store.js';

/** The delivery channels (the adapters behind `delivery/delivery-channel.ts`) a subscription may name. */
export type ChannelName = 'email' | 'webhook' | 'line' | 'telegram';
export const CHANNEL_NAMES: readonly ChannelName[] = ['email', 'webhook', 'line', 'telegram'];

/** One reader's subscription on one channel address (DESIGN §10). `tickers` are DR symbols; empty = the brief only. */
export interface SubscriptionRecord {
  subscription_id: string;
  channel: ChannelName;
  address: string;
  tickers: string[];
  language: Language;
  /** `HH:MM` in SCHEDULE_TZ, or null: delivered when the run ends. */
  deliver_at: string | null;
  active: boolean;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionInput {
  channel: ChannelName;
  /** Already normalised by the channel. */
  address: string;
  tickers: string[];
  language: Language;
  deliver_at: string | null;
}

export type DeliveryStatus = 'sending' | 'sent' | 'failed';

/** One digest for one (subscription, business date): the row whose unique key makes "one digest a day" true. */
export interface DeliveryRecord {
  delivery_id: string;
  subscription_id: string;
  business_date: string;
  execution_id: string;
  status: DeliveryStatus;
  /** Claims of this row so far (each claim is one send, itself retried with backoff inside the claim). */
  attempts: number;
  error: string | null;
  /** A failed delivery that a later `deliver` may try again (transient, or a channel that was not configured). */
  retryable: boolean;
  /** `host:pid` of the process holding (or that last held) the claim. */
  owner: string;
  /** While `sending`: until when the claim is the owner's. Past it, another process may take the row over. */
  lease_until: string;
  created_at: string;
  finished_at: string | null;
}

export interface DeliveryClaim {
  delivery_id: string;
  subscription_id: string;
  business_date: string;
  execution_id: string;
  owner: string;
  now: string;
  lease_until: string;
}

export type ClaimResult =
  | { claimed: true; delivery: DeliveryRecord }
  /** Someone else holds it, or it is done: `delivery` says how it stands. */
  | { claimed: false; delivery: DeliveryRecord };

export interface DeliveryOutcome {
  status: 'sent' | 'failed';
  error?: string;
  retryable?: boolean;
  finished_at: string;
}

/** What a `deliver` run did, as `deliver --json` prints it and the execution keeps it (`delivery`). */
export interface DeliverySummary {
  execution_id: string;
  business_date: string;
  total: number;
  delivered: number;
  failed: number;
  skipped: number;
  failures: { subscription_id: string; channel: ChannelName; error: string }[];
}

/**
 * The persistence port of delivery, implemented by the SQL store for SQLite and PostgreSQL (one contract suite).
 * Chat channels use the same methods for their commands (follow/unfollow/list/lang from a LINE user or a Telegram
 * chat), keyed by (channel, address).
 *
 * Exactly one digest per (subscription, business date): `claimDelivery` inserts the row under that unique key with
 * status `sending` and a lease, and only the process whose claim succeeded sends. A process that dies between
 * sending and `finishDelivery` leaves a `sending` row whose lease expires; a later `deliver` takes it over and sends
 * again, with the same `delivery_id`. So delivery is exactly once while processes live, at least once across a
 * crash; the receiver recognises the repeat by its `delivery_id` (webhook `X-Daybreak-Delivery`, e-mail `Message-ID`).
 */
export interface SubscriptionStore {
  /**
   * Creates the subscription of (channel, address), or updates that one's watchlist, language and time (and
   * re-enables it). One reader holds one subscription per channel address.
   */
  upsertSubscription(input: SubscriptionInput, now: string): Promise<{ subscription: SubscriptionRecord; created: boolean }>;
  getSubscription(subscriptionId: string): Promise<SubscriptionRecord | undefined>;
  getSubscriptionByAddress(channel: ChannelName, address: string): Promise<SubscriptionRecord | undefined>;
  /** Oldest first; `active` filters. */
  listSubscriptions(options?: { active?: boolean; channel?: ChannelName }): Promise<SubscriptionRecord[]>;
  /** Adds symbols (kept once, in the order first followed). Returns the subscription after, undefined if absent. */
  addSubscriptionTickers(subscriptionId: string, tickers: string[], now: string): Promise<SubscriptionRecord | undefined>;
  removeSubscriptionTickers(subscriptionId: string, tickers: string[], now: string): Promise<SubscriptionRecord | undefined>;
  setSubscriptionLanguage(subscriptionId: string, language: Language, now: string): Promise<SubscriptionRecord | undefined>;
  /** active = false with a reason a person understands (bot blocked, address unknown, endpoint gone). */
  disableSubscription(subscriptionId: string, reason: string, now: string): Promise<SubscriptionRecord | undefined>;
  enableSubscription(subscriptionId: string, now: string): Promise<SubscriptionRecord | undefined>;
  /** Deletes the subscription (its delivery rows stay as history). Returns false when there was none. */
  deleteSubscription(subscriptionId: string): Promise<boolean>;

  /**
   * Takes the (subscription, business date) row for sending: inserts it, or takes over a `sending` row whose lease
   * has expired, or a retryable `failed` one (when `retryFailed`). Atomic: of any number of concurrent claims, one
   * succeeds.
   */
  claimDelivery(claim: DeliveryClaim, options?: { retryFailed?: boolean }): Promise<ClaimResult>;
  /**
   * `claimDelivery` for many subscriptions of one business date in a few statements (a delivery run claims in
   * batches): the claims share `owner`, `now`, `lease_until`, business date and execution. Returns the delivery ids
   * this call won.
   */
  claimDeliveries(claims: DeliveryClaim[], options?: { retryFailed?: boolean }): Promise<Set<string>>;
  /** Ends a claim held by `owner`. False when the claim was lost (its lease expired and someone took it over). */
  finishDelivery(deliveryId: string, owner: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** `finishDelivery` of many claims with one outcome (a run records its sent deliveries in batches). Returns how many were still held. */
  finishDeliveries(deliveryIds: string[], owner: string, outcome: DeliveryOutcome): Promise<number>;
  getDelivery(subscriptionId: string, businessDate: string): Promise<DeliveryRecord | undefined>;
  listDeliveries(businessDate: string): Promise<DeliveryRecord[]>;

  /** Keeps the delivery summary on the execution (replacing the previous one). */
  saveDeliverySummary(executionId: string, summary: DeliverySummary): Promise<void>;
  getDeliverySummary(executionId: string): Promise<DeliverySummary | undefined>;

  /** Every ticker's report of that business date, without chart bytes: the input of the brief and of digests. */
  listReportsOfDate(businessDate: string): Promise<StoredReport[]>;
  /** The charts of these tickers on that business date (tickers without one are absent). */
  getChartPngs(tickers: string[], businessDate: string): Promise<Map<string, Buffer>>;
}
