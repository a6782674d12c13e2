import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { addDays, isIsoDate } from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import type { CompanyInfo, CompanyInfoRequest, CompanyInfoSource } from './company-info.js';
import type { DailyBarsRequest, MarketDataSource } from './market-data.js';
import { YahooUnavailableError, type ChartResultArray, type QuoteSummaryModule, type QuoteSummaryResult, type YahooClient } from './yahoo-client.js';

/** Calendar days asked for at least: ≈ 570 weekdays, so ≥ 400 bars even after a market's holidays. */
export const YAHOO_WINDOW_DAYS = 800;
/**
 * Fewer bars than this and a report is not worth making (no SMA-50, no 3-month return, RSI barely warmed up), so
 * the ticker fails with a reason instead of producing a report of nulls. A request for fewer bars lowers the bar.
 */
export const YAHOO_MIN_USABLE_BARS = 60;

export const COMPANY_MODULES: QuoteSummaryModule[] = ['price', 'summaryDetail', 'defaultKeyStatistics', 'financialData', 'assetProfile', 'calendarEvents'];
const MS_PER_DAY = 86_400_000;

export interface YahooMarketDataOptions {
  /** Calendar days of history asked for at least (more when `minBars` needs it). Default 800. */
  windowDays?: number;
  /** Default 60; see `YAHOO_MIN_USABLE_BARS`. */
  minUsableBars?: number;
}

/**
 * Turns a chart() answer into daily bars, ascending, one per date, none after `endDate`.
 *
 * - A bar's date is the exchange's local calendar date: Yahoo stamps a daily bar with the session's opening instant
 *   (Tokyo 09:00 JST = 00:00 UTC), and `meta.gmtoffset` takes it back to local time.
 * - Rows with a null close are dropped (Yahoo's all-null rows for halted or half-published days).
 * - A null open, high or low is taken as the close (the reference's rule: a row with a close traded at least there);
 *   high and low are then widened to include open and close, because Yahoo's high/low sometimes disagree with its
 *   open/close by a tick. A high below the low, or a non-positive or non-finite price, is malformed: `PermanentError`.
 * - A null volume is 0; a negative or non-finite one is malformed.
 * - Two rows on one date (Yahoo's live bar next to the day's bar) keep the later one.
 */
