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
