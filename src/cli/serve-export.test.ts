import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { eventually } from '../http/http.test-support.js';
import { startServe } from './serve-command.js';

const TOKEN = 'serve-export-admin-token-0123456789';

describe('daybreak serve with EXPORT_DIR', () => {
  it('writes the static snapshot at start and again after every execution it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daybreak-serve-export-'));
    const site = join(dir, 'site');
    const app = await openDaybreak(
      loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`, CHART_THREADS: '0', EXPORT_DIR: site, DAYBREAK_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'silent' }),
    );
    const running = await startServe(app, { port: 0, schedule: false });
    try {
      // At start: an empty store still gives a working (empty) snapshot.
      await eventually(async () => (existsSync(join(site, 'api/v1/snapshot.json')) ? true : undefined), 20_000);
      expect(JSON.parse(readFileSync(join(site, 'api/v1/snapshot.json'), 'utf8')).reports).toBe(0);

      const res = await fetch(`${running.url}/api/v1/precompute`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ tickers: ['NVDA19', 'DBS19'] }),
      });
      expect(res.status).toBe(202);
      const { execution_id } = (await res.json()) as { execution_id: string };
      const report = await eventually(async () => {
        const file = join(site, 'api/v1/reports/DBS19.json');
        return existsSync(file) && existsSync(join(site, 'api/v1/reports/NVDA19.json')) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
      }, 60_000);
      expect(report).toMatchObject({ ticker: 'DBS19', execution_id });
      expect(existsSync(join(site, 'api/v1/reports/DBS19/chart.png'))).toBe(true);
    } finally {
      await running.stop();
      await app.close();
    }
  });
});
