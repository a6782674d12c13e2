import type { Generated, Kysely } from 'kysely';
import type { BarSeries } from './incremental-store.js';

/** Table shapes shared by every SQL adapter. Types are kept to text, integer and double so the SQL stays portable. */
export interface TickersTable {
  symbol: string;
  yahoo_symbol: string;
  name: string;
  exchange: string;
  currency: string;
  sector: string | null;
  type: string;
  active: number;
}

export interface DailyBarsTable {
  ticker: string;
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  source: string;
  ingested_at: string;
}

export interface ExecutionsTable {
  execution_id: string;
  status: string;
  source: string;
  requested: string;
  business_date: string;
  total: number;
  completed: number;
  failed: number;
  started_at: string;
  finished_at: string | null;
  deadline_at: string;
  duration_ms: number | null;
  slowest_job_ms: number | null;
  cost_usd: number;
  owner: string;
  heartbeat_at: string;
  /** Jobs that carried the latest report forward instead of making one (0007_incremental). */
  reused: Generated<number>;
  fanned_out_at: string | null;
}

export interface JobsTable {
  job_id: string;
  execution_id: string;
  ticker: string;
  source: string;
  status: string;
  attempts: number;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  expires_at: string;
  reused_from: string | null;
}

export interface ReportsTable {
  ticker: string;
  business_date: string;
  as_of: string;
  execution_id: string;
  generated_at: string;
  data_source: string;
  body: string;
  chart_png: Uint8Array | null;
  inputs_fingerprint: string | null;
  reused_from: string | null;
  narrative_fallback: string | null;
}

export interface NewsItemsTable {
  ticker: string;
  url: string;
  published_at: string;
  title: string;
  site: string;
  text: string | null;
  source: string;
  ingested_at: string;
}

export interface ExecutionLlmUsageTable {
  execution_id: string;
  owner: string;
  body: string;
}

export interface PeerSetsTable {
  execution_id: string;
  ticker: string;
  body: string;
}

export interface SubscriptionsTable {
  subscription_id: string;
  channel: string;
  address: string;
  /** JSON array of DR symbols. */
  tickers: string;
  language: string;
  deliver_at: string | null;
  active: number;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface DeliveriesTable {
  delivery_id: string;
  subscription_id: string;
  business_date: string;
  execution_id: string;
  status: string;
  attempts: number;
  error: string | null;
  retryable: number;
  owner: string;
  lease_until: string;
  created_at: string;
  finished_at: string | null;
}

export interface ExecutionDeliveriesTable {
  execution_id: string;
  body: string;
}

export interface CallsTable {
  strategy: string;
  ticker: string;
  business_date: string;
  origin: string;
  source: string;
  as_of: string;
  recommendation: string;
  stance: string | null;
  confidence: string | null;
  score: number | null;
  close: number;
  return_d1: number | null;
  return_d5: number | null;
  return_d21: number | null;
  excess_d1: number | null;
  excess_d5: number | null;
  excess_d21: number | null;
  /** 1 when the three horizons are graded: the call is never graded again. */
  graded: number;
}

/** One row per ticker and business date: the company info ingest fetched for that date, as JSON (`CompanyInfo`). */
export interface CompanyInfoTable {
  ticker: string;
  business_date: string;
  source: string;
  body: string;
  ingested_at: string;
}

/** Chat webhook events already processed (migration 0008_chat): redelivery dedupe. */
export interface ChatWebhookEventsTable {
  platform: string;
  event_id: string;
  received_at: string;
}

/**
 * One row per ticker (and FX pair) with bars (migration 0010_incremental_digests): a digest of all its bars, rewritten
 * in the transaction of every bar write, so a run can tell which tickers' bars changed without reading them.
 */
export type BarSeriesTable = BarSeries;

/** The digest of what an execution's peer sets were computed from, so a later run on the same inputs copies them. */
export interface PeerSetInputsTable {
  execution_id: string;
  digest: string;
}

export interface Database {
  tickers: TickersTable;
  daily_bars: DailyBarsTable;
  executions: ExecutionsTable;
  jobs: JobsTable;
  reports: ReportsTable;
  news_items: NewsItemsTable;
  peer_sets: PeerSetsTable;
  execution_llm_usage: ExecutionLlmUsageTable;
  subscriptions: SubscriptionsTable;
  deliveries: DeliveriesTable;
  execution_deliveries: ExecutionDeliveriesTable;
  calls: CallsTable;
  company_info: CompanyInfoTable;
  chat_webhook_events: ChatWebhookEventsTable;
  bar_series: BarSeriesTable;
  peer_set_inputs: PeerSetInputsTable;
}

export type Db = Kysely<Database>;

/** A report row's columns but the chart bytes, which readers fetch apart. */
export const REPORT_COLUMNS = ['ticker', 'business_date', 'as_of', 'execution_id', 'generated_at', 'data_source', 'body'] as const;
