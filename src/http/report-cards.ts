import { briefOf } from '../delivery/deliver.js';
import type { MorningBrief } from '../delivery/delivery-channel.js';
import type { CachedReport, ReportCache } from './report-cache.js';
import type { Language } from '../report/narrative-contract.js';
import type { Report } from '../report/report.js';
import { type ReportCard, reportCardOf } from '../delivery/report-card.js';

/**
 * Report cards straight from the server's in-memory report cache: no store read per chat message. A cached entry is
 * parsed once and its card made once per language; a new version of a report is a new cache entry, so nothing here
 * goes stale (and the WeakMaps let replaced entries go).
 */
export class ReportCards {
  private readonly reports = new WeakMap<CachedReport, Report>();
  private readonly cards = new WeakMap<CachedReport, Partial<Record<Language, ReportCard>>>();
  private briefMemo: { key: string; brief: MorningBrief } | undefined;

  constructor(
    private readonly cache: Pick<ReportCache, 'get' | 'all'>,
    private readonly publicBaseUrl: string,
  ) {}

  /** The latest report of a DR symbol, parsed once per version; undefined when the cache holds none. */
  report(symbol: string): Report | undefined {
    const entry = this.cache.get(symbol);
    return entry ? this.reportOf(entry) : undefined;
  }

  card(symbol: string, language: Language): ReportCard | undefined {
    const entry = this.cache.get(symbol);
    if (!entry) return undefined;
    let held = this.cards.get(entry);
    if (!held) this.cards.set(entry, (held = {}));
    return (held[language] ??= reportCardOf(this.reportOf(entry), language, this.publicBaseUrl));
  }

  /** Every held report (for the morning brief). */
  allReports(): Report[] {
    return this.cache.all().map((entry) => this.reportOf(entry));
  }

  /**
   * The morning brief of the newest business date the cache holds, computed once per (set of reports, language)
   * from memory: `brief` in chat reads no store.
   */
  brief(language: Language): MorningBrief | undefined {
    const reports = this.allReports();
    if (reports.length === 0) return undefined;
    const date = reports.reduce((max, r) => (r.business_date > max ? r.business_date : max), '');
    const ofDate = reports.filter((r) => r.business_date === date);
    const executionId = ofDate.map((r) => r.execution_id).sort().at(-1)!;
    const key = `${date}|${executionId}|${ofDate.length}|${language}`;
    if (this.briefMemo?.key !== key) this.briefMemo = { key, brief: briefOf(ofDate, { business_date: date, execution_id: executionId }, language) };
    return this.briefMemo.brief;
  }

  private reportOf(entry: CachedReport): Report {
    let report = this.reports.get(entry);
    if (!report) {
      report = JSON.parse(entry.fresh.identity.toString('utf8')) as Report;
      this.reports.set(entry, report);
    }
    return report;
  }
}
