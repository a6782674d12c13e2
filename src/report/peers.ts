/**
 * Peers from the universe itself: Pearson correlation of daily log returns over a common recent window, computed
 * once per execution for every ticker (the reference compared everyone with the first five tickers of its list).
 */
import { median } from './percentiles.js';

export interface PeerUniverseMember {
  ticker: string;
  name: string;
  sector: string | null;
  /** Ascending by date; at least the last `PEER_WINDOW_RETURNS + 1` closes for a full window. */
  closes: { date: string; close: number }[];
}

export interface Peer {
  ticker: string;
  name: string;
  sector: string | null;
  correlation: number;
  /** Shared daily returns the correlation is computed on. */
  overlap: number;
  return_1m_pct: number | null;
  volatility_30d_pct: number | null;
}

export interface PeerComparison {
  method: string;
  top: Peer[];
  /** Other members of the universe in the same sector (by correlation when known). */
  sector_mates: string[];
  return_1m_pct: number | null;
  volatility_30d_pct: number | null;
  peers_median_return_1m_pct: number | null;
  peers_median_volatility_30d_pct: number | null;
  /** Own 1m return minus the top peers' median, in percentage points. */
  return_1m_vs_median_pct: number | null;
  /** (own 30-day volatility / the top peers' median − 1) × 100. */
  volatility_vs_median_pct: number | null;
}

export const PEER_WINDOW_RETURNS = 60;
export const TOP_PEERS = 5;
/** Fewer shared returns than this and a correlation says little: the pair is skipped. */
export const MIN_OVERLAP = 40;
const SECTOR_MATES = 5;

export const PEER_METHOD =
  `Pearson correlation of daily log returns over the last ${PEER_WINDOW_RETURNS} returns of the universe's common ` +
  `calendar (pairs need ${MIN_OVERLAP}+ shared days); top ${TOP_PEERS} by correlation; 1m return = close vs 21 bars ` +
  'earlier; volatility = sample std of the last 30 log returns × √252; medians over the top peers.';

interface Prepared {
  member: PeerUniverseMember;
  /** Log returns on the common calendar; NaN where the member has no return that day. */
  returns: Float64Array;
  return1m: number | null;
  volatility30d: number | null;
}

export function comparePeersAcrossUniverse(universe: PeerUniverseMember[]): Map<string, PeerComparison> {
  const calendar = commonCalendar(universe);
  const calendarIndex = new Map(calendar.map((d, i) => [d, i]));
  const prepared = universe.map((member) => prepare(member, calendarIndex));
  const result = new Map<string, PeerComparison>();
  const count = prepared.length;
  const correlations = new Float64Array(count * count).fill(Number.NaN);
  const overlaps = new Int32Array(count * count);
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      const { r, n } = correlate(prepared[i]!.returns, prepared[j]!.returns);
      correlations[i * count + j] = correlations[j * count + i] = r;
      overlaps[i * count + j] = overlaps[j * count + i] = n;
    }
  }
  const peerOf = (i: number, j: number): Peer => {
    const other = prepared[j]!;
    return {
      ticker: other.member.ticker,
      name: other.member.name,
      sector: other.member.sector,
      correlation: correlations[i * count + j]!,
      overlap: overlaps[i * count + j]!,
      return_1m_pct: other.return1m,
      volatility_30d_pct: other.volatility30d,
    };
  };
  for (let i = 0; i < count; i++) {
    const self = prepared[i]!;
    // The best-correlated members (ties by ticker), and the best of the same sector: only these few are ranked, not
    // the whole universe (a replay computes this table for every date).
    const before = (a: number, b: number) =>
      correlations[i * count + b]! - correlations[i * count + a]! || prepared[a]!.member.ticker.localeCompare(prepared[b]!.member.ticker);
    const correlated = (j: number) => i !== j && !Number.isNaN(correlations[i * count + j]!);
    const top = firstInOrder(count, TOP_PEERS, correlated, before).map((j) => peerOf(i, j));
    const sector = self.member.sector;
    // Same-sector members by correlation, then the rest of the sector in universe order, without repeats.
    const sectorMates = new Set<string>();
    if (sector) {
      const sameSector = (j: number) => correlated(j) && prepared[j]!.member.sector === sector;
      for (const j of firstInOrder(count, SECTOR_MATES, sameSector, before)) sectorMates.add(prepared[j]!.member.ticker);
      for (const m of universe) {
        if (sectorMates.size >= SECTOR_MATES) break;
        if (m.sector === sector && m.ticker !== self.member.ticker) sectorMates.add(m.ticker);
      }
    }
    const medianReturn = presentMedian(top.map((p) => p.return_1m_pct));
    const medianVolatility = presentMedian(top.map((p) => p.volatility_30d_pct));
    result.set(self.member.ticker, {
      method: PEER_METHOD,
      top,
      sector_mates: [...sectorMates],
      return_1m_pct: self.return1m,
      volatility_30d_pct: self.volatility30d,
      peers_median_return_1m_pct: medianReturn,
      peers_median_volatility_30d_pct: medianVolatility,
      return_1m_vs_median_pct: self.return1m === null || medianReturn === null ? null : self.return1m - medianReturn,
      volatility_vs_median_pct:
        self.volatility30d === null || medianVolatility === null || medianVolatility === 0
          ? null
          : (self.volatility30d / medianVolatility - 1) * 100,
    });
  }
  return result;
}

