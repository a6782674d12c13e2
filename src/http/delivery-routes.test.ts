import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverExecution, latestDeliverableExecution } from '../delivery/deliver.js';
import { DeliveryTicker } from './delivery-ticker.js';
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from '../delivery/fake-webhook-receiver.js';
import type { SubscriptionRecord } from '../store/subscription-store.js';
import { runPrecompute } from '../pipeline/precompute.js';
import { ADMIN_TOKEN, openSeededApp, serverOf, testClock, type TestApp } from './http.test-support.js';

const SECRET = 'webhook-secret-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
const silent = { info() {}, warn() {}, error() {} };

let t: TestApp;
let server: FastifyInstance;
let webhook: FakeWebhookReceiver;
let first: string;
let second: string;
const clock = testClock('2026-11-27T03:00:00.000Z'); // 10:00 in Bangkok

beforeAll(async () => {
  webhook = await startFakeWebhookReceiver(SECRET);
  // A full run (every active ticker of a two-ticker universe): the minute tick delivers full runs only.
  t = await openSeededApp({
    universe: 2,
    now: clock.now,
    env: { WEBHOOK_SECRET: SECRET, PUBLIC_BASE_URL: 'https://daybreak.example.com', SCHEDULE_TZ: 'Asia/Bangkok' },
  });
  const execution = await runPrecompute(t.app.deps, t.queue, {}, 'manual');
  expect(execution.status).toBe('completed');
  [first, second] = t.app.deps.registry.active().map((x) => x.symbol) as [string, string];
  server = await serverOf(t, { delivery: t.app.delivery });
}, 120_000);

afterAll(async () => {
  await server.close();
  await t.close();
  await webhook.close();
});

