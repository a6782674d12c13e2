import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqlite-store.js';
import { describeCompanyInfoStoreContract } from './company-info-store.contract.js';
import { describeIncrementalStoreContract } from './incremental-store.contract.js';
import { describeWebhookEventStoreContract } from './webhook-event-store.contract.js';
import { describeStoreContract } from './store.contract.js';
import { describeSubscriptionStoreContract } from './subscription-store.contract.js';
import { describeCallStoreContract } from './call-store.contract.js';

describeStoreContract('sqlite file', async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db')));
describeIncrementalStoreContract('sqlite file', async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db')));
describeSubscriptionStoreContract('sqlite file', async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db')));
describeCallStoreContract('sqlite file', async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db')));
describeCompanyInfoStoreContract('sqlite file', async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db')));
describeWebhookEventStoreContract('sqlite file', async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db')));

describe('openSqliteStore', () => {
  it('creates the folder, uses WAL, and reopens an existing database without migrating twice', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'nested', 'daybreak.db');
    const first = await openSqliteStore(path);
    await first.upsertDailyBars('NVDA19', [{ date: '2026-11-27', open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 }], 'demo');
    await first.close();
    const second = await openSqliteStore(path);
    expect((await second.getDailyBars('NVDA19', 5))?.bars).toHaveLength(1);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(second.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    await second.close();
  });
});

describe('SQLite webhook event claims', () => {
  it('gives each event to exactly one of two processes claiming the same burst', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'daybreak-store-')), 'daybreak.db');
    const [a, b] = [await openSqliteStore(path), await openSqliteStore(path)];
    const ids = Array.from({ length: 200 }, (_, i) => `BURST${i}`);
    const [byA, byB] = await Promise.all([a, b].map((s) => Promise.all(ids.map((id) => s.claimWebhookEvent('line', id, '2026-11-27T00:00:00.000Z')))));
    expect(ids.map((_, i) => Number(byA![i]) + Number(byB![i]))).toEqual(ids.map(() => 1));
    await Promise.all([a.close(), b.close()]);
  });

  it('reads a chat reader\'s subscription by address', async () => {
    const store = await openSqliteStore(':memory:');
    const { subscription } = await store.upsertSubscription(
      { channel: 'line', address: 'U0123456789abcdef0123456789abcdef', tickers: ['NVDA19'], language: 'en', deliver_at: null },
      '2026-11-27T00:00:00.000Z',
    );
    expect(await store.getSubscriptionByAddress('line', 'U0123456789abcdef0123456789abcdef')).toEqual(subscription);
    expect(await store.getSubscriptionByAddress('telegram', 'U0123456789abcdef0123456789abcdef')).toBeUndefined();
    await store.close();
  });
});