export function chartToDailyBars(symbol: string, chart: ChartResultArray, endDate: string): DailyBar[] {
  const offsetMs = chart.meta.gmtoffset * 1000;
  if (!Number.isFinite(offsetMs)) throw new PermanentError(`Yahoo chart for ${symbol}: meta.gmtoffset is not a number`);
  const byDate = new Map<string, DailyBar>();
  for (const quote of chart.quotes) {
    const { close } = quote;
    if (close === null || close === undefined) continue;
    const time = quote.date instanceof Date ? quote.date.getTime() : Number.NaN;
    if (!Number.isFinite(time)) throw new PermanentError(`Yahoo chart for ${symbol}: a bar has no valid timestamp`);
    const date = new Date(time + offsetMs).toISOString().slice(0, 10);
    if (date > endDate) continue;
    const price = (value: number | null | undefined, field: string): number => {
      const v = value === null || value === undefined ? close : value;
      if (!Number.isFinite(v) || v <= 0) throw new PermanentError(`Yahoo chart for ${symbol}: ${field} on ${date} is not a positive price (${v})`);
      return v;
    };
    const c = price(close, 'close');
    const open = price(quote.open, 'open');
    const rawHigh = price(quote.high, 'high');
    const rawLow = price(quote.low, 'low');
    if (rawHigh < rawLow) throw new PermanentError(`Yahoo chart for ${symbol}: high ${rawHigh} is below low ${rawLow} on ${date}`);
    const volume = quote.volume === null || quote.volume === undefined ? 0 : quote.volume;
    if (!Number.isFinite(volume) || volume < 0) throw new PermanentError(`Yahoo chart for ${symbol}: volume on ${date} is not a count (${volume})`);
    byDate.set(date, {
      date,
      open,
      high: Math.max(rawHigh, open, c),
      low: Math.min(rawLow, open, c),
      close: c,
      volume,
    });
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
/** Yahoo sends ratios as fractions; ×100 leaves float noise (0.0044 × 100 = 0.44000000000000006), six decimals of a percent is plenty. */
const percent = (value: unknown): number | null => {
  const fraction = finite(value);
  return fraction === null ? null : Math.round(fraction * 100 * 1e6) / 1e6;
};
/** The earliest of Yahoo's earnings dates (it sends one, or a start and end of an estimated window), as a UTC date. */
function firstDate(values: unknown): string | null {
  if (!Array.isArray(values)) return null;
  const times = values.map((v) => (v instanceof Date ? v.getTime() : Number.NaN)).filter(Number.isFinite);
  return times.length === 0 ? null : new Date(Math.min(...times)).toISOString().slice(0, 10);
}

/**
 * Company info from quoteSummary modules. Fields Yahoo leaves out — whole modules included: funds have no
 * financialData, small listings answer with little more than `price` — are null. Which Yahoo field feeds which:
 *
 * | field | Yahoo |
 * |---|---|
 * | market_cap | price.marketCap, else summaryDetail.marketCap |
 * | pe_ratio | summaryDetail.trailingPE |
 * | forward_pe | summaryDetail.forwardPE, else defaultKeyStatistics.forwardPE |
 * | price_to_book | defaultKeyStatistics.priceToBook |
 * | eps | defaultKeyStatistics.trailingEps |
 * | dividend_yield_pct | summaryDetail.dividendYield × 100, else (funds) summaryDetail.yield × 100 |
 * | beta | summaryDetail.beta, else defaultKeyStatistics.beta |
 * | profit_margin_pct | financialData.profitMargins × 100, else defaultKeyStatistics.profitMargins × 100 |
 * | return_on_equity_pct | financialData.returnOnEquity × 100 |
 * | revenue_growth_pct | financialData.revenueGrowth × 100 |
 * | analyst_target_mean | financialData.targetMeanPrice |
 * | analyst_recommendation | financialData.recommendationKey (`none` → null) |
 * | analyst_count | financialData.numberOfAnalystOpinions |
 * | next_earnings_date | the earliest calendarEvents.earnings.earningsDate |
 * | sector, industry | assetProfile.sector, assetProfile.industry |
 * | long_name, currency | price.longName (else shortName), price.currency (else summaryDetail.currency) |
 */
export function companyInfoFromQuoteSummary(symbol: string, summary: QuoteSummaryResult): CompanyInfo {
  const { price, summaryDetail: detail, defaultKeyStatistics: stats, assetProfile: profile, financialData: financial, calendarEvents: calendar } = summary;
  // Every quoted symbol has a price module; an answer without one is not an answer.
  if (!price) throw new PermanentError(`Yahoo quoteSummary for ${symbol} has no price module`);
  const recommendation = text(financial?.recommendationKey);
  return {
    market_cap: finite(price.marketCap) ?? finite(detail?.marketCap),
    pe_ratio: finite(detail?.trailingPE),
    forward_pe: finite(detail?.forwardPE) ?? finite(stats?.forwardPE),
    price_to_book: finite(stats?.priceToBook),
    eps: finite(stats?.trailingEps),
    dividend_yield_pct: percent(detail?.dividendYield) ?? percent(detail?.yield),
    beta: finite(detail?.beta) ?? finite(stats?.beta),
    profit_margin_pct: percent(financial?.profitMargins) ?? percent(stats?.profitMargins),
    return_on_equity_pct: percent(financial?.returnOnEquity),
    revenue_growth_pct: percent(financial?.revenueGrowth),
    analyst_target_mean: finite(financial?.targetMeanPrice),
    analyst_recommendation: recommendation === 'none' ? null : recommendation,
    analyst_count: finite(financial?.numberOfAnalystOpinions),
    next_earnings_date: firstDate(calendar?.earnings?.earningsDate),
    sector: text(profile?.sector),
    industry: text(profile?.industry),
    long_name: text(price.longName) ?? text(price.shortName),
    currency: text(price.currency) ?? text(detail?.currency),
  };
}

/**
 * Live market data from Yahoo Finance through the shared client (throttled, retried, errors classified).
 * Reports built on it carry `data_source: "yahoo"`.
 */
export class YahooMarketData implements MarketDataSource, CompanyInfoSource {
  readonly name = 'yahoo';
  readonly retriesInternally = true;
  private readonly windowDays: number;
  private readonly minUsableBars: number;

  constructor(
    private readonly client: YahooClient,
    options: YahooMarketDataOptions = {},
  ) {
    this.windowDays = options.windowDays ?? YAHOO_WINDOW_DAYS;
    this.minUsableBars = options.minUsableBars ?? YAHOO_MIN_USABLE_BARS;
  }

  /**
   * All bars from ≈ `windowDays` calendar days before `endDate` through `endDate` (≈ 550 for a full window).
   * Fewer than `minBars` only when Yahoo's history itself is shorter (a young listing); fewer than 60 (or than
   * `minBars`, when smaller) is a `PermanentError`. A short answer for a listing whose first trade predates the
   * window looks truncated and is a transient error, not a short result.
   */
  async fetchDailyBars(ticker: Ticker, request: DailyBarsRequest): Promise<DailyBar[]> {
    const symbol = ticker.yahooSymbol;
    const { endDate } = request;
    if (!isIsoDate(endDate)) throw new PermanentError(`yahoo: bad end date "${endDate}" (want YYYY-MM-DD)`);
    const minBars = Math.max(1, Math.ceil(request.minBars) || 1);
    // 5 business days per 7 calendar days, 15 % for holidays, a month of slack.
    const calendarDays = Math.max(this.windowDays, Math.ceil((minBars * 7) / 5 * 1.15) + 30);
    const endMs = Date.parse(`${endDate}T00:00:00Z`);
    const period1 = new Date(endMs - calendarDays * MS_PER_DAY);
    // Midnight UTC after the end date: every exchange's session of that date has opened by then (US 14:30 UTC is the
    // latest); later rows, if Yahoo adds its live bar anyway, are cut by date.
    const period2 = new Date(Date.parse(`${addDays(endDate, 1)}T00:00:00Z`));

    const chart = await this.client.chart(symbol, { period1, period2, interval: '1d' });
    const bars = chartToDailyBars(symbol, chart, endDate);

    if (bars.length === 0) throw new PermanentError(`Yahoo has no daily bars for ${symbol} between ${period1.toISOString().slice(0, 10)} and ${endDate}`);
    const needed = Math.min(this.minUsableBars, minBars);
    if (bars.length < needed) {
      throw new PermanentError(
        `Yahoo has only ${bars.length} daily bar${bars.length === 1 ? '' : 's'} for ${symbol} up to ${endDate} (from ${bars[0]!.date}); at least ${needed} are needed`,
      );
    }
    const firstTrade = chart.meta.firstTradeDate;
    if (bars.length < minBars && firstTrade instanceof Date && firstTrade.getTime() <= period1.getTime()) {
      throw new YahooUnavailableError(
        `Yahoo returned ${bars.length} daily bars for ${symbol} up to ${endDate}, fewer than the ${minBars} wanted, although it has traded since ` +
          `${firstTrade.toISOString().slice(0, 10)}: the answer looks truncated`,
      );
    }
    return bars;
  }

  async fetchCompanyInfo(ticker: Ticker, _request?: CompanyInfoRequest): Promise<CompanyInfo> {
    const summary = await this.client.quoteSummary(ticker.yahooSymbol, COMPANY_MODULES);
    return companyInfoFromQuoteSummary(ticker.yahooSymbol, summary);
  }
}
