import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { InputError } from './errors.js';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      DATABASE_URL: 'sqlite:./data/daybreak.db',
      MARKET_DATA: { kind: 'demo' },
      REPORT_LANGUAGE: 'th',
      SCHEDULE: '0 5 * * *',
      SCHEDULE_TZ: 'Asia/Bangkok',
      PORT: 8080,
      EXECUTION_TIMEOUT_MS: 900_000,
      JOB_TTL_DAYS: 7,
    });
  });

  it('reads csv:DIR and treats empty values as unset', () => {
    const config = loadConfig({ MARKET_DATA: 'csv:../shared/fixtures/market', PORT: '' });
    expect(config.MARKET_DATA).toEqual({ kind: 'csv', dir: '../shared/fixtures/market' });
    expect(config.PORT).toBe(8080);
  });

  it('names a csv: directory that does not exist before any work starts', () => {
    expect(() => loadConfig({ MARKET_DATA: 'csv:/no/such/dir' })).toThrow(/MARKET_DATA: csv:\/no\/such\/dir: no such directory/);
    expect(() => loadConfig({ NEWS_SOURCE: 'csv:/no/such/news' })).toThrow(/NEWS_SOURCE: csv:\/no\/such\/news: no such directory/);
    expect(() => loadConfig({ MARKET_DATA: 'csv:package.json' })).toThrow(/csv:package.json is not a directory/);
  });

  it('accepts a PostgreSQL URL with a pool size and schema, and rejects other databases', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', DATABASE_POOL_SIZE: '4', DATABASE_SCHEMA: 'daybreak' });
    expect(config).toMatchObject({ DATABASE_POOL_SIZE: 4, DATABASE_SCHEMA: 'daybreak' });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://root@localhost/test' })).toThrow(/DATABASE_URL: must be sqlite:PATH or postgres:/);
    expect(() => loadConfig({ DATABASE_SCHEMA: 'Robert; drop' })).toThrow(/DATABASE_SCHEMA: must be a lower-case SQL identifier/);
  });

  it('chooses the LLM writer only with a key, and checks the endpoint URL and budget', () => {
    expect(() => loadConfig({ NARRATIVE_WRITER: 'llm' })).toThrow(/NARRATIVE_WRITER: llm needs LLM_API_KEY or OPENROUTER_API_KEY/);
    expect(loadConfig({ NARRATIVE_WRITER: 'llm', OPENROUTER_API_KEY: 'sk-or-v1-abcdef' }).NARRATIVE_WRITER).toBe('llm');
    expect(() => loadConfig({ LLM_BASE_URL: 'not a url' })).toThrow(/LLM_BASE_URL: must be an http\(s\) URL/);
    expect(loadConfig({ LLM_BUDGET_USD: 'none' }).LLM_BUDGET_USD).toBeNull();
    expect(loadConfig({ LLM_BUDGET_USD: '0.25' }).LLM_BUDGET_USD).toBe(0.25);
    expect(() => loadConfig({ LLM_BUDGET_USD: '-1' })).toThrow(/LLM_BUDGET_USD/);
    expect(loadConfig({ MARKET_DATA: 'yahoo' }).MARKET_DATA).toEqual({ kind: 'yahoo' });
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MARKET_DATA: 'bloomberg', SCHEDULE_TZ: 'Mars/Olympus', REPORT_LANGUAGE: 'fr' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/MARKET_DATA: must be demo, yahoo or csv:DIR, got "bloomberg"/);
    expect(message).toMatch(/SCHEDULE_TZ: is not an IANA time zone/);
    expect(message).toMatch(/REPORT_LANGUAGE/);
  });

  it('validates the serve settings: cron expression, booleans, rate limit, poll interval', () => {
    expect(loadConfig({})).toMatchObject({ HOST: '127.0.0.1', TRUST_PROXY: false, RATE_LIMIT_WRITES_PER_MIN: 20, REPORT_CACHE_POLL_MS: 1000, SCHEDULE_CATCH_UP: true, LOG_LEVEL: 'info' });
    expect(loadConfig({ SCHEDULE: '*/15 6-18 * * 1-5', TRUST_PROXY: 'true', SCHEDULE_CATCH_UP: '0', REPORT_CACHE_POLL_MS: '0' })).toMatchObject({
      SCHEDULE: '*/15 6-18 * * 1-5',
      TRUST_PROXY: true,
      SCHEDULE_CATCH_UP: false,
      REPORT_CACHE_POLL_MS: 0,
    });
    expect(() => loadConfig({ SCHEDULE: '0 25 * * *' })).toThrow(/SCHEDULE: is not a cron expression/);
    expect(() => loadConfig({ SCHEDULE: 'daily at five' })).toThrow(/SCHEDULE: is not a cron expression/);
    expect(() => loadConfig({ TRUST_PROXY: 'maybe' })).toThrow(/TRUST_PROXY: must be true or false/);
    expect(() => loadConfig({ RATE_LIMIT_WRITES_PER_MIN: '0' })).toThrow(/RATE_LIMIT_WRITES_PER_MIN/);
  });
});
