import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import { fromDayNumber, isIsoDate, isWeekdayNumber, lastBusinessDayNumberOnOrBefore, toDayNumber } from '../report/business-date.js';
import type { Headline, NewsRequest, NewsSource } from './news-source.js';

export const DEMO_NEWS_SITE = 'Daybreak demo';
export const DEMO_NEWS_URL_PREFIX = 'https://demo.daybreak.invalid/news/';
/** Business days, ending at the last business day on or before `endDate`, that demo headlines are spread over. */
export const DEMO_NEWS_DAYS = 10;
export const DEMO_NEWS_MIN = 6;
export const DEMO_NEWS_MAX = 15;
/** How far back the window grows when the last DEMO_NEWS_DAYS were too quiet to give DEMO_NEWS_MIN headlines. */
const MAX_EXTRA_DAYS = 20;
/** Chance that a headline is syndicated: a second copy with the same title (other case or punctuation) hours later. */
const SYNDICATION_PROBABILITY = 0.15;

export type DemoTone = 'positive' | 'negative' | 'neutral';

/** Words that make a template fit the ticker's business; each headline picks one of each. */
export interface SectorWords {
  /** What drives results: "AI chip demand". */
  driver: readonly string[];
  /** Something it sells or builds: "next-generation chips". */
  product: readonly string[];
  /** A business line: "data-center". */
  segment: readonly string[];
}

/** Sector words by GICS-style sector (first match wins); exported for the tests that check every wording's tone. */
export const DEMO_SECTOR_WORDS: readonly [RegExp, SectorWords][] = [
  [
    /bank|capital markets|financial/i,
    {
      driver: ['net interest income', 'loan growth', 'fee income'],
      product: ['digital banking', 'mobile payments', 'green bonds'],
      segment: ['wealth management', 'corporate lending', 'credit card'],
    },
  ],
  [
    /insurance/i,
    {
      driver: ['new business premiums', 'policy sales', 'investment income'],
      product: ['protection policies', 'health cover', 'savings plans'],
      segment: ['life insurance', 'agency', 'bancassurance'],
    },
  ],
  [
    /semiconductor/i,
    {
      driver: ['AI chip demand', 'data-center orders', 'memory pricing'],
      product: ['next-generation chips', 'AI accelerators', 'test systems'],
      segment: ['data-center', 'automotive', 'gaming'],
    },
  ],
  [
    /software|it services|interactive media/i,
    {
      driver: ['cloud subscriptions', 'enterprise spending', 'advertising demand'],
      product: ['AI software', 'cloud platform', 'security tools'],
      segment: ['enterprise cloud', 'consulting', 'digital advertising'],
    },
  ],
  [
    /hardware|electronic/i,
    {
      driver: ['device sales', 'PC demand', 'component orders'],
      product: ['new devices', 'AI servers', 'smartphone lineup'],
      segment: ['components', 'consumer devices', 'infrastructure'],
    },
  ],
  [
    /pharma|biotech|health/i,
    {
      driver: ['drug sales', 'patient volumes', 'procedure growth'],
      product: ['late-stage drug candidate', 'new therapy', 'surgical system'],
      segment: ['oncology', 'immunology', 'medical devices'],
    },
  ],
  [
    /retail|staples|food|beverage|hotels|restaurants|household/i,
    {
      driver: ['same-store sales', 'consumer demand', 'membership fees'],
      product: ['private-label range', 'delivery service', 'new stores'],
      segment: ['e-commerce', 'overseas', 'wholesale'],
    },
  ],
  [
    /entertainment/i,
    {
      driver: ['content demand', 'theme-park attendance', 'game sales'],
      product: ['new titles', 'streaming service', 'next console'],
      segment: ['streaming', 'parks', 'licensing'],
    },
  ],
  [
    /telecom/i,
    {
      driver: ['subscriber growth', 'data usage', 'enterprise contracts'],
      product: ['5G plans', 'broadband bundles', 'cloud services'],
      segment: ['enterprise connectivity', 'home broadband', 'mobile'],
    },
  ],
  [
    /airlines/i,
    {
      driver: ['passenger demand', 'premium travel', 'cargo volumes'],
      product: ['new routes', 'fleet upgrades', 'loyalty programme'],
      segment: ['cargo', 'budget airline', 'long-haul'],
    },
  ],
  [
    /automobiles/i,
    {
      driver: ['vehicle deliveries', 'hybrid demand', 'motorcycle sales'],
      product: ['electric models', 'hybrid lineup', 'battery plant'],
      segment: ['motorcycle', 'North American', 'China'],
    },
  ],
  [
    /metals|mining/i,
    {
      driver: ['steel prices', 'aluminium prices', 'construction demand'],
      product: ['new capacity', 'smelter expansion', 'mill upgrade'],
      segment: ['downstream', 'export', 'raw materials'],
    },
  ],
  [
    /real estate/i,
    {
      driver: ['property sales', 'home demand', 'rental income'],
      product: ['new township project', 'condominium launch', 'retail mall'],
      segment: ['leasing', 'residential', 'commercial property'],
    },
  ],
  [
    /utilities/i,
    {
      driver: ['power demand', 'energy prices', 'renewables growth'],
      product: ['renewable capacity', 'solar farm', 'hydrogen project'],
      segment: ['gas power', 'urban development', 'renewables'],
    },
  ],
  [
    /aerospace|machinery|trading|industrial/i,
    {
      driver: ['order intake', 'defence spending', 'commodity prices'],
      product: ['defence contracts', 'gas turbines', 'aircraft maintenance'],
      segment: ['engineering services', 'energy systems', 'aerospace'],
    },
  ],
];
export const DEMO_GENERIC_WORDS: SectorWords = {
  driver: ['demand', 'pricing', 'volumes'],
  product: ['new products', 'services', 'expansion plans'],
  segment: ['international', 'domestic', 'online'],
};

