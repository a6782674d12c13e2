import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daybreak } from './run-cli.test-support.js';
import { startTelegramFake, type TelegramFakeServer } from '../delivery/telegram-fake-server.js';
import { eventually, openSeededApp, serverOf, type TestApp } from '../http/http.test-support.js';
import { signInitData, verifyInitData } from '../chat/telegram-init-data.js';

const TOKEN = '123456789:AAtelegram-test-token-abcdefghij';
const SECRET = 'telegram-webhook-secret-0123456789';

let t: TestApp;
let fake: TelegramFakeServer;
let server: FastifyInstance;
let updateId = 1;

beforeAll(async () => {
  fake = await startTelegramFake({ token: TOKEN });
  t = await openSeededApp({
    tickers: ['NVDA19'],
    env: { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_BASE_URL: fake.origin, PUBLIC_BASE_URL: 'https://daybreak.example.com' },
  });
  server = await serverOf(t);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
  await fake?.close();
});

const update = (chatId: number, message: Record<string, unknown>, id = updateId++) => ({
  update_id: id,
  message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, from: { id: chatId, is_bot: false, first_name: 'A' }, ...message },
});

function post(body: unknown, secret: string | null = SECRET) {
  return server.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', ...(secret !== null && { 'x-telegram-bot-api-secret-token': secret }) },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const callsTo = (chat: number) => fake.calls.filter((c) => c.body.chat_id === String(chat) || c.body.chat_id === chat);

describe('POST /webhooks/telegram', () => {
  it('answers /report SYMBOL with the chart as a photo, the summary as caption and a button to the report', async () => {
    expect((await post(update(501, { text: '/report nvda' }))).statusCode).toBe(200);
    const call = await eventually(async () => callsTo(501).find((c) => c.status === 200));
    expect(call.method).toBe('sendPhoto');
    expect(call.body.photo).toMatch(/^https:\/\/daybreak\.example\.com\/api\/v1\/report\/NVDA19\/chart\.png\?v=/);
    expect(call.body.caption).toContain('<b>NVDA19 · NVIDIA Corporation</b>');
    expect(call.body.reply_markup).toEqual({ inline_keyboard: [[{ text: 'เปิดรายงานฉบับเต็ม', url: 'https://daybreak.example.com/#/report/NVDA19' }]] });
  });

  it('refuses a missing or wrong secret token with 401 and does nothing', async () => {
    const before = fake.calls.length;
    for (const secret of [null, 'wrong', `${SECRET}x`, SECRET.slice(0, -1)]) {
      const res = await post(update(502, { text: 'nvda' }), secret);
      expect([secret, res.statusCode]).toEqual([secret, 401]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.calls.length).toBe(before);
  });

  it('answers an update delivered twice once', async () => {
    const u = update(503, { text: 'help' });
    await post(u);
    await post(u);
    await eventually(async () => callsTo(503).find((c) => c.status === 200));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(callsTo(503)).toHaveLength(1);
    expect(callsTo(503)[0]!.body.text).toContain('พิมพ์ได้ดังนี้');
  });

  it('answers stickers with help and ignores what is not a message, never with a 5xx', async () => {
    expect((await post(update(504, { sticker: { file_id: 'x', emoji: '👍' } }))).statusCode).toBe(200);
    expect((await eventually(async () => callsTo(504)[0])).body.text).toContain('พิมพ์ได้ดังนี้');
    for (const body of ['{"update_id":', '[]', { update_id: updateId++, edited_message: {} }, { update_id: updateId++, message: { chat: { id: 'x' } } }]) {
      expect((await post(body)).statusCode).toBe(200);
    }
  });
});

describe('Telegram Mini App init data', () => {
  const now = 1_764_500_000;
  const fields = { auth_date: String(now - 60), query_id: 'AAH', user: JSON.stringify({ id: 4242, first_name: 'Somchai', language_code: 'th' }) };

  it('accepts data signed with the bot token and names its user', () => {
    expect(verifyInitData(signInitData(fields, TOKEN), TOKEN, now)).toEqual({ ok: true, userId: '4242', authDate: now - 60 });
  });

  it('refuses tampered, foreign, expired or user-less data', () => {
    const signed = signInitData(fields, TOKEN);
    expect(verifyInitData(signed.replace('4242', '4243'), TOKEN, now)).toMatchObject({ ok: false, reason: expect.stringContaining('signature') });
    expect(verifyInitData(signInitData(fields, '987654321:AAother-bot-token-zzzzzzzzzz'), TOKEN, now)).toMatchObject({ ok: false });
    expect(verifyInitData(signInitData({ ...fields, auth_date: String(now - 25 * 3600) }, TOKEN), TOKEN, now)).toMatchObject({ ok: false, reason: expect.stringContaining('24 hours') });
    expect(verifyInitData(signInitData({ auth_date: String(now) }, TOKEN), TOKEN, now)).toMatchObject({ ok: false, reason: expect.stringContaining('no user') });
    expect(verifyInitData(undefined, TOKEN, now)).toMatchObject({ ok: false });
    expect(verifyInitData('user=%7B%22id%22%3A1%7D', TOKEN, now)).toMatchObject({ ok: false });
  });

  it('keeps /api/v1/me/watchlist closed without valid init data; a user-id header is not enough', async () => {
    for (const headers of [{}, { 'x-telegram-init-data': 'user=%7B%22id%22%3A4242%7D&hash=00' }, { 'x-telegram-user-id': '4242' }]) {
      const res = await server.inject({ url: '/api/v1/me/watchlist', headers });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
  });
});

describe('Telegram watchlists, the Mini App and the morning digest', () => {
  it('follows by command, edits the watchlist from the Mini App, delivers one digest, and disables a reader who blocked the bot', async () => {
    const chat = 777;
    await post(update(chat, { text: '/follow nvda' }));
    await eventually(async () => callsTo(chat).find((c) => String(c.body.text ?? '').includes('ติดตาม NVDA19 แล้ว')));
    expect(await t.app.deps.store.getSubscriptionByAddress('telegram', String(chat))).toMatchObject({ tickers: ['NVDA19'], active: true });

    const initData = signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify({ id: chat, first_name: 'A' }) }, TOKEN);
    const got = await server.inject({ url: '/api/v1/me/watchlist', headers: { 'x-telegram-init-data': initData } });
    expect(got.json()).toEqual({ channel: 'telegram', tickers: ['NVDA19'], language: 'th', active: true });
    const put = await server.inject({ method: 'PUT', url: '/api/v1/me/watchlist', headers: { 'x-telegram-init-data': initData }, payload: { tickers: ['nvda19'], language: 'en' } });
    expect(put.json()).toEqual({ channel: 'telegram', tickers: ['NVDA19'], language: 'en', active: true });
    const bad = await server.inject({ method: 'PUT', url: '/api/v1/me/watchlist', headers: { 'x-telegram-init-data': initData }, payload: { tickers: ['NVDX'] } });
    expect(bad.statusCode).toBe(404);
    expect(bad.json().error.details.suggestions).toContain('NVDA19');

    const env = {
      DATABASE_URL: `sqlite:${t.dbPath}`,
      CHART_THREADS: '0',
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_BASE_URL: fake.origin,
      PUBLIC_BASE_URL: 'https://daybreak.example.com',
    };
    const before = callsTo(chat).length;
    const run = await daybreak(['precompute', '--tickers', 'NVDA19', '--deliver', '--json'], env);
    expect(run.code, run.err).toBe(0);
    // Accepted once each; a 429 (this chat got the /follow reply within the second) is waited out and sent again.
    const digest = callsTo(chat).slice(before).filter((c) => c.status === 200);
    expect(digest.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto']);
    expect(digest[0]!.body.text).toContain('Daybreak morning digest');

    // Another reader blocked the bot: the delivery fails permanently and the subscription is disabled with the reason.
    const blocked = 778;
    await t.app.deps.store.upsertSubscription({ channel: 'telegram', address: String(blocked), tickers: ['NVDA19'], language: 'th', deliver_at: null }, new Date().toISOString());
    fake.blockedChats.add(String(blocked));
    await daybreak(['deliver', '--json'], env);
    expect(await t.app.deps.store.getSubscriptionByAddress('telegram', String(blocked))).toMatchObject({
      active: false,
      disabled_reason: expect.stringContaining('bot was blocked by the user'),
    });
    expect(callsTo(chat).slice(before).filter((c) => c.status === 200)).toHaveLength(2);
  });
});
