/**
 * `daybreak export`: the snapshot's files, its atomic replacement, and the web page working from plain files served
 * by a bare static file server (no Daybreak process), in headless Chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daybreak } from './run-cli.test-support.js';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { buildServer } from '../http/server.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { Report } from '../report/report.js';
import { SNAPSHOT_MARKER } from '../export/export-snapshot.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TICKERS = ['NVDA19', 'DBS19', 'TENCENT19'];
const DAY_2 = '2026-11-25T00:30:00.000Z';

let dir: string;
let env: NodeJS.ProcessEnv;
let site: string;
let secondExecution: string;

/** A plain static file server, as any host or CDN would be: files by path, a content type, nothing else. */
function staticServer(root: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.ttf': 'font/ttf' };
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'daybreak-export-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`, CHART_THREADS: '0', NEWS_SOURCE: 'none', JOB_BACKOFF_MS: '1' };
  // Two business dates on the same bars: the second run carries every report forward.
  for (const at of ['2026-11-24T00:30:00.000Z', DAY_2]) {
    const app = await openDaybreak(loadConfig(env), { now: () => new Date(at) });
    const queue = app.openQueue();
    const execution = await runPrecompute(app.deps, queue, { tickers: TICKERS }, 'manual');
    secondExecution = execution.execution_id;
    await queue.close();
    await app.close();
  }
  site = join(dir, 'site');
}, 120_000);

