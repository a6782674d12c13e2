import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { daybreak } from './run-cli.test-support.js';
import { startFakeSmtpServer } from '../delivery/fake-smtp-server.js';
import { startFakeWebhookReceiver } from '../delivery/fake-webhook-receiver.js';
import type { DeliverySummary } from '../store/subscription-store.js';

// PostgreSQL runs on loopback on the development machines and CI (.ci/run starts it).
const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = join(import.meta.dirname, '../../bin/daybreak.js');
const SECRET = 'webhook-secret-0123456789';
const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;

afterAll(async () => {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

function runDeliver(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'deliver', '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('two processes delivering the same execution at once (PostgreSQL)', () => {
  it('give every subscription exactly one digest', async () => {
    const webhook = await startFakeWebhookReceiver(SECRET);
    const smtp = await startFakeSmtpServer();
    // Small claims and slow answers keep both processes claiming and sending at the same time.
    webhook.respond = () => ({ status: 204, delayMs: 200 });
    const env = {
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      PUBLIC_BASE_URL: 'https://daybreak.example.com',
      WEBHOOK_SECRET: SECRET,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'digest@daybreak.example.com',
      CHART_THREADS: '0',
      DELIVERY_CONCURRENCY: '4',
      DELIVERY_CLAIM_BATCH: '4',
    };
    try {
      expect((await daybreak(['precompute', '--tickers', 'NVDA19', '--json'], env)).code).toBe(0);
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await daybreak(['subscriptions', 'add', '--channel', 'webhook', '--to', `${webhook.url}/r${i}`, '--tickers', 'NVDA19'], env)).out.trim());
      for (let i = 0; i < 10; i++) ids.push((await daybreak(['subscriptions', 'add', '--channel', 'email', '--to', `r${i}@example.com`], env)).out.trim());

      const [a, b] = await Promise.all([runDeliver(env), runDeliver(env)]);
      expect(a.code, a.err).toBe(0);
      expect(b.code, b.err).toBe(0);
      const sa = JSON.parse(a.out) as DeliverySummary;
      const sb = JSON.parse(b.out) as DeliverySummary;
      expect(sa.delivered + sb.delivered).toBe(40);
      expect(sa.skipped + sb.skipped).toBe(40);
      expect(Math.min(sa.delivered, sb.delivered)).toBeGreaterThan(0); // both really delivered, at the same time

      const byPath = new Map<string, number>();
      for (const r of webhook.received) byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1);
      expect(webhook.received).toHaveLength(30);
      expect([...byPath.values()].every((n) => n === 1)).toBe(true);
      expect(new Set(webhook.received.map((r) => r.body.subscription_id))).toEqual(new Set(ids.slice(0, 30)));
      expect(smtp.received).toHaveLength(10);
      expect(new Set(smtp.received.map((m) => m.to[0])).size).toBe(10);
    } finally {
      await webhook.close();
      await smtp.close();
    }
  }, 180_000);
});