describe('GET /api/v1/brief', () => {
  it('answers the brief of the newest execution, in the language asked', async () => {
    const th = await server.inject({ url: '/api/v1/brief' });
    expect(th.statusCode).toBe(200);
    const brief = th.json();
    expect(brief).toMatchObject({ business_date: '2026-11-27', total: 2, language: 'th', data_source: 'demo' });
    expect(brief.advancers + brief.decliners + brief.unchanged).toBe(2);
    expect(brief.calls.BUY + brief.calls.HOLD + brief.calls.SELL).toBe(2);
    expect(brief.narrative).toMatch(/หุ้นอ้างอิง/);
    const en = await server.inject({ url: '/api/v1/brief?language=en' });
    expect(en.json().narrative).toMatch(/of 2 underlyings rose/);
    const bad = await server.inject({ url: '/api/v1/brief?language=fr' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
  });
});

describe('/api/v1/subscriptions (admin)', () => {
  it('needs the admin token', async () => {
    expect((await server.inject({ url: '/api/v1/subscriptions' })).statusCode).toBe(401);
    expect((await server.inject({ method: 'POST', url: '/api/v1/subscriptions', payload: { channel: 'webhook', address: 'https://x.example.com' } })).statusCode).toBe(401);
  });

  it('creates, updates in place, lists, shows and deletes; bad input is a 400 with the reason', async () => {
    const created = await server.inject({ method: 'POST', url: '/api/v1/subscriptions', headers: auth, payload: { channel: 'webhook', address: `${webhook.url}/api`, tickers: [first.toLowerCase()], language: 'en' } });
    expect(created.statusCode).toBe(201);
    const sub = created.json() as SubscriptionRecord;
    expect(sub).toMatchObject({ channel: 'webhook', tickers: [first], language: 'en', deliver_at: null, active: true });
    const updated = await server.inject({ method: 'POST', url: '/api/v1/subscriptions', headers: auth, payload: { channel: 'webhook', address: `${webhook.url}/api`, tickers: [second], deliver_at: '06:30' } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ subscription_id: sub.subscription_id, tickers: [second], deliver_at: '06:30' });

    const bad: [Record<string, unknown>, string, RegExp][] = [
      [{ channel: 'webhook', address: `${webhook.url}/x`, tickers: ['NVDX'] }, 'unknown_ticker', /unknown ticker "NVDX"/],
      [{ channel: 'webhook', address: 'mailto:a@b.com' }, 'bad_request', /http\(s\) URL/],
      [{ channel: 'email', address: 'a@b.com' }, 'bad_request', /email channel is not configured: set SMTP_URL, MAIL_FROM/],
      [{ channel: 'fax', address: '123' }, 'bad_request', /unknown channel "fax"/],
      [{ channel: 'webhook' }, 'invalid_request', /address/],
    ];
    for (const [payload, code, message] of bad) {
      const res = await server.inject({ method: 'POST', url: '/api/v1/subscriptions', headers: auth, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toMatch(message);
    }

    const list = await server.inject({ url: '/api/v1/subscriptions', headers: auth });
    expect(list.json().subscriptions.map((s: SubscriptionRecord) => s.subscription_id)).toEqual([sub.subscription_id]);
    expect((await server.inject({ url: `/api/v1/subscriptions/${sub.subscription_id}`, headers: auth })).json().address).toBe(`${webhook.url}/api`);
    expect((await server.inject({ method: 'DELETE', url: `/api/v1/subscriptions/${sub.subscription_id}`, headers: auth })).statusCode).toBe(204);
    const again = await server.inject({ method: 'DELETE', url: `/api/v1/subscriptions/${sub.subscription_id}`, headers: auth });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('subscription_not_found');
    expect((await server.inject({ url: '/api/v1/subscriptions/sub_nothere', headers: auth })).statusCode).toBe(400);
  });
});

describe('delivery in serve', () => {
  it('delivers at run end and at each deliver_at, counts outcomes in /metrics, and keeps the account on the execution', async () => {
    const store = t.app.deps.store;
    const now = clock.now().toISOString();
    const early = (await store.upsertSubscription({ channel: 'webhook', address: `${webhook.url}/early`, tickers: [first], language: 'th', deliver_at: null }, now)).subscription;
    const nine = (await store.upsertSubscription({ channel: 'webhook', address: `${webhook.url}/nine`, tickers: [], language: 'en', deliver_at: '09:00' }, now)).subscription;
    const eleven = (await store.upsertSubscription({ channel: 'webhook', address: `${webhook.url}/eleven`, tickers: [second], language: 'th', deliver_at: '11:00' }, now)).subscription;
    const ticker = new DeliveryTicker(t.app.delivery, silent);
    const paths = () => webhook.received.map((r) => r.path).sort();

    const execution = (await latestDeliverableExecution(store))!;
    await ticker.afterRun(execution); // 10:00: no time, and 09:00, are due
    expect(paths()).toEqual(['/early', '/nine']);
    await ticker.tick();
    expect(paths()).toEqual(['/early', '/nine']);
    clock.set('2026-11-27T04:00:30.000Z'); // 11:00 in Bangkok
    await ticker.tick();
    expect(paths()).toEqual(['/early', '/eleven', '/nine']);
    clock.set('2026-11-27T03:00:00.000Z');

    const metrics = (await server.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/daybreak_deliveries_total\{channel="webhook",outcome="delivered"\} 3/);
    expect(metrics).toMatch(/daybreak_deliveries_total\{channel="webhook",outcome="skipped"\} [1-9]/);

    const detail = (await server.inject({ url: `/api/v1/executions/${execution.execution_id}` })).json();
    expect(detail.delivery).toMatchObject({ execution_id: execution.execution_id, delivered: 3, failed: 0, total: 3 });
    const again = await deliverExecution(t.app.delivery, execution, { selection: 'all', retryFailed: true });
    expect(again).toMatchObject({ delivered: 0, skipped: 3 });
    expect([early, nine, eleven].every((s) => s.active)).toBe(true);
  });
});
