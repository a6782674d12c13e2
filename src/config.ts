import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { InputError } from './errors.js';

/** Where market data comes from: synthetic offline history, Yahoo-style CSV files in a folder, or Yahoo live. */
export type MarketDataChoice = { kind: 'demo' } | { kind: 'csv'; dir: string } | { kind: 'yahoo' };

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'is not an IANA time zone (e.g. Asia/Bangkok)' },
);

/** `true`/`false` (also `1`/`0`, `yes`/`no`). */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

function isCronExpression(pattern: string): boolean {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}

export const marketDataChoice = z
  .string()
  .transform((value, ctx): MarketDataChoice => {
    if (value === 'demo') return { kind: 'demo' };
    if (value === 'yahoo') return { kind: 'yahoo' };
    if (value.startsWith('csv:') && value.length > 4) {
      const dir = value.slice(4);
      const problem = csvDirectoryProblem(dir);
      if (problem === undefined) return { kind: 'csv', dir };
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', message: `must be demo, yahoo or csv:DIR, got "${value}"` });
    return z.NEVER;
  });

/**
 * A csv: source whose folder is missing is a configuration problem, found before any work starts (exit 2), not a
 * failure per ticker later.
 */
function csvDirectoryProblem(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : `csv:${dir} is not a directory`;
  } catch {
    return `csv:${dir}: no such directory (${resolve(dir)})`;
  }
}

