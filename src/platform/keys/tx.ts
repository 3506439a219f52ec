// SPDX-License-Identifier: Apache-2.0
/**
 * @module Write transactions that behave the same on both engines (STYLE.md §12).
 *
 * On SQLite (WAL), a transaction that reads first and writes later fails at once with
 * SQLITE_BUSY_SNAPSHOT when another process committed in between — `busy_timeout` cannot help —
 * whereas a transaction whose first statement writes waits for the lock. Kysely opens deferred
 * transactions, so on SQLite we make the first statement a no-op write to `lockTable`
 * (`UPDATE … WHERE 0` takes the write lock without changing a row). The handle stays a real
 * Kysely transaction, so ports that join the caller's transaction (the audit log) do so.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DialectName } from '../db/index.js';

/** A table and one of its columns, for the SQLite write lock. */
export interface LockTarget {
  readonly table: string;
  readonly column: string;
}

/**
 * Runs `fn` in one write transaction and commits, or rolls back and rethrows. Inside `fn`, use
 * only the handle it receives; raw better-sqlite3 statements on the same connection run inside
 * the transaction too.
 *
 * @example
 * await writeTransaction(db.kysely, 'sqlite', { table: 'vault_subject', column: 'id' }, async (trx) => { … });
 */
export async function writeTransaction<DB, T>(
  db: Kysely<DB>,
  dialect: DialectName,
  lock: LockTarget,
  fn: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    if (dialect === 'sqlite') {
      const col = sql.ref(lock.column);
      await sql`update ${sql.table(lock.table)} set ${col} = ${col} where 0`.execute(trx);
    }
    return fn(trx);
  });
}
