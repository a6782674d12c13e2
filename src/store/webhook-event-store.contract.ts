import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookEventStore } from './webhook-event-store.js';

/** The behaviour every adapter of `WebhookEventStore` must have; run by both store adapters' tests. */
export function describeWebhookEventStoreContract(name: string, open: () => Promise<WebhookEventStore & { close(): Promise<void> }>): void {
  describe(`WebhookEventStore contract: ${name}`, () => {
    let store: WebhookEventStore & { close(): Promise<void> };
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('claims an event once, per platform, even when many claim it at the same time', async () => {
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claimWebhookEvent('line', '01HEVENT', '2026-11-27T00:00:00.000Z')));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimWebhookEvent('line', '01HEVENT', '2026-11-27T00:01:00.000Z')).toBe(false);
      expect(await store.claimWebhookEvent('telegram', '01HEVENT', '2026-11-27T00:00:00.000Z')).toBe(true);
    });

    it('forgets events older than a cut-off, so they could be claimed again', async () => {
      await store.claimWebhookEvent('telegram', '1', '2026-11-20T00:00:00.000Z');
      await store.claimWebhookEvent('telegram', '2', '2026-11-27T00:00:00.000Z');
      expect(await store.purgeWebhookEvents('2026-11-26T00:00:00.000Z')).toBe(1);
      expect(await store.claimWebhookEvent('telegram', '1', '2026-11-27T00:00:00.000Z')).toBe(true);
      expect(await store.claimWebhookEvent('telegram', '2', '2026-11-27T00:00:00.000Z')).toBe(false);
    });
  });
}
