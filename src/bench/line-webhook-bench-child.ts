/**
 * Bench scenario `line-webhooks`, alone in its process. argv: DATABASE_URL [EVENTS].
 *
 * Precomputes the 56 DRs (demo data), starts `daybreak serve` in a child process (http-server-child) pointed at a
 * loopback LINE Messaging API fake running here, then posts EVENTS (default 1,000) signed webhook requests at once,
 * each a text message from a different LINE user asking for a report (the symbols in rotating forms), each on its own
 * already-open keep-alive connection (see RawConnection). Measures, per event, the time from writing its request to
 * the arrival of the reply call at the fake; counts events with no reply (lost) and replies that are not a report
 * card (a cache miss answers "no report yet"). Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
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

/**
 * The load generator: one raw keep-alive TCP connection per event, opened (and used once for a signed body with no
 * events, which the server answers 200 doing nothing) before the measured round, and each request written as one
 * prebuilt buffer. LINE's platform (or the TLS proxy in front of serve) holds its connections open, so a handshake is
 * not part of a webhook's latency; and node:http's client costs ~0.1 ms of this process's CPU per request, which on
 * 2 shared cores would be measured as server latency. Each event's clock starts right before its bytes are written.
 */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private pending: ((status: number) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
      this.drain();
    });
    socket.on('error', () => this.finish(0));
    socket.on('close', () => this.finish(0));
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes one request; resolves with the response's status once its whole body has arrived (0 if the connection failed). */
  send(bytes: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.pending = resolve;
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private drain(): void {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffered.subarray(0, headEnd).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffered.length < headEnd + 4 + length) return;
    this.buffered = this.buffered.subarray(headEnd + 4 + length);
    this.finish(Number(head.slice(9, 12)));
  }

  private finish(status: number): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.(status);
  }
}

const requestBytes = (body: string, signature: string) =>
  Buffer.from(
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `X-Line-Signature: ${signature}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`,
  );
const connections: RawConnection[] = [];
for (let i = 0; i < EVENTS; i += 100) {
  connections.push(...(await Promise.all(Array.from({ length: Math.min(100, EVENTS - i) }, () => RawConnection.open(Number(target.port))))));
}
const verify = JSON.stringify({ destination: 'Ubench', events: [] });
const verifyBytes = requestBytes(verify, signLineBody(verify, SECRET));
for (let i = 0; i < connections.length; i += 100) await Promise.all(connections.slice(i, i + 100).map((c) => c.send(verifyBytes)));

const post = (e: (typeof events)[number], connection: RawConnection, bytes = requestBytes(e.body, e.signature)) => {
  e.startedAt = performance.now();
  return connection.send(bytes).then((status) => {
    e.status = status;
    e.respondedAt = performance.now();
  });
};

// Warm-up, not measured: the server's first requests load the LINE client, undici and the report cards.
const warmup = events.splice(0, Math.min(50, Math.floor(EVENTS / 10)));
for (const e of warmup) await post(e, connections[0]!);
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

/**
 * CPU time (user + system) `serve` has used, from /proc (Linux; undefined elsewhere): on a shared machine the server's
 * CPU per event says more than the wall clock.
 */
const serveCpuMs = (): number | undefined => {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
};

const prebuilt = events.map((e) => requestBytes(e.body, e.signature));
const cpuBefore = serveCpuMs();
const ownCpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(events.map((e, i) => post(e, connections[i]!, prebuilt[i])));
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
const cpuAfter = serveCpuMs();
const ownCpu = process.cpuUsage(ownCpuBefore);

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
for (const c of connections) c.close();
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
    serve_cpu_ms: cpuBefore === undefined || cpuAfter === undefined ? null : cpuAfter - cpuBefore,
    // This process: the load generator and the LINE fake.
    generator_and_fake_cpu_ms: (ownCpu.user + ownCpu.system) / 1000,
  }),
);
