import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { ChannelName, SubscriptionRecord } from './subscription-store.js';
import type { Database, SubscriptionsTable } from './schema.js';
import { toSubscription } from './sql-subscription-store.js';

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}
interface PendingClaim extends Pending<boolean> {
  platform: 'line' | 'telegram';
  eventId: string;
  receivedAt: string;
}
interface PendingRead extends Pending<SubscriptionsTable | undefined> {
  channel: ChannelName;
  address: string;
}

/**
 * The two store calls every chat message makes, for SQLite: claiming the webhook event and reading the reader's
 * subscription. Through Kysely each compiled and prepared a statement per call (~0.1 ms of a webhook's CPU, the
 * biggest share after the HTTP work); here each is one cached statement, and the calls that arrive together (a burst
 * of webhooks handled in the same turn of the event loop) run under one take of Kysely's connection lock (so they
 * never land inside one of Kysely's transactions), the claims in one transaction, so a burst commits once.
 */
export class SqliteChatStatements {
  private readonly insertEvent: BetterSqlite3.Statement<[string, string, string]>;
  private readonly selectSubscription: BetterSqlite3.Statement<[string, string], SubscriptionsTable>;
  private readonly insertEvents: BetterSqlite3.Transaction<(claims: PendingClaim[]) => boolean[]>;
  private claims: PendingClaim[] = [];
  private reads: PendingRead[] = [];
  private flushScheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    connection: BetterSqlite3.Database,
  ) {
    // ON CONFLICT DO NOTHING: atomic, so two processes claiming one event never both win (changes = 1 only once).
    this.insertEvent = connection.prepare(`insert into chat_webhook_events (platform, event_id, received_at) values (?, ?, ?) on conflict (platform, event_id) do nothing`);
    this.selectSubscription = connection.prepare(`select * from subscriptions where channel = ? and address = ?`);
    this.insertEvents = connection.transaction((claims: PendingClaim[]) => claims.map((c) => this.insertEvent.run(c.platform, c.eventId, c.receivedAt).changes === 1));
  }

  claimWebhookEvent(platform: 'line' | 'telegram', eventId: string, receivedAt: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.claims.push({ platform, eventId, receivedAt, resolve, reject });
      this.scheduleFlush();
    });
  }

  async getSubscriptionByAddress(channel: ChannelName, address: string): Promise<SubscriptionRecord | undefined> {
    const row = await new Promise<SubscriptionsTable | undefined>((resolve, reject) => {
      this.reads.push({ channel, address, resolve, reject });
      this.scheduleFlush();
    });
    return row && toSubscription(row);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  /**
   * Everything queued since the last flush, under one take of the lock. The claims are one transaction: if it fails,
   * none is recorded and all of them reject; a failed read rejects only its caller.
   */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const claims = this.claims;
    const reads = this.reads;
    this.claims = [];
    this.reads = [];
    await this.db
      .connection()
      .execute(async () => {
        if (claims.length > 0) settle(claims, () => this.insertEvents.immediate(claims));
        for (const r of reads) settle([r], () => [this.selectSubscription.get(r.channel, r.address)]);
      })
      .catch((error: unknown) => {
        for (const p of [...claims, ...reads]) p.reject(error);
      });
  }
}

/** Resolves each of `pending` with its result of `run`, or rejects them all with its error. */
function settle<T>(pending: Pending<T>[], run: () => T[]): void {
  let results: T[];
  try {
    results = run();
  } catch (error) {
    for (const p of pending) p.reject(error);
    return;
  }
  pending.forEach((p, i) => p.resolve(results[i]!));
}
