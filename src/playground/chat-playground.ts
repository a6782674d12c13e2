/**
 * `npm run chat-playground [-- --serve URL]`: try the LINE and Telegram bots on this machine, with no LINE or Telegram
 * account. Starts the loopback fakes of the Messaging API and the Bot API (the ones the tests use), writes
 * `chat-playground.env` (the variables that point `daybreak serve` and `daybreak precompute --deliver` at them), then
 * reads lines from the terminal and sends each as a signed webhook from one LINE user or one Telegram chat to `serve`:
 *
 *   line nvda            line follow nvda aapl      line bad-signature
 *   telegram /report dbs telegram /follow dbs       telegram bad-secret
 *
 * Every call the bots make to the platforms (replies, pushes, sendMessage, sendPhoto) is printed as it arrives, the
 * morning digest of another terminal's `precompute --deliver` included. Ctrl-C stops it.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { lineTextEvent, signLineBody, startLineFake, type LineMessage } from '../delivery/line-fake-server.js';
import { startTelegramFake } from '../delivery/telegram-fake-server.js';

const ENV_FILE = 'chat-playground.env';
const LINE_USER = `U${'0'.repeat(31)}1`;
const TELEGRAM_CHAT = 1001;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const serveUrl = option('--serve', 'http://127.0.0.1:8080').replace(/\/+$/, '');
const secrets = {
  lineSecret: randomBytes(16).toString('hex'),
  lineToken: `playground-${randomBytes(24).toString('hex')}`,
  telegramToken: `123456789:AA${randomBytes(16).toString('hex')}`,
  telegramSecret: randomBytes(16).toString('hex'),
};
const line = await startLineFake({ channelAccessToken: secrets.lineToken });
const telegram = await startTelegramFake({ token: secrets.telegramToken });

writeFileSync(
  ENV_FILE,
  [
    `LINE_CHANNEL_SECRET=${secrets.lineSecret}`,
    `LINE_CHANNEL_ACCESS_TOKEN=${secrets.lineToken}`,
    `LINE_API_BASE_URL=${line.origin}`,
    `TELEGRAM_BOT_TOKEN=${secrets.telegramToken}`,
    `TELEGRAM_WEBHOOK_SECRET=${secrets.telegramSecret}`,
    `TELEGRAM_API_BASE_URL=${telegram.origin}`,
    // LINE shows images from https links only; the links in cards point here (nothing needs to answer there).
    `PUBLIC_BASE_URL=https://daybreak.example`,
    '',
  ].join('\n'),
);

console.log(`LINE Messaging API fake at ${line.origin}, Telegram Bot API fake at ${telegram.origin}`);
console.log(`wrote ${ENV_FILE}: start serve with it in another terminal:`);
console.log(`  set -a && . ./${ENV_FILE} && set +a && npx daybreak serve`);
console.log(`then type here, e.g. "line nvda", "line follow nvda aapl", "telegram /follow dbs", "line bad-signature" (to ${serveUrl})`);

const clip = (text: unknown, n = 90) => {
  const s = String(text ?? '').replace(/\s+/g, ' ');
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
};
const describeLine = (m: LineMessage) => (m.type === 'text' ? `text "${clip(m.text)}"` : m.type === 'flex' ? `flex card "${clip(m.altText)}"` : m.type);

// Prints what reaches the fakes, every 100 ms.
let lineSeen = 0;
let telegramSeen = 0;
setInterval(() => {
  for (; lineSeen < line.calls.length; lineSeen++) {
    const c = line.calls[lineSeen]!;
    const who = c.kind === 'push' ? `push to ${c.to}` : 'reply';
    console.log(`  LINE ${who} (${c.status}): ${c.messages.map(describeLine).join(' + ')}`);
  }
  for (; telegramSeen < telegram.calls.length; telegramSeen++) {
    const c = telegram.calls[telegramSeen]!;
    const what = c.method === 'sendPhoto' ? `photo, caption "${clip(c.body.caption)}"` : c.method === 'sendMessage' ? `"${clip(c.body.text)}"` : '';
    console.log(`  Telegram ${c.method} to chat ${String(c.body.chat_id ?? '')} (${c.status}) ${what}`);
  }
}, 100).unref();

let updateId = 1;
async function send(lineOfInput: string): Promise<void> {
  const [platform, ...words] = lineOfInput.trim().split(/\s+/);
  const text = words.join(' ');
  if (!platform) return;
  let response: Response;
  if (platform === 'line') {
    const body = JSON.stringify({ destination: 'Uplayground', events: [lineTextEvent({ userId: LINE_USER, text, replyToken: line.issueReplyToken() })] });
    const signature = text === 'bad-signature' ? signLineBody(body, 'not-the-channel-secret') : signLineBody(body, secrets.lineSecret);
    response = await fetch(`${serveUrl}/webhooks/line`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body });
  } else if (platform === 'telegram' || platform === 'tg') {
    const id = updateId++;
    const update = { update_id: Date.now() * 10 + id, message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: { id: TELEGRAM_CHAT, type: 'private' }, from: { id: TELEGRAM_CHAT, is_bot: false, first_name: 'Playground' }, text } };
    const secret = text === 'bad-secret' ? 'not-the-webhook-secret' : secrets.telegramSecret;
    response = await fetch(`${serveUrl}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });
  } else {
    console.log('start a line with "line" or "telegram", e.g. "line nvda"');
    return;
  }
  const said = response.status === 200 ? '' : ` ${clip(await response.text(), 140)}`;
  console.log(`  → serve answered ${response.status}${said}`);
}

const input = createInterface({ input: process.stdin });
let queue = Promise.resolve();
input.on('line', (entry) => {
  queue = queue.then(() => send(entry)).catch((error: unknown) => console.log(`  cannot reach serve at ${serveUrl}: ${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : String(error)}`));
});
// With stdin at its end (piped input), keep printing calls until Ctrl-C; close the fakes on the way out.
const stop = () => void Promise.all([line.close(), telegram.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
