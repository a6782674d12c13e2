import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type DeliveryEnvelope } from './delivery-channel.js';
import { sampleDigest } from './digest.test-support.js';
import { LineChannel } from './line-channel.js';
import { type LineFakeServer, startLineFake } from './line-fake-server.js';

const TOKEN = 'line-channel-access-token-0123456789';
const USER = `U${'a'.repeat(32)}`;

let fake: LineFakeServer;
let channel: LineChannel;

beforeAll(async () => {
  fake = await startLineFake({ channelAccessToken: TOKEN });
  channel = new LineChannel({ channelAccessToken: TOKEN, baseURL: fake.origin });
});
afterAll(async () => {
  await channel.close();
  await fake.close();
});

const envelope = (over: Partial<DeliveryEnvelope> = {}): DeliveryEnvelope => ({
  delivery_id: `d-${Math.random()}`,
  subscription_id: 's-1',
  address: USER,
  digest: sampleDigest({ items: 2 }),
  ...over,
});

const textsOf = (calls: LineFakeServer['accepted']) => calls.flatMap((c) => c.messages.filter((m) => m.type === 'text').map((m) => m.text!));

describe('LINE channel through @line/bot-sdk against the loopback Messaging API', () => {
  it('pushes a digest as the brief in text and the watchlist as a Flex carousel, with a retry key', async () => {
    const before = fake.accepted.length;
    await channel.send(envelope());
    const pushes = fake.accepted.slice(before);
    expect(pushes).toHaveLength(1);
    const [push] = pushes;
    expect(push!.kind).toBe('push');
    expect(push!.to).toBe(USER);
    expect(push!.headers['x-line-retry-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(push!.messages.map((m) => m.type)).toEqual(['text', 'flex']);
    expect(push!.messages[0]!.text).toContain('สรุปเช้า Daybreak · 2026-11-27');
    expect(push!.messages[0]!.text).toContain('ข้อมูลสาธิต');
    const carousel = JSON.stringify(push!.messages[1]!.contents);
    expect(carousel).toContain('"type":"carousel"');
    expect(carousel).toContain('TICK019');
    expect(carousel).toContain('https://daybreak.example.com/#/report/TICK119');
    expect(carousel).toContain('เปิดรายงานฉบับเต็ม');
  });

  it('shows the P/E and its verdict, the dividend yield, the market cap and the THB month on each bubble, within Flex sizes', async () => {
    const before = fake.accepted.length;
    await channel.send(envelope({ digest: sampleDigest({ items: 12 }) }));
    const carousel = fake.accepted.slice(before).flatMap((c) => c.messages).find((m) => m.type === 'flex')!;
    const json = JSON.stringify(carousel.contents);
    expect(json).toContain('"text":"34.2 · ถูกกว่ากลุ่ม (-12.3%)"');
    expect(json).toContain('"text":"อัตราปันผล"');
    expect(json).toContain('"text":"0.03%"');
    expect(json).toContain('"text":"4.41 ล้านล้าน ดอลลาร์สหรัฐ"');
    expect(json).toContain('"text":"+3.6% (สกุลดอลลาร์สหรัฐ +6.1%)"');
    expect(json).toContain('"text":"812 ล้าน ดอลลาร์สหรัฐ"'); // the second item: no P/E, but a market cap
    // LINE refuses a carousel over 50 KB and a bubble over 30 KB (Messaging API reference, Flex Message).
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(50_000);
    for (const bubble of (carousel.contents as { contents: unknown[] }).contents) expect(Buffer.byteLength(JSON.stringify(bubble))).toBeLessThanOrEqual(30_000);
  });

  it('splits a long digest at five messages per push and 5,000 characters per text, dropping nothing', async () => {
    const digest = sampleDigest({ items: 30, narrativeChars: 12_000 });
    const before = fake.accepted.length;
    await channel.send(envelope({ digest }));
    const pushes = fake.accepted.slice(before);
    expect(pushes.length).toBeGreaterThan(1);
    for (const push of pushes) expect(push.messages.length).toBeLessThanOrEqual(5);
    const texts = textsOf(pushes);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(5000);
    for (const marker of digest.brief.narrative.match(/Paragraph \d+/g)!) expect(texts.join('\n')).toContain(marker);
    const flex = pushes.flatMap((p) => p.messages.filter((m) => m.type === 'flex').map((m) => JSON.stringify(m.contents))).join('');
    for (const item of digest.items) expect(flex).toContain(`"text":"${item.ticker}"`);
  });

  it('sends a delivery again without the reader seeing it twice (LINE answers 409 to a used retry key)', async () => {
    const once = envelope();
    await channel.send(once);
    const accepted = fake.accepted.length;
    await channel.send(once);
    expect(fake.accepted.length).toBe(accepted);
    expect(fake.calls.at(-1)!.status).toBe(409);
  });

  it('reports an unknown user as permanent, a 429 as rate limited, a 500 as transient', async () => {
    const stranger = `U${'b'.repeat(32)}`;
    fake.unknownUsers.add(stranger);
    await expect(channel.send(envelope({ address: stranger }))).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('Failed to send messages') });
    fake.failNext('push', { status: 429 });
    await expect(channel.send(envelope())).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    fake.failNext('push', { status: 500 });
    await expect(channel.send(envelope())).rejects.toMatchObject({ kind: 'transient' });
  });

  it('treats a refused token as the deployment’s fault (transient) and never shows the token', async () => {
    const wrong = new LineChannel({ channelAccessToken: 'not-the-right-token-000000', baseURL: fake.origin });
    const error = await wrong.send(envelope()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ kind: 'transient', message: expect.stringContaining('channel access token was refused') });
    expect(String((error as Error).message)).not.toContain('not-the-right-token');
  });

  it('answers a burst of replies on a few kept-alive connections, each reply once', async () => {
    const bounded = new LineChannel({ channelAccessToken: TOKEN, baseURL: fake.origin, callsInFlight: 4 });
    const connectionsBefore = fake.connectionsAccepted;
    const tokens = Array.from({ length: 60 }, () => fake.issueReplyToken());
    await Promise.all(tokens.map((token, i) => bounded.reply(token, [{ type: 'text', text: `answer ${i}` }])));
    const replies = fake.accepted.filter((c) => c.kind === 'reply' && tokens.includes(c.to));
    expect(replies.map((c) => c.messages[0]!.text).sort()).toEqual(tokens.map((_, i) => `answer ${i}`).sort());
    expect(fake.connectionsAccepted - connectionsBefore).toBeLessThanOrEqual(4);
    await bounded.close();
  });

  it('maps a refused reply as LINE words it: a used token is permanent, a 429 rate limited', async () => {
    const token = fake.issueReplyToken();
    await channel.reply(token, [{ type: 'text', text: 'first' }]);
    await expect(channel.reply(token, [{ type: 'text', text: 'again' }])).rejects.toMatchObject({ kind: 'permanent', message: 'LINE reply: Invalid reply token' });
    fake.failNext('reply', { status: 429 });
    await expect(channel.reply(fake.issueReplyToken(), [{ type: 'text', text: 'x' }])).rejects.toMatchObject({ kind: 'rate_limited', retryAfterMs: 1000 });
    const wrong = new LineChannel({ channelAccessToken: 'not-the-right-token-000000', baseURL: fake.origin });
    await expect(wrong.reply(fake.issueReplyToken(), [{ type: 'text', text: 'x' }])).rejects.toMatchObject({ kind: 'transient', message: expect.stringContaining('channel access token was refused') });
    await wrong.close();
  });

  it('accepts only LINE userIds as addresses', () => {
    expect(channel.normalizeAddress(` ${USER} `)).toBe(USER);
    expect(() => channel.normalizeAddress('someone@example.com')).toThrow(/not a LINE userId/);
  });
});