const envSchema = z.object({
  /** `sqlite:PATH` (embedded) or `postgres://…` (distributed). Default `sqlite:./data/daybreak.db`. */
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/daybreak.db')
    .refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
      message: 'must be sqlite:PATH or postgres://USER@HOST:PORT/DB',
    }),
  /** PostgreSQL only: connections per process at most. Default 10. */
  DATABASE_POOL_SIZE: positiveInt(10),
  /** PostgreSQL only: keep Daybreak's tables in this schema instead of `public`. */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  /** Set → distributed mode: report jobs go through BullMQ on this Redis, run by `daybreak worker` processes. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be redis://HOST:PORT')
    .optional(),
  /** BullMQ key prefix; deployments sharing a Redis keep apart by prefix. Default `daybreak`. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('daybreak'),
  /**
   * A distributed job whose worker stops renewing its lock this long goes to another worker (a `kill -9`ed worker's
   * jobs run again within about 1.5× this). Default 10 s.
   */
  QUEUE_LOCK_MS: positiveInt(10_000),
  /** Market-data source for ingest: `demo` (default), `yahoo` (live) or `csv:DIR`. */
  MARKET_DATA: marketDataChoice.default({ kind: 'demo' }),
  /**
   * News for reports: `auto` (default: the market-data source's own news — demo or Yahoo; none with csv prices),
   * `none`, `demo`, `yahoo`, or `csv:DIR` (files `SYMBOL.csv` named by Yahoo symbol: symbol,published_at,title,site,url,text).
   */
  NEWS_SOURCE: z
    .string()
    .default('auto')
    .refine((v) => ['auto', 'none', 'demo', 'yahoo'].includes(v) || (v.startsWith('csv:') && v.length > 4), {
      message: 'must be auto, none, demo, yahoo or csv:DIR',
    })
    .superRefine((v, ctx) => {
      const problem = v.startsWith('csv:') && v.length > 4 ? csvDirectoryProblem(v.slice(4)) : undefined;
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  /** Yahoo: HTTP requests in flight at most (Yahoo limits per IP; the reference settled on 5). */
  YAHOO_MAX_IN_FLIGHT: positiveInt(5),
  /** Yahoo: per request, body included. */
  YAHOO_TIMEOUT_MS: positiveInt(15_000),
  /**
   * Narrative writer: `auto` (default: `llm` when an API key is set, else `template`), `template`, or `llm`
   * (needs LLM_API_KEY or OPENROUTER_API_KEY).
   */
  NARRATIVE_WRITER: z.enum(['auto', 'template', 'llm']).default('auto'),
  /** Key of the OpenAI-compatible endpoint; OPENROUTER_API_KEY is read when this is unset. */
  LLM_API_KEY: z.string().min(8, 'looks too short for an API key').optional(),
  OPENROUTER_API_KEY: z.string().min(8, 'looks too short for an API key').optional(),
  /** Any OpenAI-compatible endpoint. Default OpenRouter. */
  LLM_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('https://openrouter.ai/api/v1'),
  /** Model id as the endpoint names it. */
  LLM_MODEL: z.string().min(1).default('openai/gpt-4o-mini'),
  /** LLM calls in flight at once, apart from CPU work. Default 16. */
  LLM_CONCURRENCY: positiveInt(16),
  /** Per LLM call. Default 60 s. */
  LLM_TIMEOUT_MS: positiveInt(60_000),
  /** USD per execution (per worker process in distributed mode); past it reports use the template writer. `none` = no limit. */
  LLM_BUDGET_USD: z
    .union([z.literal('none').transform(() => null), z.coerce.number().min(0)])
    .default(1),
  /** Days of headlines a report weighs. Default 7. */
  NEWS_WINDOW_DAYS: positiveInt(7),
  /** Worker threads drawing charts; 0 draws them on the main thread. Default: one per core. */
  CHART_THREADS: z.coerce.number().int().min(0).max(64).default(availableParallelism()),
  /** A JSON ticker file in the format of src/registry/tickers.json; default: the built-in 56 DRs. */
  TICKERS_FILE: z.string().optional(),
  /** Narrative language: `th` (default) or `en`. */
  REPORT_LANGUAGE: z.enum(['th', 'en']).default('th'),
  /** Cron expression of the daily run (`serve`; 5 fields, or 6 with seconds first). Default `0 5 * * *`. */
  SCHEDULE: z.string().default('0 5 * * *').refine(isCronExpression, { message: 'is not a cron expression (e.g. 0 5 * * *)' }),
  /** Time zone of `SCHEDULE`. Default `Asia/Bangkok`. */
  SCHEDULE_TZ: timeZone.default('Asia/Bangkok'),
  /** HTTP port of `serve`. Default 8080. */
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  /** Bearer token for admin endpoints; admin endpoints are closed when unset. */
  DAYBREAK_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Interface `serve` listens on: 127.0.0.1 (default, this machine only) or 0.0.0.0 (every interface). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Behind a reverse proxy: take the client IP (rate limits) from X-Forwarded-For. Default false. */
  TRUST_PROXY: booleanFlag.default(false),
  /** Write requests (POST) per client IP per minute before 429. Default 20. */
  RATE_LIMIT_WRITES_PER_MIN: positiveInt(20),
  /** How often `serve` checks the store for reports written by other processes, in ms; 0 turns it off. Default 1000. */
  REPORT_CACHE_POLL_MS: z.coerce.number().int().min(0).default(1000),
  /** `serve` runs a scheduled time of today that it missed (it was down) when it starts. Default true. */
  SCHEDULE_CATCH_UP: booleanFlag.default(true),
  /** Log level of `serve` (one JSON line per event; requests are not logged). Default info. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Report jobs processed at once in this process. Default 4. */
  WORKER_CONCURRENCY: positiveInt(4),
  /** Tickers fetched at once by ingest (sources limit per IP). Default 5. */
  INGEST_CONCURRENCY: positiveInt(5),
  /** Deliveries per job, the first included. Default 3. */
  JOB_ATTEMPTS: positiveInt(3),
  /** First retry delay in ms; doubles per retry. Default 500. */
  JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
  /** An execution still running after this many ms is closed as `timed_out`. Default 15 minutes. */
  EXECUTION_TIMEOUT_MS: positiveInt(15 * 60_000),
  /** Job rows are purged this many days after creation. Default 7. */
  JOB_TTL_DAYS: positiveInt(7),
  /** Daily bars a report reads: enough for SMA-200 plus a 252-bar percentile lookback. Default 600. */
  HISTORY_BARS: z.coerce.number().int().min(60).default(600),
  /**
   * USD of LLM calls per business date across every run and process (kept in the store, so it holds across
   * restarts); past it every report uses the template writer with a warning. `none` (default) = no daily limit.
   */
  LLM_DAILY_BUDGET_USD: z
    .union([z.literal('none').transform(() => null), z.coerce.number().min(0)])
    .default(null),
  /** `daybreak serve` writes the static snapshot (as `daybreak export --out`) to this folder after every execution. */
  EXPORT_DIR: z.string().min(1).optional(),
  /**
   * Absolute http(s) URL where readers open the web page (`https://daybreak.example.com`): report links and chart
   * images in digests. Required by the webhook, LINE and Telegram channels.
   */
  PUBLIC_BASE_URL: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL, e.g. https://daybreak.example.com' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  /** E-mail channel: `smtp://user:pass@host:port` or `smtps://…` (a secret: never logged). */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^/]+/, 'must be smtp://USER:PASS@HOST:PORT or smtps://…').optional(),
  /** E-mail channel: the sender, `name@example.com` or `Daybreak <name@example.com>`. */
  MAIL_FROM: z
    .string()
    .regex(/^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/, 'must be name@example.com or Name <name@example.com>')
    .optional(),
  /** SMTP connections the e-mail channel keeps open and reuses for a whole run. Default 3. */
  SMTP_MAX_CONNECTIONS: positiveInt(3),
  /** Webhook channel: HMAC-SHA256 key of `X-Daybreak-Signature-256` (a secret: never logged). */
  WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Deliveries in flight at once per process. Default 32. */
  DELIVERY_CONCURRENCY: positiveInt(32),
  /** Per delivery attempt (HTTP request, SMTP message). Default 10 s. */
  DELIVERY_TIMEOUT_MS: positiveInt(10_000),
  /** A claimed delivery whose process died is taken over after this long. Default 2 minutes. */
  DELIVERY_LEASE_MS: positiveInt(120_000),
  /** Subscriptions one process claims per statement, just ahead of its senders. Default 200. */
  DELIVERY_CLAIM_BATCH: positiveInt(200),
  /** LINE Messaging API channel secret: signs every webhook LINE sends (`X-Line-Signature`). */
  LINE_CHANNEL_SECRET: z.string().min(16, 'looks too short for a LINE channel secret').optional(),
  /** LINE long-lived channel access token: the bot's push and reply calls. */
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(16, 'looks too short for a LINE channel access token').optional(),
  /** Messaging API origin. Default https://api.line.me (tests point it at a loopback fake). */
  LINE_API_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('https://api.line.me'),
  /** Telegram bot token from @BotFather (`123456:ABC…`). */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like a bot token from @BotFather (123456789:AA…)')
    .optional(),
  /** Secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token` (1–256 of A-Z a-z 0-9 _ -). */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z a-z 0-9 _ -')
    .optional(),
  /** Bot API origin. Default https://api.telegram.org (tests point it at a loopback fake). */
  TELEGRAM_API_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('https://api.telegram.org'),
  /** Chat messages one LINE user or Telegram chat may send per minute before the bot stops answering them. Default 30. */
  CHAT_MESSAGES_PER_MIN: positiveInt(30),
});

