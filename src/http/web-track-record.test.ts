/**
 * The track-record view of the web page in headless Chromium (playwright-core, Debian's /usr/bin/chromium) against
 * the real server, over a store holding a backtest of real fixture prices.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { loadDefaultTickers } from '../registry/ticker-registry.js';
import { ingestTickers } from '../pipeline/ingest.js';
import { runBacktest } from '../track-record/backtest.js';
import { buildServer } from './server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIXTURES = join(import.meta.dirname, '../../../shared/fixtures/market');
const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const SYMBOLS = ['NVDA19', 'AAPL19', 'MSFT19'];

let app: Daybreak;
let server: FastifyInstance;
let base: string;
let browser: Browser;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing (${CHROMIUM}): install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH).`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'daybreak-web-tr-'));
  const tickersFile = join(dir, 'tickers.json');
  writeFileSync(tickersFile, JSON.stringify({ version: 1, updated: '2024-03-08', tickers: loadDefaultTickers().filter((t) => SYMBOLS.includes(t.symbol)) }));
  app = await openDaybreak(loadConfig({ DATABASE_URL: `sqlite:${join(dir, 'd.db')}`, MARKET_DATA: `csv:${FIXTURES}`, TICKERS_FILE: tickersFile, REPORT_CACHE_POLL_MS: '0' }));
  await ingestTickers({
    store: app.deps.store,
    source: app.deps.marketData,
    newsSource: null,
    tickers: app.deps.registry.active(),
    endDate: '2024-03-08',
    today: '2024-03-08',
    minBars: 600,
    concurrency: 3,
    retry: { attempts: 1, backoffMs: 0 },
  });
  await runBacktest({ store: app.deps.store, registry: app.deps.registry, hasNews: false, settings: app.deps.settings }, { from: '2023-07-01', to: '2024-03-08' });
  server = await buildServer({ store: app.deps.store, registry: app.deps.registry, deps: app.deps, queue: app.openQueue(), config: app.config, now: app.deps.now });
  base = await server.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await app?.close();
});

describe('web page: track record', () => {
  it('shows hit rates with intervals, the baselines, calibration, and one ticker\'s calls over its price line', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
    // The English words below: the reader chose English (`?lang=en`, remembered for the later loads); Thai is the default.
    await page.goto(`${base}/?lang=en`);
    await page.getByRole('link', { name: 'Track record' }).click();
    await page.getByRole('heading', { name: 'Track record', level: 1 }).waitFor();
    const record = await (await fetch(`${base}/api/v1/track-record`)).json();
    const buy5 = record.summary.find((r: { recommendation: string; horizon: number }) => r.recommendation === 'BUY' && r.horizon === 5);
    const row = page.locator('tr[data-row="BUY-5"]').first();
    await expect(row.textContent()).resolves.toContain(`${(buy5.hit_rate * 100).toFixed(1)}%`);
    await expect(row.textContent()).resolves.toContain(`${(buy5.hit_rate_ci95[0] * 100).toFixed(1)}–${(buy5.hit_rate_ci95[1] * 100).toFixed(1)}%`);
    expect(await page.locator('svg.tr-rate').count()).toBeGreaterThan(9);
    for (const text of ['Daybreak against the baselines', 'Calibration', 'Baseline sma_50_200', 'Baseline macd_signal', 'Baseline rsi_30_70', 'Baseline bollinger_reversion', 'Flip rate']) {
      await expect(page.getByText(text).first().isVisible()).resolves.toBe(true);
    }
    await page.screenshot({ path: join(SCREENSHOTS, 'track-record.png'), fullPage: true });

    await page.getByRole('link', { name: 'NVDA19' }).click();
    await page.getByRole('heading', { name: 'Track record of NVDA19' }).waitFor();
    const nvda = await (await fetch(`${base}/api/v1/track-record/NVDA19`)).json();
    const marks = await page.locator('svg.tr-price .tr-mark').evaluateAll((els) => els.map((e) => e.getAttribute('data-call')));
    expect(marks).toEqual(nvda.calls.map((c: { recommendation: string }) => c.recommendation));
    await page.screenshot({ path: join(SCREENSHOTS, 'track-record-nvda.png'), fullPage: true });

    await page.goto(`${base}/#/track-record/NVDX`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/unknown ticker "NVDX"/);
    expect(pageErrors.filter((e) => !/404/.test(e))).toEqual([]);
    await page.close();
  }, 60_000);
});
