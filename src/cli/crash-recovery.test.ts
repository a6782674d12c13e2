import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { syntheticTickers, writeTickersFile } from '../registry/synthetic-universe.js';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { daybreak } from './run-cli.test-support.js';

const BIN = join(import.meta.dirname, '../../bin/daybreak.js');


describe('a precompute killed with SIGKILL mid-run', () => {
  it('is pointed at by the next precompute and finished by `daybreak resume` in the same execution', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-crash-'));
    const db = join(dir, 'daybreak.db');
    const tickersFile = join(dir, 'universe.json');
    writeTickersFile(tickersFile, syntheticTickers(60));
    const env = { DATABASE_URL: `sqlite:${db}`, TICKERS_FILE: tickersFile, WORKER_CONCURRENCY: '1' };
    expect((await daybreak(['ingest'], env)).code).toBe(0);

    // The real binary, killed after its fifth finished job.
    const child = spawn(process.execPath, [BIN, 'precompute'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let executionId = '';
    let finished = 0;
    for await (const line of createInterface({ input: child.stdout! })) {
      executionId ||= /^execution (\S+):/.exec(line)?.[1] ?? '';
      if (/^ok /.test(line) && ++finished === 5) {
        child.kill('SIGKILL');
        break;
      }
    }
    await new Promise((resolve) => child.once('exit', resolve));
    expect(child.signalCode).toBe('SIGKILL');
    expect(executionId).toMatch(/^precompute-/);

    const store = await openSqliteStore(db);
    const before = await store.getExecution(executionId);
    const jobsBefore = await store.listJobs(executionId);
    await store.close();
    expect(before?.status).toBe('running');
    expect(jobsBefore.filter((j) => j.status === 'pending' || j.status === 'in_progress').length).toBeGreaterThan(20);

    // The next start does not fail the interrupted run: it says so and names the command that finishes it.
    const next = await daybreak(['precompute', '--limit', '2', '--json'], env);
    expect(next.code).toBe(0);
    expect(next.err).toMatch(new RegExp(`execution ${executionId} was interrupted .* finish it with \`daybreak resume ${executionId}\``));
    expect((await daybreak(['executions', executionId, '--json'], env)).out).toMatch(/"status": "running"/);

    // `daybreak resume` finishes it in the same execution, without redoing the reports written before the crash.
    const resumed = await daybreak(['resume', '--json'], env);
    expect(resumed.code).toBe(0);
    const [summary] = JSON.parse(resumed.out) as ExecutionSummary[];
    expect(summary).toMatchObject({ execution_id: executionId, status: 'completed', total: 60, completed: 60, failed: 0, pending: 0 });
    const after = await openSqliteStore(db);
    try {
      // (The two tickers of the later --limit 2 run have that run's report for the day.)
      const rerun = new Set((JSON.parse(next.out) as ExecutionSummary).jobs!.map((j) => j.ticker));
      for (const job of jobsBefore.filter((j) => j.status === 'completed' && !rerun.has(j.ticker))) {
        const report = await after.getReport(job.ticker, before!.business_date);
        expect(report?.execution_id).toBe(executionId);
        expect(Date.parse(report!.generated_at)).toBeLessThanOrEqual(Date.parse(job.finished_at!));
      }
    } finally {
      await after.close();
    }

    // Nothing is left to resume; a finished execution is not resumable, and says what to do instead.
    expect(await daybreak(['resume'], env)).toMatchObject({ code: 0, out: 'no interrupted execution to resume' });
    const again = await daybreak(['resume', executionId], env);
    expect(again.code).toBe(2);
    expect(again.err).toContain(`execution ${executionId} is completed, not interrupted: nothing to resume`);
    expect((await daybreak(['resume', 'precompute-nope'], env)).err).toContain('no execution precompute-nope');
  }, 120_000);
});
