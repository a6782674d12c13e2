import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Daybreak } from '../composition-root.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { bangkokDate, lastBusinessDayOnOrBefore } from '../report/business-date.js';

export const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;
const bin = fileURLToPath(new URL('../../bin/daybreak.js', import.meta.url));

/** Ingests the whole active universe before a bench's clock starts. */
export async function ingestUniverse(app: Daybreak): Promise<void> {
  const now = app.deps.now();
  await ingestTickers({
    store: app.deps.store,
    source: app.deps.marketData,
    newsSource: app.deps.newsSource,
    tickers: app.deps.registry.active(),
    endDate: lastBusinessDayOnOrBefore(bangkokDate(now)),
    today: bangkokDate(now),
    minBars: app.config.HISTORY_BARS,
    concurrency: 8,
    retry: app.deps.settings.retry,
  });
}

/** Starts a `daybreak worker` pinned to one core (when taskset exists) and resolves once it takes jobs. */
export async function startPinnedWorker(env: NodeJS.ProcessEnv, core: number): Promise<ChildProcess> {
  const command = taskset ? [taskset, '-c', String(core % availableParallelism()), process.execPath] : [process.execPath];
  const child = spawn(command[0]!, [...command.slice(1), bin, 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  for await (const line of createInterface({ input: child.stdout! })) if (/taking jobs/.test(line)) break;
  child.stdout!.resume();
  return child;
}
