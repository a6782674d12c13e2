import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import {
  fromDayNumber,
  isIsoDate,
  isWeekdayNumber,
  lastBusinessDayNumberOnOrBefore,
  toDayNumber,
} from '../report/business-date.js';
import type { DailyBar } from '../report/daily-bar.js';
import type { CompanyInfo, CompanyInfoRequest, CompanyInfoSource } from './company-info.js';
import { demoCompanyInfo } from './demo-company-info.js';
import type { DailyBarsRequest, MarketDataSource } from './market-data.js';

export const DEMO_DEFAULT_BARS = 520;
export const DEMO_MIN_BARS = 400;

/**
 * The price path always starts here, whatever the window asked for, so a bar's values depend only on the ticker and
 * its date: tomorrow's run shows today's bars unchanged plus one new bar, as real data does.
 */
const PATH_EPOCH = toDayNumber('2020-01-01');
/** Business days of warm-up before a window that starts before the epoch (GARCH memory is ~30 days). */
const BURN_IN_DAYS = 300;

export interface DemoSeriesOptions {
  /** ETFs get lower volatility than single stocks, currency pairs lower still (and no volume). Default `stock`. */
  kind?: 'stock' | 'etf' | 'fx';
  /**
   * The price the series sits near (the registry's `referencePrice`). Only the level changes: the random stream is
   * drawn the same with or without it, so returns, volatility and volume are those of the unscaled series.
   * Default: a level drawn from the market's usual range.
   */
  referencePrice?: number | null;
  /** Tickers of one sector share a sector factor (and all of one market a market factor), so demo peers correlate. */
  sector?: string | null;
}

/** Price scale, tick grid and share volume of a market, keyed by the Yahoo suffix. */
interface MarketProfile {
  price: [number, number];
  volume: [number, number];
  lot: number;
  /** Tick as `step / scale` so rounding stays exact in binary floating point. */
  tick(price: number): { scale: number; step: number };
}

const tickOf = (scale: number, step: number) => ({ scale, step });
const cents = tickOf(100, 1);
const [SI_MILLI, SI_HALF_CENT] = [tickOf(1000, 1), tickOf(1000, 5)];
const [YEN_1, YEN_5] = [tickOf(1, 1), tickOf(1, 5)];
const [HK_2C, HK_5C, HK_10C, HK_20C] = [tickOf(100, 2), tickOf(100, 5), tickOf(10, 1), tickOf(10, 2)];
const [VND_10, VND_50, VND_100] = [tickOf(1, 10), tickOf(1, 50), tickOf(1, 100)];
const TW_5C = tickOf(100, 5);
const PROFILES: Record<string, MarketProfile> = {
  US: { price: [15, 600], volume: [1.5e6, 4e7], lot: 1, tick: () => cents },
  SI: { price: [0.5, 40], volume: [3e5, 1.2e7], lot: 100, tick: (p) => (p < 0.2 ? SI_MILLI : p < 1 ? SI_HALF_CENT : cents) },
  T: { price: [600, 15_000], volume: [2e5, 1.5e7], lot: 100, tick: (p) => (p < 3000 ? YEN_1 : YEN_5) },
  HK: {
    price: [4, 450],
    volume: [1e6, 4e7],
    lot: 100,
    tick: (p) => (p < 10 ? cents : p < 20 ? HK_2C : p < 100 ? HK_5C : p < 200 ? HK_10C : HK_20C),
  },
  VN: { price: [15_000, 150_000], volume: [3e5, 1.5e7], lot: 100, tick: (p) => (p < 10_000 ? VND_10 : p < 50_000 ? VND_50 : VND_100) },
  TW: { price: [30, 250], volume: [3e6, 4e7], lot: 1000, tick: (p) => (p < 50 ? cents : TW_5C) },
  // Currency pairs against THB (`USDTHB=X`): quoted to six significant digits, no volume.
  FX: { price: [0.001, 40], volume: [0, 0], lot: 0, tick: (p) => tickOf(10 ** (6 - Math.ceil(Math.log10(p))), 1) },
};

/** The market of a Yahoo symbol, by its suffix: `US` for none. */
function marketOf(yahooSymbol: string): string {
  if (yahooSymbol.endsWith('=X')) return 'FX';
  const dot = yahooSymbol.lastIndexOf('.');
  const suffix = dot > 0 ? yahooSymbol.slice(dot + 1).toUpperCase() : 'US';
  return PROFILES[suffix] ? suffix : 'US';
}

