/**
 * Carrying a report forward when its inputs have not changed (DESIGN §13): the rule both the report worker (one job)
 * and the start of a run (every job at once) apply, and the bulk check itself.
 */
import { onlyTrackRecordDiffers } from '../report/inputs-fingerprint.js';
import { shownTrackRecord, type Report } from '../report/report.js';
import type { ReportTrackRecord } from '../report/track-record/report-track-record.js';
import { fxPairFor } from '../report/fx-view.js';
import type { PeerComparison } from '../report/peers.js';
import type { LatestReportInputs } from '../store/incremental-store.js';
import type { ExecutionRecord, StoredReport } from '../store/store.js';
import { JOB_ENDED, type JobEndedEvent, type PipelineDeps } from './pipeline-deps.js';
import { companyFactsOf, NEWS_READ, newsWindowOf, peerCandidates, readTrackRecords, reportFingerprint } from './report-inputs.js';

/**
 * Why a report fell back to the template writer when the LLM could not be reached (the run's or the day's budget
 * spent, 402, a refused key, 429/5xx/timeouts past the retries): such a report is made again by the next run that
 * can reach the LLM, so the reader gets the better narrative. An answer rejected by validation (`rejected`) or a
 * request the provider refused as malformed (`request_failed`) is carried forward like any other report: asking
 * again costs money and the inputs have not changed.
 */
const LLM_UNREACHED = new Set(['budget', 'payment_required', 'unauthorized', 'unavailable']);

/** How the latest report of a ticker stands for this execution. */
export interface Reuse {
  /** The execution that made the report (not one that carried it). */
  origin: string;
  /** Only the track record shown changed: the report is carried forward with the record recomputed. */
  refresh: boolean;
}

/**
 * Whether the latest report of a ticker may stand for this execution: the same fingerprint (or one that differs
 * only in the track record shown), not of a later date, and not a template fallback that the LLM could now improve.
 * Undefined when a new report must be made.
 */
export async function reusableOrigin(
  execution: ExecutionRecord,
  latest: LatestReportInputs | undefined,
  fingerprint: string | null,
  llmAvailable: () => Promise<boolean>,
): Promise<Reuse | undefined> {
  if (execution.requested.force || fingerprint === null || !latest?.inputs_fingerprint) return undefined;
  if (latest.business_date > execution.business_date) return undefined;
  const refresh = onlyTrackRecordDiffers(latest.inputs_fingerprint, fingerprint);
  if (!refresh && latest.inputs_fingerprint !== fingerprint) return undefined;
  if (latest.narrative_fallback && LLM_UNREACHED.has(latest.narrative_fallback) && (await llmAvailable())) return undefined;
  return { origin: latest.reused_from ?? latest.execution_id, refresh };
}

/**
 * Writes the row that carries `latest`'s report forward to this execution (its chart copied inside the database):
 * a new row for a later business date, or the same date's row again when the track record shown changed. On the
 * report's own date with nothing changed there is nothing to write. False when the report is gone.
 */
export async function writeCarriedForward(
  deps: PipelineDeps,
  execution: ExecutionRecord,
  latest: LatestReportInputs,
  reuse: Reuse,
  now: { fingerprint: string; trackRecord: ReportTrackRecord },
): Promise<boolean> {
  if (latest.business_date === execution.business_date && !reuse.refresh) return true;
  const previous = await deps.store.getReport(latest.ticker, latest.business_date);
  if (!previous) return false;
  const report = JSON.parse(previous.body) as Report;
  report.business_date = execution.business_date;
  report.execution_id = execution.execution_id;
  report.reused_from = reuse.origin;
  report.stale = false;
  report.track_record = shownTrackRecord(now.trackRecord);
  report.inputs_fingerprint = now.fingerprint;
  const carried: StoredReport = {
    ...previous,
    business_date: execution.business_date,
    execution_id: execution.execution_id,
    body: JSON.stringify(report),
    inputs_fingerprint: now.fingerprint,
    reused_from: reuse.origin,
    narrative_fallback: latest.narrative_fallback,
  };
  await deps.store.carryReportForward(carried, latest.business_date);
  return true;
}

