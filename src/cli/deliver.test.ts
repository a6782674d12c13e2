import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { daybreak } from './run-cli.test-support.js';
import type { ExecutionSummary } from '../pipeline/execution-summary.js';
import type { Report } from '../report/report.js';
import { startFakeSmtpServer, type FakeSmtpServer } from '../delivery/fake-smtp-server.js';
import { startFakeWebhookReceiver, type FakeWebhookReceiver } from '../delivery/fake-webhook-receiver.js';
import { mimeParts } from '../delivery/mime-parts.test-support.js';
import type { DeliverySummary, SubscriptionRecord } from '../store/subscription-store.js';

const SECRET = 'webhook-secret-0123456789';
const BASE = 'https://daybreak.example.com';

let webhook: FakeWebhookReceiver;
let smtp: FakeSmtpServer;
let dir: string;
let executionId: string;
let env: NodeJS.ProcessEnv;

/** A fresh store per test holding a copy of one precomputed run, so every test starts with no subscription. */
let template: string;

beforeAll(async () => {
  webhook = await startFakeWebhookReceiver(SECRET);
  smtp = await startFakeSmtpServer();
  template = mkdtempSync(join(tmpdir(), 'daybreak-deliver-'));
  const run = await daybreak(['precompute', '--tickers', 'NVDA19,DBS19', '--json'], {
    DATABASE_URL: `sqlite:${join(template, 'daybreak.db')}`,
    CHART_THREADS: '0',
  });
  expect(run.code).toBe(0);
  executionId = (JSON.parse(run.out) as ExecutionSummary).execution_id;
}, 120_000);

afterAll(async () => {
  await webhook.close();
  await smtp.close();
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'daybreak-deliver-'));
  const { copyFileSync } = await import('node:fs');
  copyFileSync(join(template, 'daybreak.db'), join(dir, 'daybreak.db'));
  env = {
    DATABASE_URL: `sqlite:${join(dir, 'daybreak.db')}`,
    PUBLIC_BASE_URL: `${BASE}/`,
    WEBHOOK_SECRET: SECRET,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Daybreak <digest@daybreak.example.com>',
    JOB_BACKOFF_MS: '1',
    SMTP_MAX_CONNECTIONS: '1',
  };
  webhook.received.length = 0;
  webhook.hits.clear();
  webhook.rejected = 0;
  webhook.respond = () => ({ status: 204 });
  smtp.received.length = 0;
  smtp.connections = 0;
  smtp.unknownMailboxes.clear();
});

async function subscribe(args: string[]): Promise<string> {
  const run = await daybreak(['subscriptions', 'add', ...args], env);
  expect(run.code, run.err).toBe(0);
  return run.out.trim();
}

async function deliver(extra: string[] = [], withEnv = env): Promise<{ code: number; summary: DeliverySummary }> {
  const run = await daybreak(['deliver', '--json', ...extra], withEnv);
  expect(run.err).not.toMatch(/at .*\.js:\d+/); // never a stack trace
  return { code: run.code, summary: JSON.parse(run.out) as DeliverySummary };
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));