describe('daybreak export', () => {
  it('writes the page, the tickers, every report with its chart, and the rankings as plain files', async () => {
    const run = await daybreak(['export', '--out', site, '--json'], env);
    expect(run.code, run.err).toBe(0);
    const result = JSON.parse(run.out) as { files: number; bytes: number; reports: number; charts: number; out_dir: string };
    expect(result).toMatchObject({ reports: 3, charts: 3, out_dir: site });
    expect(result.bytes).toBeGreaterThan(100_000);

    expect(readFileSync(join(site, 'index.html'), 'utf8')).toMatch(/<html data-snapshot="\d{4}-\d{2}-\d{2}T/);
    for (const asset of ['assets/app.js', 'assets/api.js', 'assets/report-view.js', 'assets/styles.css', 'assets/fonts/sarabun/400Regular/Sarabun_400Regular.ttf']) {
      expect(existsSync(join(site, asset)), asset).toBe(true);
    }
    const tickers = JSON.parse(readFileSync(join(site, 'api/v1/tickers.json'), 'utf8'));
    expect(tickers.count).toBe(56);
    expect(tickers.tickers.find((t: { ticker: string }) => t.ticker === 'NVDA19').report).toMatchObject({ reused_from: expect.stringMatching(/^precompute-/) });

    const report = JSON.parse(readFileSync(join(site, 'api/v1/reports/NVDA19.json'), 'utf8')) as Report;
    expect(report).toMatchObject({ ticker: 'NVDA19', business_date: '2026-11-25', execution_id: secondExecution });
    expect(report).not.toHaveProperty('chart_base64');
    expect(report.chart_url).toBe(`api/v1/reports/NVDA19/chart.png?v=${secondExecution}`);
    const png = readFileSync(join(site, 'api/v1/reports/NVDA19/chart.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(readdirSync(join(site, 'api/v1/rankings')).sort()).toEqual(['top_gainers.json', 'top_losers.json', 'trending.json', 'volume_surge.json']);
    expect(JSON.parse(readFileSync(join(site, SNAPSHOT_MARKER), 'utf8'))).toMatchObject({ reports: 3, charts: 3 });
    expect(JSON.parse(readFileSync(join(site, 'api/v1/brief.json'), 'utf8'))).toMatchObject({ business_date: '2026-11-25', execution_id: secondExecution });
    // No temporary or set-aside directory is left next to it.
    expect(readdirSync(dir).filter((f) => f.includes('site'))).toEqual(['site']);
  });

  it('answers with the JSON the live API answers for the same request', async () => {
    const app = await openDaybreak(loadConfig(env), { now: () => new Date(DAY_2) });
    const out = join(dir, 'same-clock');
    try {
      const { exportApp } = await import('./export-command.js');
      await exportApp(app, out);
      const server = await buildServer({ store: app.deps.store, registry: app.deps.registry, deps: app.deps, queue: app.openQueue(), config: app.config, now: app.deps.now, webRoot: null });
      try {
        const api = (url: string) => server.inject({ url }).then((r) => JSON.parse(r.body));
        expect(JSON.parse(readFileSync(join(out, 'api/v1/tickers.json'), 'utf8'))).toEqual(await api('/api/v1/tickers'));
        expect(JSON.parse(readFileSync(join(out, 'api/v1/rankings/trending.json'), 'utf8'))).toEqual(await api('/api/v1/rankings?category=trending&limit=50'));
        expect(JSON.parse(readFileSync(join(out, 'api/v1/brief.json'), 'utf8'))).toEqual(await api('/api/v1/brief'));
        const trackRecord = JSON.parse(readFileSync(join(out, 'api/v1/track-record.json'), 'utf8'));
        expect(trackRecord.calls.length).toBeGreaterThan(0);
        expect(trackRecord).toEqual(await api('/api/v1/track-record'));
        const live = await api('/api/v1/report/DBS19');
        const file = JSON.parse(readFileSync(join(out, 'api/v1/reports/DBS19.json'), 'utf8'));
        expect({ ...file, chart_url: null }).toEqual({ ...live, chart_url: null });
      } finally {
        await server.close();
      }
    } finally {
      await app.close();
    }
  });

  it('replaces an earlier snapshot whole, and refuses a directory that is not one', async () => {
    writeFileSync(join(site, 'api/v1/stray.json'), '{}');
    expect((await daybreak(['export', '--out', site], env)).code).toBe(0);
    expect(existsSync(join(site, 'api/v1/stray.json'))).toBe(false);
    expect(existsSync(join(site, 'api/v1/reports/DBS19.json'))).toBe(true);

    const precious = join(dir, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'thesis.txt'), 'do not delete');
    const refused = await daybreak(['export', '--out', precious], env);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/is a directory that is not a Daybreak snapshot/);
    expect(readFileSync(join(precious, 'thesis.txt'), 'utf8')).toBe('do not delete');
    expect((await daybreak(['export'], env)).code).toBe(2);
  });
});

describe('the exported page on a plain static server, in headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    if (!existsSync(join(site, 'index.html'))) expect((await daybreak(['export', '--out', site], env)).code).toBe(0);
    server = await staticServer(site);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('lists the tickers, shows a report with its chart, says it was carried forward, and hides the monitor', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const failed: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    // The English words below: the reader chose English (`?lang=en`, remembered); the page is Thai by default.
    await page.goto(`${base}/?lang=en`);
    await page.getByRole('link', { name: /NVDA19|NVIDIA/ }).first().waitFor();
    expect(await page.locator('#snapshot-note').textContent()).toMatch(/Static snapshot, exported/);
    expect(await page.locator('[data-nav="executions"]').count()).toBe(0);

    await page.goto(`${base}/#/report/NVDA19`);
    await page.locator('.report-title').waitFor();
    expect(await page.locator('.report-title').textContent()).toMatch(/NVDA19/);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#report-chart');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    expect(await page.locator('#report-chart').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1200);
    expect(await page.locator('#carried-forward').textContent()).toMatch(/Carried forward: its inputs .* had not changed/);
    expect(await page.locator('.narrative, #narrative, article').first().textContent()).toBeTruthy();

    // A ticker with no report in the snapshot says so instead of offering to generate one.
    await page.goto(`${base}/#/report/AAPL19`);
    await page.getByText('AAPL19 has no report in this snapshot.').waitFor();
    expect(await page.locator('#generate-now').count()).toBe(0);

    // In Thai, the snapshot's note and the carried-forward note too.
    await page.goto(`${base}/?lang=th#/report/NVDA19`);
    await page.locator('#carried-forward').waitFor();
    expect(await page.locator('#carried-forward').textContent()).toMatch(/^ใช้รายงานเดิม: ข้อมูลตั้งต้น/);
    expect(await page.locator('#snapshot-note').textContent()).toMatch(/^สแนปช็อตแบบคงที่ ส่งออกเมื่อ/);
    await page.goto(`${base}/#/report/AAPL19`);
    await page.getByText('AAPL19 ไม่มีรายงานในสแนปช็อตนี้').waitFor();
    expect(errors).toEqual([]);
    expect(failed.filter((f) => !f.includes('/api/v1/reports/AAPL19.json'))).toEqual([]);
    await page.close();
  });
});
