import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DedicatedPostgres, type DedicatedRedis, startDedicatedPostgres, startDedicatedRedis } from './dedicated-services.js';
import { syntheticTickers, writeTickersFile } from '../registry/synthetic-universe.js';
import { daybreak } from './run-cli.test-support.js';

// Services of our own, restarted mid-run: the shared PostgreSQL and Redis belong to everyone on the machine. CI
// machines have PostgreSQL and Redis installed; without them this fails and says what is missing.
const BIN = join(import.meta.dirname, '../../bin/daybreak.js');
const TICKERS = 16;

interface Spawned {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves once `count` lines matching `pattern` have been printed. */
  waitFor(pattern: RegExp, count?: number): Promise<void>;
}

const children: ChildProcess[] = [];
function start(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; count: number; resolve: () => void }[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    for (const w of [...waiters]) {
      if (lines.filter((l) => w.pattern.test(l)).length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  createInterface({ input: child.stdout! }).on('line', onLine);
  createInterface({ input: child.stderr! }).on('line', onLine);
  return {
    child,
    lines,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    waitFor: (pattern, count = 1) =>
      new Promise<void>((resolve) => {
        waiters.push({ pattern, count, resolve });
        onLine('');
      }),
  };
}

const okTickers = (p: Spawned) => p.lines.map((l) => /^ok\s+(\S+)/.exec(l)?.[1]).filter((t): t is string => Boolean(t));
const stackTraceLine = /^\s+at .+[(:]\d+:\d+\)?$|Unhandled error event|UnhandledPromiseRejection|^\s*(Error|AggregateError): /;

let postgres: DedicatedPostgres | undefined;
let redis: DedicatedRedis | undefined;

beforeAll(async () => {
  postgres = await startDedicatedPostgres();
  redis = await startDedicatedRedis();
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  postgres?.stop();
  await redis?.stop();
});

describe('distributed mode through a Redis and a PostgreSQL restart', () => {
  it('finishes every job once, with both workers alive, no stack trace, and precompute ending with its summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-restarts-'));
    const tickersFile = join(dir, 'universe.json');
    writeTickersFile(tickersFile, syntheticTickers(TICKERS));
    const env = {
      DATABASE_URL: postgres!.url,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: redis!.url,
      QUEUE_LOCK_MS: '4000',
      TICKERS_FILE: tickersFile,
      WORKER_CONCURRENCY: '1',
      JOB_BACKOFF_MS: '10',
      CHART_THREADS: '0',
    };
    expect((await daybreak(['ingest'], env)).code).toBe(0);

    const workers = [start(['worker'], env), start(['worker'], env)];
    await Promise.all(workers.map((w) => w.waitFor(/^worker .* taking jobs/)));
    const precompute = start(['precompute'], env);
    const done = () => workers.reduce((n, w) => n + okTickers(w).length, 0);
    const untilDone = async (count: number) => {
      while (done() < count) await new Promise((r) => setTimeout(r, 50));
    };

    // Redis dies and comes back empty a second later: the queue has lost every job still waiting.
    await untilDone(3);
    await redis!.restartEmpty(1_000);
    const afterRedis = done();
    // The store still has them: they are enqueued again and run (nothing else would, until the deadline).
    await untilDone(afterRedis + 3);
    // Then PostgreSQL restarts (every connection terminated, 57P01) while jobs are in hand.
    await postgres!.restart();

    const code = await precompute.exited;
    const output = [...precompute.lines, ...workers.flatMap((w) => w.lines)];
    expect(output.filter((l) => stackTraceLine.test(l))).toEqual([]);
    expect(code).toBe(0);
    expect(precompute.lines.find((l) => /^precompute-\S+: completed — /.test(l))).toMatch(
      new RegExp(`completed — ${TICKERS}/${TICKERS} completed, 0 failed, 0 pending`),
    );
    // The follower said once that it lost Redis and once that it was back.
    expect(precompute.lines.filter((l) => /Redis unreachable at 127\.0\.0\.1:\d+, retrying/.test(l))).toHaveLength(1);
    expect(precompute.lines.filter((l) => /Redis back after \d+\.\d s/.test(l))).toHaveLength(1);
    // In every process, each outage is one line down and one line back, never a line per failed call.
    for (const p of [precompute, ...workers]) {
      for (const service of ['Redis', 'PostgreSQL']) {
        const down = p.lines.filter((l) => l.includes(`${service} unreachable at`)).length;
        expect(down).toBeLessThanOrEqual(1);
        expect(p.lines.filter((l) => l.includes(`${service} back after`)).length).toBe(down);
      }
    }
    for (const w of workers) expect(w.child.exitCode).toBeNull();

    // Every ticker was completed once: one "ok" across both workers, one report row, one completed job.
    const oks = workers.flatMap(okTickers);
    expect(new Set(oks).size).toBe(oks.length);
    const client = new pg.Client({ connectionString: postgres!.url });
    await client.connect();
    try {
      const { rows: jobs } = await client.query<{ status: string; n: string }>(
        'select status, count(*) as n from jobs group by status',
      );
      expect(jobs).toEqual([{ status: 'completed', n: String(TICKERS) }]);
      const { rows: reports } = await client.query<{ ticker: string; n: string }>('select ticker, count(*) as n from reports group by ticker');
      expect(reports).toHaveLength(TICKERS);
      expect(reports.every((r) => r.n === '1')).toBe(true);
    } finally {
      await client.end();
    }

    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    expect(workers.map((w) => w.lines.at(-1))).toEqual(['stopped', 'stopped']);
  }, 120_000);
});
