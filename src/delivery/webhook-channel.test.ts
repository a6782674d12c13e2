import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundamentalsLine } from './digest-fundamentals.js';
import { sampleDigest } from './digest.test-support.js';
import { type FakeWebhookReceiver, startFakeWebhookReceiver } from './fake-webhook-receiver.js';
import { WebhookChannel } from './webhook-channel.js';

const SECRET = 'webhook-secret-0123456789';
let receiver: FakeWebhookReceiver;
const channel = new WebhookChannel({ secret: SECRET, timeoutMs: 10_000 });

beforeAll(async () => {
  receiver = await startFakeWebhookReceiver(SECRET);
});

afterAll(async () => {
  await channel.close();
  await receiver.close();
});

describe('webhook channel against a receiver that verifies the signature', () => {
  it('posts a 50-ticker digest complete in one signed body (JSON has no length limit), brief first', async () => {
    const digest = sampleDigest({ items: 50, language: 'en', narrativeChars: 20_000, unavailable: ['GONE19'] });
    await channel.send({ delivery_id: 'dlv_20261127_bbbbbbbbbbbbbbbbbbbb', subscription_id: 'sub_50', address: `${receiver.url}/hook/50`, digest });

    expect(receiver.rejected).toBe(0);
    const hook = receiver.received.find((r) => r.path === '/hook/50')!;
    expect(hook.headers['x-daybreak-delivery']).toBe('dlv_20261127_bbbbbbbbbbbbbbbbbbbb');
    const { chart_png: _png, ...firstItem } = digest.items[0]!;
    expect(hook.body).toMatchObject({
      delivery_id: 'dlv_20261127_bbbbbbbbbbbbbbbbbbbb',
      subscription_id: 'sub_50',
      execution_id: 'exec-1',
      business_date: '2026-11-27',
      language: 'en',
      demo: true,
      brief: digest.brief,
      unavailable: ['GONE19'],
    });
    expect(Object.keys(hook.body)[0]).toBe('delivery_id');
    const items = hook.body.items as Record<string, unknown>[];
    expect(items.map((i) => i.ticker)).toEqual(digest.items.map((i) => i.ticker));
    expect(items[0]).toEqual({ ...firstItem, fundamentals_line: fundamentalsLine(firstItem.fundamentals, 'en') });
    expect((hook.body.brief as { narrative: string }).narrative).toHaveLength(digest.brief.narrative.length);
  });

  it('signs each recipient of one shared digest with its own ids', async () => {
    const digest = sampleDigest({ items: 3 });
    await Promise.all(
      ['a', 'b'].map((who) => channel.send({ delivery_id: `dlv_${who}`, subscription_id: `sub_${who}`, address: `${receiver.url}/hook/${who}`, digest })),
    );
    expect(receiver.rejected).toBe(0);
    for (const who of ['a', 'b']) {
      const hook = receiver.received.find((r) => r.path === `/hook/${who}`)!;
      expect(hook.body).toMatchObject({ delivery_id: `dlv_${who}`, subscription_id: `sub_${who}`, items: expect.any(Array) });
      expect(hook.headers['x-daybreak-delivery']).toBe(`dlv_${who}`);
    }
  });
});