export interface DemoTemplate {
  tone: DemoTone;
  kind: 'stock' | 'etf';
  title: string;
  text: string;
}

/**
 * Headline templates. `{co}` is the company's short name, `{driver}`/`{product}`/`{segment}` come from its sector,
 * `{asset}` is what an ETF holds, `{pct}` a plausible move and `{month}` a month name. Each template's tone is what
 * the finance lexicon in report/news-analysis.ts scores it as (checked by the tests).
 */
export const DEMO_NEWS_TEMPLATES: readonly DemoTemplate[] = [
  // Stocks, positive
  { tone: 'positive', kind: 'stock', title: '{co} beats quarterly estimates as {driver} strengthens', text: 'Quarterly results came in ahead of analyst forecasts.' },
  { tone: 'positive', kind: 'stock', title: '{co} raises full-year guidance on strong {driver}', text: 'Management lifted its outlook for the rest of the year.' },
  { tone: 'positive', kind: 'stock', title: '{co} shares jump {pct}% after upbeat {segment} update', text: 'The stock posted its best day in several weeks.' },
  { tone: 'positive', kind: 'stock', title: 'Analyst upgrades {co} to buy, citing {driver}', text: 'The broker also raised its price target on the shares.' },
  { tone: 'positive', kind: 'stock', title: '{co} announces new share buyback programme', text: 'The board approved a repurchase of its own shares.' },
  { tone: 'positive', kind: 'stock', title: '{co} reports record revenue as {driver} grows', text: 'Revenue reached the highest level in the company’s history.' },
  { tone: 'positive', kind: 'stock', title: '{co} stock rallies as investors cheer {product} launch', text: 'The launch was well received by analysts and customers.' },
  // Stocks, negative
  { tone: 'negative', kind: 'stock', title: '{co} misses profit estimates as {driver} weakens', text: 'Quarterly profit came in below analyst forecasts.' },
  { tone: 'negative', kind: 'stock', title: '{co} cuts outlook, citing softer {driver}', text: 'Management lowered its forecast for the rest of the year.' },
  { tone: 'negative', kind: 'stock', title: '{co} shares slide {pct}% after downbeat {segment} update', text: 'The stock posted its worst day in several weeks.' },
  { tone: 'negative', kind: 'stock', title: 'Analyst downgrades {co} on valuation concerns', text: 'The broker also lowered its price target on the shares.' },
  { tone: 'negative', kind: 'stock', title: '{co} faces regulatory probe over {segment} practices', text: 'Regulators are reviewing how the business was run.' },
  { tone: 'negative', kind: 'stock', title: '{co} hit with lawsuit over {product} disclosures', text: 'Investors allege the company understated the risks.' },
  { tone: 'negative', kind: 'stock', title: '{co} to cut jobs as {driver} slows', text: 'The company plans to reduce headcount over the coming year.' },
  // Stocks, neutral
  { tone: 'neutral', kind: 'stock', title: '{co} to report quarterly results next week: what to watch', text: 'Analysts will focus on margins and the outlook.' },
  { tone: 'neutral', kind: 'stock', title: '{co} names new chief financial officer', text: 'The appointment takes effect next quarter.' },
  { tone: 'neutral', kind: 'stock', title: "What analysts expect from {co}'s {segment} business", text: 'Estimates vary across the brokers that cover the stock.' },
  { tone: 'neutral', kind: 'stock', title: '{co} sets annual shareholder meeting for {month}', text: 'Shareholders will vote on the usual resolutions.' },
  { tone: 'neutral', kind: 'stock', title: '{co} declares regular quarterly dividend', text: 'The payout is unchanged from the previous quarter.' },
  { tone: 'neutral', kind: 'stock', title: '{co} to present at industry conference in {month}', text: 'Executives will discuss strategy with investors.' },
  // ETFs
  { tone: 'positive', kind: 'etf', title: '{co} rallies as {asset} climbs to a new high', text: 'Inflows picked up during the week.' },
  { tone: 'positive', kind: 'etf', title: '{co} sees strong inflows as {asset} gains', text: 'Investors added to positions during the week.' },
  { tone: 'positive', kind: 'etf', title: '{co} gains {pct}% this week as {asset} rebounds', text: 'The fund outperformed its category average.' },
  { tone: 'positive', kind: 'etf', title: '{asset} rally lifts {co} to best week since {month}', text: 'Trading volume in the fund was above average.' },
  { tone: 'negative', kind: 'etf', title: '{co} slides as {asset} falls on rate worries', text: 'Outflows picked up during the week.' },
  { tone: 'negative', kind: 'etf', title: 'Investors pull money from {co} as {asset} slumps', text: 'The fund recorded net outflows for the week.' },
  { tone: 'negative', kind: 'etf', title: '{co} drops {pct}% this week as {asset} retreats', text: 'The fund lagged its category average.' },
  { tone: 'negative', kind: 'etf', title: '{asset} sell-off drags {co} to weakest level since {month}', text: 'Trading volume in the fund was above average.' },
  { tone: 'neutral', kind: 'etf', title: '{co} rebalances holdings ahead of quarterly index review', text: 'The fund follows its index methodology.' },
  { tone: 'neutral', kind: 'etf', title: 'What {co} holds: a look at its top positions', text: 'The largest holdings make up a sizeable share of the fund.' },
  { tone: 'neutral', kind: 'etf', title: '{co} announces distribution schedule for {month}', text: 'Dates follow the usual calendar.' },
  { tone: 'neutral', kind: 'etf', title: 'How {co} tracks its benchmark: a closer look', text: 'Tracking difference is reported monthly.' },
];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "NVIDIA Corporation" → "NVIDIA"; "Vietnam Dairy Products JSC (Vinamilk)" → "Vinamilk"; "The Walt Disney Company" → "Walt Disney". */
export function shortCompanyName(name: string): string {
  const alias = /\(([^)]+)\)/.exec(name)?.[1];
  if (alias !== undefined && !/counter|group/i.test(alias)) return alias;
  let short = name.replace(/\([^)]*\)/g, ' ').replace(/^the\s+/i, '');
  const suffix =
    /[\s,]+(inc\.?|incorporated|corporation|corp\.?|company|co\.?|ltd\.?|limited|plc|jsc|holdings|public company limited|& co\.?|group(?<!financial group))$/i;
  for (let previous = ''; previous !== short; ) {
    previous = short;
    short = short.trim().replace(suffix, '');
  }
  return short.trim().replace(/\s+/g, ' ') || name;
}

