import { InputError } from '../errors.js';
import type { Store } from './store.js';

export interface StoreSettings {
  DATABASE_URL: string;
  DATABASE_POOL_SIZE: number;
  DATABASE_SCHEMA?: string | undefined;
}

/**
 * Picks the store adapter from `DATABASE_URL`: `sqlite:PATH` or `postgres://…`. Adapters are imported on demand, so
 * a process loads only the database driver it uses.
 */
export async function openStore(settings: StoreSettings): Promise<Store> {
  const url = settings.DATABASE_URL;
  if (url.startsWith('sqlite:')) {
    const { openSqliteStore } = await import('./sqlite-store.js');
    return openSqliteStore(url.slice('sqlite:'.length));
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const { openPostgresStore } = await import('./postgres-store.js');
    try {
      return await openPostgresStore(url, { poolSize: settings.DATABASE_POOL_SIZE, schema: settings.DATABASE_SCHEMA });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '3D000' || code === '28P01') {
        throw new InputError(`cannot open the PostgreSQL store at ${redact(url)}: ${(error as Error).message}`);
      }
      throw error;
    }
  }
  throw new InputError(`DATABASE_URL ${redact(url)} is not supported: use sqlite:PATH or postgres://…`);
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
