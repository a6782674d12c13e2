import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { SubscriptionRecord } from '../delivery/subscription-store.js';
import type { ChannelName } from '../delivery/delivery-channel.js';
import type { Database, SubscriptionsTable } from './schema.js';
import { toSubscription } from './sql-subscription-store.js';

interface PendingClaim {
  platform: 'line' | 'telegram';
  eventId: string;
  receivedAt: string;
  resolve: (claimed: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * The two store calls every chat message makes, for SQLite: claiming the webhook event and reading the reader's
 * subscription. Through Kysely each compiled and prepared a statement per call (~0.1 ms of a webhook's CPU, the
 * biggest share after the HTTP work); here each is one cached statement, and claims that arrive together (a burst of
 * webhooks parsed in the same turn of the event loop) are inserted in one transaction, so a burst commits once.
 * Both run under Kysely's connection lock, so they never land inside one of Kysely's transactions.
 */
export class SqliteChatStatements {
  private readonly insertEvent: BetterSqlite3.Statement<[string, string, string]>;
  private readonly selectSubscription: BetterSqlite3.Statement<[string, string], SubscriptionsTable>;
  private readonly insertEvents: (claims: PendingClaim[]) => boolean[];
  private pending: PendingClaim[] = [];

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
      if (this.pending.length === 0) setImmediate(() => void this.flushClaims());
      this.pending.push({ platform, eventId, receivedAt, resolve, reject });
    });
  }

  async getSubscriptionByAddress(channel: ChannelName, address: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.db.connection().execute(async () => this.selectSubscription.get(channel, address));
    return row && toSubscription(row);
  }

  /** One transaction for every claim queued since the last flush; if it fails, none is recorded and all reject. */
  private async flushClaims(): Promise<void> {
    const claims = this.pending;
    this.pending = [];
    try {
      const claimed = await this.db.connection().execute(async () => this.insertEvents(claims));
      claims.forEach((c, i) => c.resolve(claimed[i]!));
    } catch (error) {
      for (const c of claims) c.reject(error);
    }
  }
}