function sectorWords(sector: string | null): SectorWords {
  if (sector === null) return DEMO_GENERIC_WORDS;
  return DEMO_SECTOR_WORDS.find(([pattern]) => pattern.test(sector))?.[1] ?? DEMO_GENERIC_WORDS;
}

function etfAsset(name: string): string {
  if (/gold/i.test(name)) return 'gold';
  if (/bond|credit/i.test(name)) return 'Asian credit';
  if (/india/i.test(name)) return 'Indian stocks';
  if (/taiwan/i.test(name)) return 'Taiwan tech shares';
  if (/nasdaq/i.test(name)) return 'US tech shares';
  if (/s&p/i.test(name)) return 'US large caps';
  return 'its index';
}

/** FNV-1a then a murmur-style finaliser: a 32-bit seed from a string. */
function seedOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: uniform in [0, 1). */
function randomStream(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(items: readonly T[], u: number): T {
  return items[Math.min(items.length - 1, Math.floor(u * items.length))]!;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
}

/** A syndicated copy's title: the same words, in another case or punctuation, as wires and aggregators rewrite them. */
function syndicatedTitle(title: string, u: number): string {
  if (u < 1 / 3) return title;
  if (u < 2 / 3) return title.toUpperCase();
  return title.replace(/,/g, ' -').replace(/:/g, ' —').replace(/'s\b/g, '’s');
}

type DemoTicker = Pick<Ticker, 'yahooSymbol' | 'name' | 'sector' | 'type'>;

/** Business days (Mon–Fri) since the Monday 1970-01-05, so consecutive business days have consecutive numbers. */
function businessOrdinal(dayNumber: number): number {
  const mondayBased = (((dayNumber + 3) % 7) + 7) % 7; // 0 = Monday … 6 = Sunday (day 0 was a Thursday)
  return ((dayNumber - mondayBased - 4) / 7) * 5 + Math.min(mondayBased, 4);
}

/** A per-ticker order of the templates of its kind (Fisher–Yates, seeded by the Yahoo symbol). */
function templateOrder(ticker: DemoTicker): DemoTemplate[] {
  const kind = ticker.type === 'etf' ? 'etf' : 'stock';
  const pool = DEMO_NEWS_TEMPLATES.filter((t) => t.kind === kind);
  const random = randomStream(seedOf(`${ticker.yahooSymbol}|templates`));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool;
}

/**
 * The headlines of one Bangkok business day for a ticker; they depend only on (Yahoo symbol, date), like demo bars.
 * Headline n of business day d uses template (2d + n) of the ticker's own template order, so a story is not repeated
 * within DEMO_NEWS_DAYS business days (stocks have 20 templates); its wording, times and count (0–2) are random.
 */
function headlinesOfDay(ticker: DemoTicker, dayNumber: number, order: readonly DemoTemplate[]): Headline[] {
  const date = fromDayNumber(dayNumber);
  const random = randomStream(seedOf(`${ticker.yahooSymbol}|news|${date}`));
  const u = random();
  const count = u < 0.15 ? 0 : u < 0.7 ? 1 : 2;
  const words = sectorWords(ticker.sector);
  const co = shortCompanyName(ticker.name);
  const out: Headline[] = [];
  const usedHours = new Set<number>();
  const slot = businessOrdinal(dayNumber) * 2;
  for (let n = 0; n < count; n++) {
    const template = order[(slot + n) % order.length]!;
    const choice = {
      co,
      driver: pick(words.driver, random()),
      product: pick(words.product, random()),
      segment: pick(words.segment, random()),
      asset: etfAsset(ticker.name),
      pct: String(2 + Math.floor(random() * 8)),
      month: pick(MONTHS, random()),
    };
    const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, key: keyof typeof choice) => choice[key]);
    const title = fill(template.title);
    // UTC 01:00–11:59 is 08:00–18:59 in Bangkok, and a copy comes at most 4 h 59 min later (before 17:00 UTC,
    // midnight in Bangkok): the whole day's news stays inside the Bangkok day `date`.
    let hour = 1 + Math.floor(random() * 11);
    while (usedHours.has(hour)) hour = (hour % 11) + 1;
    usedHours.add(hour);
    const minute = Math.floor(random() * 60);
    const at = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), hour, minute);
    const slug = `${slugify(title)}-${date}-${n + 1}`;
    out.push({ title, published_at: new Date(at).toISOString(), site: DEMO_NEWS_SITE, url: DEMO_NEWS_URL_PREFIX + slug, text: fill(template.text) });
    if (random() < SYNDICATION_PROBABILITY) {
      const later = at + (1 + Math.floor(random() * 4)) * 3_600_000 + Math.floor(random() * 60) * 60_000;
      out.push({
        title: syndicatedTitle(title, random()),
        published_at: new Date(later).toISOString(),
        site: DEMO_NEWS_SITE,
        url: `${DEMO_NEWS_URL_PREFIX}${slug}-syndicated`,
        text: fill(template.text),
      });
    }
  }
  return out;
}

