// SPDX-License-Identifier: Apache-2.0
/**
 * @module The bare baselines the vault and disposal benchmarks measure against (issue 7
 * "Figures to reach"; DESIGN.md §3): plain SQL DELETEs of a subject list's data keys, records and
 * subjects — what an application without crypto-erasure, audit events or certificates would do —
 * and the subject list itself.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Store } from '../src/platform/runtime/index.js';
import type { Database } from '../src/platform/db/index.js';

/** Ids per statement: well under SQLite's 32,766 bound parameters. */
const CHUNK = 500;

/** Every subject id of the instance, in id order. */
export async function subjectIds(store: Store): Promise<string[]> {
  return (
    await store.db.kysely.selectFrom('vault_subject').select('id').orderBy('id').execute()
  ).map((r) => r.id);
}

/**
 * Deletes the subjects' data keys (one key-store transaction), then their records and subject
 * rows (one data transaction), CHUNK ids a statement.
 */
export function bareDeleteSqlite(db: BetterSqlite3.Database, ids: readonly string[]): void {
  const chunks: string[][] = [];
  for (let j = 0; j < ids.length; j += CHUNK) {
    chunks.push(ids.slice(j, j + CHUNK));
  }
  const marks = (chunk: readonly string[]) => chunk.map(() => '?').join(',');
  db.transaction(() => {
    for (const chunk of chunks) {
      db.prepare(`delete from healthcode_keys.dek where subject_id in (${marks(chunk)})`).run(
        ...chunk,
      );
    }
  })();
  db.transaction(() => {
    for (const chunk of chunks) {
      db.prepare(`delete from vault_record where subject_id in (${marks(chunk)})`).run(...chunk);
      db.prepare(`delete from vault_subject where id in (${marks(chunk)})`).run(...chunk);
    }
  })();
}

/** The same on PostgreSQL: three statements (autocommit) for the whole list. */
export async function bareDeletePg(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  const list = sql.join([...ids]);
  await sql`delete from healthcode_keys.dek where subject_id in (${list})`.execute(db);
  await sql`delete from vault_record where subject_id in (${list})`.execute(db);
  await sql`delete from vault_subject where id in (${list})`.execute(db);
}
