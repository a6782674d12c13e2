import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';
import { computeMorningBrief } from '../report/morning-brief.js';
import type { Language } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import type { ExecutionRecord, Store } from '../store/store.js';
import { type ChannelName, DeliveryError, type MorningBrief } from './delivery-channel.js';
import type { DeliveryChannels } from './delivery-channels.js';
import { DigestBuilder } from './digest.js';
import type { DeliveryRecord, DeliverySummary, SubscriptionRecord } from '../store/subscription-store.js';

/** Emitted on the app's event bus once per subscription a run handled (metrics count them by channel and outcome). */
export const DELIVERY_ENDED = 'delivery-ended';
export interface DeliveryEndedEvent {
  channel: ChannelName;
  outcome: 'delivered' | 'failed' | 'skipped';
  subscription_id: string;
}

/** A sent delivery is recorded at most this late (the batch is written sooner when full). */
const SENT_FLUSH_MS = 100;

/**
 * Records sent deliveries in batches (one UPDATE per batch instead of one per digest). A crash before a batch is
 * written leaves those rows `sending` under a lease: the at-least-once case the delivery id lets receivers spot.
 */
class SentBatcher {
  private ids: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly owner: string,
    private readonly now: () => Date,
    private readonly batchSize: number,
  ) {}

  async add(deliveryId: string): Promise<void> {
    this.ids.push(deliveryId);
    if (this.ids.length >= this.batchSize) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush().catch(() => {}), SENT_FLUSH_MS);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const ids = this.ids;
    this.ids = [];
    const write = this.writing.then(() =>
      ids.length === 0 ? undefined : this.store.finishDeliveries(ids, this.owner, { status: 'sent', finished_at: this.now().toISOString() }),
    );
    this.writing = write.catch(() => {});
    return write.then(() => undefined);
  }
}

/** Rate-limit waits (429) inside one delivery before it is left to a later run. */
const MAX_RATE_LIMITED_WAITS = 5;

