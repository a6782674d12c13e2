/**
 * Precompute of a synthetic universe in one of three set-ups, timed from trigger to the execution's end (ingest is
 * done before the clock starts):
 *   embedded            SQLite + the in-process queue, this process makes the reports;
 *   distributed N       PostgreSQL + BullMQ/Redis, N `daybreak worker` processes make them, this process follows.
 * Every process that makes reports draws its charts on its own main thread (CHART_THREADS=0) and is pinned to one
 * core with `taskset` (V8's GC threads would otherwise give one process ~1.3 cores on this 2-core machine): one worker
 * per core, as a worker per container with one CPU would run. The follower, PostgreSQL and Redis are not pinned.
 * argv: MODE(embedded|distributed) WORKERS TICKERS_FILE. Prints one JSON line.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { runPrecompute } from '../pipeline/precompute.js';
import { ingestUniverse, startPinnedWorker, taskset } from './bench-processes.js';

const [mode = 'embedded', workersArg = '1', tickersFile] = process.argv.slice(2);
const workers = Number(workersArg);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const prefix = `daybreak-bench-${randomUUID()}`;

const env: NodeJS.ProcessEnv = {
  ...process.env,
  TICKERS_FILE: tickersFile,
  CHART_THREADS: '0',
  WORKER_CONCURRENCY: '2',
  ...(mode === 'distributed'
    ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, DATABASE_POOL_SIZE: '4', REDIS_URL: redisUrl, QUEUE_PREFIX: prefix }
    : { DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'daybreak-bench-')), 'bench.db')}` }),
};

// Embedded: this process makes the reports, so it takes core 0 for all its threads (-a) before it starts any work.
if (mode === 'embedded' && taskset) execFileSync(taskset, ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' });

const app = await openDaybreak(loadConfig(env));
await ingestUniverse(app);

const children: ChildProcess[] = [];
for (let i = 0; i < (mode === 'distributed' ? workers : 0); i++) children.push(await startPinnedWorker(env, i));

const started = performance.now();
const execution = await runPrecompute(app.deps, app.openQueue(), {}, 'manual');
const wallMs = performance.now() - started;

for (const child of children) child.kill('SIGTERM');
await Promise.all(children.map((c) => new Promise((resolve) => c.once('exit', resolve))));
await app.close();
if (mode === 'distributed') {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}
process.stdout.write(
  `${JSON.stringify({ mode, workers: mode === 'distributed' ? workers : 0, pinned: taskset !== undefined, status: execution.status, completed: execution.completed, total: execution.total, wall_ms: wallMs, reports_per_s: execution.completed / (wallMs / 1000) })}\n`,
);
