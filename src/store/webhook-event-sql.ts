import type { WebhookEventStore } from './webhook-event-store.js';
import type { Db } from './schema.js';

/** `WebhookEventStore` in Kysely, for SQLite and PostgreSQL alike; `SqlStore` delegates to it. */
export class WebhookEventSql implements WebhookEventStore {
  constructor(private readonly db: Db) {}

  async claimWebhookEvent(platform: 'line' | 'telegram', eventId: string, receivedAt: string): Promise<boolean> {
    // ON CONFLICT DO NOTHING: one statement that is atomic on both databases, so two processes never both win.
    const result = await this.db
      .insertInto('chat_webhook_events')
      .values({ platform, event_id: eventId, received_at: receivedAt })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async purgeWebhookEvents(before: string): Promise<number> {
    const result = await this.db.deleteFrom('chat_webhook_events').where('received_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