function profileFor(yahooSymbol: string): MarketProfile {
  return PROFILES[marketOf(yahooSymbol)]!;
}

/**
 * `out.length` uniforms in [0, 1) from a mulberry32 stream seeded by (seed, day): a value that depends on the day
 * alone, not on how far a ticker's path has run. Fills a caller's array so the per-bar loop allocates nothing.
 */
function fillDayUniforms(seed: number, day: number, out: Float64Array): void {
  let state = (seed ^ Math.imul(day, 0x9e3779b1)) | 0;
  for (let j = 0; j < out.length; j++) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[j] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

const factorUniforms = new Float64Array(2);
/**
 * A standard normal shared by every ticker that names the same factor on the same day: the world, a market, a
 * sector. Drawn from (factor, day) alone, so any ticker's path reads the same value without generating the others.
 */
function factorShock(factorSeed: number, day: number): number {
  fillDayUniforms(factorSeed, day, factorUniforms);
  return Math.sqrt(-2 * Math.log(1 - factorUniforms[0]!)) * Math.cos(2 * Math.PI * factorUniforms[1]!);
}

/**
 * How much of a ticker's daily shock is common: loadings on the world, its market and its sector factor, and the
 * idiosyncratic rest (squares sum to 1). Return correlations come out near 0.5 within a sector, 0.3 within a market
 * and 0.1 across markets, the order of magnitude of real daily returns.
 */
function factorLoadings(etf: boolean, hasSector: boolean, fx = false): { world: number; market: number; sector: number; own: number } {
  // Every pair against THB shares the baht's own moves (the "market" factor of FX).
  if (fx) return { world: 0.15, market: 0.6, sector: 0, own: Math.sqrt(1 - 0.15 * 0.15 - 0.6 * 0.6) };
  const world = etf ? 0.4 : 0.3;
  const market = etf ? 0.7 : 0.45;
  const sector = hasSector ? 0.45 : 0;
  return { world, market, sector, own: Math.sqrt(1 - world * world - market * market - sector * sector) };
}

/** cyrb128: four well-mixed 32-bit seeds from a string. */
export function hashSeed(key: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < key.length; i++) {
    const k = key.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/**
 * sfc32 over a typed-array state plus a Box–Muller spare: small, fast, good enough for synthetic data.
 * A typed array instead of closure variables keeps the hot loop free of allocations and context lookups.
 */
export class Random {
  private readonly s = new Int32Array(4);
  private spare = Number.NaN;

  constructor(seed: readonly number[]) {
    for (let i = 0; i < 4; i++) this.s[i] = seed[i]! | 0;
    for (let i = 0; i < 12; i++) this.uniform();
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    const s = this.s;
    const a = s[0]!,
      b = s[1]!,
      c = s[2]!,
      d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Standard normal (Marsaglia's polar method: no sin/cos, which dominate Box–Muller's cost). */
  normal(): number {
    if (this.spare === this.spare) {
      const value = this.spare;
      this.spare = Number.NaN;
      return value;
    }
    let u: number, v: number, q: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    return u * f;
  }
}

function logUniform(u: number, [min, max]: [number, number]): number {
  return Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min)));
}

/** Rounds to the tick grid; monotone, so high ≥ open/close ≥ low survives rounding. */
function toTick(price: number, tick: { scale: number; step: number }): number {
  const steps = Math.max(1, Math.round((price * tick.scale) / tick.step));
  return (steps * tick.step) / tick.scale;
}

/** Path buffers reused across calls: generation is synchronous, so one set is enough. */
let buffers = { logDev: new Float64Array(4096), sigma: new Float64Array(4096), jump: new Float64Array(4096) };
function scratch(n: number): typeof buffers {
  if (buffers.sigma.length < n) {
    const size = 2 ** Math.ceil(Math.log2(n + 1));
    buffers = { logDev: new Float64Array(size), sigma: new Float64Array(size), jump: new Float64Array(size) };
  }
  return buffers;
}

const dateStrings = new Map<number, string>();
function isoDate(dayNumber: number): string {
  let date = dateStrings.get(dayNumber);
  if (date === undefined) {
    date = fromDayNumber(dayNumber);
    dateStrings.set(dayNumber, date);
  }
  return date;
}

