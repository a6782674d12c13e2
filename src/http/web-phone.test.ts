/**
 * The report page on a phone (390×844, touch) in headless Chromium: the chart is drawn in the browser from the
 * report's price history with ECharts (served from this origin) instead of the 1200×800 PNG shrunk to 350 px, and
 * answers touch with a tooltip; a wide screen keeps the PNG.
 */
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSeededApp, serverOf, type TestApp } from './http.test-support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let server: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await openSeededApp({ tickers: ['NVDA19'] });
  server = await serverOf(t);
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  base = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

describe('report page at a phone viewport', () => {
  it('draws the four-panel chart in the browser, with a tooltip on touch, and no request leaves the origin', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`${base}/`) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/#/report/NVDA19`);
    await page.waitForSelector('.chart--drawn #report-chart-live canvas', { timeout: 20_000 });
    const box = await page.locator('#report-chart-live canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(400);
    // The PNG is the fallback only: hidden once the live chart is drawn.
    await expect(page.locator('#report-chart').isVisible()).resolves.toBe(false);
    // A string, so vitest does not rewrite the browser's own import().
    const panels = (await page.evaluate(`(async () => {
      const echarts = await import('/assets/vendor/echarts.esm.min.mjs');
      const option = echarts.getInstanceByDom(document.getElementById('report-chart-live')).getOption();
      return { grids: option.grid.length, series: option.series.map((s) => s.type + ':' + s.name), zoom: option.dataZoom[0].type };
    })()`)) as { grids: number; series: string[]; zoom: string };
    expect(panels.grids).toBe(4);
    // The page speaks Thai by default: the volume panel is ปริมาณซื้อขาย (it was 'Volume' before the page spoke Thai).
    expect(panels.series).toEqual(expect.arrayContaining(['candlestick:NVDA19', 'bar:ปริมาณซื้อขาย', 'line:RSI 14', 'line:MACD']));
    expect(panels.zoom).toBe('inside');
    await page.touchscreen.tap(box!.x + box!.width * 0.7, box!.y + box!.height * 0.25);
    await page.mouse.move(box!.x + box!.width * 0.7, box!.y + box!.height * 0.25);
    await page.waitForFunction(() => [...document.querySelectorAll('#report-chart-live div')].some((d) => /\d{4}-\d{2}-\d{2}/.test(d.textContent ?? '') && getComputedStyle(d).display !== 'none'), null, { timeout: 5000 });
    await page.screenshot({ path: 'test-artifacts/screenshots/report-phone-390.png' });
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps the PNG chart on a wide screen', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/#/report/NVDA19`);
    await page.waitForFunction(() => (document.querySelector<HTMLImageElement>('#report-chart')?.naturalWidth ?? 0) === 1200, null, { timeout: 20_000 });
    await expect(page.locator('#report-chart-live').count()).resolves.toBe(0);
    await context.close();
  });
});

describe('the page as a Telegram Mini App', () => {
  it('takes Telegram’s theme colours, routes past the launch parameters, and drives the back button', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
    await context.addInitScript(() => {
      const events: [string, unknown][] = [];
      (window as unknown as { __tgEvents: typeof events }).__tgEvents = events;
      (window as unknown as { TelegramWebviewProxy: unknown }).TelegramWebviewProxy = {
        postEvent: (type: string, data: string) => events.push([type, JSON.parse(data)]),
      };
    });
    const page = await context.newPage();
    const theme = encodeURIComponent(JSON.stringify({ bg_color: '#17212b', text_color: '#f5f5f5', secondary_bg_color: '#232e3c' }));
    await page.goto(`${base}/#tgWebAppData=${encodeURIComponent('user=%7B%22id%22%3A1%7D&hash=x')}&tgWebAppVersion=7.0&tgWebAppPlatform=ios&tgWebAppThemeParams=${theme}`);
    await page.waitForSelector('[data-ticker], a[href="#/report/NVDA19"]', { timeout: 20_000 });
    expect(await page.evaluate(() => location.hash)).toBe('#/');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(23, 33, 43)');
    const events = () => page.evaluate(() => (window as unknown as { __tgEvents: [string, unknown][] }).__tgEvents);
    expect(await events()).toEqual(expect.arrayContaining([['web_app_ready', {}], ['web_app_setup_back_button', { is_visible: false }]]));
    await page.evaluate(() => {
      location.hash = '#/report/NVDA19';
    });
    await page.waitForSelector('.report[data-ticker="NVDA19"]', { timeout: 20_000 });
    expect((await events()).at(-1)).toEqual(['web_app_setup_back_button', { is_visible: true }]);
    await page.evaluate(() => (window as unknown as { Telegram: { WebView: { receiveEvent: (t: string) => void } } }).Telegram.WebView.receiveEvent('back_button_pressed'));
    await page.waitForFunction(() => location.hash === '#/' || location.hash === '');
    await context.close();
  });
});