describe('daybreak subscriptions', () => {
  it('adds, lists and removes; one subscription per channel address, updated in place', async () => {
    const id = await subscribe(['--channel', 'email', '--to', 'Reader@Example.COM', '--tickers', 'nvda,D05.SI', '--language', 'en', '--at', '7:30']);
    expect(id).toMatch(/^sub_[0-9a-f]{16}$/);
    const again = await daybreak(['subscriptions', 'add', '--channel', 'email', '--to', 'Reader@example.com', '--tickers', 'NVDA19', '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ subscription_id: id, created: false, tickers: ['NVDA19'], language: 'th', deliver_at: null });

    const list = await daybreak(['subscriptions', 'list', '--json'], env);
    const all = JSON.parse(list.out) as SubscriptionRecord[];
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ channel: 'email', address: 'Reader@example.com', active: true });

    expect((await daybreak(['subscriptions', 'remove', id], env)).code).toBe(0);
    expect(JSON.parse((await daybreak(['subscriptions', 'list', '--json'], env)).out)).toEqual([]);
    const gone = await daybreak(['subscriptions', 'remove', id], env);
    expect(gone.code).toBe(2);
    expect(gone.err).toMatch(/no subscription sub_/);
  });

  it('refuses bad input with the reason and exit code 2, storing nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['--channel', 'email', '--to', 'a@b.com', '--tickers', 'NVDX'], /unknown ticker "NVDX"; did you mean NVDA19/],
      [['--channel', 'email', '--to', 'not-an-address'], /"not-an-address" is not an e-mail address/],
      [['--channel', 'webhook', '--to', 'ftp://example.com/hook'], /webhook must be an http\(s\) URL, not ftp:/],
      [['--channel', 'webhook', '--to', 'nonsense'], /"nonsense" is not a URL/],
      [['--channel', 'webhook', '--to', 'http://127.0.0.1:9/hook'], /port 9 is one fetch refuses to connect to .*use another port/],
      [['--channel', 'pigeon', '--to', 'x'], /unknown channel "pigeon": use one of email, webhook, line, telegram/],
      [['--channel', 'line', '--to', 'U123'], /line channel is not configured: set LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN/],
      [['--channel', 'email', '--to', 'a@b.com', '--at', '25:00'], /"25:00" is not a time of day/],
      [['--channel', 'email', '--to', 'a@b.com', '--language', 'fr'], /unknown language "fr"/],
    ];
    for (const [args, message] of cases) {
      const run = await daybreak(['subscriptions', 'add', ...args], env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.err).toMatch(message);
    }
    const noSmtp = await daybreak(['subscriptions', 'add', '--channel', 'email', '--to', 'a@b.com'], { ...env, SMTP_URL: '', MAIL_FROM: '' });
    expect(noSmtp.code).toBe(2);
    expect(noSmtp.err).toMatch(/email channel is not configured: set SMTP_URL, MAIL_FROM/);
    const badBase = await daybreak(['subscriptions', 'list'], { ...env, PUBLIC_BASE_URL: 'daybreak.example.com' });
    expect(badBase.code).toBe(2);
    expect(badBase.err).toMatch(/PUBLIC_BASE_URL: must be an absolute http\(s\) URL/);
    expect(JSON.parse((await daybreak(['subscriptions', 'list', '--json'], env)).out)).toEqual([]);
  });
});