/**
 * Deterministic synthetic daily bars: `count` business days ending at the last business day on or before
 * `endDate`, seeded by `seedKey` (the Yahoo symbol). Log returns follow GARCH(1,1) volatility with rare jumps,
 * drift regimes (so recent months trend up for some tickers and down for others) and a weak pull back to a
 * per-ticker price level that suits the market (JPY/VND prices are large). Opens gap from the previous close,
 * mostly a little, sometimes a lot; volume is log-normal around a per-ticker level and higher on big moves.
 */
export function generateDemoBars(seedKey: string, endDate: string, count: number, options: DemoSeriesOptions = {}): DailyBar[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const endDay = lastBusinessDayNumberOnOrBefore(toDayNumber(endDate));
  const profile = profileFor(seedKey);

  // Business days from the path start to the end, ascending.
  let firstWindowDay = endDay;
  for (let n = 1; n < count; n++) firstWindowDay = lastBusinessDayNumberOnOrBefore(firstWindowDay - 1);
  let startDay = PATH_EPOCH;
  if (firstWindowDay - 2 < PATH_EPOCH) startDay = firstWindowDay - Math.ceil((BURN_IN_DAYS * 7) / 5);
  const days: number[] = [];
  for (let d = startDay; d <= endDay; d++) if (isWeekdayNumber(d)) days.push(d);
  const n = days.length;
  if (n < count) throw new RangeError(`internal: path of ${n} days is shorter than ${count}`);

  // Per-ticker character, from the path stream.
  const seed = hashSeed(seedKey);
  const random = new Random(seed);
  const etf = options.kind === 'etf';
  const fx = options.kind === 'fx';
  // Drawn even when a reference price replaces it, so the rest of the stream (and the series' shape) is unchanged.
  const drawnLevel = logUniform(random.uniform(), profile.price);
  const level = options.referencePrice != null && options.referencePrice > 0 ? options.referencePrice : drawnLevel;
  const annualVol = logUniform(random.uniform(), fx ? [0.04, 0.09] : etf ? [0.08, 0.22] : [0.18, 0.55]);
  const longRunVar = (annualVol * annualVol) / 252;
  const persistence = 0.955 + 0.03 * random.uniform();
  const alpha = 0.07 + 0.06 * random.uniform();
  const beta = persistence - alpha;
  const omega = longRunVar * (1 - persistence);
  const meanDrift = 0.06 + 0.06 * random.normal();
  const regimeSd = 0.7 * annualVol;
  const meanReversion = 1 / 250;
  const jumpProbability = fx ? 0.002 : etf ? 0.004 : 0.01;
  const volumeLevel = logUniform(random.uniform(), profile.volume);

  const loadings = factorLoadings(etf, Boolean(options.sector), fx);
  const worldSeed = hashSeed('factor:world')[0];
  const marketSeed = hashSeed(`factor:market:${marketOf(seedKey)}`)[0];
  const sectorSeed = hashSeed(`factor:sector:${options.sector ?? ''}`)[0];

  const { logDev, sigma, jump } = scratch(n); // logDev[i + 1] is the close of days[i]; logDev[0] the close before
  logDev[0] = 0.15 * random.normal();
  let variance = longRunVar;
  let drift = (meanDrift + regimeSd * random.normal()) / 252;
  for (let i = 0; i < n; i++) {
    if (random.uniform() < 1 / 70) drift = (meanDrift + regimeSd * random.normal()) / 252;
    const s = Math.sqrt(variance);
    const jumpSize = random.uniform() < jumpProbability ? 2.5 * s * random.normal() : 0;
    const day = days[i]!;
    let common = loadings.world * factorShock(worldSeed, day) + loadings.market * factorShock(marketSeed, day);
    if (loadings.sector !== 0) common += loadings.sector * factorShock(sectorSeed, day);
    const shock = s * (common + loadings.own * random.normal()) + jumpSize;
    const x = logDev[i]!;
    logDev[i + 1] = x + drift - 0.5 * variance - meanReversion * x + shock;
    sigma[i] = s;
    jump[i] = jumpSize;
    // A jump raises the next days' volatility, but capped so one jump cannot blow the process up.
    variance = omega + alpha * Math.min(shock * shock, 9 * variance) + beta * variance;
    variance = Math.min(6 * longRunVar, Math.max(0.25 * longRunVar, variance));
  }

  const daySeed = seed[3];
  const longRunSigma = Math.sqrt(longRunVar);
  const bars = new Array<DailyBar>(count);
  const u = new Float64Array(5);
  for (let k = 0; k < count; k++) {
    const i = n - count + k;
    const day = days[i]!;
    // Four normals and a uniform for this bar, from a per-(ticker, day) stream.
    fillDayUniforms(daySeed, day, u);
    const r1 = Math.sqrt(-2 * Math.log(1 - u[0]!));
    const r2 = Math.sqrt(-2 * Math.log(1 - u[2]!));
    const z1 = r1 * Math.cos(2 * Math.PI * u[1]!);
    const z2 = r1 * Math.sin(2 * Math.PI * u[1]!);
    const z3 = r2 * Math.cos(2 * Math.PI * u[3]!);
    const z4 = r2 * Math.sin(2 * Math.PI * u[3]!);

    const s = sigma[i]!;
    const previousClose = level * Math.exp(logDev[i]!);
    const ret = logDev[i + 1]! - logDev[i]!;
    const close = level * Math.exp(logDev[i + 1]!);
    // Jump days open most of the way there (news overnight); other days gap a little.
    const gap = jump[i] !== 0 ? jump[i]! * (0.6 + 0.4 * u[4]!) + 0.2 * s * z1 : 0.15 * ret + 0.2 * s * z1;
    const open = previousClose * Math.exp(gap);
    const high = Math.max(open, close) * Math.exp(0.55 * s * Math.abs(z2));
    const low = Math.min(open, close) * Math.exp(-0.55 * s * Math.abs(z3));
    const tick = profile.tick(close);
    const surprise = Math.min(4, Math.abs(ret) / s) - 0.8;
    const volume = volumeLevel * Math.exp(0.35 * z4 + 0.5 * Math.log(s / longRunSigma) + 0.6 * surprise);
    bars[k] = {
      date: isoDate(day),
      open: toTick(open, tick),
      high: toTick(high, tick),
      low: toTick(low, tick),
      close: toTick(close, tick),
      volume: profile.lot === 0 ? 0 : Math.max(profile.lot, Math.round(volume / profile.lot) * profile.lot),
    };
  }
  return bars;
}

