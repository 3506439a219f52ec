// SPDX-License-Identifier: Apache-2.0
/**
 * @module Opens a Kysely database on SQLite (better-sqlite3, WAL, foreign keys on) or PostgreSQL
 * (pg). Each driver is loaded only by its own dialect (STYLE.md §17).
 */
import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import type { Database, DialectName } from './schema.js';

/** Where the data lives. */
export type DbTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** An open database: the typed query builder plus what the engine-specific code needs. */
export interface Db {
  readonly dialect: DialectName;
  readonly kysely: Kysely<Database>;
  /** The raw SQLite handle (pragmas, online backup); absent on PostgreSQL. */
  readonly sqlite: BetterSqlite3.Database | undefined;
  /** The file behind a SQLite database; absent on PostgreSQL. */
  readonly file: string | undefined;
  close(): Promise<void>;
}

/** Opens a database; the caller closes it. */
export async function openDb(target: DbTarget): Promise<Db> {
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url);
}

async function openSqlite(file: string): Promise<Db> {
  const { default: Sqlite } = await import('better-sqlite3');
  const sqlite = new Sqlite(file);
  // busy_timeout lets several processes (jobs, CLI, server) share one file safely.
  sqlite.pragma('busy_timeout = 30000');
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged commit survives power loss, not only a killed process.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Freed pages are zeroed, so deleted personal data does not linger in the file (DESIGN.md §3).
  sqlite.pragma('secure_delete = ON');
  const kysely = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: sqlite }),
  });
  return {
    dialect: 'sqlite',
    kysely,
    sqlite,
    file,
    close: () => kysely.destroy(),
  };
}

/**
 * SQLite transactions that take the write lock when they begin (`BEGIN IMMEDIATE`). Kysely opens
 * deferred ones: a transaction that reads first and writes later then fails at once with
 * "database is locked" when another process committed in between (`busy_timeout` cannot help a
 * lock upgrade), which two `disposal run`s started together, or a CLI beside the server, hit.
 * An immediate transaction waits for the lock instead, up to `busy_timeout`.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

async function openPostgres(url: string): Promise<Db> {
  const pg = await import('pg');
  // int8 comes back as a JS number: our counters stay far below 2^53.
  pg.default.types.setTypeParser(20, (v: string) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) {
      throw new RangeError('int8 value exceeds the safe integer range');
    }
    return n;
  });
  const pool = new pg.default.Pool({ connectionString: url, max: 4 });
  // The server may close an idle pooled connection (restart, failover, pg_terminate_backend,
  // DROP DATABASE … FORCE). No query was running on it, so nothing is lost: the pool drops it and
  // the next query connects afresh. Without a listener the 'error' event would end the process.
  pool.on('error', (error: Error & { code?: string }) => {
    process.stderr.write(
      `healthcode: warning: PostgreSQL closed an idle connection [${error.code ?? 'unknown'}]; the next query reconnects\n`,
    );
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    kysely,
    sqlite: undefined,
    file: undefined,
    close: () => kysely.destroy(),
  };
}
