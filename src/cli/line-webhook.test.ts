import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LineFakeServer, lineTextEvent, signLineBody, startLineFake } from '../delivery/line-fake-server.js';
import { eventually, openSeededApp, serverOf, type TestApp } from '../http/http.test-support.js';
import { daybreak } from './run-cli.test-support.js';
import type { Store } from '../store/store.js';

const SECRET = 'line-channel-secret-0123456789ab';
const TOKEN = 'line-channel-access-token-0123456789';
const user = (n: number) => `U${n.toString(16).padStart(32, '0')}`;

let t: TestApp;
let fake: LineFakeServer;
let server: FastifyInstance;
const storeReads = { count: 0 };

beforeAll(async () => {
  fake = await startLineFake({ channelAccessToken: TOKEN });
  t = await openSeededApp({
    tickers: ['NVDA19', 'AAPL19'],
    env: {
      LINE_CHANNEL_SECRET: SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
      LINE_API_BASE_URL: fake.origin,
      PUBLIC_BASE_URL: 'https://daybreak.example.com/',
      RATE_LIMIT_WRITES_PER_MIN: '2',
      CHAT_MESSAGES_PER_MIN: '3',
    },
  });
  // Counts report reads that reach the store: a chat message must be answered from memory.
  const store = new Proxy(t.app.deps.store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (['getLatestReport', 'getReport', 'getChartPng'].includes(String(key))) storeReads.count++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
  server = await serverOf(t, { store });
}, 120_000);
afterAll(async () => {
  await server?.close();
  await t?.close();
  await fake?.close();
});

function post(body: string, signature: string | null = signLineBody(body, SECRET)) {
  return server.inject({
    method: 'POST',
    url: '/webhooks/line',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(signature !== null && { 'x-line-signature': signature }) },
    payload: body,
  });
}

/** Sends one text message as LINE would and waits for the reply call that answers it. */
async function ask(text: string, options: { userId?: string } = {}) {
  const replyToken = fake.issueReplyToken();
  const body = JSON.stringify({ destination: 'Ubot', events: [lineTextEvent({ userId: options.userId ?? user(1), text, replyToken })] });
  const res = await post(body);
  expect(res.statusCode).toBe(200);
  return eventually(async () => fake.accepted.find((c) => c.kind === 'reply' && c.to === replyToken));
}

const callsSince = (n: number) => fake.calls.slice(n);

