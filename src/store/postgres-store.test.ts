import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from './postgres-store.js';
import type { Store } from './store.js';
import { describeCompanyInfoStoreContract } from './company-info-store.contract.js';
import { describeIncrementalStoreContract } from './incremental-store.contract.js';
import { describeWebhookEventStoreContract } from './webhook-event-store.contract.js';
import { describeStoreContract } from './store.contract.js';
import { describeSubscriptionStoreContract } from './subscription-store.contract.js';
import { describeCallStoreContract } from './call-store.contract.js';

// PostgreSQL runs on loopback on the development machines and CI (.ci/run starts it): these tests need it.
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schemas: string[] = [];

async function openIsolated(poolSize = 5): Promise<Store & { schema: string }> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  schemas.push(schema);
  return Object.assign(await openPostgresStore(url, { poolSize, schema }), { schema });
}

afterAll(async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  for (const schema of schemas) await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
});

describeStoreContract('postgres', () => openIsolated());
describeIncrementalStoreContract('postgres', () => openIsolated());
describeSubscriptionStoreContract('postgres', () => openIsolated());
describeCallStoreContract('postgres', () => openIsolated());
describeCompanyInfoStoreContract('postgres', () => openIsolated());
describeWebhookEventStoreContract('postgres', () => openIsolated());

describe('openPostgresStore', () => {
  it('keeps its pool within the configured size under load', async () => {
    const store = await openIsolated(3);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await Promise.all(Array.from({ length: 50 }, () => store.listExecutions({ limit: 1 })));
      const { rows } = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where application_name = $1', [
        `daybreak:${store.schema}`,
      ]);
      expect(Number(rows[0]!.n)).toBe(3);
    } finally {
      await client.end();
      await store.close();
    }
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore(url, { poolSize: 1, schema: 'x; drop table y' })).rejects.toThrow(/invalid schema name/);
  });
});
