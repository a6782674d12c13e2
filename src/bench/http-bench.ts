/**
 * The HTTP read bench (part of `npm run bench`; `npm run bench -- --only http` runs it alone).
 *
 * A store is seeded with the 56 demo reports, then three servers each run in their own process and are loaded one
 * after the other with autocannon (programmatic, a fresh process per measurement) on loopback: GET /api/v1/report/NVDA19, 50
 * connections, 10 s after a 2 s warm-up, no Accept-Encoding (so every server sends the same identity bytes).
 * daybreak and bare are measured in three alternating rounds and compared by their median round (the machine is
 * shared, so single runs swing by ±20%); naive, far below both, runs once:
 *   daybreak  `daybreak serve` (fastify, in-memory bytes, metrics hook)
 *   bare      node:http answering the same bytes from memory: the practical limit
 *   naive     node:http reading the row from SQLite and parsing + re-serializing the JSON per request
 * The load generator shares the machine's cores with the server under test: figures are for comparison.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Result } from 'autocannon';

export interface HttpBenchRun {
  server: 'daybreak' | 'bare' | 'naive';
  round: number;
  requests_per_s: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  latency_avg_ms: number;
  throughput_mb_per_s: number;
  body_bytes: number;
  requests: number;
  errors: number;
  non_2xx: number;
}

export interface HttpBenchResult {
  path: string;
  connections: number;
  duration_s: number;
  warmup_s: number;
  compression: 'none';
  seed_ms: number;
  /** Every round of every server. */
  rounds: HttpBenchRun[];
  /** The median round of each server (by req/s). */
  runs: HttpBenchRun[];
  daybreak_vs_bare: number;
  daybreak_vs_naive: number;
  targets: { vs_bare: string; vs_naive: string; met: boolean };
}

const CONNECTIONS = 50;
const DURATION_S = 10;
const WARMUP_S = 2;
const ROUNDS = 3;
const PATH = '/api/v1/report/NVDA19';

const script = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

async function startServer(mode: HttpBenchRun['server'], databaseUrl: string, sourceUrl?: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script('http-server-child'), mode, databaseUrl, ...(sourceUrl ? [sourceUrl] : [])], {
    env: { ...process.env, MARKET_DATA: 'demo' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const match = /READY (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`${mode} server exited with ${code} before it was ready`)));
  });
  return { child, url };
}

async function load(mode: HttpBenchRun['server'], url: string, round: number): Promise<HttpBenchRun> {
  const target = `${url}${PATH}`;
  const sample = Buffer.from(await (await fetch(target)).arrayBuffer());
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [script('http-load-child'), target, String(CONNECTIONS), String(DURATION_S), String(WARMUP_S)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`load generator exited with ${code}`))));
  });
  const r = JSON.parse(output.trim().split('\n').at(-1)!) as Result;
  return {
    server: mode,
    round,
    requests_per_s: r.requests.average,
    latency_p50_ms: r.latency.p50,
    latency_p99_ms: r.latency.p99,
    latency_avg_ms: r.latency.average,
    throughput_mb_per_s: r.throughput.average / 2 ** 20,
    body_bytes: sample.length,
    requests: r.requests.total ?? Math.round(r.requests.average * DURATION_S),
    errors: r.errors + r.timeouts,
    non_2xx: r.non2xx,
  };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** Seeds a store in `databaseUrl` with the 56 demo reports, then measures the three servers one after the other. */
export async function runHttpBench(databaseUrl: string): Promise<HttpBenchResult> {
  const seedStarted = performance.now();
  execFileSync(process.execPath, [script('precompute-bench-child'), databaseUrl], {
    encoding: 'utf8',
    env: { ...process.env, MARKET_DATA: 'demo' },
    maxBuffer: 64 * 2 ** 20,
  });
  const seedMs = performance.now() - seedStarted;

  const rounds: HttpBenchRun[] = [];
  const daybreak = await startServer('daybreak', databaseUrl);
  try {
    const bare = await startServer('bare', databaseUrl, `${daybreak.url}${PATH}`);
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? (['bare', 'daybreak'] as const) : (['daybreak', 'bare'] as const);
        for (const mode of order) rounds.push(await load(mode, mode === 'bare' ? bare.url : daybreak.url, round));
      }
    } finally {
      await stopServer(bare.child);
    }
  } finally {
    await stopServer(daybreak.child);
  }
  const naive = await startServer('naive', databaseUrl);
  try {
    rounds.push(await load('naive', naive.url, 1));
  } finally {
    await stopServer(naive.child);
  }

  const median = (server: HttpBenchRun['server']) => {
    const mine = rounds.filter((r) => r.server === server).sort((a, b) => a.requests_per_s - b.requests_per_s);
    return mine[Math.floor((mine.length - 1) / 2)]!;
  };
  const runs = (['daybreak', 'bare', 'naive'] as const).map(median);
  const rps = (server: HttpBenchRun['server']) => runs.find((r) => r.server === server)!.requests_per_s;
  const vsBare = rps('daybreak') / rps('bare');
  const vsNaive = rps('daybreak') / rps('naive');
  return {
    path: PATH,
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    warmup_s: WARMUP_S,
    compression: 'none',
    seed_ms: seedMs,
    rounds,
    runs,
    daybreak_vs_bare: vsBare,
    daybreak_vs_naive: vsNaive,
    targets: { vs_bare: '≥ 0.8', vs_naive: '≥ 2', met: vsBare >= 0.8 && vsNaive >= 2 },
  };
}

export function printHttpBench(result: HttpBenchResult, printTable: (headers: string[], rows: string[][]) => void): void {
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(
    `HTTP read: GET ${result.path}, ${result.connections} connections, ${result.duration_s} s (after ${result.warmup_s} s warm-up), ` +
      'loopback, no compression; autocannon shares the cores with the server',
  );
  console.log(
    `rounds (req/s): ${(['daybreak', 'bare', 'naive'] as const)
      .map((server) => `${server} ${result.rounds.filter((r) => r.server === server).map((r) => fmt(r.requests_per_s)).join(' / ')}`)
      .join('; ')}; the table shows each server's median round`,
  );
  printTable(
    ['server', 'req/s', 'p50', 'p99', 'avg', 'throughput', 'body', 'errors / non-2xx', 'vs daybreak'],
    result.runs.map((r) => [
      r.server,
      fmt(r.requests_per_s),
      `${fmt(r.latency_p50_ms, 1)} ms`,
      `${fmt(r.latency_p99_ms, 1)} ms`,
      `${fmt(r.latency_avg_ms, 2)} ms`,
      `${fmt(r.throughput_mb_per_s, 1)} MB/s`,
      `${fmt(r.body_bytes / 1024, 1)} KB`,
      `${r.errors} / ${r.non_2xx}`,
      r.server === 'daybreak' ? '—' : `${fmt(result.runs.find((x) => x.server === 'daybreak')!.requests_per_s / r.requests_per_s, 2)}×`,
    ]),
  );
  console.log(
    `daybreak = ${fmt(result.daybreak_vs_bare * 100)}% of bare node:http (target ≥ 80%), ${fmt(result.daybreak_vs_naive, 1)}× naive (target ≥ 2×): ` +
      (result.targets.met ? 'targets met' : 'TARGETS NOT MET') +
      '\n',
  );
}