export interface DeliveryDeps {
  store: Store;
  channels: DeliveryChannels;
  now: () => Date;
  /** `host:pid`: the owner of the claims this process takes. */
  owner: string;
  events: EventEmitter;
  settings: {
    concurrency: number;
    /** Sends per claimed delivery, the first included; transient failures back off from `backoffMs`, doubling. */
    attempts: number;
    backoffMs: number;
    leaseMs: number;
    /** Subscriptions claimed per statement (and sent deliveries recorded per statement): `DELIVERY_CLAIM_BATCH`. */
    claimBatch: number;
    /** Longest one send may take (a retry is only started when it can end within the claim's lease). */
    timeoutMs: number;
    /** PUBLIC_BASE_URL without its trailing slash, or '' (links are then relative). */
    baseUrl: string;
    /** Time zone of `deliver_at`. */
    timezone: string;
  };
  /** Waits between retries (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Which subscriptions a run serves: `all` (`daybreak deliver`: now, whatever their time), or `due` (after a run and
 * on serve's minute tick: those without a time, and those whose `deliver_at` has passed today).
 */
export type DeliverySelection = 'all' | 'due';

export interface DeliverOptions {
  selection: DeliverySelection;
  /** Take again deliveries of this business date that failed for a reason that may pass (off for the minute tick). */
  retryFailed: boolean;
}

/** Stable per (subscription, business date): every send and re-send of one digest carries the same id. */
export function deliveryIdFor(subscriptionId: string, businessDate: string): string {
  const hash = createHash('sha256').update(`${subscriptionId}|${businessDate}`).digest('hex').slice(0, 20);
  return `dlv_${businessDate.replaceAll('-', '')}_${hash}`;
}

/** `HH:MM` of `now` in `timezone`. */
function localTimeOfDay(now: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
}

/** A run over every active ticker (not `--tickers`, `--limit` or `--only-failed`): what the minute tick delivers. */
export function isFullRun(execution: ExecutionRecord): boolean {
  const r = execution.requested;
  return r.tickers === undefined && r.limit === undefined && r.only_failed === undefined;
}

/** The newest execution that has ended with at least one report, optionally only full runs of one business date. */
export async function latestDeliverableExecution(
  store: Store,
  filter: { businessDate?: string; fullRunOnly?: boolean } = {},
): Promise<ExecutionRecord | undefined> {
  const recent = await store.listExecutions({ limit: 50 });
  return recent.find(
    (e) =>
      e.status !== 'running' &&
      e.completed > 0 &&
      (filter.businessDate === undefined || e.business_date === filter.businessDate) &&
      (!filter.fullRunOnly || isFullRun(e)),
  );
}

/** Every report of the execution's business date, parsed once. */
export async function loadReportsOfDate(store: Store, businessDate: string): Promise<Map<string, Report>> {
  const reports = new Map<string, Report>();
  for (const stored of await store.listReportsOfDate(businessDate)) reports.set(stored.ticker, JSON.parse(stored.body) as Report);
  return reports;
}

export function briefOf(reports: Iterable<Report>, execution: Pick<ExecutionRecord, 'business_date' | 'execution_id'>, language: Language): MorningBrief {
  return computeMorningBrief([...reports], { business_date: execution.business_date, execution_id: execution.execution_id, language });
}

/** The brief of an execution from the stored reports of its business date (the CLI, the API and the snapshot). */
export async function briefOfExecution(store: Store, execution: Pick<ExecutionRecord, 'business_date' | 'execution_id'>, language: Language): Promise<MorningBrief> {
  return briefOf((await loadReportsOfDate(store, execution.business_date)).values(), execution, language);
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Step 7, the same code in both modes and in every process: each active subscription gets one digest of the
 * execution's business date. Reports and charts are read once, each distinct (watchlist, language) digest is built
 * once, and subscriptions are served with bounded concurrency, each on its own: a dead endpoint uses one slot for
 * its retries and never delays the rest.
 *
 * Per subscription: skip when the store already holds its delivery for the date (sent, or being sent under a live
 * lease); else claim it (the store's unique key lets one process win), send with retries, record the outcome. A
 * permanent failure disables the subscription with the channel's reason. A channel absent from this process's
 * configuration fails its subscriptions with the missing variables (retried by a later run once configured).
 *
 * Returns what this run did; the execution's `delivery` (where every delivery of the execution stands, over all runs
 * and processes) is saved from the store's rows when the run changed any.
 */
export async function deliverExecution(deps: DeliveryDeps, execution: ExecutionRecord, options: DeliverOptions): Promise<DeliverySummary> {
  const { store, settings } = deps;
  const sleep = deps.sleep ?? sleepMs;
  const businessDate = execution.business_date;
  const now = deps.now();
  // Due: no `deliver_at`, or one that has passed in the schedule's time zone (one formatter per run, not per reader).
  const localNow = localTimeOfDay(now, settings.timezone);
  const subscriptions = (await store.listSubscriptions({ active: true })).filter(
    (s) => options.selection === 'all' || s.deliver_at === null || localNow >= s.deliver_at,
  );
  const summary: DeliverySummary = {
    execution_id: execution.execution_id,
    business_date: businessDate,
    total: subscriptions.length,
    delivered: 0,
    failed: 0,
    skipped: 0,
    failures: [],
  };
  if (subscriptions.length === 0) return summary;

  // One read of the date's delivery rows lets a run that finds everything done (the minute tick) claim nothing.
  const existing = new Map((await store.listDeliveries(businessDate)).map((d) => [d.subscription_id, d]));
  const settled = (d: DeliveryRecord | undefined): boolean =>
    d !== undefined &&
    (d.status === 'sent' ||
      (d.status === 'sending' && d.lease_until >= now.toISOString()) ||
      (d.status === 'failed' && !(options.retryFailed && d.retryable)));
  const pending = subscriptions.filter((s) => !settled(existing.get(s.subscription_id)));
  const skip = (s: SubscriptionRecord) => {
    summary.skipped++;
    deps.events.emit(DELIVERY_ENDED, { channel: s.channel, outcome: 'skipped', subscription_id: s.subscription_id } satisfies DeliveryEndedEvent);
  };
  const pendingIds = new Set(pending.map((s) => s.subscription_id));
  for (const s of subscriptions) if (!pendingIds.has(s.subscription_id)) skip(s);
  if (pending.length === 0) return summary;

  const reports = await loadReportsOfDate(store, businessDate);
  const watched = [...new Set(pending.flatMap((s) => s.tickers))];
  const charts = await store.getChartPngs(watched.filter((t) => reports.has(t) && reports.get(t)!.chart_url !== null), businessDate);
  const briefs = new Map<Language, MorningBrief>();
  const digests = new DigestBuilder({
    business_date: businessDate,
    execution_id: execution.execution_id,
    reports,
    charts,
    baseUrl: settings.baseUrl,
    briefFor: (language) => {
      let brief = briefs.get(language);
      if (!brief) briefs.set(language, (brief = briefOf(reports.values(), execution, language)));
      return brief;
    },
  });

  // Identical digests go out next to each other, so a channel's per-digest caches stay small.
  pending.sort((x, y) => (x.channel + x.language + x.tickers.join()).localeCompare(y.channel + y.language + y.tickers.join()));
  const claimBatch = settings.claimBatch;
  const sent = new SentBatcher(store, deps.owner, deps.now, claimBatch);
  let changed = false;
  // One pipeline per channel, each with its own concurrency: slow e-mails never hold the slots webhooks need.
  const byChannel = new Map<ChannelName, SubscriptionRecord[]>();
  for (const s of pending) {
    let list = byChannel.get(s.channel);
    if (!list) byChannel.set(s.channel, (list = []));
    list.push(s);
  }
  await Promise.all([...byChannel.values()].map((list) => runChannel(list)));
  await sent.flush();
  summary.failures.sort((a, b) => a.subscription_id.localeCompare(b.subscription_id));
  if (changed) await saveExecutionDelivery(store, execution, subscriptions);
  return summary;

  async function runChannel(list: SubscriptionRecord[]): Promise<void> {
    const limit = pLimit(settings.concurrency);
    const tasks: Promise<void>[] = [];
    let taskEnded: () => void = () => {};
    const nextTaskEnd = () => new Promise<void>((resolve) => (taskEnded = resolve));
    // Claimed a batch at a time, just ahead of the senders: a claim's lease starts when it is taken, so nothing waits
    // long in this process holding a lease another process could see expire.
    for (let i = 0; i < list.length; i += claimBatch) {
      while (limit.pendingCount > claimBatch / 2) await nextTaskEnd();
      const batch = list.slice(i, i + claimBatch);
      const claimedAt = deps.now();
      const won = await store.claimDeliveries(
        batch.map((subscription) => ({
          delivery_id: deliveryIdFor(subscription.subscription_id, businessDate),
          subscription_id: subscription.subscription_id,
          business_date: businessDate,
          execution_id: execution.execution_id,
          owner: deps.owner,
          now: claimedAt.toISOString(),
          lease_until: new Date(claimedAt.getTime() + settings.leaseMs).toISOString(),
        })),
        { retryFailed: options.retryFailed },
      );
      for (const subscription of batch) {
        const deliveryId = deliveryIdFor(subscription.subscription_id, businessDate);
        if (!won.has(deliveryId)) {
          skip(subscription);
          continue;
        }
        changed = true;
        tasks.push(
          limit(async () => {
            const outcome = await deliverOne(subscription, deliveryId, claimedAt.getTime() + settings.leaseMs);
            if (outcome.status === 'delivered') summary.delivered++;
            else {
              summary.failed++;
              summary.failures.push({ subscription_id: subscription.subscription_id, channel: subscription.channel, error: outcome.error });
            }
            deps.events.emit(DELIVERY_ENDED, {
              channel: subscription.channel,
              outcome: outcome.status,
              subscription_id: subscription.subscription_id,
            } satisfies DeliveryEndedEvent);
          }).finally(() => taskEnded()),
        );
      }
    }
    await Promise.all(tasks);
  }

  async function deliverOne(subscription: SubscriptionRecord, deliveryId: string, leaseEndsAt: number): Promise<{ status: 'delivered' } | { status: 'failed'; error: string }> {
    const fail = async (error: string, retryable: boolean) => {
      await store.finishDelivery(deliveryId, deps.owner, { status: 'failed', error, retryable, finished_at: deps.now().toISOString() });
    };
    const channel = deps.channels.get(subscription.channel);
    if (!channel) {
      const reason = deps.channels.unavailableReason(subscription.channel)!;
      await fail(reason, true);
      return { status: 'failed', error: reason };
    }
    try {
      const digest = digests.digestFor(subscription.tickers, subscription.language);
      await sendWithRetries(
        () => channel.send({ delivery_id: deliveryId, subscription_id: subscription.subscription_id, address: subscription.address, digest }),
        leaseEndsAt,
      );
    } catch (error) {
      const permanent = error instanceof DeliveryError && error.kind === 'permanent';
      const reason = errorMessage(error);
      await fail(reason, !permanent);
      if (permanent) await store.disableSubscription(subscription.subscription_id, reason, deps.now().toISOString());
      return { status: 'failed', error: permanent ? `${reason} (subscription disabled)` : reason };
    }
    await sent.add(deliveryId);
    return { status: 'delivered' };
  }

  /**
   * Retries within the claim's lease only: a wait that would outlast it ends the delivery as failed (retryable)
   * instead, since past the lease another process may take the row over and send it too.
   */
  async function sendWithRetries(send: () => Promise<void>, leaseEndsAt: number): Promise<void> {
    let waits = 0;
    for (let attempt = 1; ; ) {
      try {
        return await send();
      } catch (error) {
        const kind = error instanceof DeliveryError ? error.kind : 'transient';
        if (kind === 'permanent') throw error;
        const rateLimited = kind === 'rate_limited' && waits < MAX_RATE_LIMITED_WAITS;
        if (!rateLimited && attempt >= settings.attempts) throw error;
        const wait = rateLimited ? ((error as DeliveryError).retryAfterMs ?? 1_000) : settings.backoffMs * 2 ** (attempt - 1);
        if (deps.now().getTime() + wait + settings.timeoutMs >= leaseEndsAt) throw error;
        await sleep(wait);
        if (rateLimited) waits++;
        else attempt++;
      }
    }
  }
}

/**
 * Where the execution's deliveries stand, from the store's rows (so two processes delivering at once, or a run
 * and a later retry, end with one account): delivered / failed under this execution, the rest of the subscriptions
 * considered (and of those it touched, disabled since or not) skipped.
 */
async function saveExecutionDelivery(store: Store, execution: ExecutionRecord, considered: SubscriptionRecord[]): Promise<void> {
  const channelOf = new Map((await store.listSubscriptions()).map((s) => [s.subscription_id, s.channel]));
  const ids = new Set(considered.map((s) => s.subscription_id));
  const state: DeliverySummary = {
    execution_id: execution.execution_id,
    business_date: execution.business_date,
    total: 0,
    delivered: 0,
    failed: 0,
    skipped: 0,
    failures: [],
  };
  for (const row of await store.listDeliveries(execution.business_date)) {
    if (row.execution_id !== execution.execution_id || row.status === 'sending') continue;
    ids.delete(row.subscription_id);
    state.total++;
    if (row.status === 'sent') state.delivered++;
    else {
      state.failed++;
      const channel = channelOf.get(row.subscription_id);
      if (channel) state.failures.push({ subscription_id: row.subscription_id, channel, error: row.error ?? 'unknown error' });
    }
  }
  state.total += ids.size;
  state.skipped = ids.size;
  state.failures.sort((a, b) => a.subscription_id.localeCompare(b.subscription_id));
  await store.saveDeliverySummary(execution.execution_id, state);
}