describe('POST /webhooks/line', () => {
  it('answers a symbol with a Flex card of the latest report, from memory, within the reply token', async () => {
    const reads = storeReads.count;
    const call = await ask('nvda');
    expect(call.messages).toHaveLength(1);
    const [card] = call.messages;
    expect(card!.type).toBe('flex');
    expect(card!.altText).toMatch(/^NVDA19 [\d,.]+ ดอลลาร์สหรัฐ/);
    const json = JSON.stringify(card!.contents);
    expect(json).toContain('"text":"NVDA19"');
    expect(json).toContain('NVIDIA');
    expect(json).toMatch(/"url":"https:\/\/daybreak\.example\.com\/api\/v1\/report\/NVDA19\/chart\.png\?v=[^"]+"/);
    expect(json).toContain('"uri":"https://daybreak.example.com/#/report/NVDA19"');
    expect(json).toMatch(/"text":"(ซื้อ|ถือ|ขาย)"/);
    expect(json).toContain('แนวโน้ม');
    expect(json).toContain('ข้อมูลสาธิต');
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(storeReads.count).toBe(reads);
  });

  it('refuses a wrong, missing or stale signature with 401 and does nothing', async () => {
    const before = fake.calls.length;
    const body = JSON.stringify({ destination: 'U', events: [lineTextEvent({ userId: user(2), text: 'nvda', replyToken: fake.issueReplyToken() })] });
    for (const signature of [null, 'bm90IGEgc2lnbmF0dXJl', signLineBody(body, 'another-secret-000000000000'), signLineBody(`${body} `, SECRET)]) {
      const res = await post(body, signature);
      expect([signature, res.statusCode]).toEqual([signature, 401]);
      expect(res.json().error.code).toBe('invalid_signature');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(callsSince(before)).toEqual([]);
  });

  it('answers 200 to the console’s Verify (a signed body without events)', async () => {
    const res = await post(JSON.stringify({ destination: 'Ubot', events: [] }));
    expect(res.statusCode).toBe(200);
  });

  it('answers a redelivered event once', async () => {
    const replyToken = fake.issueReplyToken();
    const event = lineTextEvent({ userId: user(3), text: 'aapl', replyToken });
    expect((await post(JSON.stringify({ destination: 'U', events: [event] }))).statusCode).toBe(200);
    await eventually(async () => fake.accepted.find((c) => c.to === replyToken));
    const again = { ...event, deliveryContext: { isRedelivery: true } };
    expect((await post(JSON.stringify({ destination: 'U', events: [again] }))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.calls.filter((c) => c.to === replyToken)).toHaveLength(1);
  });

  it('suggests symbols for an unknown one and answers commands with nothing after them', async () => {
    const unknown = await ask('NVDX', { userId: user(4) });
    expect(unknown.messages[0]!.text).toMatch(/ไม่พบหุ้น "NVDX" หมายถึง .*NVDA19/);
    const empty = await ask('ติดตาม', { userId: user(5) });
    expect(empty.messages[0]!.text).toContain('พิมพ์ชื่อหุ้นต่อท้ายด้วย');
    const help = await ask('help', { userId: user(6) });
    expect(help.messages[0]!.text).toContain('ติดตาม NVDA AAPL');
  });

  it('turns bad input into a helpful reply or a 200 with nothing done, never a 5xx', async () => {
    const before = fake.calls.length;
    expect((await post('{"events": [')).statusCode).toBe(200);
    expect((await post('[]')).statusCode).toBe(200);
    expect((await post(JSON.stringify({ events: [{ type: 'beacon', source: { userId: user(7) }, replyToken: 'x' }, 42, null] }))).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(callsSince(before)).toEqual([]);

    const stickerToken = fake.issueReplyToken();
    const sticker = { ...lineTextEvent({ userId: user(8), text: '', replyToken: stickerToken }), message: { id: '1', type: 'sticker', packageId: '1', stickerId: '1' } };
    expect((await post(JSON.stringify({ events: [sticker] }))).statusCode).toBe(200);
    const stickerReply = await eventually(async () => fake.accepted.find((c) => c.to === stickerToken));
    expect(stickerReply.messages[0]!.text).toContain('พิมพ์ได้ดังนี้');

    expect((await ask('x '.repeat(5000), { userId: user(9) })).messages[0]!.text).toContain('ไม่เข้าใจ');
    expect((await ask('N'.repeat(500), { userId: user(10) })).messages[0]!.text).toContain('ชื่อหุ้นยาวเกินไป');

    const big = JSON.stringify({ events: [], padding: 'x'.repeat(1024 * 1024) });
    expect((await post(big)).statusCode).toBe(413);
  });

  it('is not throttled by the per-IP write limit, but limits each reader', async () => {
    // RATE_LIMIT_WRITES_PER_MIN is 2 here: ten webhooks from LINE's one address all get through.
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => ask('aapl', { userId: user(100 + i) })));
    expect(answers.every((a) => a.messages[0]!.type === 'flex')).toBe(true);
    // One reader may send CHAT_MESSAGES_PER_MIN (3) a minute: the fourth is told to slow down, the fifth ignored.
    const reader = user(200);
    for (let i = 0; i < 3; i++) expect((await ask('nvda', { userId: reader })).messages[0]!.type).toBe('flex');
    expect((await ask('nvda', { userId: reader })).messages[0]!.text).toContain('ส่งข้อความถี่เกินไป');
    const silentToken = fake.issueReplyToken();
    await post(JSON.stringify({ events: [lineTextEvent({ userId: reader, text: 'nvda', replyToken: silentToken })] }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.calls.filter((c) => c.to === silentToken)).toEqual([]);
  });
});

describe('LINE watchlists and the morning push', () => {
  const reader = user(300);
  const subscription = () => t.app.deps.store.getSubscriptionByAddress('line', reader);

  it('greets a new follower, keeps their own watchlist in Thai and English, and pushes one digest after precompute --deliver', async () => {
    const greetToken = fake.issueReplyToken();
    const follow = { type: 'follow', mode: 'active', timestamp: Date.now(), source: { type: 'user', userId: reader }, webhookEventId: 'FOLLOW300', deliveryContext: { isRedelivery: false }, replyToken: greetToken };
    expect((await post(JSON.stringify({ events: [follow] }))).statusCode).toBe(200);
    expect((await eventually(async () => fake.accepted.find((c) => c.to === greetToken))).messages[0]!.text).toContain('สวัสดี');

    expect((await ask('ติดตาม nvda AAPL19', { userId: reader })).messages[0]!.text).toContain('ติดตาม NVDA19, AAPL19 แล้ว');
    expect(await subscription()).toMatchObject({ channel: 'line', address: reader, tickers: ['NVDA19', 'AAPL19'], language: 'th', active: true });
    expect((await ask('เลิกติดตาม aapl', { userId: reader })).messages[0]!.text).toContain('เลิกติดตาม AAPL19 แล้ว');
    expect((await ask('lang en', { userId: reader })).messages[0]!.text).toBe('Language set to English.');
    expect(await subscription()).toMatchObject({ tickers: ['NVDA19'], language: 'en' });

    // The morning run delivers: one push with the brief and NVDA19's card, in English.
    const pushesBefore = fake.accepted.filter((c) => c.kind === 'push' && c.to === reader).length;
    const env = {
      DATABASE_URL: `sqlite:${t.dbPath}`,
      CHART_THREADS: '0',
      LOG_LEVEL: 'silent',
      LINE_CHANNEL_SECRET: SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
      LINE_API_BASE_URL: fake.origin,
      PUBLIC_BASE_URL: 'https://daybreak.example.com',
    };
    const run = await daybreak(['precompute', '--tickers', 'NVDA19,AAPL19', '--deliver', '--json'], env);
    expect(run.code, run.err).toBe(0);
    const pushes = fake.accepted.filter((c) => c.kind === 'push' && c.to === reader).slice(pushesBefore);
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.messages[0]!.text).toContain('Daybreak morning digest');
    expect(JSON.stringify(pushes[0]!.messages)).toContain('"text":"NVDA19"');
    expect(JSON.stringify(pushes[0]!.messages)).not.toContain('"text":"AAPL19"');
    // A second deliver the same day sends nothing more.
    expect((await daybreak(['deliver', '--json'], env)).code).toBe(0);
    expect(fake.accepted.filter((c) => c.kind === 'push' && c.to === reader).slice(pushesBefore)).toHaveLength(1);
  });

  it('stops the subscription when the reader blocks the bot', async () => {
    const unfollow = { type: 'unfollow', mode: 'active', timestamp: Date.now(), source: { type: 'user', userId: reader }, webhookEventId: 'UNFOLLOW300', deliveryContext: { isRedelivery: false } };
    expect((await post(JSON.stringify({ events: [unfollow] }))).statusCode).toBe(200);
    await eventually(async () => ((await subscription())?.active === false ? true : undefined));
    expect(await subscription()).toMatchObject({ active: false, disabled_reason: 'the reader blocked or removed the LINE bot' });
  });
});