/**
 * Offline market data for first runs, demos and tests: every ticker gets its own plausible history.
 * Reports built on it carry `data_source: "demo"`.
 */
export class DemoMarketData implements MarketDataSource, CompanyInfoSource {
  readonly name = 'demo';
  private readonly bars: number;

  constructor(options: { bars?: number } = {}) {
    this.bars = options.bars ?? DEMO_DEFAULT_BARS;
    if (!Number.isInteger(this.bars) || this.bars < DEMO_MIN_BARS) {
      throw new RangeError(`demo history must be at least ${DEMO_MIN_BARS} bars, got ${options.bars}`);
    }
  }

  async fetchDailyBars(ticker: Ticker, request: DailyBarsRequest): Promise<DailyBar[]> {
    if (!isIsoDate(request.endDate)) throw new PermanentError(`demo: bad end date "${request.endDate}" (want YYYY-MM-DD)`);
    const count = Math.max(this.bars, Math.ceil(request.minBars) || 0);
    const kind = ticker.yahooSymbol.endsWith('=X') ? 'fx' : ticker.type;
    return generateDemoBars(ticker.yahooSymbol, request.endDate, count, { kind, sector: ticker.sector, referencePrice: ticker.referencePrice });
  }

  /** Demo fundamentals priced on the demo close of `endDate` (see `demoCompanyInfo`). */
  async fetchCompanyInfo(ticker: Ticker, request: CompanyInfoRequest): Promise<CompanyInfo> {
    if (!isIsoDate(request.endDate)) throw new PermanentError(`demo: bad end date "${request.endDate}" (want YYYY-MM-DD)`);
    const [last] = generateDemoBars(ticker.yahooSymbol, request.endDate, 1, { kind: ticker.type, sector: ticker.sector, referencePrice: ticker.referencePrice });
    return demoCompanyInfo(ticker, last!.close, request.endDate);
  }
}
