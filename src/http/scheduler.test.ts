import { afterEach, describe, expect, it } from 'vitest';
import type { JobQueue } from '../queue/job-queue.js';
import { BackgroundRuns, type RunLog } from './background-runs.js';
import { openSeededApp, testClock, type TestApp } from './http.test-support.js';
import { DailyScheduler, type FireOutcome } from './scheduler.js';

const quiet: RunLog = { info: () => {}, warn: () => {}, error: () => {} };
const opened: TestApp[] = [];
const schedulers: DailyScheduler[] = [];

afterEach(async () => {
  for (const s of schedulers.splice(0)) await s.stop();
  for (const t of opened.splice(0)) await t.close();
});

async function open(options: Parameters<typeof openSeededApp>[0] = {}): Promise<TestApp> {
  const t = await openSeededApp({ universe: 3, ...options });
  opened.push(t);
  return t;
}

function schedulerFor(t: TestApp, options: { queue?: JobQueue; schedule?: string; catchUp?: boolean } = {}): DailyScheduler {
  const scheduler = new DailyScheduler({
    deps: t.app.deps,
    queue: options.queue ?? t.queue,
    runs: new BackgroundRuns(t.app.deps, quiet, true),
    log: quiet,
    schedule: options.schedule ?? '0 5 * * *',
    timezone: 'Asia/Bangkok',
    catchUp: options.catchUp ?? false,
  });
  schedulers.push(scheduler);
  return scheduler;
}

/** 05:00 on Saturday 2026-11-28 in Bangkok. */
const FIVE_AM = new Date('2026-11-27T22:00:00.000Z');

describe('DailyScheduler', () => {
  it('ingests then runs every active ticker under an id made from the scheduled time, with source scheduler', async () => {
    const clock = testClock('2026-11-27T22:00:00.350Z');
    const t = await open({ now: clock.now });
    const outcome = await schedulerFor(t).fire(new Date('2026-11-27T22:00:00.350Z'));
    expect(outcome.status).toBe('started');
    const { execution, done } = outcome as Extract<FireOutcome, { status: 'started' }>;
    expect(execution).toMatchObject({ execution_id: 'precompute-20261128-050000', source: 'scheduler', total: 3 });
    expect(await done).toMatchObject({ status: 'completed', completed: 3 });
    expect((await t.app.deps.store.countDailyBars(t.app.deps.registry.active().map((x) => x.symbol))).size).toBe(3);
  });

  it('starts exactly one run when two schedulers fire for the same time', async () => {
    const clock = testClock('2026-11-27T22:00:01.000Z');
    const first = await open({ now: clock.now });
    // Two schedulers share nothing but the store, like two `serve` processes (src/cli/serve.test.ts runs two real
    // processes; two SQLite connections in one process would block each other's event loop while waiting for locks).
    const second = first;
    const outcomes = await Promise.all([schedulerFor(first).fire(FIVE_AM), schedulerFor(second).fire(FIVE_AM)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['skipped', 'started']);
    const started = outcomes.find((o) => o.status === 'started') as Extract<FireOutcome, { status: 'started' }>;
    await started.done;
    const executions = await first.app.deps.store.listExecutions({ limit: 10 });
    expect(executions.map((e) => [e.execution_id, e.source, e.status])).toEqual([['precompute-20261128-050000', 'scheduler', 'completed']]);
    // Firing again later for the same time changes nothing.
    expect(await schedulerFor(second).fire(FIVE_AM)).toMatchObject({ status: 'skipped', execution_id: 'precompute-20261128-050000' });
  });

  it('does not start a run while the previous scheduled run is still going', async () => {
    const clock = testClock('2026-11-27T22:00:00.000Z');
    const t = await open({ now: clock.now, env: { EXECUTION_TIMEOUT_MS: '600000' } });
    // Workers that never take the jobs: the first run stays running.
    const idle: JobQueue = { kind: 'idle', enqueue: async () => {}, requeueMissing: async () => 0, process: () => {}, close: async () => {} };
    const scheduler = schedulerFor(t, { queue: idle });
    const [a, b] = await Promise.all([scheduler.fire(FIVE_AM), scheduler.fire(new Date('2026-11-27T22:01:00.000Z'))]);
    expect(a.status).toBe('started');
    expect(b).toMatchObject({ status: 'skipped', reason: 'the previous scheduled run of this process is still going' });
    const next = await scheduler.fire(new Date('2026-11-28T22:00:00.000Z'));
    expect(next).toMatchObject({ status: 'skipped', reason: 'the previous scheduled run of this process is still going' });
    // Another process sees the run in the store and does not start one either.
    const other = schedulerFor(t, { queue: idle });
    expect(await other.fire(new Date('2026-11-28T22:00:00.000Z'))).toMatchObject({
      status: 'skipped',
      reason: 'scheduled run precompute-20261128-050000 is still going',
    });
    expect(await t.app.deps.store.listExecutions({ limit: 10 })).toHaveLength(1);
    expect(scheduler.status()).toMatchObject({ running_execution: 'precompute-20261128-050000', schedule: '0 5 * * *', timezone: 'Asia/Bangkok' });
  });

  it('catches up today\'s missed run at start, once', async () => {
    const clock = testClock('2026-11-28T03:00:00.000Z'); // 10:00 in Bangkok, the 05:00 run never happened
    const t = await open({ now: clock.now });
    const scheduler = schedulerFor(t, { catchUp: true });
    const outcome = await scheduler.catchUp();
    expect(outcome).toMatchObject({ status: 'started', execution: { execution_id: 'precompute-20261128-050000', source: 'scheduler' } });
    await (outcome as Extract<FireOutcome, { status: 'started' }>).done;
    expect(await scheduler.catchUp()).toBeUndefined();
    // Before today's time there is nothing to catch up.
    clock.set('2026-11-28T20:00:00.000Z'); // 03:00 on the 29th
    expect(await schedulerFor(t, { catchUp: true }).catchUp()).toBeUndefined();
  });

  it('fires on its own at the times of the expression', async () => {
    const t = await open();
    const scheduler = schedulerFor(t, { schedule: '*/2 * * * * *' }); // every two seconds
    scheduler.start();
    const next = scheduler.nextRun()!;
    expect(next.getTime() % 2000).toBe(0);
    expect(scheduler.status().enabled).toBe(true);
    const fired = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(async () => {
        const executions = await t.app.deps.store.listExecutions({ limit: 5 });
        if (executions.length > 0) {
          clearInterval(timer);
          resolve(executions[0]!.execution_id);
        }
      }, 50);
      setTimeout(() => {
        clearInterval(timer);
        reject(new Error('the schedule did not fire'));
      }, 10_000);
    });
    await scheduler.stop();
    expect(fired).toMatch(/^precompute-\d{8}-\d{6}$/);
    expect(scheduler.status().enabled).toBe(false);
  });
});
