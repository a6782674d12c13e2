import { InputError } from '../errors.js';
import { openSqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/** Picks the store adapter from `DATABASE_URL` (`sqlite:PATH`). */
export async function openStore(databaseUrl: string): Promise<Store> {
  if (databaseUrl.startsWith('sqlite:')) return openSqliteStore(databaseUrl.slice('sqlite:'.length));
  throw new InputError(`DATABASE_URL ${databaseUrl} is not supported: use sqlite:PATH`);
}
