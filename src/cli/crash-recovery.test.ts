import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { syntheticTickers, writeTickersFile } from '../bench/synthetic-universe.js';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { daybreak } from './run-cli.test-support.js';

const BIN = join(import.meta.dirname, '../../bin/daybreak.js');


describe('a precompute killed with SIGKILL mid-run', () => {
  it('leaves no job stuck: the next start closes the orphan, and --only-failed finishes the rest', async () => {
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

    // The next start recovers the orphan before doing its own work.
    const next = await daybreak(['precompute', '--limit', '2', '--json'], env);
    expect(next.code).toBe(0);
    expect(next.err).toMatch(new RegExp(`recovered execution ${executionId}`));

    const shown = await daybreak(['executions', executionId, '--json'], env);
    const recovered = JSON.parse(shown.out) as ExecutionSummary;
    expect(recovered.status).toBe('completed_with_failures');
    expect(recovered.pending).toBe(0);
    expect(recovered.jobs!.some((j) => j.status === 'pending' || j.status === 'in_progress')).toBe(false);
    expect(recovered.completed).toBeGreaterThanOrEqual(5);
    expect(recovered.completed + recovered.failed).toBe(60);
    expect(recovered.failures[0]!.error).toMatch(/^interrupted: the process running this execution .* stopped/);
    expect(recovered.failures[0]!.error).toContain(`--only-failed ${executionId}`);

    // Nothing written before the crash is lost, and the rest can be finished.
    const completedTicker = recovered.jobs!.find((j) => j.status === 'completed')!.ticker;
    expect((await daybreak(['report', completedTicker, '--json'], env)).code).toBe(0);
    const rerun = await daybreak(['precompute', '--only-failed', executionId, '--json'], env);
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.out)).toMatchObject({ status: 'completed', total: recovered.failed, failed: 0 });
  });
});
