/**
 * Bench scenario `line-webhooks`, alone in its process. argv: DATABASE_URL [EVENTS].
 *
 * Precomputes the 56 DRs (demo data), starts `daybreak serve` in a child process (http-server-child) pointed at a
 * loopback LINE Messaging API fake running here, then posts EVENTS (default 1,000) signed webhook requests at once,
 * each a text message from a different LINE user asking for a report (the symbols in rotating forms), each on its own
 * already-open keep-alive connection (see RawConnection), in bursts: warm-up ones, then the measured one. Measures, per
 * event, the time from writing its request to the arrival of the reply call at the fake; counts events with no reply
 * (lost) and replies that are not a report card (a cache miss answers "no report yet"). Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
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

// The fake stands for LINE's servers on our two cores: it answers each reply once its token is checked and parses and
// validates the messages after the burst, over a minimal HTTP/1.1 transport (see LineFakeOptions, raw-http-server.ts).
const fake = await startLineFake({ channelAccessToken: TOKEN, deferValidation: true, rawHttp: true });
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
interface BenchEvent {
  replyToken: string;
  body: string;
  signature: string;
  startedAt: number;
  status: number;
  respondedAt: number;
}
/** EVENTS text messages, each from a different LINE user; `round` keeps users, event ids and tokens apart between rounds. */
const eventsOfRound = (round: number): BenchEvent[] =>
  Array.from({ length: EVENTS }, (_, i) => {
    const replyToken = fake.issueReplyToken();
    const user = round * EVENTS + i;
    const body = JSON.stringify({
      destination: 'Ubench',
      events: [lineTextEvent({ userId: `U${user.toString(16).padStart(32, '0')}`, text: forms(symbols[i % symbols.length]!, i), replyToken })],
    });
    return { replyToken, body, signature: signLineBody(body, SECRET), startedAt: 0, status: 0, respondedAt: 0 };
  });

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

const post = (e: BenchEvent, connection: RawConnection, bytes: Buffer) => {
  e.startedAt = performance.now();
  return connection.send(bytes).then((status) => {
    e.status = status;
    e.respondedAt = performance.now();
  });
};

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

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/**
 * A full GC of this process (the generator and the fake), between bursts: building a round's requests leaves
 * megabytes of garbage that would otherwise be collected inside the next measured window, on the same two cores.
 * `--expose-gc` set at run time, then `gc` taken from a fresh context (the usual way without a command-line flag).
 */
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Posts one round's events at once, each on its own connection, and waits for their replies (or 15 s without one). */
async function burst(events: BenchEvent[]) {
  const replyTokens = new Set(events.map((e) => e.replyToken));
  const seenBefore = fake.accepted.length;
  const prebuilt = events.map((e) => requestBytes(e.body, e.signature));
  collectGarbage();
  const cpuBefore = serveCpuMs();
  const ownCpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(events.map((e, i) => post(e, connections[i]!, prebuilt[i]!)));
  // Replies are sent after the 200: wait until every event has one, or 15 s without a new one.
  const replyOf = new Map<string, (typeof fake.accepted)[number]>();
  let scanned = seenBefore;
  let quietSince = performance.now();
  while (replyOf.size < events.length && performance.now() - quietSince < 15_000) {
    const before = replyOf.size;
    for (; scanned < fake.accepted.length; scanned++) {
      const call = fake.accepted[scanned]!;
      if (call.kind === 'reply' && replyTokens.has(call.to)) replyOf.set(call.to, call);
    }
    if (replyOf.size !== before) quietSince = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const wallMs = performance.now() - started;
  const cpuAfter = serveCpuMs();
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const validationCpuBefore = process.cpuUsage();
  const invalid = new Set(fake.validateDeferred().map((call) => call.to));
  const validationCpu = process.cpuUsage(validationCpuBefore);

  const latencies: number[] = [];
  const responseMs: number[] = [];
  let cards = 0;
  for (const e of events) {
    if (e.status === 200) responseMs.push(e.respondedAt - e.startedAt);
    const reply = replyOf.get(e.replyToken);
    if (!reply || invalid.has(e.replyToken)) continue;
    latencies.push(reply.at - e.startedAt);
    if (reply.messages[0]?.type === 'flex') cards++;
  }
  return {
    http_200: events.filter((e) => e.status === 200).length,
    replied: latencies.length,
    lost: events.length - latencies.length - invalid.size,
    // Replies the fake found invalid once it had parsed them (LINE would have refused them): not counted as replied.
    invalid_replies: invalid.size,
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
    // The fake's parsing and validation of the burst's reply bodies, done after it (LINE's work, not this machine's).
    fake_validation_cpu_ms: (validationCpu.user + validationCpu.system) / 1000,
  };
}

// The first bursts warm the server up, as a server that has been running is: V8 optimises a hot path only after many
// calls (measured here: p99 falls from 300–600 ms in the first burst after a start to 130–250 ms by the fourth, and stays),
// and the reply client's keep-alive pool grows to the burst's width. The burst after WARMUP_BURSTS is measured; the
// first one's figures are reported too (`cold_*`: just after a start), and every burst's p99 (`bursts_p99_ms`).
const WARMUP_BURSTS = 4;
const bursts: Awaited<ReturnType<typeof burst>>[] = [];
for (let round = 0; round <= WARMUP_BURSTS; round++) bursts.push(await burst(eventsOfRound(round)));
const cold = bursts[0]!;
const warm = bursts[WARMUP_BURSTS]!;

child.kill('SIGTERM');
await new Promise((resolve) => child.on('exit', resolve));
await fake.close();
for (const c of connections) c.close();
console.log(
  JSON.stringify({
    events: EVENTS,
    execution_status: execution.status,
    ...warm,
    cold_reply_p50_ms: cold.reply_p50_ms,
    cold_reply_p99_ms: cold.reply_p99_ms,
    cold_lost: cold.lost,
    cold_serve_cpu_ms: cold.serve_cpu_ms,
    bursts_p99_ms: bursts.map((b) => b.reply_p99_ms),
    lost_in_all_bursts: bursts.reduce((sum, b) => sum + b.lost, 0),
  }),
);
