import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryClaim, SubscriptionInput } from './subscription-store.js';
import type { Store } from './store.js';

const T0 = '2026-11-28T00:00:00.000Z';
const T1 = '2026-11-28T00:01:00.000Z';
const LATER = '2026-11-28T00:10:00.000Z';

const email = (address: string, tickers: string[] = ['NVDA19']): SubscriptionInput => ({
  channel: 'email',
  address,
  tickers,
  language: 'th',
  deliver_at: null,
});

function claim(subscriptionId: string, owner: string, now = T0, leaseMinutes = 2): DeliveryClaim {
  return {
    delivery_id: `dlv_${subscriptionId}`,
    subscription_id: subscriptionId,
    business_date: '2026-11-28',
    execution_id: 'precompute-20261128-050000',
    owner,
    now,
    lease_until: new Date(Date.parse(now) + leaseMinutes * 60_000).toISOString(),
  };
}

/** Subscriptions and delivery claims, the same on every store adapter. `open` returns a fresh, empty, migrated store. */
export function describeSubscriptionStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`SubscriptionStore contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('keeps one subscription per (channel, address) and edits it in place', async () => {
      const { subscription: a, created } = await store.upsertSubscription(email('a@example.com'), T0);
      expect(created).toBe(true);
      expect(a).toMatchObject({ channel: 'email', address: 'a@example.com', tickers: ['NVDA19'], language: 'th', deliver_at: null, active: true, disabled_reason: null, created_at: T0 });
      const again = await store.upsertSubscription({ ...email('a@example.com', ['DBS19']), language: 'en', deliver_at: '07:30' }, T1);
      expect(again.created).toBe(false);
      expect(again.subscription).toMatchObject({ subscription_id: a.subscription_id, tickers: ['DBS19'], language: 'en', deliver_at: '07:30', created_at: T0, updated_at: T1 });
      await store.upsertSubscription({ ...email('a@example.com'), channel: 'webhook' }, T1);
      expect(await store.listSubscriptions()).toHaveLength(2);
      expect(await store.getSubscriptionByAddress('email', 'a@example.com')).toMatchObject({ subscription_id: a.subscription_id });
      expect(await store.getSubscriptionByAddress('telegram', 'a@example.com')).toBeUndefined();

      expect((await store.addSubscriptionTickers(a.subscription_id, ['NVDA19', 'DBS19', 'NVDA19'], T1))?.tickers).toEqual(['DBS19', 'NVDA19']);
      expect((await store.removeSubscriptionTickers(a.subscription_id, ['DBS19'], T1))?.tickers).toEqual(['NVDA19']);
      expect((await store.setSubscriptionLanguage(a.subscription_id, 'th', T1))?.language).toBe('th');
      expect(await store.addSubscriptionTickers('sub_missing', ['NVDA19'], T1)).toBeUndefined();
    });

    it('does not lose either of two concurrent watchlist edits', async () => {
      const { subscription } = await store.upsertSubscription(email('b@example.com', []), T0);
      await Promise.all(['NVDA19', 'DBS19', 'AAPL19', 'TENCENT19'].map((t) => store.addSubscriptionTickers(subscription.subscription_id, [t], T1)));
      expect((await store.getSubscription(subscription.subscription_id))?.tickers.sort()).toEqual(['AAPL19', 'DBS19', 'NVDA19', 'TENCENT19']);
    });

    it('disables with a reason, re-enables, lists active ones only when asked, deletes', async () => {
      const { subscription: a } = await store.upsertSubscription(email('a@example.com'), T0);
      const { subscription: b } = await store.upsertSubscription(email('b@example.com'), T1);
      expect(await store.disableSubscription(a.subscription_id, 'mailbox unavailable', T1)).toMatchObject({ active: false, disabled_reason: 'mailbox unavailable' });
      expect((await store.listSubscriptions({ active: true })).map((s) => s.subscription_id)).toEqual([b.subscription_id]);
      expect((await store.listSubscriptions()).map((s) => s.subscription_id)).toEqual([a.subscription_id, b.subscription_id]);
      expect(await store.enableSubscription(a.subscription_id, T1)).toMatchObject({ active: true, disabled_reason: null });
      // Subscribing the address again re-enables it too.
      await store.disableSubscription(a.subscription_id, 'blocked', T1);
      expect((await store.upsertSubscription(email('a@example.com'), T1)).subscription.active).toBe(true);
      expect(await store.deleteSubscription(a.subscription_id)).toBe(true);
      expect(await store.deleteSubscription(a.subscription_id)).toBe(false);
      expect(await store.getSubscription(a.subscription_id)).toBeUndefined();
    });

    it('lets exactly one of many concurrent claims of a (subscription, business date) win', async () => {
      const { subscription } = await store.upsertSubscription(email('a@example.com'), T0);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.claimDelivery(claim(subscription.subscription_id, `host:${i}`))));
      const winners = results.filter((r) => r.claimed);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => !r.claimed).every((r) => r.delivery.status === 'sending' && r.delivery.owner === winners[0]!.delivery.owner)).toBe(true);

      expect(await store.finishDelivery(`dlv_${subscription.subscription_id}`, 'host:other', { status: 'sent', finished_at: T1 })).toBe(false);
      expect(await store.finishDelivery(`dlv_${subscription.subscription_id}`, winners[0]!.delivery.owner, { status: 'sent', finished_at: T1 })).toBe(true);
      const after = await store.claimDelivery(claim(subscription.subscription_id, 'host:late', LATER), { retryFailed: true });
      expect(after).toMatchObject({ claimed: false, delivery: { status: 'sent', attempts: 1, finished_at: T1 } });
      expect(await store.listDeliveries('2026-11-28')).toHaveLength(1);
      expect(await store.listDeliveries('2026-11-29')).toEqual([]);
    });

    it('takes over a claim whose lease expired (its process died), and a retryable failure only when asked', async () => {
      const { subscription: a } = await store.upsertSubscription(email('a@example.com'), T0);
      const { subscription: b } = await store.upsertSubscription(email('b@example.com'), T0);
      expect((await store.claimDelivery(claim(a.subscription_id, 'host:dead', T0, 1))).claimed).toBe(true);
      expect((await store.claimDelivery(claim(a.subscription_id, 'host:2', T0))).claimed).toBe(false); // lease still live
      const takeover = await store.claimDelivery(claim(a.subscription_id, 'host:2', LATER));
      expect(takeover).toMatchObject({ claimed: true, delivery: { owner: 'host:2', attempts: 2, delivery_id: `dlv_${a.subscription_id}` } });
      // The dead process cannot record over the new owner's claim.
      expect(await store.finishDelivery(`dlv_${a.subscription_id}`, 'host:dead', { status: 'sent', finished_at: LATER })).toBe(false);

      await store.claimDelivery(claim(b.subscription_id, 'host:1'));
      await store.finishDelivery(`dlv_${b.subscription_id}`, 'host:1', { status: 'failed', error: '503', retryable: true, finished_at: T1 });
      expect((await store.claimDelivery(claim(b.subscription_id, 'host:1', LATER))).claimed).toBe(false);
      expect((await store.claimDelivery(claim(b.subscription_id, 'host:1', LATER), { retryFailed: true })).claimed).toBe(true);
      await store.finishDelivery(`dlv_${b.subscription_id}`, 'host:1', { status: 'failed', error: '410 Gone', retryable: false, finished_at: LATER });
      expect(await store.getDelivery(b.subscription_id, '2026-11-28')).toMatchObject({ status: 'failed', error: '410 Gone', retryable: false, attempts: 2 });
      expect((await store.claimDelivery(claim(b.subscription_id, 'host:1', LATER), { retryFailed: true })).claimed).toBe(false);
    });

    it('claims and records in batches with the same exclusivity', async () => {
      const subs = [];
      for (let i = 0; i < 5; i++) subs.push((await store.upsertSubscription(email(`r${i}@example.com`), T0)).subscription.subscription_id);
      expect((await store.claimDelivery(claim(subs[0]!, 'host:1'))).claimed).toBe(true);
      const [a, b] = await Promise.all([
        store.claimDeliveries(subs.map((id) => claim(id, 'host:a'))),
        store.claimDeliveries(subs.map((id) => claim(id, 'host:b'))),
      ]);
      expect(a.size + b.size).toBe(4);
      expect([...a].some((id) => b.has(id))).toBe(false);
      expect(a.has(`dlv_${subs[0]}`) || b.has(`dlv_${subs[0]}`)).toBe(false);
      const mine = [...a];
      expect(await store.finishDeliveries([...mine, ...b], 'host:a', { status: 'sent', finished_at: T1 })).toBe(mine.length);
      // After the lease, the rows still `sending` (host:1's and host:b's) can be taken over in one call.
      const later = await store.claimDeliveries(subs.map((id) => claim(id, 'host:c', LATER)));
      expect(later.size).toBe(5 - mine.length);
    });

    it('keeps the delivery summary of an execution', async () => {
      expect(await store.getDeliverySummary('precompute-20261128-050000')).toBeUndefined();
      const summary = { execution_id: 'precompute-20261128-050000', business_date: '2026-11-28', total: 2, delivered: 1, failed: 1, skipped: 0, failures: [{ subscription_id: 'sub_1', channel: 'webhook' as const, error: '410' }] };
      await store.saveDeliverySummary(summary.execution_id, summary);
      await store.saveDeliverySummary(summary.execution_id, { ...summary, delivered: 2, failed: 0, failures: [] });
      expect(await store.getDeliverySummary(summary.execution_id)).toMatchObject({ delivered: 2, failed: 0, failures: [] });
    });

    it('lists the reports of a business date and their charts', async () => {
      const report = (ticker: string, date: string) => ({ ticker, business_date: date, as_of: date, execution_id: 'e1', generated_at: T0, data_source: 'demo', body: `{"ticker":"${ticker}"}` });
      await store.saveReport(report('NVDA19', '2026-11-28'), new Uint8Array([1, 2, 3]));
      await store.saveReport(report('DBS19', '2026-11-28'), null);
      await store.saveReport(report('NVDA19', '2026-11-27'), new Uint8Array([9]));
      expect((await store.listReportsOfDate('2026-11-28')).map((r) => r.ticker)).toEqual(['DBS19', 'NVDA19']);
      const charts = await store.getChartPngs(['NVDA19', 'DBS19'], '2026-11-28');
      expect([...charts.keys()]).toEqual(['NVDA19']);
      expect([...charts.get('NVDA19')!]).toEqual([1, 2, 3]);
    });
  });
}
