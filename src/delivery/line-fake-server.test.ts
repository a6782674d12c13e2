import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineChannel } from './line-channel.js';
import { type LineFakeServer, startLineFake } from './line-fake-server.js';

const TOKEN = 'line-channel-access-token-0123456789';

let fake: LineFakeServer;
let channel: LineChannel;

beforeAll(async () => {
  // As the line-webhooks bench runs it.
  fake = await startLineFake({ channelAccessToken: TOKEN, deferValidation: true, rawHttp: true });
  channel = new LineChannel({ channelAccessToken: TOKEN, baseURL: fake.origin });
});
afterAll(async () => {
  await channel.close();
  await fake.close();
});

describe('the LINE fake with deferred validation over the raw transport (the line-webhooks bench)', () => {
  it('answers a reply at once and checks its messages when asked, flagging the ones LINE would refuse', async () => {
    const good = fake.issueReplyToken();
    const bad = fake.issueReplyToken();
    await channel.reply(good, [{ type: 'text', text: 'hello' }]);
    // An http image URL: LINE answers 400; deferred, the fake answers 200 and reports it afterwards.
    await channel.reply(bad, [{ type: 'image', originalContentUrl: 'http://x.example/a.png', previewImageUrl: 'https://x.example/a.png' }]);
    const invalid = fake.validateDeferred();
    expect(invalid.map((c) => c.to)).toEqual([bad]);
    expect(fake.accepted.find((c) => c.to === good)!.messages).toEqual([{ type: 'text', text: 'hello' }]);
    expect(fake.validateDeferred()).toEqual([]); // each call is checked once
  });

  it('still refuses a reply token used twice, and a wrong access token, when it answers', async () => {
    const token = fake.issueReplyToken();
    await channel.reply(token, [{ type: 'text', text: 'first' }]);
    await expect(channel.reply(token, [{ type: 'text', text: 'again' }])).rejects.toMatchObject({ kind: 'permanent', message: 'LINE reply: Invalid reply token' });
    const wrong = new LineChannel({ channelAccessToken: 'not-the-token-0123456789', baseURL: fake.origin });
    await expect(wrong.reply(fake.issueReplyToken(), [{ type: 'text', text: 'x' }])).rejects.toMatchObject({ message: expect.stringContaining('channel access token was refused') });
    await wrong.close();
    fake.validateDeferred();
  });
});
