/**
 * Bench scenario `line-webhooks`, alone in its process. argv: DATABASE_URL [EVENTS].
 *
 * Precomputes the 56 DRs (demo data), starts `daybreak serve` in a child process (http-server-child) pointed at a
 * loopback LINE Messaging API fake running here, then posts EVENTS (default 1,000) signed webhook requests at once,
 * each a text message from a different LINE user asking for a report (the symbols in rotating forms). Measures, per
 * event, the time from the start of its request to the arrival of the reply call at the fake; counts events with no
 * reply (lost) and replies that are not a report card (a cache miss answers "no report yet"). Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { lineTextEvent, signLineBody, startLineFake } from '../delivery/line-fake-server.js';
import { runPrecompute } from '../pipeline/precompute.js';

const [databaseUrl, eventsArg] = process.argv.slice(2);
const EVENTS = Number(eventsArg ?? 1000);
const SECRET = 'bench-line-channel-secret-0123456789';
const TOKEN = 'bench-line-channel-access-token-0123456789';

const env = { ...process.env, DATABASE_URL: databaseUrl!, LOG_LEVEL: 'warn' };
const app = await openDaybreak(loadConfig(env));
const queue = app.openQueue();
const execution = await runPrecompute(app.deps, queue, {}, 'manual');
const symbols = app.deps.registry.active().map((t) => t.symbol);
await queue.close();
await app.close();

const fake = await startLineFake({ channelAccessToken: TOKEN });
const child = spawn(process.execPath, [fileURLToPath(new URL('./http-server-child.js', import.meta.url)), 'daybreak', databaseUrl!], {
  env: {
    ...env,
    LINE_CHANNEL_SECRET: SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: TOKEN,
    LINE_API_BASE_URL: fake.origin,
    PUBLIC_BASE_URL: 'https://daybreak.example.com',
    REPORT_CACHE_POLL_MS: '0',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    const match = /READY (\S+)/.exec(out);
    if (match) resolve(match[1]!);
  });
  child.on('exit', (code) => reject(new Error(`serve exited with ${code} before it was ready`)));
});
const target = new URL('/webhooks/line', url);

const forms = (symbol: string, i: number) => [symbol, symbol.replace(/\d{2}$/, '').toLowerCase(), ` ${symbol.toLowerCase()} `, `report ${symbol}`][i % 4]!;
const events = Array.from({ length: EVENTS }, (_, i) => {
  const replyToken = fake.issueReplyToken();
  const body = JSON.stringify({
    destination: 'Ubench',
    events: [lineTextEvent({ userId: `U${i.toString(16).padStart(32, '0')}`, text: forms(symbols[i % symbols.length]!, i), replyToken })],
  });
  return { replyToken, body, signature: signLineBody(body, SECRET), startedAt: 0, status: 0, respondedAt: 0 };
});

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const post = (e: (typeof events)[number]) =>
  new Promise<void>((resolve) => {
    e.startedAt = performance.now();
    const req = request(
      target,
      { method: 'POST', agent, headers: { 'content-type': 'application/json; charset=utf-8', 'x-line-signature': e.signature, 'content-length': Buffer.byteLength(e.body) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          e.status = res.statusCode ?? 0;
          e.respondedAt = performance.now();
          resolve();
        });
      },
    );
    req.on('error', () => resolve());
    req.end(e.body);
  });

// Warm-up, not measured: the server's first requests load the LINE client, undici and the report cards.
const warmup = events.splice(0, Math.min(50, Math.floor(EVENTS / 10)));
for (const e of warmup) await post(e);
while (fake.accepted.filter((c) => c.kind === 'reply').length < warmup.length) await new Promise((resolve) => setTimeout(resolve, 20));
const warm = new Set(warmup.map((e) => e.replyToken));
events.push(
  ...Array.from({ length: warmup.length }, (_, k) => {
    const i = EVENTS + k;
    const replyToken = fake.issueReplyToken();
    const body = JSON.stringify({
      destination: 'Ubench',
      events: [lineTextEvent({ userId: `U${i.toString(16).padStart(32, '0')}`, text: forms(symbols[i % symbols.length]!, i), replyToken })],
    });
    return { replyToken, body, signature: signLineBody(body, SECRET), startedAt: 0, status: 0, respondedAt: 0 };
  }),
);

const started = performance.now();
await Promise.all(events.map(post));
// Replies are sent after the 200: wait until every event has one, or 15 s without a new one.
const replyOf = new Map<string, (typeof fake.accepted)[number]>();
let lastCount = -1;
let quietSince = performance.now();
while (replyOf.size < EVENTS && performance.now() - quietSince < 15_000) {
  for (const call of fake.accepted) if (call.kind === 'reply' && !warm.has(call.to)) replyOf.set(call.to, call);
  if (replyOf.size !== lastCount) {
    lastCount = replyOf.size;
    quietSince = performance.now();
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const wallMs = performance.now() - started;

const latencies: number[] = [];
const responseMs: number[] = [];
let cards = 0;
for (const e of events) {
  if (e.status === 200) responseMs.push(e.respondedAt - e.startedAt);
  const reply = replyOf.get(e.replyToken);
  if (!reply) continue;
  latencies.push(reply.at - e.startedAt);
  if (reply.messages[0]?.type === 'flex') cards++;
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

child.kill('SIGTERM');
await new Promise((resolve) => child.on('exit', resolve));
await fake.close();
agent.destroy();
console.log(
  JSON.stringify({
    events: EVENTS,
    execution_status: execution.status,
    http_200: events.filter((e) => e.status === 200).length,
    replied: latencies.length,
    lost: EVENTS - latencies.length,
    card_replies: cards,
    cache_misses: latencies.length - cards,
    reply_p50_ms: pct(latencies, 50),
    reply_p99_ms: pct(latencies, 99),
    reply_max_ms: pct(latencies, 100),
    response_p50_ms: pct(responseMs, 50),
    response_p99_ms: pct(responseMs, 99),
    wall_ms: wallMs,
  }),
);
