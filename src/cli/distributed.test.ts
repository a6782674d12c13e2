import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticTickers, writeTickersFile } from '../registry/synthetic-universe.js';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import { daybreak } from './run-cli.test-support.js';

// PostgreSQL and Redis run on loopback on the development machines and CI (.ci/run starts them).
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BIN = join(import.meta.dirname, '../../bin/daybreak.js');

const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const prefix = `daybreak-test-${randomUUID()}`;
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});


function startWorker(env: NodeJS.ProcessEnv): { child: ChildProcess; lines: AsyncIterator<string> } {
  const child = spawn(process.execPath, [BIN, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

async function waitFor(lines: AsyncIterator<string>, pattern: RegExp, count = 1): Promise<void> {
  let seen = 0;
  while (seen < count) {
    const next = await lines.next();
    if (next.done) throw new Error(`worker output ended before ${pattern}`);
    if (pattern.test(next.value)) seen++;
  }
}

describe('distributed mode: PostgreSQL + BullMQ, two worker processes', () => {
  it('completes every job when one worker is killed with SIGKILL mid-run, one report per ticker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-distributed-'));
    const tickersFile = join(dir, 'universe.json');
    writeTickersFile(tickersFile, syntheticTickers(40));
    const env = {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      QUEUE_LOCK_MS: '2000',
      TICKERS_FILE: tickersFile,
      WORKER_CONCURRENCY: '2',
      JOB_BACKOFF_MS: '10',
    };
    expect((await daybreak(['ingest'], env)).code).toBe(0);

    const doomed = startWorker(env);
    const survivor = startWorker(env);
    await waitFor(doomed.lines, /^worker .* taking jobs/);
    await waitFor(survivor.lines, /^worker .* taking jobs/);

    const run = daybreak(['precompute', '--json'], env);
    await waitFor(doomed.lines, /^ok /, 5);
    doomed.child.kill('SIGKILL');
    const { code, out } = await run;

    const summary = JSON.parse(out) as ExecutionSummary;
    expect(code).toBe(0);
    expect(summary).toMatchObject({ status: 'completed', total: 40, completed: 40, failed: 0, pending: 0 });
    expect(doomed.child.signalCode).toBe('SIGKILL');
    // Whatever the killed worker had in hand went back to the queue when its lock expired: nothing is left open.
    // (Whether it held a job at the instant of the kill is timing, so the test does not count redeliveries.)
    expect(summary.jobs!.every((j) => j.status === 'completed' && j.attempts >= 1)).toBe(true);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ ticker: string; n: string }>(
        `select ticker, count(*) as n from ${schema}.reports where execution_id = $1 group by ticker`,
        [summary.execution_id],
      );
      expect(rows).toHaveLength(40);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    } finally {
      await client.end();
    }

    survivor.child.kill('SIGTERM');
    await waitFor(survivor.lines, /^stopped$/);
  }, 120_000);
});
