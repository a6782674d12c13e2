/**
 * The web page at `/`, in a real browser: Debian's Chromium driven by playwright-core, against the real server
 * (`buildServer`) over a temporary SQLite store seeded by a small precompute on demo data. Screenshots land in
 * test-artifacts/screenshots/ for a person to look at.
 *
 * Chromium is a prerequisite, not an option: without it this test fails and says how to install it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInitData } from '../chat/telegram-init-data.js';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { runPrecompute } from '../pipeline/precompute.js';
import type { JobQueue } from '../queue/job-queue.js';
import { SECTION_HEADINGS } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import { buildServer } from './server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const ADMIN_TOKEN = 'web-page-test-admin-token-0123456789';
/** Seeded before the server starts; the run started from the page uses two of them again. */
const SEEDED = ['NVDA19', 'DBS19', 'AAPL19', 'MSN19', 'TENCENT19'];
const RUN_FROM_PAGE = ['NVDA19', 'DBS19'];
/** The bot the server verifies Mini App init data with (nothing is sent to Telegram in this file). */
const BOT_TOKEN = '123456789:AAwebPageTestBotToken_0123456789';

let dir: string;
let app: Daybreak;
let queue: JobQueue;
let server: FastifyInstance;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Requests the page made to anything but the server (the page must make none) and errors it logged. */
const foreignRequests: string[] = [];
const pageErrors: string[] = [];

/**
 * Holds report jobs of chosen tickers at their first store read until the test lets them go, so the monitor can be
 * watched while a run is in progress, one job at a time.
 */
const gate = {
  holding: new Set<string>(),
  waiting: new Map<string, () => void>(),
  hold(tickers: string[]) {
    for (const t of tickers) this.holding.add(t);
  },
  release(ticker: string) {
    this.holding.delete(ticker);
    this.waiting.get(ticker)?.();
    this.waiting.delete(ticker);
  },
  releaseAll() {
    for (const t of [...this.holding, ...this.waiting.keys()]) this.release(t);
  },
};

