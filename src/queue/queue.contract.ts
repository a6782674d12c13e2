import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryLaterError, ServiceUnavailableError } from '../errors.js';
import type { JobAttempt, JobQueue, QueuedJob, RetryOptions } from './job-queue.js';

const jobs = (n: number, executionId = 'exec-1'): QueuedJob[] =>
  Array.from({ length: n }, (_, i) => ({ jobId: `rpt_T${i}_${executionId}`, executionId, ticker: `T${i}` }));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Resolves once `count` calls to `tick()` have happened. */
function countdown(count: number) {
  const done = deferred();
  let left = count;
  return {
    tick() {
      if (--left === 0) done.resolve();
    },
    done: done.promise,
  };
}

/**
 * The behaviour every queue adapter must have. `open(options)` returns a fresh, isolated queue with the given
 * concurrency and retry options.
 */
export function describeQueueContract(
  name: string,
  open: (options: { concurrency: number; retry: RetryOptions }) => Promise<JobQueue>,
): void {
  describe(`JobQueue contract: ${name}`, () => {
    let queue: JobQueue | undefined;
    afterEach(async () => {
      await queue?.close();
      queue = undefined;
    });

    it('delivers every job once with its ids, never more than `concurrency` at once', async () => {
      queue = await open({ concurrency: 3, retry: { attempts: 1, backoffMs: 1 } });
      const seen: string[] = [];
      let running = 0;
      let peak = 0;
      const all = countdown(20);
      queue.process(async (job) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        seen.push(`${job.ticker}@${job.executionId}`);
        running--;
        all.tick();
      });
      await queue.enqueue(jobs(20));
      await all.done;
      expect(seen.sort()).toEqual(jobs(20).map((j) => `${j.ticker}@exec-1`).sort());
      expect(peak).toBeLessThanOrEqual(3);
      expect(peak).toBeGreaterThan(1);
    });

    it('retries a transient failure with backoff and tells the handler which attempt it is', async () => {
      queue = await open({ concurrency: 1, retry: { attempts: 3, backoffMs: 20 } });
      const attempts: JobAttempt[] = [];
      const times: number[] = [];
      const done = deferred();
      queue.process(async (_job, attempt) => {
        attempts.push(attempt);
        times.push(performance.now());
        if (attempt.attempt < 3) throw new Error('connection reset');
        done.resolve();
      });
      await queue.enqueue(jobs(1));
      await done.promise;
      expect(attempts).toEqual([
        { attempt: 1, maxAttempts: 3 },
        { attempt: 2, maxAttempts: 3 },
        { attempt: 3, maxAttempts: 3 },
      ]);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(15);
      expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(35);
    });

    it('does not retry a permanent error, and stops after the last attempt', async () => {
      queue = await open({ concurrency: 2, retry: { attempts: 2, backoffMs: 1 } });
      const calls = new Map<string, number>();
      queue.process(async (job) => {
        calls.set(job.ticker, (calls.get(job.ticker) ?? 0) + 1);
        if (job.ticker === 'T0') throw new PermanentError('no data for T0');
        throw new Error('still broken');
      });
      await queue.enqueue(jobs(2));
      await new Promise((r) => setTimeout(r, 150));
      expect(Object.fromEntries(calls)).toEqual({ T0: 1, T1: 2 });
    });

    it('waits as long as a rate-limit error says before the retry', async () => {
      queue = await open({ concurrency: 1, retry: { attempts: 2, backoffMs: 1 } });
      const times: number[] = [];
      const done = deferred();
      queue.process(async (_job, { attempt }) => {
        times.push(performance.now());
        if (attempt === 1) throw new RetryLaterError('429 Too Many Requests', 80);
        done.resolve();
      });
      await queue.enqueue(jobs(1));
      await done.promise;
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(70);
    });

    it('lets the job in hand finish on close and delivers nothing after', async () => {
      queue = await open({ concurrency: 1, retry: { attempts: 1, backoffMs: 1 } });
      const started = deferred();
      const finished: string[] = [];
      queue.process(async (job) => {
        started.resolve();
        await new Promise((r) => setTimeout(r, 50));
        finished.push(job.ticker);
      });
      await queue.enqueue(jobs(3));
      await started.promise;
      await queue.close();
      expect(finished).toEqual(['T0']);
      await new Promise((r) => setTimeout(r, 80));
      expect(finished).toEqual(['T0']);
      queue = undefined;
    });

    it('requeueMissing adds only the jobs it does not hold, and a job that ended in the queue runs again', async () => {
      queue = await open({ concurrency: 2, retry: { attempts: 1, backoffMs: 1 } });
      const runs = new Map<string, number>();
      const gate = deferred();
      const firstThree = countdown(3);
      queue.process(async (job) => {
        runs.set(job.ticker, (runs.get(job.ticker) ?? 0) + 1);
        firstThree.tick();
        if (job.ticker === 'T1') await gate.promise; // in hand while the queue is asked again
      });
      await queue.enqueue(jobs(3));
      await firstThree.done;
      await new Promise((r) => setTimeout(r, 200)); // T0 and T2 have returned
      // T0 and T2 ended, T1 is in hand, T3 and T4 were never added: T0, T2, T3 and T4 go (back) in.
      expect(await queue.requeueMissing(jobs(5))).toBe(4);
      gate.resolve();
      await new Promise((r) => setTimeout(r, 300));
      expect(Object.fromEntries(runs)).toEqual({ T0: 2, T1: 1, T2: 2, T3: 1, T4: 1 });
    });

    it('redelivers a job that failed because the store was unreachable without spending an attempt', async () => {
      queue = await open({ concurrency: 1, retry: { attempts: 1, backoffMs: 1 } });
      const attempts: number[] = [];
      const done = deferred();
      queue.process(async (_job, { attempt }) => {
        attempts.push(attempt);
        if (attempts.length < 3) throw new ServiceUnavailableError('PostgreSQL at 127.0.0.1:5432 unreachable');
        done.resolve();
      });
      await queue.enqueue(jobs(1));
      await done.promise;
      expect(attempts).toEqual([1, 1, 1]);
    });
  });
}
