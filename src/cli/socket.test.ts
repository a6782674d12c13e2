import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from './serve-command.js';
import { ADMIN_TOKEN, eventually, openSeededApp, testClock, type TestApp } from '../http/http.test-support.js';

const clock = testClock();
let t: TestApp;

beforeAll(async () => {
  t = await openSeededApp({ tickers: ['NVDA19'], now: clock.now });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('serve over a real socket', () => {
  it('listens on an ephemeral port, serves compressed reports with ETags, runs on-demand jobs, and stops gracefully', async () => {
    const running = await startServe(t.app, { port: 0, host: '127.0.0.1', schedule: false });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${running.url}/api/v1/report/nvda`, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-encoding')).toBe('gzip');
      const report = (await res.json()) as { ticker: string; stale: boolean };
      expect(report).toMatchObject({ ticker: 'NVDA19', stale: false });
      const etag = res.headers.get('etag')!;
      const cached = await fetch(`${running.url}/api/v1/report/NVDA19`, { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
      expect(cached.status).toBe(304);

      const health = await fetch(`${running.url}/api/v1/health`);
      expect(((await health.json()) as { status: string }).status).toBe('ok');

      const started = await fetch(`${running.url}/api/v1/report/DBS19`, { method: 'POST' });
      expect(started.status).toBe(202);
      const { status_url } = (await started.json()) as { status_url: string };
      await eventually(async () => {
        const job = (await (await fetch(`${running.url}${status_url}`)).json()) as { status: string };
        return job.status === 'completed' ? job : undefined;
      });
      const dbs = await fetch(`${running.url}/api/v1/report/DBS19`);
      expect(dbs.status).toBe(200);

      const admin = await fetch(`${running.url}/api/v1/precompute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tickers: ['TENCENT19'] }),
      });
      expect(admin.status).toBe(202);
      const { execution_id } = (await admin.json()) as { execution_id: string };
      // Stopping while a run may still be going: the queue finishes the job in hand; anything left is closed with a reason.
      await running.stop();
      const execution = await t.app.deps.store.getExecution(execution_id);
      expect(execution?.status).not.toBe('running');
      await expect(fetch(`${running.url}/api/v1/health`)).rejects.toThrow();
    } finally {
      await running.stop();
    }
  });
});
