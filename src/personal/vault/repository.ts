// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL of the vault (STYLE.md §2: SQL only). Tables hold ciphertext, blind indexes and
 * opaque ids — no plaintext personal data (DESIGN.md §3):
 * - `vault_subject`: opaque id, kind, blind index, the generation of its `subject` key, and the
 *   encrypted subject meta (audit id, birth date, guardian);
 * - `vault_record`: one ciphertext per record, or per bundle of entries (e.g. a subscriber's
 *   location events of one day) with its plaintext-free index — day bucket and entry ids;
 * - `vault_link`: citizen ↔ subscriber links the person proved;
 * - `vault_restriction`: restricted subjects, groups and categories (PIPL art. 47 para. 2).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

export interface VaultSubjectTable {
  id: string;
  kind: string;
  lookup: Buffer;
  gen: number;
  meta: Buffer;
  created_at: number;
}

export interface VaultRecordTable {
  id: string;
  subject_id: string;
  grp: string;
  category: string;
  /** Day bucket (days since 1970-01-01) of a bundle; null for a single record. */
  bucket: number | null;
  /** Generation of the data key the ciphertext is under. */
  gen: number;
  /** A bundle's entry ids, newline-separated; null for a single record. */
  entries: string | null;
  ct: Buffer;
  created_at: number;
  updated_at: number;
}

export interface VaultLinkTable {
  citizen_id: string;
  subscriber_id: string;
  linked_at: number;
}

export interface VaultRestrictionTable {
  subject_id: string;
  /** `*` (the whole subject), a data group, or a data category. */
  scope: string;
  since: number;
  reason: string;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    vault_subject: VaultSubjectTable;
    vault_record: VaultRecordTable;
    vault_link: VaultLinkTable;
    vault_restriction: VaultRestrictionTable;
  }
}

export type VaultDb = Kysely<Database>;

