import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Language } from '../report/narrative-contract.js';
import { type Db, type DeliveriesTable, REPORT_COLUMNS, type SubscriptionsTable } from './schema.js';
import type { StoredReport } from './store.js';
import type {
  ChannelName,
  ClaimResult,
  DeliveryClaim,
  DeliveryOutcome,
  DeliveryRecord,
  DeliverySummary,
  SubscriptionInput,
  SubscriptionRecord,
  SubscriptionStore,
} from './subscription-store.js';

const CHUNK = 500;

export function newSubscriptionId(): string {
  return `sub_${randomBytes(8).toString('hex')}`;
}

/**
 * `SubscriptionStore` in Kysely for SQLite and PostgreSQL; `SqlStore` delegates to it. The claim is an insert that
 * does nothing on the (subscription_id, business_date) conflict, then a guarded update for the rows that may be
 * taken over: both are single atomic statements, so of two concurrent claimers exactly one gets a row back.
 */
export class SqlSubscriptionStore implements SubscriptionStore {
  constructor(private readonly db: Db) {}

  async upsertSubscription(input: SubscriptionInput, now: string): Promise<{ subscription: SubscriptionRecord; created: boolean }> {
    const id = newSubscriptionId();
    const row = await this.db
      .insertInto('subscriptions')
      .values({
        subscription_id: id,
        channel: input.channel,
        address: input.address,
        tickers: JSON.stringify(unique(input.tickers)),
        language: input.language,
        deliver_at: input.deliver_at,
        active: 1,
        disabled_reason: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.columns(['channel', 'address']).doUpdateSet((eb) => ({
          tickers: eb.ref('excluded.tickers'),
          language: eb.ref('excluded.language'),
          deliver_at: eb.ref('excluded.deliver_at'),
          active: 1,
          disabled_reason: null,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return { subscription: toSubscription(row), created: row.subscription_id === id };
  }

  async getSubscription(subscriptionId: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.db.selectFrom('subscriptions').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst();
    return row && toSubscription(row);
  }

  async getSubscriptionByAddress(channel: ChannelName, address: string): Promise<SubscriptionRecord | undefined> {
    const row = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('channel', '=', channel)
      .where('address', '=', address)
      .executeTakeFirst();
    return row && toSubscription(row);
  }

  async listSubscriptions(options: { active?: boolean; channel?: ChannelName } = {}): Promise<SubscriptionRecord[]> {
    let query = this.db.selectFrom('subscriptions').selectAll();
    if (options.active !== undefined) query = query.where('active', '=', options.active ? 1 : 0);
    if (options.channel) query = query.where('channel', '=', options.channel);
    const rows = await query.orderBy('created_at').orderBy('subscription_id').execute();
    return rows.map(toSubscription);
  }

  addSubscriptionTickers(subscriptionId: string, tickers: string[], now: string): Promise<SubscriptionRecord | undefined> {
    return this.editTickers(subscriptionId, now, (current) => unique([...current, ...tickers]));
  }

  removeSubscriptionTickers(subscriptionId: string, tickers: string[], now: string): Promise<SubscriptionRecord | undefined> {
    const gone = new Set(tickers);
    return this.editTickers(subscriptionId, now, (current) => current.filter((t) => !gone.has(t)));
  }

  setSubscriptionLanguage(subscriptionId: string, language: Language, now: string): Promise<SubscriptionRecord | undefined> {
    return this.update(subscriptionId, { language, updated_at: now });
  }

  disableSubscription(subscriptionId: string, reason: string, now: string): Promise<SubscriptionRecord | undefined> {
    return this.update(subscriptionId, { active: 0, disabled_reason: reason, updated_at: now });
  }

  enableSubscription(subscriptionId: string, now: string): Promise<SubscriptionRecord | undefined> {
    return this.update(subscriptionId, { active: 1, disabled_reason: null, updated_at: now });
  }

  async deleteSubscription(subscriptionId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('subscriptions').where('subscription_id', '=', subscriptionId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async claimDelivery(claim: DeliveryClaim, options: { retryFailed?: boolean } = {}): Promise<ClaimResult> {
    const won = await this.claimDeliveries([claim], options);
    const delivery = await this.getDelivery(claim.subscription_id, claim.business_date);
    if (!delivery) throw new Error(`delivery of ${claim.subscription_id} on ${claim.business_date} vanished while claiming it`);
    return { claimed: won.has(claim.delivery_id), delivery } as ClaimResult;
  }

  async claimDeliveries(claims: DeliveryClaim[], options: { retryFailed?: boolean } = {}): Promise<Set<string>> {
    const won = new Set<string>();
    for (let i = 0; i < claims.length; i += CHUNK) {
      const chunk = claims.slice(i, i + CHUNK);
      const first = chunk[0]!;
      const inserted = await this.db
        .insertInto('deliveries')
        .values(
          chunk.map((c) => ({
            delivery_id: c.delivery_id,
            subscription_id: c.subscription_id,
            business_date: c.business_date,
            execution_id: c.execution_id,
            status: 'sending',
            attempts: 1,
            error: null,
            retryable: 1,
            owner: c.owner,
            lease_until: c.lease_until,
            created_at: c.now,
            finished_at: null,
          })),
        )
        .onConflict((oc) => oc.columns(['subscription_id', 'business_date']).doNothing())
        .returning('delivery_id')
        .execute();
      for (const r of inserted) won.add(r.delivery_id);
      const rest = chunk.filter((c) => !won.has(c.delivery_id)).map((c) => c.delivery_id);
      if (rest.length === 0) continue;
      const taken = await this.db
        .updateTable('deliveries')
        .set((eb) => ({
          status: 'sending',
          attempts: eb('attempts', '+', 1),
          execution_id: first.execution_id,
          owner: first.owner,
          lease_until: first.lease_until,
          finished_at: null,
        }))
        .where('delivery_id', 'in', rest)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', first.now)]),
            ...(options.retryFailed ? [eb.and([eb('status', '=', 'failed'), eb('retryable', '=', 1)])] : []),
          ]),
        )
        .returning('delivery_id')
        .execute();
      for (const r of taken) won.add(r.delivery_id);
    }
    return won;
  }

  async finishDeliveries(deliveryIds: string[], owner: string, outcome: DeliveryOutcome): Promise<number> {
    let finished = 0;
    for (let i = 0; i < deliveryIds.length; i += CHUNK) {
      const result = await this.db
        .updateTable('deliveries')
        .set({ status: outcome.status, error: outcome.error ?? null, retryable: outcome.retryable ? 1 : 0, finished_at: outcome.finished_at })
        .where('delivery_id', 'in', deliveryIds.slice(i, i + CHUNK))
        .where('owner', '=', owner)
        .where('status', '=', 'sending')
        .executeTakeFirst();
      finished += Number(result.numUpdatedRows);
    }
    return finished;
  }

  async finishDelivery(deliveryId: string, owner: string, outcome: DeliveryOutcome): Promise<boolean> {
    return (await this.finishDeliveries([deliveryId], owner, outcome)) > 0;
  }

  async getDelivery(subscriptionId: string, businessDate: string): Promise<DeliveryRecord | undefined> {
    const row = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('business_date', '=', businessDate)
      .executeTakeFirst();
    return row && toDelivery(row);
  }

  async listDeliveries(businessDate: string): Promise<DeliveryRecord[]> {
    const rows = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .where('business_date', '=', businessDate)
      .orderBy('created_at')
      .orderBy('delivery_id')
      .execute();
    return rows.map(toDelivery);
  }

  async saveDeliverySummary(executionId: string, summary: DeliverySummary): Promise<void> {
    await this.db
      .insertInto('execution_deliveries')
      .values({ execution_id: executionId, body: JSON.stringify(summary) })
      .onConflict((oc) => oc.column('execution_id').doUpdateSet((eb) => ({ body: eb.ref('excluded.body') })))
      .execute();
  }

  async getDeliverySummary(executionId: string): Promise<DeliverySummary | undefined> {
    const row = await this.db.selectFrom('execution_deliveries').select('body').where('execution_id', '=', executionId).executeTakeFirst();
    return row && (JSON.parse(row.body) as DeliverySummary);
  }

  async listReportsOfDate(businessDate: string): Promise<StoredReport[]> {
    return this.db.selectFrom('reports').select(REPORT_COLUMNS).where('business_date', '=', businessDate).orderBy('ticker').execute();
  }

  async getChartPngs(tickers: string[], businessDate: string): Promise<Map<string, Buffer>> {
    const charts = new Map<string, Buffer>();
    for (let i = 0; i < tickers.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('reports')
        .select(['ticker', 'chart_png'])
        .where('business_date', '=', businessDate)
        .where('ticker', 'in', tickers.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) if (r.chart_png) charts.set(r.ticker, Buffer.from(r.chart_png));
    }
    return charts;
  }

  private async update(
    subscriptionId: string,
    set: Partial<Pick<Selectable<SubscriptionsTable>, 'language' | 'active' | 'disabled_reason' | 'updated_at' | 'tickers'>>,
  ): Promise<SubscriptionRecord | undefined> {
    const row = await this.db
      .updateTable('subscriptions')
      .set(set)
      .where('subscription_id', '=', subscriptionId)
      .returningAll()
      .executeTakeFirst();
    return row && toSubscription(row);
  }

  /** Read-modify-write in one transaction, so two edits of one watchlist (two chat messages) do not lose either. */
  private editTickers(subscriptionId: string, now: string, edit: (current: string[]) => string[]): Promise<SubscriptionRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // Touch the row first: SQLite takes its write lock here, PostgreSQL locks the row until commit.
      const touched = await trx
        .updateTable('subscriptions')
        .set({ updated_at: now })
        .where('subscription_id', '=', subscriptionId)
        .returning('tickers')
        .executeTakeFirst();
      if (!touched) return undefined;
      const row = await trx
        .updateTable('subscriptions')
        .set({ tickers: JSON.stringify(edit(JSON.parse(touched.tickers) as string[])) })
        .where('subscription_id', '=', subscriptionId)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toSubscription(row);
    });
  }
}

function unique(tickers: string[]): string[] {
  return [...new Set(tickers)];
}

export function toSubscription(r: Selectable<SubscriptionsTable>): SubscriptionRecord {
  return {
    subscription_id: r.subscription_id,
    channel: r.channel as ChannelName,
    address: r.address,
    tickers: JSON.parse(r.tickers) as string[],
    language: r.language as Language,
    deliver_at: r.deliver_at,
    active: Number(r.active) === 1,
    disabled_reason: r.disabled_reason,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

function toDelivery(r: Selectable<DeliveriesTable>): DeliveryRecord {
  return {
    delivery_id: r.delivery_id,
    subscription_id: r.subscription_id,
    business_date: r.business_date,
    execution_id: r.execution_id,
    status: r.status as DeliveryRecord['status'],
    attempts: Number(r.attempts),
    error: r.error,
    retryable: Number(r.retryable) === 1,
    owner: r.owner,
    lease_until: r.lease_until,
    created_at: r.created_at,
    finished_at: r.finished_at,
  };
}
