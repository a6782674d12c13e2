import { InputError } from '../errors.js';
import { addressOf, OutageLog } from '../queue/outage-log.js';
import { retryThroughOutage } from '../queue/retry-policy.js';
import { withOutageRetry } from './retrying-store.js';
import type { Store } from './store.js';

/** How long a process starting while PostgreSQL restarts waits for it. */
const OPEN_RETRY_MS = 60_000;

export interface StoreSettings {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_SCHEMA?: string | undefined;
  /** PostgreSQL: how long a call waits for an unreachable server before it fails (the execution timeout). */
  EXECUTION_TIMEOUT_MS?: number;
}

/**
 * Picks the store adapter from `DATABASE_URL`: `sqlite:PATH` or `postgres://…`. Adapters are imported on demand, so
 * a process loads only the database driver it uses. A PostgreSQL store rides out server restarts (`withOutageRetry`),
 * reported on `outages`.
 */
export async function openStore(settings: StoreSettings, outages = new OutageLog()): Promise<Store> {
  const url = settings.DATABASE_URL;
  if (url.startsWith('sqlite:')) {
    const { openSqliteStore } = await import('./sqlite-store.js');
    return openSqliteStore(url.slice('sqlite:'.length));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import('./postgres-store.js');
    const retry = { service: 'PostgreSQL', address: addressOf(url), outages, giveUpAfterMs: settings.EXECUTION_TIMEOUT_MS ?? 15 * 60_000 };
    let attempt = 0;
    // A server that answers but is restarting (or drops us mid-migration) is waited for, briefly; one that is not
    // there at all on the first try is a configuration problem, said at once.
    const store = await retryThroughOutage(async () => {
      try {
        return await openPostgresStore(url, { poolSize: settings.DATABASE_POOL_SIZE, schema: settings.DATABASE_SCHEMA });
      } catch (error) {
        const e = error as { code?: string; cause?: { code?: string } };
        const code = e.code ?? e.cause?.code;
        const unreachable = code === 'ECONNREFUSED' || code === 'ENOTFOUND';
        if ((unreachable && attempt === 0) || code === '3D000' || code === '28P01') {
          throw new InputError(`cannot open the PostgreSQL store at ${redact(url)}: ${(error as Error).message}`);
        }
        throw error;
      } finally {
        attempt++;
      }
    }, { ...retry, giveUpAfterMs: OPEN_RETRY_MS });
    return withOutageRetry(store, retry);
  }
  throw new InputError(`DATABASE_URL ${redact(url)} is not supported: use sqlite:PATH or postgres://…`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