/**
 * Before a run's jobs are handed to the queue: every ticker whose inputs are those of its latest report has the
 * report carried forward and its job completed here, from a few bulk reads (bar digests, headlines, company info,
 * calls, peer sets) and one transaction, instead of a job that reads its 600 bars and writes twice. Returns the
 * tickers done; the others are made (or, when this check could not tell, checked again) by the worker.
 */
export async function carryForwardUnchanged(deps: PipelineDeps, execution: ExecutionRecord, symbols: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  if (execution.requested.force || symbols.length === 0) return done;
  const { store, settings, registry } = deps;
  const businessDate = execution.business_date;
  const latest = await store.listLatestReportInputs(symbols);
  const tickers = symbols
    .filter((s) => latest.get(s)?.inputs_fingerprint && latest.get(s)!.business_date <= businessDate)
    .map((s) => registry.get(s))
    .filter((t) => t !== undefined);
  if (tickers.length === 0) return done;
  const window = deps.newsSource ? newsWindowOf(businessDate, settings.newsWindowDays) : null;
  const pairs = [...new Set(tickers.map((t) => fxPairFor(t.currency)).filter((p) => p !== null))];
  const peerSets = await store.getPeerSets(execution.execution_id);
  const candidates = [...new Set(tickers.flatMap((t) => peerCandidates(t, usablePeers(peerSets.get(t.symbol)))))];
  // Digests first, as the worker reads them (see `readReportInputs`).
  const series = await store.getBarSeries([...tickers.map((t) => t.symbol), ...pairs]);
  const [news, infos, trackRecords] = await Promise.all([
    window ? store.getNewsOf(tickers.map((t) => t.symbol), window.since, window.windowEnd, NEWS_READ) : Promise.resolve(undefined),
    store.getLatestCompanyInfo(candidates, businessDate),
    readTrackRecords(store, tickers.map((t) => t.symbol), businessDate),
  ]);
  let llm: Promise<boolean> | undefined;
  const llmAvailable = () => (llm ??= deps.llmAvailable(execution.execution_id, businessDate));
  const reused: { ticker: string; reused_from: string }[] = [];
  for (const ticker of tickers) {
    const own = series.get(ticker.symbol);
    if (!own) continue;
    const peers = usablePeers(peerSets.get(ticker.symbol));
    const pair = fxPairFor(ticker.currency);
    const fingerprint = reportFingerprint(deps, {
      ticker,
      businessDate,
      series: own,
      fxRates: pair ? series.get(pair) : undefined,
      headlines: window ? (news?.get(ticker.symbol) ?? []) : null,
      peers,
      fundamentals: companyFactsOf(ticker, businessDate, own.last_close, infos, peers, settings.language),
      trackRecord: trackRecords.get(ticker.symbol)!,
    });
    const previous = latest.get(ticker.symbol)!;
    const trackRecord = trackRecords.get(ticker.symbol)!;
    const reuse = await reusableOrigin(execution, previous, fingerprint, llmAvailable);
    if (reuse && (await writeCarriedForward(deps, execution, previous, reuse, { fingerprint: fingerprint!, trackRecord }))) {
      reused.push({ ticker: ticker.symbol, reused_from: reuse.origin });
    }
  }
  const finished = await store.finishReusedJobs(execution.execution_id, reused, deps.now().toISOString());
  for (const job of finished?.jobs ?? []) {
    done.add(job.ticker);
    deps.events.emit(JOB_ENDED, { job, execution: finished!.execution } satisfies JobEndedEvent);
  }
  return done;
}

/** A ticker's stored peer comparison as a report takes it: none when it has no top peers. */
export function usablePeers(peers: PeerComparison | undefined): PeerComparison | null {
  return peers && peers.top.length > 0 ? peers : null;
}
