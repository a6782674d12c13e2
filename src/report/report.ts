import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from './daily-bar.js';
import type { TechnicalAnalysis } from './technical-analysis.js';

/** Bars of price history a report carries for charts drawn by clients. */
export const PRICE_HISTORY_BARS = 120;

/** Calendar days between the last bar and the business date past which a report warns (long holidays fit). */
export const OLD_DATA_DAYS = 7;

export const DEMO_DATA_WARNING = 'demo data: synthetic prices generated offline, not real market data';

export interface ReportTimings {
  /** Milliseconds per pipeline stage, in the order they ran. */
  [stage: string]: number;
}

export interface Report {
  ticker: string;
  yahoo_symbol: string;
  company_name: string;
  exchange: string;
  currency: string;
  sector: string | null;
  asset_type: Ticker['type'];
  /** Business date of the last bar the report was computed on. */
  as_of: string;
  /** Asia/Bangkok business date the report belongs to (the execution's). */
  business_date: string;
  generated_at: string;
  execution_id: string;
  /** True when served after its business date has passed; readers set it, the stored copy says false. */
  stale: boolean;
  data_source: string;
  price: number;
  price_change: number | null;
  price_change_pct: number | null;
  indicators: TechnicalAnalysis['indicators'];
  percentiles: TechnicalAnalysis['percentiles'];
  conventions: TechnicalAnalysis['conventions'];
  bars_used: number;
  price_history: DailyBar[];
  timing_metrics: ReportTimings;
  warnings: string[];
}

export interface ReportInput {
  ticker: Ticker;
  technicals: TechnicalAnalysis;
  bars: DailyBar[];
  dataSource: string;
  executionId: string;
  businessDate: string;
  generatedAt: string;
  timings: ReportTimings;
}

/** Puts the computed parts together into the report JSON. Pure: every input, the time included, is given. */
export function assembleReport(input: ReportInput): Report {
  const { ticker, technicals } = input;
  const warnings: string[] = [];
  if (input.dataSource === 'demo') warnings.push(DEMO_DATA_WARNING);
  const ageDays = (Date.parse(input.businessDate) - Date.parse(technicals.as_of)) / 86_400_000;
  if (ageDays > OLD_DATA_DAYS) {
    warnings.push(`old data: the last bar is from ${technicals.as_of}, ${Math.round(ageDays)} days before ${input.businessDate}`);
  }
  if (technicals.indicators.sma_200 === null) {
    warnings.push(`short history: ${technicals.bars_used} bars, fewer than the 200 needed for SMA 200`);
  }
  return {
    ticker: ticker.symbol,
    yahoo_symbol: ticker.yahooSymbol,
    company_name: ticker.name,
    exchange: ticker.exchange,
    currency: ticker.currency,
    sector: ticker.sector,
    asset_type: ticker.type,
    as_of: technicals.as_of,
    business_date: input.businessDate,
    generated_at: input.generatedAt,
    execution_id: input.executionId,
    stale: false,
    data_source: input.dataSource,
    price: technicals.price,
    price_change: technicals.price_change,
    price_change_pct: technicals.price_change_pct,
    indicators: technicals.indicators,
    percentiles: technicals.percentiles,
    conventions: technicals.conventions,
    bars_used: technicals.bars_used,
    price_history: input.bars.slice(-PRICE_HISTORY_BARS),
    timing_metrics: input.timings,
    warnings,
  };
}

/** A report older than today's business date is stale: served, but marked so (never a miss at 00:30). */
export function isStale(report: Pick<Report, 'business_date'>, today: string): boolean {
  return report.business_date < today;
}