describe('daybreak deliver', () => {
  it('sends one signed webhook and one e-mail per subscription, and nothing on a second run', async () => {
    const hookId = await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/hook?token=abc`, '--tickers', 'NVDA19,DBS19', '--language', 'en']);
    const mailId = await subscribe(['--channel', 'email', '--to', 'reader@example.com', '--tickers', 'DBS19']);

    const first = await deliver();
    expect(first.code).toBe(0);
    expect(first.summary).toMatchObject({ execution_id: executionId, total: 2, delivered: 2, failed: 0, skipped: 0, failures: [] });

    expect(webhook.rejected).toBe(0);
    expect(webhook.received).toHaveLength(1);
    const hook = webhook.received[0]!;
    expect(hook.path).toBe('/hook?token=abc');
    expect(hook.body).toMatchObject({ subscription_id: hookId, execution_id: executionId, language: 'en', demo: true });
    expect(hook.headers['x-daybreak-delivery']).toBe(hook.body.delivery_id);
    expect(hook.body.delivery_id).toMatch(/^dlv_\d{8}_[0-9a-f]{20}$/);
    const items = hook.body.items as Record<string, unknown>[];
    expect(items.map((i) => i.ticker)).toEqual(['NVDA19', 'DBS19']);
    expect(items[0]).toMatchObject({
      company_name: expect.any(String),
      price: expect.any(Number),
      recommendation: expect.stringMatching(/^(BUY|HOLD|SELL)$/),
      report_url: `${BASE}/#/report/NVDA19?lang=en`, // the page opens in the subscription's language
      chart_url: `${BASE}/api/v1/report/NVDA19/chart.png?v=${executionId}`,
    });
    expect(String(items[0]!.why)).toMatch(/^[A-Z][a-z]/); // English for an English subscription of Thai reports
    // Valuation and the THB view, as the report has them: raw numbers, and a line in the subscription's language.
    const nvda = JSON.parse((await daybreak(['report', 'NVDA19', '--json'], env)).out) as Report;
    expect(nvda.valuation.pe_ratio).toEqual(expect.any(Number));
    expect(items[0]!.fundamentals).toEqual({
      pe_ratio: nvda.valuation.pe_ratio,
      valuation_label: nvda.valuation.label,
      pe_vs_peers_median_pct: nvda.valuation.pe_vs_peers_median_pct,
      dividend_yield_pct: nvda.fundamentals!.dividend_yield_pct,
      market_cap: nvda.fundamentals!.market_cap,
      market_cap_currency: 'USD',
      return_1m_thb_pct: nvda.fx!.return_1m_thb_pct,
      return_1m_local_pct: nvda.fx!.return_1m_local_pct,
      fx_base_currency: 'USD',
    });
    expect(String(items[0]!.fundamentals_line)).toContain(`P/E ${nvda.valuation.pe_ratio!.toFixed(1)}`);
    expect(String(items[0]!.fundamentals_line)).toMatch(/Market cap [\d.]+[KMBT] USD/);
    expect(String(items[0]!.fundamentals_line)).toContain(`1 month in THB ${nvda.fx!.return_1m_thb_pct! > 0 ? '+' : ''}${nvda.fx!.return_1m_thb_pct!.toFixed(1)}%`);
    const brief = hook.body.brief as Record<string, unknown>;
    expect(brief).toMatchObject({ total: 2, execution_id: executionId, language: 'en' });
    expect(String(brief.narrative)).toMatch(/of 2 underlyings rose/);

    const mails = mailsTo('reader@example.com');
    expect(mails).toHaveLength(1);
    const raw = mails[0]!.raw;
    const deliveryId = /^Message-ID: <(dlv_\d{8}_[0-9a-f]{20})@daybreak\.example\.com>/im.exec(raw)?.[1];
    expect(deliveryId).toBeDefined();
    expect(raw).toMatch(/^To: reader@example\.com\r?$/m);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m); // the Thai subject, encoded
    const parts = mimeParts(raw);
    const html = parts.find((p) => p.contentType === 'text/html')!.body.toString('utf8');
    const text = parts.find((p) => p.contentType === 'text/plain')!.body.toString('utf8');
    const image = parts.find((p) => p.contentType === 'image/png')!;
    expect(html).toContain('<img src="cid:chart-dbs19@daybreak"');
    expect(image.headers.get('content-id')).toBe('<chart-dbs19@daybreak>');
    expect(image.body.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(html).toContain(`href="${BASE}/#/report/DBS19"`);
    expect(html).toMatch(/ข้อมูลสาธิต/); // demo data, said in Thai
    expect(text).toMatch(/DBS19 — DBS Group/);
    expect(text).toContain(`${BASE}/#/report/DBS19`);
    expect(text).toMatch(/สรุปตลาดเช้านี้/);
    const dbs = JSON.parse((await daybreak(['report', 'DBS19', '--json'], env)).out) as Report;
    for (const body of [html, text]) {
      expect(body).toContain(`P/E ${dbs.valuation.pe_ratio!.toFixed(1)}`);
      expect(body).toContain(`อัตราปันผล ${dbs.fundamentals!.dividend_yield_pct!.toFixed(2)}%`);
      expect(body).toMatch(/มูลค่าตลาด [\d.]+ (ล้าน|พันล้าน|หมื่นล้าน|แสนล้าน|ล้านล้าน) ดอลลาร์สิงคโปร์/);
      expect(body).toContain(`1 เดือน คิดเป็นบาท ${dbs.fx!.return_1m_thb_pct! > 0 ? '+' : ''}${dbs.fx!.return_1m_thb_pct!.toFixed(1)}%`);
    }

    const second = await deliver();
    expect(second.summary).toMatchObject({ total: 2, delivered: 0, failed: 0, skipped: 2 });
    expect(webhook.received).toHaveLength(1);
    expect(mailsTo('reader@example.com')).toHaveLength(1);

    const detail = JSON.parse((await daybreak(['executions', executionId, '--json'], env)).out) as ExecutionSummary;
    expect(detail.delivery).toMatchObject({ total: 2, delivered: 2, failed: 0, skipped: 0 });
    expect(mailId).not.toBe(hookId);
  });

  it('fails a dead endpoint with its reason and disables it; a passing outage is retried and left active', async () => {
    webhook.respond = (path, hit) =>
      path === '/gone' ? { status: 410 } : path === '/down' ? { status: 503 } : path === '/busy' && hit === 1 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 204 };
    const gone = await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/gone`]);
    const down = await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/down`]);
    const busy = await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/busy`]);
    const ok = await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/ok`]);
    smtp.unknownMailboxes.add('nobody@example.com');
    const nobody = await subscribe(['--channel', 'email', '--to', 'nobody@example.com']);

    const run = await deliver();
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ total: 5, delivered: 2, failed: 3 });
    const reasons = Object.fromEntries(run.summary.failures.map((f) => [f.subscription_id, f.error]));
    expect(reasons[gone]).toMatch(/^webhook http:\/\/127\.0\.0\.1:\d+ answered 410 Gone: the endpoint refuses deliveries \(subscription disabled\)$/);
    expect(reasons[down]).toMatch(/answered 503/);
    expect(reasons[nobody]).toMatch(/mail server refused the address: .*550.*mailbox unavailable.*\(subscription disabled\)/);
    expect(webhook.hits.get('/down')).toBe(3); // JOB_ATTEMPTS
    expect(webhook.hits.get('/gone')).toBe(1); // permanent: not retried
    expect(webhook.hits.get('/busy')).toBe(2); // 429, waited Retry-After, then delivered
    expect(webhook.received.map((r) => r.path).sort()).toEqual(['/busy', '/ok']);

    const list = JSON.parse((await daybreak(['subscriptions', 'list', '--json'], env)).out) as SubscriptionRecord[];
    const byId = new Map(list.map((s) => [s.subscription_id, s]));
    expect(byId.get(gone)).toMatchObject({ active: false, disabled_reason: expect.stringMatching(/answered 410 Gone/) });
    expect(byId.get(nobody)).toMatchObject({ active: false, disabled_reason: expect.stringMatching(/refused the address/) });
    expect(byId.get(down)).toMatchObject({ active: true });
    expect(byId.get(ok)!.active && byId.get(busy)!.active).toBe(true);

    // The outage passes: the next run delivers the one that failed transiently, and only it.
    webhook.respond = () => ({ status: 204 });
    const retry = await deliver();
    expect(retry.summary).toMatchObject({ total: 3, delivered: 1, failed: 0, skipped: 2 });
    expect(webhook.received.filter((r) => r.path === '/down')).toHaveLength(1);
  });

  it('counts subscriptions of a channel this process has no configuration for as failed, with the missing variables', async () => {
    await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/later`]);
    const mail = await subscribe(['--channel', 'email', '--to', 'reader@example.com']);
    const run = await deliver([], { ...env, WEBHOOK_SECRET: '' });
    expect(run.code).toBe(1);
    expect(run.summary).toMatchObject({ delivered: 1, failed: 1 });
    expect(run.summary.failures[0]).toMatchObject({ channel: 'webhook', error: 'the webhook channel is not configured: set WEBHOOK_SECRET' });
    expect(mailsTo('reader@example.com')).toHaveLength(1);
    expect(mail).toMatch(/^sub_/);
    // Configured again, the next run delivers it.
    expect((await deliver()).summary).toMatchObject({ delivered: 1, skipped: 1 });
    expect(webhook.received.filter((r) => r.path === '/later')).toHaveLength(1);
  });

  it('reuses one SMTP connection for a batch, with a stable Message-ID per delivery', async () => {
    for (let i = 0; i < 6; i++) await subscribe(['--channel', 'email', '--to', `reader${i}@example.com`, '--tickers', 'NVDA19']);
    const run = await deliver();
    expect(run.summary).toMatchObject({ delivered: 6, failed: 0 });
    expect(smtp.received).toHaveLength(6);
    expect(smtp.connections).toBe(1); // SMTP_MAX_CONNECTIONS=1
    const ids = smtp.received.map((m) => /^Message-ID: (<[^>]+>)/im.exec(m.raw)?.[1]);
    expect(new Set(ids).size).toBe(6);
  });

  it('delivers after precompute --deliver and names an execution that cannot be delivered', async () => {
    await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/pre`, '--tickers', 'NVDA19']);
    const later = await subscribe(['--channel', 'webhook', '--to', `${webhook.url}/late`, '--at', '23:59']);
    const run = await daybreak(['precompute', '--tickers', 'NVDA19', '--deliver', '--json'], env);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.out) as ExecutionSummary;
    // The 23:59 subscription waits for its time (unless it is 23:59 in Bangkok right now).
    expect(summary.delivery).toMatchObject({ execution_id: summary.execution_id, delivered: expect.any(Number), failed: 0 });
    expect(webhook.received.filter((r) => r.path === '/pre')).toHaveLength(1);
    expect(later).toMatch(/^sub_/);

    const missing = await daybreak(['deliver', '--execution', 'precompute-20000101-000000'], env);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no execution precompute-20000101-000000/);
  });
});
