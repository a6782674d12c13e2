import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig, type Config } from '../config.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { JobQueue } from '../queue/job-queue.js';
import { loadDefaultTickerFile } from '../registry/ticker-registry.js';
import { buildServer } from './server.js';
import type { HttpDeps } from './http-deps.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A clock tests can move: 10:00 on Friday 2026-11-27 in Bangkok to start with. */
export function testClock(start = '2026-11-27T03:00:00.000Z') {
  let at = new Date(start);
  return {
    now: () => at,
    set: (iso: string) => {
      at = new Date(iso);
    },
  };
}

export interface TestApp {
  app: Daybreak;
  queue: JobQueue;
  dbPath: string;
  dir: string;
  close(): Promise<void>;
}

/** A temp SQLite store with `tickers` precomputed for real (demo data, template narrative, charts on the main thread). */
export async function openSeededApp(
  options: { tickers?: string[]; env?: Record<string, string>; now?: () => Date; universe?: number } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-http-'));
  const dbPath = join(dir, 'd.db');
  const env: Record<string, string> = {
    DATABASE_URL: `sqlite:${dbPath}`,
    CHART_THREADS: '0',
    JOB_BACKOFF_MS: '1',
    DAYBREAK_ADMIN_TOKEN: ADMIN_TOKEN,
    REPORT_CACHE_POLL_MS: '100',
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  if (options.universe) {
    const file = loadDefaultTickerFile();
    const path = join(dir, 'tickers.json');
    writeFileSync(path, JSON.stringify({ ...file, tickers: file.tickers.slice(0, options.universe) }));
    env.TICKERS_FILE = path;
  }
  const app = await openDaybreak(loadConfig(env), options.now ? { now: options.now } : {});
  const queue = app.openQueue();
  if (options.tickers?.length) {
    const execution = await runPrecompute(app.deps, queue, { tickers: options.tickers }, 'manual');
    if (execution.status !== 'completed') throw new Error(`seed precompute ended ${execution.status}`);
  }
  return {
    app,
    queue,
    dbPath,
    dir,
    async close() {
      await queue.close();
      await app.close();
    },
  };
}

export function httpDepsOf(t: TestApp, overrides: Partial<Omit<HttpDeps, 'config'>> & { config?: Partial<Config> } = {}): HttpDeps {
  const { config, ...rest } = overrides;
  return {
    store: t.app.deps.store,
    registry: t.app.deps.registry,
    deps: t.app.deps,
    queue: t.queue,
    config: { ...t.app.config, ...config },
    now: t.app.deps.now,
    ...rest,
  };
}

export async function serverOf(t: TestApp, overrides: Parameters<typeof httpDepsOf>[1] = {}): Promise<FastifyInstance> {
  return buildServer(httpDepsOf(t, overrides));
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
