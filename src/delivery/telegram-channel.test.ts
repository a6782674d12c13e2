import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryEnvelope } from './delivery-channel.js';
import { sampleDigest } from './digest.test-support.js';
import { TelegramChannel } from './telegram-channel.js';
import { startTelegramFake, type TelegramFakeServer, telegramVisibleLength } from './telegram-fake-server.js';

const TOKEN = '123456789:AAtelegram-test-token-abcdefghij';

let fake: TelegramFakeServer;
let channel: TelegramChannel;

beforeAll(async () => {
  fake = await startTelegramFake({ token: TOKEN });
  channel = new TelegramChannel({ botToken: TOKEN, apiRoot: fake.origin });
});
afterAll(async () => {
  await fake.close();
});

let chats = 1000;
const envelope = (over: Partial<DeliveryEnvelope> = {}): DeliveryEnvelope => ({
  delivery_id: `d-${Math.random()}`,
  subscription_id: 's-1',
  address: String(chats++),
  digest: sampleDigest({ items: 2 }),
  ...over,
});
const callsTo = (chat: string) => fake.calls.filter((c) => String(c.body.chat_id) === chat);

describe('Telegram channel through grammY against the loopback Bot API', () => {
  it('sends the brief, then each ticker as a photo with its summary as caption and a button to the report', async () => {
    const e = envelope();
    await channel.send(e);
    const calls = callsTo(e.address);
    expect(calls.map((c) => [c.method, c.status])).toEqual([
      ['sendMessage', 200],
      ['sendPhoto', 200],
      ['sendPhoto', 200],
    ]);
    expect(calls[0]!.body.text).toContain('สรุปเช้า Daybreak · 2026-11-27');
    const photo = calls[1]!.body;
    expect(photo.photo).toBe('https://daybreak.example.com/api/v1/report/TICK019/chart.png?v=exec-1');
    expect(photo.parse_mode).toBe('HTML');
    expect(photo.caption).toContain('<b>TICK019 · Company 0 Inc.</b>');
    expect(photo.caption).toContain('+1.23%');
    expect(photo.caption).toContain('ซื้อ');
    // Valuation and the THB view, one line each, with the numbers of the report.
    expect(photo.caption).toContain('\nP/E 34.2 · ถูกกว่ากลุ่ม (-12.3%)\n');
    expect(photo.caption).toContain('\nอัตราปันผล 0.03%\n');
    expect(photo.caption).toContain('\nมูลค่าตลาด 4.41 ล้านล้าน ดอลลาร์สหรัฐ\n');
    expect(photo.caption).toContain('\n1 เดือน คิดเป็นบาท +3.6% (สกุลดอลลาร์สหรัฐ +6.1%)\n');
    expect(String(calls[2]!.body.caption)).not.toContain('P/E'); // the second item has no P/E: no line for it
    expect(String(calls[2]!.body.caption)).toContain('มูลค่าตลาด 812 ล้าน ดอลลาร์สหรัฐ');
    expect(photo.reply_markup).toEqual({ inline_keyboard: [[{ text: 'เปิดรายงานฉบับเต็ม', url: 'https://daybreak.example.com/#/report/TICK019' }]] });
    // One chat gets at most one message a second: the fake answers 429 otherwise, and none was needed.
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(950);
  });

  it('splits a long brief at 4,096 characters and moves a too-long why out of the caption, dropping nothing', async () => {
    const digest = sampleDigest({ items: 1, narrativeChars: 9000, language: 'en' });
    digest.items[0]!.why = 'because '.repeat(150).trim();
    const e = envelope({ digest });
    await channel.send(e);
    const calls = callsTo(e.address);
    expect(calls.every((c) => c.status === 200)).toBe(true);
    const texts = calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.body.text));
    for (const t of texts) expect(telegramVisibleLength(t, 'HTML')).toBeLessThanOrEqual(4096);
    for (const marker of digest.brief.narrative.match(/Paragraph \d+/g)!) expect(texts.join('\n')).toContain(marker);
    const photo = calls.find((c) => c.method === 'sendPhoto')!;
    expect(telegramVisibleLength(String(photo.body.caption), 'HTML')).toBeLessThanOrEqual(1024);
    expect(texts.at(-1)).toBe(digest.items[0]!.why);
    expect(photo.body.caption).toContain('P/E 34.2 · cheap vs peers (-12.3%)'); // the summary keeps its valuation lines
  });

  it('waits out a 429 retry_after and sends that message again, never repeating the ones before it', async () => {
    const e = envelope();
    const sent = channel.send(e);
    // The brief goes first; the next call (the first photo) is answered 429 retry after 1 s.
    await new Promise((resolve) => setTimeout(resolve, 300));
    fake.failNext({ status: 429, retry_after: 1 });
    await sent;
    const calls = callsTo(e.address);
    expect(calls.map((c) => c.status)).toEqual([200, 429, 200, 200]);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(990);
    expect(calls.filter((c) => c.status === 200).map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto', 'sendPhoto']);
  });

  it('keeps within 30 messages a second for the bot across many chats', async () => {
    const fast = new TelegramChannel({ botToken: TOKEN, apiRoot: fake.origin });
    const digest = sampleDigest({ items: 0 });
    const envelopes = Array.from({ length: 45 }, () => envelope({ digest }));
    await Promise.all(envelopes.map((e) => fast.send(e)));
    const calls = envelopes.flatMap((e) => callsTo(e.address));
    expect(calls).toHaveLength(45);
    expect(calls.every((c) => c.status === 200)).toBe(true);
  });

  it('reports a reader who blocked the bot as permanent, with Telegram’s reason', async () => {
    const e = envelope();
    fake.blockedChats.add(e.address);
    await expect(channel.send(e)).rejects.toMatchObject({ kind: 'permanent', message: expect.stringContaining('bot was blocked by the user') });
  });

  it('treats a refused token as transient and never shows it', async () => {
    const wrong = new TelegramChannel({ botToken: '987654321:AAwrong-token-zzzzzzzzzzzzzz', apiRoot: fake.origin });
    const error = (await wrong.send(envelope()).catch((e: unknown) => e)) as Error & { kind: string };
    expect(error.kind).toBe('transient');
    expect(error.message).not.toContain('wrong-token');
  });

  it('accepts only chat ids as addresses', () => {
    expect(channel.normalizeAddress('-100123')).toBe('-100123');
    expect(() => channel.normalizeAddress('@someone')).toThrow(/not a Telegram chat id/);
  });
});