export type Config = Readonly<z.output<typeof envSchema>>;

/** The key of the LLM endpoint, when one is configured. */
export function llmApiKey(config: Config): string | undefined {
  return config.LLM_API_KEY ?? config.OPENROUTER_API_KEY;
}

/**
 * The only reader of `process.env`. Empty values count as unset. Throws an `InputError` that lists every problem,
 * so a bad deployment fails at start with one message.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema
    .superRefine((c, ctx) => {
      if (c.NARRATIVE_WRITER === 'llm' && !c.LLM_API_KEY && !c.OPENROUTER_API_KEY) {
        ctx.addIssue({ code: 'custom', path: ['NARRATIVE_WRITER'], message: 'llm needs LLM_API_KEY or OPENROUTER_API_KEY' });
      }
      if ((c.LINE_CHANNEL_SECRET === undefined) !== (c.LINE_CHANNEL_ACCESS_TOKEN === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['LINE_CHANNEL_SECRET'], message: 'LINE needs both LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN' });
      }
      if ((c.TELEGRAM_BOT_TOKEN === undefined) !== (c.TELEGRAM_WEBHOOK_SECRET === undefined)) {
        ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'Telegram needs both TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET' });
      }
    })
    .safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new InputError(`invalid configuration:\n${problems.join('\n')}`, { problems });
  }
  return Object.freeze(parsed.data);
}
