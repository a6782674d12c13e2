import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFakeServer } from '../delivery/telegram-fake-server.js';
import { daybreak } from './run-cli.test-support.js';

const TOKEN = '123456789:AAtelegram-test-token-abcdefghij';
const SECRET = 'telegram-webhook-secret-0123456789';

let fake: TelegramFakeServer;
beforeAll(async () => {
  fake = await startTelegramFake({ token: TOKEN });
});
afterAll(async () => {
  await fake.close();
});

const env = (over: Record<string, string> = {}) => ({
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_BASE_URL: fake.origin,
  PUBLIC_BASE_URL: 'https://daybreak.example.com',
  ...over,
});

describe('daybreak telegram set-webhook', () => {
  it('registers PUBLIC_BASE_URL/webhooks/telegram with the secret token', async () => {
    const run = await daybreak(['telegram', 'set-webhook', '--json'], env());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ ok: true, url: 'https://daybreak.example.com/webhooks/telegram', allowed_updates: ['message'], drop_pending_updates: false });
    expect(fake.webhook).toEqual({ url: 'https://daybreak.example.com/webhooks/telegram', secret_token: SECRET, allowed_updates: ['message'] });
  });

  it('exits 2 with a reason for missing configuration or a URL Telegram refuses, never printing the token', async () => {
    const missing = await daybreak(['telegram', 'set-webhook'], { TELEGRAM_API_BASE_URL: fake.origin });
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('TELEGRAM_BOT_TOKEN');
    const noBase = await daybreak(['telegram', 'set-webhook'], env({ PUBLIC_BASE_URL: '' }));
    expect(noBase.code).toBe(2);
    expect(noBase.err).toContain('PUBLIC_BASE_URL');
    const http = await daybreak(['telegram', 'set-webhook', '--url', 'http://insecure.example.com/webhooks/telegram'], env());
    expect(http.code).toBe(2);
    expect(http.err).toContain('An HTTPS URL must be provided');
    const wrong = await daybreak(['telegram', 'set-webhook'], env({ TELEGRAM_BOT_TOKEN: '987654321:AAwrong-token-zzzzzzzzzzzzzz' }));
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('refused the bot token');
    expect(`${wrong.out}${wrong.err}`).not.toContain('wrong-token');
  });
});