export const vaultMigrations: Record<string, Migration> = {
  '202611270105_vault_tables': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('vault_subject')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('lookup', t.blob, (c) => c.notNull().unique())
        .addColumn('gen', 'integer', (c) => c.notNull())
        .addColumn('meta', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('vault_record')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('grp', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('bucket', 'integer')
        .addColumn('gen', 'integer', (c) => c.notNull())
        .addColumn('entries', 'text')
        .addColumn('ct', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('vault_record_subject')
        .ifNotExists()
        .on('vault_record')
        .columns(['subject_id', 'grp', 'category', 'bucket'])
        .execute();
      await db.schema
        .createTable('vault_link')
        .ifNotExists()
        .addColumn('citizen_id', 'text', (c) => c.notNull())
        .addColumn('subscriber_id', 'text', (c) => c.notNull())
        .addColumn('linked_at', t.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint('vault_link_pk', ['citizen_id', 'subscriber_id'])
        .execute();
      await db.schema
        .createIndex('vault_link_subscriber')
        .ifNotExists()
        .on('vault_link')
        .column('subscriber_id')
        .execute();
      await db.schema
        .createTable('vault_restriction')
        .ifNotExists()
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('since', t.bigint, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('vault_restriction_pk', ['subject_id', 'scope'])
        .execute();
    },
  },
};

export async function subjectByLookup(
  db: VaultDb,
  lookup: Buffer,
): Promise<VaultSubjectTable | undefined> {
  return db.selectFrom('vault_subject').selectAll().where('lookup', '=', lookup).executeTakeFirst();
}

export async function subjectById(db: VaultDb, id: string): Promise<VaultSubjectTable | undefined> {
  return db.selectFrom('vault_subject').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSubjects(
  db: VaultDb,
  rows: readonly VaultSubjectTable[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('vault_subject')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function insertRecords(db: VaultDb, rows: readonly VaultRecordTable[]): Promise<void> {
  // PostgreSQL caps a statement at 65,535 parameters: 10 columns × 500 rows stays below.
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('vault_record')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

export async function recordsOfSubject(
  db: VaultDb,
  subjectId: string,
  filter: { groups?: readonly string[]; categories?: readonly string[]; bundles?: boolean } = {},
): Promise<VaultRecordTable[]> {
  let q = db.selectFrom('vault_record').selectAll().where('subject_id', '=', subjectId);
  if (filter.groups !== undefined) {
    if (filter.groups.length === 0) {
      return [];
    }
    q = q.where('grp', 'in', filter.groups);
  }
  if (filter.categories !== undefined) {
    if (filter.categories.length === 0) {
      return [];
    }
    q = q.where('category', 'in', filter.categories);
  }
  if (filter.bundles === true) {
    q = q.where('bucket', 'is not', null);
  } else if (filter.bundles === false) {
    q = q.where('bucket', 'is', null);
  }
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function recordById(
  db: VaultDb,
  subjectId: string,
  recordId: string,
): Promise<VaultRecordTable | undefined> {
  return db
    .selectFrom('vault_record')
    .selectAll()
    .where('id', '=', recordId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

export async function bundlesOf(
  db: VaultDb,
  subjectId: string,
  category: string,
  from?: number,
  to?: number,
): Promise<VaultRecordTable[]> {
  let q = db
    .selectFrom('vault_record')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .where('category', '=', category)
    .where('bucket', 'is not', null);
  if (from !== undefined) {
    q = q.where('bucket', '>=', from);
  }
  if (to !== undefined) {
    q = q.where('bucket', '<=', to);
  }
  return q.orderBy('bucket').orderBy('created_at').orderBy('id').execute();
}

export async function updateRecordCiphertext(
  db: VaultDb,
  row: Pick<VaultRecordTable, 'id' | 'subject_id' | 'gen' | 'ct' | 'entries' | 'updated_at'>,
  expectedGen: number,
): Promise<number> {
  const r = await db
    .updateTable('vault_record')
    .set({ gen: row.gen, ct: row.ct, entries: row.entries, updated_at: row.updated_at })
    .where('id', '=', row.id)
    .where('subject_id', '=', row.subject_id)
    .where('gen', '=', expectedGen)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function deleteRecords(
  db: VaultDb,
  subjectId: string,
  filter: { groups?: readonly string[]; categories?: readonly string[] },
): Promise<number> {
  let q = db.deleteFrom('vault_record').where('subject_id', '=', subjectId);
  if (filter.groups !== undefined) {
    if (filter.groups.length === 0) {
      return 0;
    }
    q = q.where('grp', 'in', filter.groups);
  }
  if (filter.categories !== undefined) {
    if (filter.categories.length === 0) {
      return 0;
    }
    q = q.where('category', 'in', filter.categories);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function deleteSubjectRows(db: VaultDb, subjectId: string): Promise<void> {
  await db.deleteFrom('vault_record').where('subject_id', '=', subjectId).execute();
  await db.deleteFrom('vault_restriction').where('subject_id', '=', subjectId).execute();
  await db
    .deleteFrom('vault_link')
    .where((eb) => eb.or([eb('citizen_id', '=', subjectId), eb('subscriber_id', '=', subjectId)]))
    .execute();
  await db.deleteFrom('vault_subject').where('id', '=', subjectId).execute();
}

export async function restrictionsOf(
  db: VaultDb,
  subjectId: string,
): Promise<VaultRestrictionTable[]> {
  return db
    .selectFrom('vault_restriction')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .execute();
}

export async function putRestriction(db: VaultDb, row: VaultRestrictionTable): Promise<void> {
  await db
    .insertInto('vault_restriction')
    .values(row)
    .onConflict((oc) => oc.columns(['subject_id', 'scope']).doNothing())
    .execute();
}

export async function deleteRestriction(
  db: VaultDb,
  subjectId: string,
  scope: string,
): Promise<number> {
  const r = await db
    .deleteFrom('vault_restriction')
    .where('subject_id', '=', subjectId)
    .where('scope', '=', scope)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function insertLink(db: VaultDb, row: VaultLinkTable): Promise<void> {
  await db
    .insertInto('vault_link')
    .values(row)
    .onConflict((oc) => oc.columns(['citizen_id', 'subscriber_id']).doNothing())
    .execute();
}

export async function linksOf(db: VaultDb, subjectId: string): Promise<VaultLinkTable[]> {
  return db
    .selectFrom('vault_link')
    .selectAll()
    .where((eb) => eb.or([eb('citizen_id', '=', subjectId), eb('subscriber_id', '=', subjectId)]))
    .execute();
}

/** Subjects in ascending id order after `after` (paging for disposal and rights). */
export async function subjectsPage(
  db: VaultDb,
  after: string | null,
  limit: number,
): Promise<Array<Pick<VaultSubjectTable, 'id' | 'kind'>>> {
  let q = db.selectFrom('vault_subject').select(['id', 'kind']);
  if (after !== null) {
    q = q.where('id', '>', after);
  }
  return q.orderBy('id').limit(limit).execute();
}

/** Record counts per subject and category for a set of subjects. */
export async function countsBySubject(
  db: VaultDb,
  subjectIds: readonly string[],
): Promise<Array<{ subject_id: string; category: string; n: number }>> {
  if (subjectIds.length === 0) {
    return [];
  }
  const rows = await db
    .selectFrom('vault_record')
    .select(['subject_id', 'category', (eb) => eb.fn.countAll<number>().as('n')])
    .where('subject_id', 'in', subjectIds)
    .groupBy(['subject_id', 'category'])
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Every (subject, group, gen) slot the rows use: what a restore checks against the key store. */
export async function recordKeySlots(
  db: VaultDb,
): Promise<Array<{ subject_id: string; grp: string; gen: number }>> {
  return db.selectFrom('vault_record').select(['subject_id', 'grp', 'gen']).distinct().execute();
}

export async function subjectKeySlots(db: VaultDb): Promise<Array<{ id: string; gen: number }>> {
  return db.selectFrom('vault_subject').select(['id', 'gen']).execute();
}

export async function deleteRecordsOfSlot(
  db: VaultDb,
  subjectId: string,
  grp: string,
  gen: number,
): Promise<number> {
  const r = await db
    .deleteFrom('vault_record')
    .where('subject_id', '=', subjectId)
    .where('grp', '=', grp)
    .where('gen', '=', gen)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** `VACUUM` (PostgreSQL: the vault tables, outside any transaction). */
export async function vacuumVault(db: VaultDb, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`vacuum`.execute(db);
  } else {
    await sql`vacuum vault_record, vault_subject, vault_link, vault_restriction`.execute(db);
  }
}