async function shot(name: string, options: { fullPage?: boolean } = {}) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: options.fullPage ?? false });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing (${CHROMIUM}): the web page test drives it through playwright-core. ` +
        'Install it with `apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH).',
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'daybreak-web-'));
  app = await openDaybreak(
    loadConfig({
      DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`,
      DAYBREAK_ADMIN_TOKEN: ADMIN_TOKEN,
      JOB_BACKOFF_MS: '1',
      REPORT_CACHE_POLL_MS: '0',
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: 'web-page-test-telegram-secret',
      TELEGRAM_API_BASE_URL: 'http://127.0.0.1:9',
    }),
  );
  queue = app.openQueue();
  const seeded = await runPrecompute(app.deps, queue, { tickers: SEEDED }, 'manual');
  expect(seeded).toMatchObject({ status: 'completed', completed: SEEDED.length });

  const store = app.deps.store;
  const realGetDailyBars = store.getDailyBars.bind(store);
  store.getDailyBars = async (ticker, limit) => {
    if (gate.holding.has(ticker)) await new Promise<void>((resolve) => gate.waiting.set(ticker, resolve));
    return realGetDailyBars(ticker, limit);
  };

  server = await buildServer({
    store,
    registry: app.deps.registry,
    deps: app.deps,
    queue,
    config: app.config,
    now: () => new Date(),
    mode: app.mode,
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  base = `http://127.0.0.1:${address.port}`;

  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  // The tests of this context read the page's English words: its reader chose English (what the TH | EN switch
  // stores). Thai, the default, is tested at the phone viewport below.
  await context.addInitScript(() => localStorage.setItem('daybreak.lang', 'en'));
  page = await context.newPage();
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${base}/`) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    // Expected answers, not page errors: 404 for a report not computed yet, 401 for the wrong token on purpose.
    if (message.type() === 'error' && !/status of (404|401)/.test(message.text())) pageErrors.push(message.text());
  });
}, 120_000);

afterAll(async () => {
  gate.releaseAll();
  await browser?.close();
  await server?.close();
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function storedReport(ticker: string): Promise<Report> {
  const stored = await app.deps.store.getLatestReport(ticker);
  if (!stored) throw new Error(`no stored report for ${ticker}`);
  return JSON.parse(stored.body) as Report;
}

describe('web page', () => {
  it('lists every ticker with its stance, freshness and the demo label; sorts by change and filters', async () => {
    await page.goto(`${base}/`);
    await page.locator('.list[data-loaded="true"]').waitFor();

    for (const ticker of SEEDED) {
      const report = await storedReport(ticker);
      const row = page.locator(`#ticker-table tbody tr[data-ticker="${ticker}"]`);
      await expect(row.locator('.sym__link').textContent()).resolves.toBe(ticker);
      const stance = report.stance[0]!.toUpperCase() + report.stance.slice(1);
      await expect(row.locator('td.col-stance').textContent()).resolves.toBe(stance);
      await expect(row.locator('td.col-fresh').textContent()).resolves.toContain('demo data');
      await expect(row.locator('td.col-fresh time').getAttribute('datetime')).resolves.toBe(report.as_of);
    }
    // The whole registry is listed; tickers never computed say so.
    const registrySize = app.deps.registry.all().length;
    await expect(page.locator('#ticker-table tbody tr').count()).resolves.toBe(registrySize);
    await expect(page.locator('#ticker-table tbody tr[data-ticker="ABBV19"] td.col-stance').textContent()).resolves.toBe('no report');

    // Sorted by change, highest first, by default; one click on the header reverses it.
    const changes = async () =>
      page.locator('#ticker-table tbody tr:not(.row--empty)').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticker')!));
    const byChange = await Promise.all(SEEDED.map(async (t) => [t, (await storedReport(t)).price_change_pct ?? -Infinity] as const));
    const expectedDesc = byChange.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
    await expect(changes()).resolves.toEqual(expectedDesc);
    const changeHeader = page.locator('#ticker-table thead th', { hasText: 'Change' });
    await expect(changeHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await shot('list.png', { fullPage: true });
    await changeHeader.locator('button').click();
    await expect(changeHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    await expect(changes()).resolves.toEqual([...expectedDesc].reverse());
    await changeHeader.locator('button').click();

    // The filter box matches symbols and names.
    await page.locator('#ticker-filter').fill('nvidia');
    await expect(page.locator('#ticker-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ticker')))).resolves.toEqual(['NVDA19']);
    await page.locator('#ticker-filter').fill('');

    // Thai text is drawn with the Sarabun files the server ships, not whatever the machine has.
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => `${f.family} ${f.weight}`);
    });
    expect(fonts).toContain('Sarabun 400');

    await page.setViewportSize({ width: 390, height: 844 });
    await shot('list-mobile.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the morning brief above the ticker list, with the numbers of the stored reports', async () => {
    await page.goto(`${base}/#/`);
    await page.locator('#morning-brief[data-loaded="true"]').waitFor();
    const reports = await Promise.all(SEEDED.map(storedReport));
    const up = reports.filter((r) => (r.price_change_pct ?? 0) > 0).length;
    const down = reports.filter((r) => (r.price_change_pct ?? 0) < 0).length;
    const breadth = await page.locator('#morning-brief .brief__breadth').textContent();
    expect(breadth).toContain(`${up} up`);
    expect(breadth).toContain(`${down} down`);
    expect(breadth).toContain(`of ${SEEDED.length}`);
    const best = [...reports].sort((a, b) => (b.price_change_pct ?? -Infinity) - (a.price_change_pct ?? -Infinity))[0]!;
    await expect(page.locator('#morning-brief .brief__movers a').first().textContent()).resolves.toBe(best.ticker);
    await expect(page.locator('#morning-brief').textContent()).resolves.toContain('demo data');
    await expect(page.locator('#morning-brief .brief__narrative p').count()).resolves.toBeGreaterThan(0);
    // Above the list.
    const order = await page.evaluate(() => {
      const brief = document.getElementById('morning-brief')!;
      const table = document.getElementById('ticker-table')!;
      return brief.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    expect(order).toBeTruthy();
    await shot('list-brief.png');
  });

  it('opens a report from the list: chart loaded, narrative with its headings, scores, news and peers', async () => {
    await page.goto(`${base}/#/`);
    await page.locator('.list[data-loaded="true"]').waitFor();
    await page.locator('#ticker-table tbody tr[data-ticker="NVDA19"] a.sym__link').click();
    await page.waitForURL(/#\/report\/NVDA19$/);
    const report = await storedReport('NVDA19');

    await page.locator('.report[data-ticker="NVDA19"]').waitFor();
    await expect(page.locator('.report-title').textContent()).resolves.toContain(report.company_name);

    // The chart image has arrived and decoded at its full size.
    const chart = page.locator('#report-chart');
    await expect(chart.getAttribute('src')).resolves.toMatch(/^\/api\/v1\/report\/NVDA19\/chart\.png(\?|$)/);
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('#report-chart');
      return img !== null && img.complete && img.naturalWidth > 0;
    });
    await expect(chart.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).resolves.toEqual([1200, 800]);

    // The narrative's four sections are rendered headings (Markdown, not raw text), visible on the page.
    const headings = page.locator('#narrative h2');
    await expect(headings.count()).resolves.toBe(4);
    const expected = Object.values(SECTION_HEADINGS[report.language]).map((h) => h.replace(/^[^\p{L}]+/u, ''));
    const texts = await headings.evaluateAll((hs) => hs.map((h) => h.textContent!.trim()));
    expected.forEach((text, i) => expect(texts[i]).toContain(text));
    for (let i = 0; i < 4; i++) expect(await headings.nth(i).isVisible()).toBe(true);
    await expect(page.locator('#narrative').getAttribute('lang')).resolves.toBe(report.language);
    expect(await page.locator('#narrative').textContent()).not.toMatch(/##|\*\*/);
    await expect(page.locator('#narrative blockquote strong').count()).resolves.toBeGreaterThan(0); // the demo note

    // Seven user-facing scores (the six technical ones and valuation) as bars, each with its rationale; quality, news
    // with sentiment, peers linking on.
    const scores = page.locator('.scores li[data-category]');
    await expect(scores.count()).resolves.toBe(7);
    await expect(page.locator('.scores li[data-category="valuation"] .score__why').textContent()).resolves.toBe(
      report.user_facing_scores.find((s) => s.category === 'valuation')!.rationale,
    );
    // The fundamentals card: the verdict with its basis, the facts, and the THB line.
    await expect(page.locator('#valuation-verdict .fund__basis').textContent()).resolves.toBe(report.valuation.basis);
    await expect(page.locator('#fundamentals [data-field="pe_ratio"] dd').textContent()).resolves.toBe(
      report.fundamentals!.pe_ratio === null ? '—' : report.fundamentals!.pe_ratio.toFixed(1),
    );
    await expect(page.locator('#fundamentals-title').textContent()).resolves.toContain('demo (synthetic)');
    const thb = (await page.locator('#thb-line').textContent())!;
    expect(thb).toContain('in THB');
    expect(thb).toContain(`${Math.abs(report.fx!.return_1m_thb_pct!).toFixed(2)}%`);
    expect(thb).toContain('USD/THB');
    await expect(scores.first().locator('.score__why').textContent()).resolves.toBe(report.user_facing_scores[0]!.rationale);
    await expect(page.locator('.quality .score__row--big').textContent()).resolves.toContain(report.quality_scores.overall.toFixed(1));
    await expect(page.locator('.news__item').count()).resolves.toBe(report.news_items.length);
    await expect(page.locator('.news__item .badge').first().textContent()).resolves.toBe(report.news_items[0]!.sentiment_label);
    const peerLinks = await page.locator('#peers-title ~ table a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(peerLinks).toEqual(report.peers.map((p) => `#/report/${p.ticker}`));
    await expect(page.locator('.warnings').textContent()).resolves.toContain('demo data');

    await shot('report.png');
    await shot('report-full.png', { fullPage: true });

    // A peer link opens that peer's report.
    if (report.peers.length > 0) {
      await page.locator('#peers-title ~ table a').first().click();
      await page.locator(`.report[data-ticker="${report.peers[0]!.ticker}"]`).waitFor();
    }
  });

  it('offers suggestions for an unknown symbol, and generates a missing report on demand', async () => {
    await page.goto(`${base}/#/report/NVDAX`);
    await page.locator('.error-box').waitFor();
    await expect(page.locator('.error-box a').first().getAttribute('href')).resolves.toBe('#/report/NVDA19');

    await page.goto(`${base}/#/report/ABBV19`);
    await page.locator('#generate-now').waitFor();
    await expect(page.locator('.not-ready').textContent()).resolves.toContain('has no report yet');
    await shot('report-not-ready.png');
    await page.locator('#generate-now').click();
    await page.locator('.report[data-ticker="ABBV19"] #narrative h2').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('#report-chart')?.naturalWidth ?? 0) === 1200);
  });

  it('renders Markdown without ever turning report text into markup', async () => {
    // A string, so the test runner's transform leaves the page's own dynamic import alone.
    const result = await page.evaluate<{ tags: string[]; text: string; pwned: number }>(`(async () => {
      const { renderMarkdown } = await import('/assets/markdown.js');
      const div = document.createElement('div');
      div.append(renderMarkdown('## <img src=x onerror="window.pwned=1">\\n\\n**<b>bold</b>** _it_ [x](javascript:alert(1))\\n\\n> quote'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      return {
        tags: [...div.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()),
        text: div.textContent,
        pwned: window.pwned ?? 0,
      };
    })()`);
    expect(result.tags).toEqual(['h2', 'p', 'strong', 'em', 'blockquote', 'p']);
    expect(result.text).toContain('<img src=x onerror="window.pwned=1">');
    expect(result.text).toContain('<b>bold</b>');
    expect(result.pwned).toBe(0);
  });

  it('starts a run with the admin token and follows its progress live until it completes', async () => {
    gate.hold(RUN_FROM_PAGE);
    await page.goto(`${base}/#/executions`);
    await page.locator('#executions-table').waitFor();
    await shot('executions-before.png');

    // A wrong token is refused and not kept.
    await page.locator('#admin-token').fill('not-the-admin-token-at-all');
    await page.locator('#run-tickers').fill(RUN_FROM_PAGE.join(', '));
    await page.locator('#run-form button[type="submit"]').click();
    await page.locator('#run-form .form-message--error').waitFor();
    await expect(page.locator('#run-form .form-message').textContent()).resolves.toContain('refused');
    await expect(page.evaluate(() => sessionStorage.getItem('daybreak.adminToken'))).resolves.toBeNull();

    await page.locator('#admin-token').fill(ADMIN_TOKEN);
    await page.locator('#run-form button[type="submit"]').click();
    await page.waitForURL(/#\/executions\/precompute-/);
    const executionId = decodeURIComponent(page.url().split('#/executions/')[1]!);
    // The token lives in this tab's sessionStorage only (localStorage holds the language choice and nothing else).
    await expect(page.evaluate(() => [sessionStorage.getItem('daybreak.adminToken'), Object.keys(localStorage)])).resolves.toEqual([ADMIN_TOKEN, ['daybreak.lang']]);

    const body = page.locator('.execution__body');
    const progress = page.locator('.exec-summary [role="progressbar"]');
    await page.locator('.execution__body[data-status="running"]').waitFor();
    await expect(progress.getAttribute('aria-valuemax')).resolves.toBe(String(RUN_FROM_PAGE.length));
    await expect(progress.getAttribute('aria-valuenow')).resolves.toBe('0');
    await page.locator('#jobs-table tr[data-ticker="NVDA19"][data-status="in_progress"]').waitFor();
    await shot('execution-running-0.png');

    // One job ends: the page, polling every second, shows it without a reload.
    gate.release('NVDA19');
    await page.locator('.exec-summary [role="progressbar"][aria-valuenow="1"]').waitFor({ timeout: 15_000 });
    await expect(body.getAttribute('data-status')).resolves.toBe('running');
    await expect(page.locator('#execution-progress-text').textContent()).resolves.toBe('1 / 2 (50%)');
    await expect(page.locator('#jobs-table tr[data-ticker="NVDA19"]').getAttribute('data-status')).resolves.toBe('completed');
    await shot('execution-running-1.png');

    gate.release('DBS19');
    await page.locator('.execution__body[data-status="completed"]').waitFor({ timeout: 15_000 });
    await expect(progress.getAttribute('aria-valuenow')).resolves.toBe('2');
    await expect(page.locator('#jobs-table tbody tr[data-status="completed"]').count()).resolves.toBe(2);
    await shot('execution-completed.png');

    // The list shows the run as completed, newest first.
    await page.goto(`${base}/#/executions`);
    await page.locator('#executions-table').waitFor();
    const first = page.locator('#executions-table tbody tr').first();
    await expect(first.getAttribute('data-execution')).resolves.toBe(executionId);
    await expect(first.getAttribute('data-status')).resolves.toBe('completed');
    await shot('executions.png');
  });

  it('made no request to any other origin and logged no errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Words the page wrote in English before it spoke Thai: none may show on a Thai page. */
const ENGLISH_WORDS = [
  /\bWhy:/,
  /\bChart\b/,
  /\bgenerated\b/,
  /\bago\b/,
  /demo data/i,
  /Morning brief/,
  /\bTickers\b/,
  /\bSymbol\b/,
  /\bChange\b/,
  /\bStance\b/,
  /Freshness/,
  /\bBest\b/,
  /\bWorst\b/,
  /Fundamentals/,
  /Carried forward/,
  /Loading/,
  /\bScores\b/,
  /\bNews\b/,
  /\bPeers\b/,
  /\bRisk\b/,
  /About this report/,
  /\bas of\b/,
  /no report/,
  /Executions/,
  /Track record/,
  /Skip to content/,
];
const THAI_STANCE: Record<string, string> = { bullish: 'ขาขึ้น', bearish: 'ขาลง', neutral: 'ทรงตัว' };

/**
 * The page's own text: the body without what the server wrote (the narrative, headlines, company names, text marked
 * as another language) and without `<noscript>` (its note is in both languages).
 */
async function pageOwnText(p: Page): Promise<string> {
  return p.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    for (const el of body.querySelectorAll('noscript, #narrative, .brief__narrative, .news__title, .news__meta, .sym__name, .report-title__name, .report-meta, .metrics tbody th, [lang]:not([lang="th"])')) el.remove();
    return body.textContent ?? '';
  });
}

describe('the page in its reader’s language, on a phone (390×844)', () => {
  let phone: BrowserContext;
  let p: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // The browser's own language is English: the page is Thai anyway until its reader chooses.
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'en-US' });
    p = await phone.newPage();
    p.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await phone?.close();
  });

  it('speaks Thai by default on the list and the report, and draws the live chart', async () => {
    await p.goto(`${base}/`);
    await p.locator('.list[data-loaded="true"]').waitFor();
    await p.locator('#morning-brief[data-loaded="true"]').waitFor();
    await expect(p.evaluate(() => document.documentElement.lang)).resolves.toBe('th');
    await expect(p.locator('#list-title').textContent()).resolves.toBe('รายชื่อหุ้น');
    await expect(p.locator('#brief-title').textContent()).resolves.toBe('สรุปตลาดเช้านี้');
    await expect(p.locator('#morning-brief .brief__narrative').getAttribute('lang')).resolves.toBe('th');
    expect(await p.locator('#brief-title').isVisible()).toBe(true);
    await expect(p.locator('#ticker-table thead th').nth(2).textContent()).resolves.toBe('เปลี่ยนแปลง');
    await expect(p.locator('#morning-brief .brief__movers').textContent()).resolves.toContain('บวกมากสุด');
    const nvda = await storedReport('NVDA19');
    const row = p.locator('#ticker-table tbody tr[data-ticker="NVDA19"]');
    await expect(row.locator('td.col-stance').textContent()).resolves.toBe(THAI_STANCE[nvda.stance]);
    // The freshness column is hidden on a phone: the symbol cell says it, in Thai, with a Buddhist-era date.
    const fresh = row.locator('.sym__fresh');
    expect(await fresh.isVisible()).toBe(true);
    await expect(fresh.textContent()).resolves.toContain('ข้อมูลสาธิต');
    await expect(fresh.textContent()).resolves.toContain(String(Number(nvda.as_of.slice(0, 4)) + 543));
    // A ticker never computed (ABBV19 was generated on demand above).
    await expect(p.locator('#ticker-table tbody tr.row--empty td.col-stance').first().textContent()).resolves.toBe('ยังไม่มีรายงาน');
    expect(await p.getByRole('link', { name: 'รายชื่อหุ้น' }).isVisible()).toBe(true);
    expect(await p.locator('#lang-switch').isVisible()).toBe(true);
    for (const word of ENGLISH_WORDS) expect(await pageOwnText(p)).not.toMatch(word);
    // Outside Telegram there is no watchlist.
    await expect(p.locator('[data-nav="watchlist"]').count()).resolves.toBe(0);
    await p.screenshot({ path: join(SCREENSHOTS, 'list-th-390.png') });

    await row.locator('a.sym__link').click();
    await p.locator('.report[data-ticker="NVDA19"]').waitFor();
    await p.waitForSelector('.chart--drawn #report-chart-live canvas', { timeout: 20_000 });
    const box = await p.locator('#report-chart-live canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    await expect(p.locator('#chart-title').textContent()).resolves.toBe('กราฟ');
    await expect(p.locator('.reasons__label').textContent()).resolves.toBe('เหตุผล: ');
    const generated = (await p.locator('#generated').textContent())!;
    expect(generated).toMatch(/^สร้างเมื่อ [\u0E00-\u0E7F0-9 ]+$/u);
    await expect(p.locator('.warnings').textContent()).resolves.toContain('ข้อมูลสาธิต: ราคาและข่าวจำลอง');
    await expect(p.locator('#fundamentals-title').textContent()).resolves.toContain('ปัจจัยพื้นฐาน');
    await expect(p.locator('#thb-line').textContent()).resolves.toContain('สำหรับผู้ถือเป็นเงินบาท');
    await expect(p.locator('.scores li[data-category="trend"] .score__label').textContent()).resolves.toBe('แนวโน้ม');
    // What the server wrote for a Thai report is Thai too, and marked so: the rationales, the valuation basis, the
    // risk bullets and the THB line's method (its tooltip).
    const whys = p.locator('.scores li .score__why');
    await expect(whys.count()).resolves.toBe(nvda.user_facing_scores.length);
    for (const [k, s] of nvda.user_facing_scores.entries()) {
      await expect(whys.nth(k).textContent()).resolves.toBe(s.rationale);
      await expect(whys.nth(k).getAttribute('lang')).resolves.toBe('th');
    }
    await expect(p.locator('#valuation-verdict .fund__basis').textContent()).resolves.toMatch(/[\u0E00-\u0E7F]/);
    await expect(p.locator('#valuation-verdict .fund__basis').getAttribute('lang')).resolves.toBe('th');
    await expect(p.locator('#thb-line').getAttribute('title')).resolves.toMatch(/^อัตรา = บาทต่อหนึ่งหน่วย/);
    expect(nvda.risk.risk_bullets.length).toBeGreaterThan(0);
    await expect(p.locator('.bullets li').allTextContents()).resolves.toEqual(nvda.risk.risk_bullets);
    await expect(p.locator('.bullets').getAttribute('lang')).resolves.toBe('th');
    // The chart's series are named in Thai too (the tooltip shows them).
    const series = (await p.evaluate(`(async () => {
      const echarts = await import('/assets/vendor/echarts.esm.min.mjs');
      return echarts.getInstanceByDom(document.getElementById('report-chart-live')).getOption().series.map((s) => s.name);
    })()`)) as string[];
    expect(series).toEqual(expect.arrayContaining(['ปริมาณซื้อขาย', 'RSI 14', 'MACD', 'เส้นสัญญาณ']));
    for (const word of ENGLISH_WORDS) expect(await pageOwnText(p)).not.toMatch(word);
    await p.screenshot({ path: join(SCREENSHOTS, 'report-th-390.png') });
    // Both tables say the same things: every key of one is in the other.
    const keys = (await p.evaluate(`(async () => {
      const { STRINGS } = await import('/assets/strings.js');
      const keys = (o, pre) => Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? keys(v, pre + k + '.') : [pre + k]));
      return { th: keys(STRINGS.th, ''), en: keys(STRINGS.en, '') };
    })()`)) as { th: string[]; en: string[] };
    expect(keys.th.length).toBeGreaterThan(200);
    expect([...keys.th].sort()).toEqual([...keys.en].sort());
    expect(errors).toEqual([]);
  });

  it('switches to English with TH | EN, remembers it, and follows ?lang= in the address', async () => {
    await p.goto(`${base}/#/report/NVDA19`);
    await p.locator('.report[data-ticker="NVDA19"]').waitFor();
    await p.locator('#lang-switch [data-lang="en"]').click();
    await p.locator('#chart-title', { hasText: 'Chart' }).waitFor();
    await expect(p.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await expect(p.locator('#lang-switch [data-lang="en"]').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(p.locator('.reasons__label').textContent()).resolves.toBe('Why: ');
    await expect(p.locator('#generated').textContent()).resolves.toMatch(/^generated (now|\d+ (seconds?|minutes?|hours?) ago)$/);
    // The report stays in its own language: the narrative is Thai, the page's words English.
    const report = await storedReport('NVDA19');
    await expect(p.locator('#narrative').getAttribute('lang')).resolves.toBe(report.language);
    await p.waitForSelector('.chart--drawn #report-chart-live canvas', { timeout: 20_000 });
    await expect(p.evaluate(() => localStorage.getItem('daybreak.lang'))).resolves.toBe('en');

    // Remembered across loads.
    await p.goto(`${base}/#/`);
    await p.locator('.list[data-loaded="true"]').waitFor();
    await expect(p.locator('#list-title').textContent()).resolves.toBe('Tickers');
    // The brief is the page's summary, asked for in the page's language.
    await p.locator('#morning-brief[data-loaded="true"]').waitFor();
    await expect(p.locator('#morning-brief .brief__narrative').getAttribute('lang')).resolves.toBe('en');
    await expect(p.getByRole('link', { name: 'Track record' }).isVisible()).resolves.toBe(true);
    await p.screenshot({ path: join(SCREENSHOTS, 'list-en-390.png') });

    // ?lang=th in the address wins, and is remembered too.
    await p.goto(`${base}/?lang=th#/`);
    await p.locator('.list[data-loaded="true"]').waitFor();
    await expect(p.locator('#list-title').textContent()).resolves.toBe('รายชื่อหุ้น');
    await expect(p.evaluate(() => localStorage.getItem('daybreak.lang'))).resolves.toBe('th');
    expect(errors).toEqual([]);
  });

  it('speaks Thai on the executions monitor, an execution and the track record too', async () => {
    await p.goto(`${base}/?lang=th#/executions`);
    await p.locator('#executions-table').waitFor();
    await expect(p.locator('#exec-title').textContent()).resolves.toBe('รอบคำนวณ');
    await expect(p.locator('#executions-table tbody tr').first().locator('.badge').textContent()).resolves.toBe('เสร็จสิ้น');
    await expect(p.locator('#run-form button[type="submit"]').textContent()).resolves.toBe('เริ่มคำนวณเลย');
    for (const word of ENGLISH_WORDS) expect(await pageOwnText(p)).not.toMatch(word);
    await p.locator('#executions-table tbody tr a').first().click();
    await p.locator('.execution__body[data-status="completed"]').waitFor();
    await expect(p.locator('#jobs-title').textContent()).resolves.toMatch(/^งาน เสร็จสิ้น \d+$/);
    for (const word of ENGLISH_WORDS) expect(await pageOwnText(p)).not.toMatch(word);
    await p.goto(`${base}/#/track-record`);
    await p.locator('.track-record h1').waitFor();
    await expect(p.locator('.track-record h1').textContent()).resolves.toBe('ผลงานย้อนหลัง');
    for (const word of ENGLISH_WORDS) expect(await pageOwnText(p)).not.toMatch(word);
    expect(errors).toEqual([]);
  });
});

describe('the Telegram Mini App’s watchlist editor', () => {
  const USER_ID = 777001;
  const user = { id: USER_ID, first_name: 'Ploy', language_code: 'en' };
  const subscription = () => app.deps.store.getSubscriptionByAddress('telegram', String(USER_ID));
  const stored = async () => (await subscription())?.tickers ?? null;

  async function miniApp(initData: string, reader: typeof user = user): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    // What Telegram's own script provides (it runs before the page's modules, as telegram-web-app.js does).
    await ctx.addInitScript(
      ({ initData, user }) => {
        (window as unknown as { Telegram: unknown }).Telegram = { WebApp: { initData, initDataUnsafe: { user }, themeParams: {} } };
      },
      { initData, user: reader },
    );
    return ctx;
  }

  it('lists, adds (any symbol form, API errors shown) and removes tickers, and follows from the report', async () => {
    const initData = signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify(user) }, BOT_TOKEN);
    const ctx = await miniApp(initData);
    const p = await ctx.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${base}/`);
    await p.locator('.list[data-loaded="true"]').waitFor();
    // The Telegram user's language_code (en) sets the default.
    await expect(p.evaluate(() => document.documentElement.lang)).resolves.toBe('en');
    await p.getByRole('link', { name: 'My watchlist' }).click();
    await p.locator('.watchlist[data-loaded="true"]').waitFor();
    await expect(p.locator('#watchlist-summary').textContent()).resolves.toContain('You follow nothing yet');
    expect(await stored()).toBeNull();

    await p.locator('#watchlist-symbol').fill('nvda');
    await p.locator('#watchlist-add').click();
    await p.locator('#watchlist-items li[data-ticker="NVDA19"]').waitFor();
    await expect(p.locator('#watchlist-message').textContent()).resolves.toBe('Following NVDA19.');
    expect(await stored()).toEqual(['NVDA19']);
    // The first follow creates the subscription in the page's language, and the page says so.
    expect((await subscription())?.language).toBe('en');
    await expect(p.locator('#watchlist-language').textContent()).resolves.toBe('Your morning digest arrives in English.');
    await expect(p.locator('#watchlist-use-language').count()).resolves.toBe(0);

    // An unknown symbol: the API's answer, with its suggestions, and nothing stored.
    await p.locator('#watchlist-symbol').fill('NVDX');
    await p.locator('#watchlist-add').click();
    await p.locator('#watchlist-message.form-message--error').waitFor();
    await expect(p.locator('#watchlist-message').textContent()).resolves.toContain('NVDX');
    const suggestion = p.locator('#watchlist-message [data-suggestion]').first();
    await expect(suggestion.textContent()).resolves.toBe('NVDA19');
    expect(await stored()).toEqual(['NVDA19']);
    // Taking the suggestion adds it (already there: said so, nothing doubled).
    await suggestion.click();
    await p.locator('#watchlist-message', { hasText: 'Already following NVDA19.' }).waitFor();
    expect(await stored()).toEqual(['NVDA19']);
    await p.screenshot({ path: join(SCREENSHOTS, 'mini-app-watchlist-390.png') });

    // Follow from a report.
    await p.goto(`${base}/#/report/DBS19`);
    const follow = p.locator('#follow-button');
    await follow.waitFor({ state: 'visible' });
    await expect(follow.textContent()).resolves.toBe('Follow');
    await follow.click();
    await p.locator('#follow-button[aria-pressed="true"]').waitFor();
    await expect(follow.textContent()).resolves.toBe('Unfollow');
    expect(await stored()).toEqual(['NVDA19', 'DBS19']);

    // Remove one from the list.
    await p.goto(`${base}/#/watchlist`);
    await p.locator('.watchlist[data-loaded="true"]').waitFor();
    await expect(p.locator('#watchlist-items li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-ticker')))).resolves.toEqual(['NVDA19', 'DBS19']);
    await p.locator('#watchlist-items li[data-ticker="NVDA19"] button').click();
    await p.locator('#watchlist-items li[data-ticker="NVDA19"]').waitFor({ state: 'detached' });
    expect(await stored()).toEqual(['DBS19']);

    // Switched to Thai, the page offers the digest in Thai; following more never changes it by itself.
    await p.locator('#lang-switch [data-lang="th"]').click();
    await p.locator('#watchlist-use-language').waitFor();
    await expect(p.locator('#watchlist-language').textContent()).resolves.toBe('สรุปตอนเช้าของคุณส่งเป็นภาษาอังกฤษ รับเป็นภาษาไทยแทน');
    expect((await subscription())?.language).toBe('en');
    await p.locator('#watchlist-use-language').click();
    await p.locator('#watchlist-message', { hasText: 'ต่อไปสรุปตอนเช้าจะส่งเป็นภาษาไทย' }).waitFor();
    expect(await subscription()).toMatchObject({ language: 'th', tickers: ['DBS19'] });
    await expect(p.locator('#watchlist-use-language').count()).resolves.toBe(0);
    await p.locator('#lang-switch [data-lang="en"]').click();
    await p.locator('#watchlist-use-language').waitFor();
    const api = await fetch(`${base}/api/v1/me/watchlist`, { headers: { 'x-telegram-init-data': initData } });
    await expect(api.json()).resolves.toMatchObject({ channel: 'telegram', tickers: ['DBS19'] });
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('shows the refusal of init data the server cannot verify, and changes nothing', async () => {
    const before = await stored();
    const thai = { ...user, language_code: 'th' };
    const forged = signInitData({ auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify(thai) }, '987654321:AAsomeOtherBotToken_987654321');
    const ctx = await miniApp(forged, thai);
    const p = await ctx.newPage();
    await p.goto(`${base}/#/watchlist`);
    await p.getByRole('alert').waitFor();
    // language_code th: the page is Thai, and so is the refusal.
    await expect(p.getByRole('alert').textContent()).resolves.toContain('Telegram ยืนยันตัวตนไม่สำเร็จ');
    await expect(p.locator('#watchlist-form').count()).resolves.toBe(0);
    expect(await stored()).toEqual(before);
    await ctx.close();
  });
});