/**
 * Deterministic demo headlines for a ticker, newest first: the headlines of the last DEMO_NEWS_DAYS business days
 * up to the last business day on or before `endDate`, going further back (at most MAX_EXTRA_DAYS more) while there
 * are fewer than DEMO_NEWS_MIN, and keeping the newest DEMO_NEWS_MAX. A day's headlines depend only on the ticker
 * and that date, so moving `endDate` forward adds news without rewriting the past.
 */
export function generateDemoHeadlines(ticker: DemoTicker, endDate: string): Headline[] {
  let day = lastBusinessDayNumberOnOrBefore(toDayNumber(endDate));
  const order = templateOrder(ticker);
  const headlines: Headline[] = [];
  for (let days = 0; days < DEMO_NEWS_DAYS + MAX_EXTRA_DAYS; day--) {
    if (!isWeekdayNumber(day)) continue;
    if (days >= DEMO_NEWS_DAYS && headlines.length >= DEMO_NEWS_MIN) break;
    headlines.push(...headlinesOfDay(ticker, day, order).sort((a, b) => (a.published_at < b.published_at ? 1 : -1)));
    days++;
  }
  return headlines.slice(0, DEMO_NEWS_MAX);
}

/**
 * Offline news for first runs, demos and tests: plausible, deterministic headlines per ticker, clearly labelled
 * (site `Daybreak demo`, URLs under `demo.daybreak.invalid`). Returns DEMO_NEWS_MIN–DEMO_NEWS_MAX items whatever
 * `maxItems` is (the report ranks and cuts), including the occasional syndicated duplicate so dedupe matters.
 */
export class DemoNewsSource implements NewsSource {
  readonly name = 'demo';

  async fetchNews(ticker: Ticker, request: NewsRequest): Promise<Headline[]> {
    if (!isIsoDate(request.endDate)) throw new PermanentError(`demo news: bad end date "${request.endDate}" (want YYYY-MM-DD)`);
    return generateDemoHeadlines(ticker, request.endDate);
  }
}
