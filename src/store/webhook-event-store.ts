/**
 * The store port of the chat webhooks: which platform events were already processed, so an event LINE or Telegram
 * delivers again (`deliveryContext.isRedelivery`, a repeated `update_id`) is not answered twice. `Store` extends it.
 */
export interface WebhookEventStore {
  /**
   * Records that (platform, event id) is being processed. True the first time, false when it was recorded before
   * (by this or any other process): the caller then does nothing.
   */
  claimWebhookEvent(platform: 'line' | 'telegram', eventId: string, receivedAt: string): Promise<boolean>;
  /** Forgets events received before `before` (platforms stop redelivering after a day at most). Returns how many. */
  purgeWebhookEvents(before: string): Promise<number>;
}
