// SPDX-License-Identifier: Apache-2.0
/**
 * @module Rows that point at a subject by its opaque id outside the vault (consent state,
 * deletion triggers, campaign invitations): when a subject is wholly erased these go too, unless
 * the inventory says the store is retained (processing records, PIPL art. 56). Table names come
 * only from the catalogue, never from input.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { TABLES } from './catalogue.js';

/** Tables holding `subject_id` that disposal empties for wholly erased subjects. */
export function sweptTables(): string[] {
  return Object.entries(TABLES)
    .filter(
      ([, s]) =>
        s.personal &&
        s.disposal === 'physical-deletion' &&
        s.columns?.some((c) => c.name === 'subject_id'),
    )
    .map(([t]) => t)
    .sort();
}

const existing = new WeakMap<Kysely<Database>, Promise<string[]>>();

/** The swept tables present in this database (looked up once per connection: tables only grow). */
function existingSwept(db: Kysely<Database>): Promise<string[]> {
  let found = existing.get(db);
  if (found === undefined) {
    found = db.introspection.getTables().then((ts) => {
      const names = new Set(ts.map((t) => t.name));
      return sweptTables().filter((t) => names.has(t));
    });
    existing.set(db, found);
  }
  return found;
}

/** Deletes those tables' rows for the given subjects; returns rows removed. */
export async function sweepSubjectRows(
  db: Kysely<Database>,
  subjectIds: readonly string[],
): Promise<number> {
  if (subjectIds.length === 0) {
    return 0;
  }
  let n = 0;
  for (const table of await existingSwept(db)) {
    const res =
      await sql`delete from ${sql.table(table)} where subject_id in (${sql.join(subjectIds)})`.execute(
        db,
      );
    n += Number(res.numAffectedRows ?? 0n);
  }
  return n;
}

/** Counts those tables' rows still pointing at the given subjects, per table. */
export async function countSubjectRows(
  db: Kysely<Database>,
  subjectIds: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (subjectIds.length === 0) {
    return out;
  }
  for (const table of await existingSwept(db)) {
    const res = await sql<{
      n: number | string;
    }>`select count(*) as n from ${sql.table(table)} where subject_id in (${sql.join(subjectIds)})`.execute(
      db,
    );
    const n = Number(res.rows[0]?.n ?? 0);
    if (n > 0) {
      out[table] = n;
    }
  }
  return out;
}
