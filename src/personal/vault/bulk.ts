// SPDX-License-Identifier: Apache-2.0
/**
 * @module Bulk inserts for the ingest path (SQL only). On SQLite, prepared better-sqlite3
 * statements run inside the caller's Kysely transaction (same connection): Kysely's per-row
 * compile cost would otherwise dominate. On PostgreSQL, multi-row INSERTs of 500 rows (the
 * statement stays under the 65,535-parameter cap).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../../platform/db/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { VaultRecordTable, VaultSubjectTable } from './repository.js';
import * as repo from './repository.js';

/** Inserts subject and record rows through `trx` (a transaction on `db`). */
export async function insertRows(
  db: Db,
  trx: Kysely<Database>,
  subjects: readonly VaultSubjectTable[],
  records: readonly VaultRecordTable[],
): Promise<void> {
  if (db.dialect === 'sqlite') {
    const s = db.sqlite!.prepare(
      'insert into vault_subject (id, kind, lookup, gen, meta, created_at) values (?, ?, ?, ?, ?, ?)',
    );
    for (const r of subjects) {
      s.run(r.id, r.kind, r.lookup, r.gen, r.meta, r.created_at);
    }
    const q = db.sqlite!.prepare(
      'insert into vault_record (id, subject_id, grp, category, bucket, gen, entries, ct, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const r of records) {
      q.run(
        r.id,
        r.subject_id,
        r.grp,
        r.category,
        r.bucket,
        r.gen,
        r.entries,
        r.ct,
        r.created_at,
        r.updated_at,
      );
    }
    return;
  }
  await repo.insertSubjects(trx, subjects);
  await repo.insertRecords(trx, records);
}

/** Existing subjects by blind index, for a batch of lookups (one query per 500). */
export async function subjectsByLookups(
  db: Kysely<Database>,
  lookups: readonly Buffer[],
): Promise<VaultSubjectTable[]> {
  const out: VaultSubjectTable[] = [];
  for (let i = 0; i < lookups.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('vault_subject')
        .selectAll()
        .where('lookup', 'in', lookups.slice(i, i + 500))
        .execute()),
    );
  }
  return out;
}
