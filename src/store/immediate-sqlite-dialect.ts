import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

/**
 * Kysely's SQLite driver with every transaction begun `IMMEDIATE`, taking the write lock at its start. Why: Kysely
 * begins `DEFERRED`, and in WAL mode a deferred transaction that has read and then writes fails at once with
 * SQLITE_BUSY ("database is locked"; the busy timeout does not apply, waiting could not help) when another process
 * committed in between. Two `serve` processes on one file met it: a scheduled run created by one failed to fan out and
 * stayed `running` with every job pending. Begun immediate, the second writer waits its busy timeout instead.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