/**
 * The first `k` of the indices 0..n−1 that pass `keep`, in the order of `before` (a strict total order): the first
 * `k` of the sorted list, by insertion into a list of at most `k` instead of sorting them all.
 */
function firstInOrder(n: number, k: number, keep: (j: number) => boolean, before: (a: number, b: number) => number): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  for (let j = 0; j < n; j++) {
    if (!keep(j)) continue;
    if (best.length === k && before(j, best[k - 1]!) >= 0) continue;
    let at = best.length === k ? k - 1 : best.length;
    while (at > 0 && before(j, best[at - 1]!) < 0) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = j;
  }
  return best;
}

/** The last `PEER_WINDOW_RETURNS` dates on which any member traded (each return is dated by its later close). */
function commonCalendar(universe: PeerUniverseMember[]): string[] {
  const dates = new Set<string>();
  for (const m of universe) for (const c of m.closes.slice(-(PEER_WINDOW_RETURNS + 1)).slice(1)) dates.add(c.date);
  return [...dates].sort().slice(-PEER_WINDOW_RETURNS);
}

function prepare(member: PeerUniverseMember, index: ReadonlyMap<string, number>): Prepared {
  const returns = new Float64Array(index.size).fill(Number.NaN);
  const closes = member.closes;
  for (let k = 1; k < closes.length; k++) {
    const at = index.get(closes[k]!.date);
    if (at !== undefined && closes[k - 1]!.close > 0) returns[at] = Math.log(closes[k]!.close / closes[k - 1]!.close);
  }
  const n = closes.length;
  const return1m = n > 21 ? (closes[n - 1]!.close / closes[n - 22]!.close - 1) * 100 : null;
  let volatility30d: number | null = null;
  if (n > 30) {
    const logs = [];
    for (let k = n - 30; k < n; k++) logs.push(Math.log(closes[k]!.close / closes[k - 1]!.close));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const variance = logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1);
    volatility30d = Math.sqrt(variance) * Math.sqrt(252) * 100;
  }
  return { member, returns, return1m, volatility30d };
}

function correlate(a: Float64Array, b: Float64Array): { r: number; n: number } {
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    n++;
    sa += x;
    sb += y;
  }
  if (n < MIN_OVERLAP) return { r: Number.NaN, n };
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    cov += (x - ma) * (y - mb);
    va += (x - ma) ** 2;
    vb += (y - mb) ** 2;
  }
  if (va === 0 || vb === 0) return { r: Number.NaN, n };
  return { r: cov / Math.sqrt(va * vb), n };
}

const presentMedian = (values: (number | null)[]): number | null => median(values.filter((v): v is number => v !== null));
