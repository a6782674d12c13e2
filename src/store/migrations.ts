import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { writeBarSeries } from './sql-incremental-store.js';

// Written with Kysely's schema builder and only text/integer/double/bytes columns, so one migration list serves
// SQLite and PostgreSQL. `double precision` has REAL affinity in SQLite.
function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  // The one type that differs between the two databases: raw bytes.
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    '0001_initial': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('tickers')
          .addColumn('symbol', 'text', (c) => c.primaryKey())
          .addColumn('yahoo_symbol', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('exchange', 'text', (c) => c.notNull())
          .addColumn('currency', 'text', (c) => c.notNull())
          .addColumn('sector', 'text')
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('daily_bars')
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('date', 'text', (c) => c.notNull())
          .addColumn('open', 'double precision', (c) => c.notNull())
          .addColumn('high', 'double precision', (c) => c.notNull())
          .addColumn('low', 'double precision', (c) => c.notNull())
          .addColumn('close', 'double precision', (c) => c.notNull())
          .addColumn('volume', 'double precision', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('ingested_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('daily_bars_pk', ['ticker', 'date'])
          .execute();

        await db.schema
          .createTable('executions')
          .addColumn('execution_id', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('requested', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('completed', 'integer', (c) => c.notNull())
          .addColumn('failed', 'integer', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .addColumn('deadline_at', 'text', (c) => c.notNull())
          .addColumn('duration_ms', 'double precision')
          .addColumn('slowest_job_ms', 'double precision')
          .addColumn('cost_usd', 'double precision', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('heartbeat_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('executions_started_idx').on('executions').column('started_at').execute();
        await db.schema.createIndex('executions_status_idx').on('executions').column('status').execute();

        await db.schema
          .createTable('jobs')
          .addColumn('job_id', 'text', (c) => c.primaryKey())
          .addColumn('execution_id', 'text', (c) => c.notNull())
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text')
          .addColumn('finished_at', 'text')
          .addColumn('duration_ms', 'double precision')
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('jobs_execution_idx').on('jobs').column('execution_id').execute();
        await db.schema.createIndex('jobs_expires_idx').on('jobs').column('expires_at').execute();

        // An ordinary rowid table: WITHOUT ROWID is ~10x slower for rows of tens of KB (DESIGN §9).
        await db.schema
          .createTable('reports')
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('as_of', 'text', (c) => c.notNull())
          .addColumn('execution_id', 'text', (c) => c.notNull())
          .addColumn('generated_at', 'text', (c) => c.notNull())
          .addColumn('data_source', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addUniqueConstraint('reports_ticker_date_uq', ['ticker', 'business_date'])
          .execute();
      },
    },
    '0002_news_peers_charts': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('news_items')
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('site', 'text', (c) => c.notNull())
          .addColumn('text', 'text')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('ingested_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('news_items_pk', ['ticker', 'url'])
          .execute();
        await db.schema.createIndex('news_items_published_idx').on('news_items').columns(['ticker', 'published_at']).execute();

        await db.schema
          .createTable('peer_sets')
          .addColumn('execution_id', 'text', (c) => c.notNull())
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('peer_sets_pk', ['execution_id', 'ticker'])
          .execute();

        await db.schema.alterTable('reports').addColumn('chart_png', bytes).execute();
      },
    },
    '0003_llm_usage': {
      async up(db: Kysely<any>) {
        // One row per execution and worker process: each process keeps its own LLM account for a run.
        await db.schema
          .createTable('execution_llm_usage')
          .addColumn('execution_id', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('execution_llm_usage_pk', ['execution_id', 'owner'])
          .execute();
      },
    },
    '0004_delivery': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('subscriptions')
          .addColumn('subscription_id', 'text', (c) => c.primaryKey())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('address', 'text', (c) => c.notNull())
          .addColumn('tickers', 'text', (c) => c.notNull())
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('deliver_at', 'text')
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('disabled_reason', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('subscriptions_channel_address_uq', ['channel', 'address'])
          .execute();
        // The unique (subscription, business date) key is what makes "one digest a day" hold across processes.
        await db.schema
          .createTable('deliveries')
          .addColumn('delivery_id', 'text', (c) => c.primaryKey())
          .addColumn('subscription_id', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('execution_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('error', 'text')
          .addColumn('retryable', 'integer', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('lease_until', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('finished_at', 'text')
          .addUniqueConstraint('deliveries_subscription_date_uq', ['subscription_id', 'business_date'])
          .execute();
        await db.schema.createIndex('deliveries_date_idx').on('deliveries').column('business_date').execute();
        await db.schema
          .createTable('execution_deliveries')
          .addColumn('execution_id', 'text', (c) => c.primaryKey())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0006_calls': {
      async up(db: Kysely<any>) {
        // Every call graded by what followed (DESIGN §12): hits are derived from the returns, not stored.
        let table = db.schema
          .createTable('calls')
          .addColumn('strategy', 'text', (c) => c.notNull())
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('origin', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('as_of', 'text', (c) => c.notNull())
          .addColumn('recommendation', 'text', (c) => c.notNull())
          .addColumn('stance', 'text')
          .addColumn('confidence', 'text')
          .addColumn('score', 'double precision')
          .addColumn('close', 'double precision', (c) => c.notNull());
        for (const h of ['d1', 'd5', 'd21']) table = table.addColumn(`return_${h}`, 'double precision').addColumn(`excess_${h}`, 'double precision');
        await table
          .addColumn('graded', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('calls_pk', ['ticker', 'business_date', 'strategy', 'origin'])
          .execute();
        await db.schema.createIndex('calls_ungraded_idx').on('calls').columns(['graded', 'ticker']).execute();
      },
    },
    '0005_fundamentals_fx': {
      async up(db: Kysely<any>) {
        // Company info per ticker and business date, as the source's JSON (numbers kept as numbers, absent = null).
        // FX rates need no table of their own: pairs (`USDTHB=X`) are daily bars under their Yahoo symbol, which
        // cannot collide with a DR symbol (letters and digits only).
        await db.schema
          .createTable('company_info')
          .addColumn('ticker', 'text', (c) => c.notNull())
          .addColumn('business_date', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('ingested_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('company_info_pk', ['ticker', 'business_date'])
          .execute();
      },
    },
    '0007_incremental': {
      async up(db: Kysely<any>) {
        // What a report was made from (a hash), which execution made the report a carried-forward row copies, and
        // why an LLM-writer report fell back to the template (recomputed when the LLM could not be reached).
        await db.schema.alterTable('reports').addColumn('inputs_fingerprint', 'text').execute();
        await db.schema.alterTable('reports').addColumn('reused_from', 'text').execute();
        await db.schema.alterTable('reports').addColumn('narrative_fallback', 'text').execute();
        await db.schema.alterTable('jobs').addColumn('reused_from', 'text').execute();
        await db.schema.alterTable('executions').addColumn('reused', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        // The day's LLM spend is summed over the executions of a business date (LLM_DAILY_BUDGET_USD).
        await db.schema.createIndex('executions_business_date_idx').on('executions').column('business_date').execute();
      },
    },
    '0009_resilience': {
      async up(db: Kysely<any>) {
        // Reconciliation re-enqueues the unfinished jobs of a run only once its starter has enqueued them all.
        await db.schema.alterTable('executions').addColumn('fanned_out_at', 'text').execute();
        await db.updateTable('executions').set((eb: any) => ({ fanned_out_at: eb.ref('started_at') })).execute();
      },
    },
    '0008_chat': {
      async up(db: Kysely<any>) {
        // LINE and Telegram webhook events already processed, so a redelivered one is not answered twice.
        await db.schema
          .createTable('chat_webhook_events')
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('chat_webhook_events_pk', ['platform', 'event_id'])
          .execute();
        await db.schema.createIndex('chat_webhook_events_received_idx').on('chat_webhook_events').column('received_at').execute();
      },
    },
    '0010_incremental_digests': {
      async up(db: Kysely<any>) {
        // Issue 15: a second run on unchanged inputs checks 1,000 tickers from these small rows, not their bars.
        await db.schema
          .createTable('bar_series')
          .addColumn('ticker', 'text', (c) => c.primaryKey())
          .addColumn('bars', 'integer', (c) => c.notNull())
          .addColumn('last_date', 'text', (c) => c.notNull())
          .addColumn('last_close', 'double precision', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('digest', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('peer_set_inputs')
          .addColumn('execution_id', 'text', (c) => c.primaryKey())
          .addColumn('digest', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('peer_set_inputs_digest_idx').on('peer_set_inputs').column('digest').execute();
        // Bars stored before this migration get their digest now, one ticker at a time.
        const tickers = await db.selectFrom('daily_bars').select('ticker').distinct().execute();
        for (const { ticker } of tickers) await writeBarSeries(db, ticker as string);
      },
    },
  };
}

export type SqlDialect = 'sqlite' | 'postgres';

export async function migrateToLatest(db: Kysely<any>, dialect: SqlDialect, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  // Kysely looks for its bookkeeping tables in every schema unless told which one is ours.
  // Each migration only adds tables or columns of its own feature, so one written on a parallel branch may land after
  // a later-numbered one has already run on a database: apply it rather than refuse to start.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema && { migrationTableSchema: schema }) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
