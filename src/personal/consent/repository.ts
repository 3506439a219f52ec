// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL for the purpose and service catalogue, notices, PIA records and the catalogue
 * version counter (Kysely; SQLite and PostgreSQL). Rows only — services map them to the model.
 * Booleans are written as 0/1, which both engines accept (PostgreSQL casts the literal).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface ConsentPurposesTable {
  id: string;
  legal_basis: string;
  valid_from: number;
  valid_to: number | null;
  /** JSON array of data categories. */
  categories: string;
  retention: string;
  separate_consent: number | boolean;
  guardian_rule: string;
  /** JSON array of recipient names. */
  recipients: string;
  /** JSON `{ zh, en }`. */
  name: string;
  description: string;
  builtin: number | boolean;
  created_at: number;
}

export interface ConsentServicesTable {
  id: string;
  name: string;
  purposes: string;
  categories: string;
  core: number | boolean;
  valid_from: number;
  valid_to: number | null;
  builtin: number | boolean;
  created_at: number;
}

/** One row (id = 1): bumped by every catalogue change, checked by every cached read. */
export interface ConsentVersionTable {
  id: number;
  version: number;
}

export interface ConsentNoticesTable {
  /** SHA-256 of the body (UTF-8), hex. */
  hash: string;
  kind: string;
  language: string;
  version: number;
  body: string;
  published_at: number;
  superseded_at: number | null;
}

export interface ConsentPiaTable {
  id: string;
  kind: string;
  ref: string;
  lawfulness: string;
  necessity: string;
  impact: string;
  safeguards: string;
  assessor: string;
  assessed_at: number;
  keep_until: number;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    consent_purposes: ConsentPurposesTable;
    consent_services: ConsentServicesTable;
    consent_version: ConsentVersionTable;
    consent_notices: ConsentNoticesTable;
    consent_pia: ConsentPiaTable;
  }
}

type Db = Kysely<Database>;

export async function selectPurposes(db: Db): Promise<ConsentPurposesTable[]> {
  return db
    .selectFrom('consent_purposes')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function selectPurpose(db: Db, id: string): Promise<ConsentPurposesTable | undefined> {
  return db.selectFrom('consent_purposes').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertPurpose(db: Db, row: ConsentPurposesTable): Promise<void> {
  await db.insertInto('consent_purposes').values(row).execute();
}

/** Closes the validity window of an open purpose; returns whether a row changed. */
export async function closePurpose(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('consent_purposes')
    .set({ valid_to: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function selectServices(db: Db): Promise<ConsentServicesTable[]> {
  return db
    .selectFrom('consent_services')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function insertService(db: Db, row: ConsentServicesTable): Promise<void> {
  await db.insertInto('consent_services').values(row).execute();
}

export async function closeService(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('consent_services')
    .set({ valid_to: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', at)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function selectCatalogueVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('consent_version')
    .select('version')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/**
 * Moves the version on by 1 + a random 32-bit step: a number a rolled-back change used is then
 * (practically) never reused by a later one, so a cache filled inside a transaction that rolled
 * back can never match a committed version.
 */
export async function bumpCatalogueVersion(db: Db, step: number): Promise<void> {
  if (!Number.isInteger(step) || step < 1 || step > 2 ** 32) {
    throw new RangeError('"step" expected an integer in [1, 2^32]');
  }
  await db
    .updateTable('consent_version')
    .set((eb) => ({ version: eb('version', '+', step) }))
    .where('id', '=', 1)
    .execute();
}

export async function selectNotice(db: Db, hash: string): Promise<ConsentNoticesTable | undefined> {
  return db.selectFrom('consent_notices').selectAll().where('hash', '=', hash).executeTakeFirst();
}

export async function selectCurrentNotices(db: Db): Promise<ConsentNoticesTable[]> {
  return db
    .selectFrom('consent_notices')
    .selectAll()
    .where('superseded_at', 'is', null)
    .orderBy('kind')
    .orderBy('language')
    .execute();
}

export async function selectNotices(db: Db): Promise<ConsentNoticesTable[]> {
  return db
    .selectFrom('consent_notices')
    .selectAll()
    .orderBy('kind')
    .orderBy('language')
    .orderBy('version')
    .execute();
}

/** Stores a new current version of (kind, language), superseding the previous one. */
export async function insertNotice(
  db: Db,
  row: Omit<ConsentNoticesTable, 'version' | 'superseded_at'>,
): Promise<number> {
  const prev = await db
    .selectFrom('consent_notices')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('kind', '=', row.kind)
    .where('language', '=', row.language)
    .executeTakeFirst();
  const version = Number(prev?.v ?? 0) + 1;
  await db
    .updateTable('consent_notices')
    .set({ superseded_at: row.published_at })
    .where('kind', '=', row.kind)
    .where('language', '=', row.language)
    .where('superseded_at', 'is', null)
    .execute();
  await db
    .insertInto('consent_notices')
    .values({ ...row, version, superseded_at: null })
    .execute();
  return version;
}

export async function insertPia(db: Db, row: ConsentPiaTable): Promise<void> {
  await db.insertInto('consent_pia').values(row).execute();
}

/** PIA records of (kind, ref) assessed at or before `at`, newest first. */
export async function selectPias(
  db: Db,
  filter: { kind?: string; ref?: string; at?: number } = {},
): Promise<ConsentPiaTable[]> {
  let q = db.selectFrom('consent_pia').selectAll();
  if (filter.kind !== undefined) {
    q = q.where('kind', '=', filter.kind);
  }
  if (filter.ref !== undefined) {
    q = q.where('ref', '=', filter.ref);
  }
  if (filter.at !== undefined) {
    q = q.where('assessed_at', '<=', filter.at);
  }
  return q.orderBy('assessed_at', 'desc').orderBy('id').execute();
}
