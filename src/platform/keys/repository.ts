// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL of the key store (DESIGN.md §3: "a key store kept apart from the data"). On SQLite
 * it is its own file, `DIR/keys/keystore.sqlite`, attached to the connection as schema
 * `healthcode_keys`; on PostgreSQL it is the schema `healthcode_keys` (grant it to a separate
 * role in production). Either way a data backup (`backup create`) copies none of it.
 *
 * Tables: `kek` (versioned key-encryption keys, wrapped by the provider), `dek` (per-subject,
 * per-scope, per-generation data keys wrapped by a KEK; a destroyed key keeps a husk row with no
 * key bytes, so generations are never reused), `instance_key` (lookup and wrapper keys),
 * `tombstone` (what erasure leaves: opaque subject id, scopes, time) and `keystore_meta`.
 */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Db, DialectName } from '../db/index.js';
import { KEYSTORE_FILE, KEYSTORE_SCHEMA, type KekState } from './model.js';

export interface KekTable {
  version: number;
  state: KekState;
  provider: string;
  wrapped: Buffer | null;
  created_at: number;
  retired_at: number | null;
  destroyed_at: number | null;
}

export interface DekTable {
  subject_id: string;
  scope: string;
  gen: number;
  kek_version: number | null;
  wrapped: Buffer | null;
  created_at: number;
  destroyed_at: number | null;
}

export interface InstanceKeyTable {
  name: string;
  kek_version: number;
  wrapped: Buffer;
  created_at: number;
}

export interface TombstoneTable {
  id: string;
  subject_id: string;
  scopes: string;
  categories: string;
  at: number;
  state: 'pending' | 'done';
}

export interface KeystoreMetaTable {
  name: string;
  value: string;
}

/** The key store's tables; deliberately not part of the data `Database` type. */
export interface KeyStoreDatabase {
  kek: KekTable;
  dek: DekTable;
  instance_key: InstanceKeyTable;
  tombstone: TombstoneTable;
  keystore_meta: KeystoreMetaTable;
}

export type KeyStoreDb = Kysely<KeyStoreDatabase>;

/**
 * Makes the key store reachable on this connection: on SQLite attaches `DIR/keys/keystore.sqlite`
 * (created 0600 in a 0700 dir) with the same durability and scrubbing pragmas as the data file.
 */
export function attachKeyStore(db: Db, keysDir: string): KeyStoreDb {
  if (db.dialect === 'sqlite') {
    const sqlite = db.sqlite!;
    const attached = sqlite
      .prepare('select name from pragma_database_list where name = ?')
      .get(KEYSTORE_SCHEMA);
    if (attached === undefined) {
      mkdirSync(keysDir, { recursive: true, mode: 0o700 });
      const file = join(keysDir, KEYSTORE_FILE);
      closeSync(openSync(file, 'a', 0o600));
      chmodSync(file, 0o600);
      sqlite.prepare(`attach database ? as ${KEYSTORE_SCHEMA}`).run(file);
      sqlite.pragma(`${KEYSTORE_SCHEMA}.journal_mode = WAL`);
      sqlite.pragma(`${KEYSTORE_SCHEMA}.synchronous = FULL`);
      // Freed pages are zeroed, so destroyed keys do not linger in the file (DESIGN.md §3).
      sqlite.pragma(`${KEYSTORE_SCHEMA}.secure_delete = ON`);
    }
  }
  return db.kysely.withSchema(KEYSTORE_SCHEMA) as unknown as KeyStoreDb;
}

/** Creates the key store's tables if missing (idempotent; run inside a write transaction). */
export async function createKeyStoreTables(ks: KeyStoreDb, dialect: DialectName): Promise<void> {
  const s = KEYSTORE_SCHEMA;
  const blob = dialect === 'sqlite' ? 'blob' : 'bytea';
  const big = dialect === 'sqlite' ? 'integer' : 'bigint';
  const noRowid = dialect === 'sqlite' ? ' without rowid' : '';
  // SQLite names the index's schema on the index, PostgreSQL on the table.
  const idx = (name: string, table: string, cols: string) =>
    dialect === 'sqlite'
      ? `create index if not exists ${s}.${name} on ${table} (${cols})`
      : `create index if not exists ${name} on ${s}.${table} (${cols})`;
  const ddl = [
    ...(dialect === 'postgres' ? [`create schema if not exists ${s}`] : []),
    `create table if not exists ${s}.keystore_meta (name text primary key, value text not null)`,
    `create table if not exists ${s}.kek (version integer primary key, state text not null,
       provider text not null, wrapped ${blob}, created_at ${big} not null,
       retired_at ${big}, destroyed_at ${big})`,
    `create table if not exists ${s}.dek (subject_id text not null, scope text not null,
       gen integer not null, kek_version integer, wrapped ${blob}, created_at ${big} not null,
       destroyed_at ${big}, primary key (subject_id, scope, gen))${noRowid}`,
    idx('dek_kek_version', 'dek', 'kek_version'),
    `create table if not exists ${s}.instance_key (name text primary key,
       kek_version integer not null, wrapped ${blob} not null, created_at ${big} not null)`,
    // No index on state: pending tombstones are looked up once per erase run or restore, and
    // every erasure would otherwise pay an index write twice (insert, then done).
    `create table if not exists ${s}.tombstone (id text primary key, subject_id text not null,
       scopes text not null, categories text not null, at ${big} not null, state text not null)${noRowid}`,
    idx('tombstone_subject', 'tombstone', 'subject_id'),
  ];
  for (const statement of ddl) {
    await sql.raw(statement).execute(ks);
  }
}

/** Serialises concurrent set-ups of one PostgreSQL key store (no-op on SQLite: IMMEDIATE does). */
export async function lockKeyStoreSetup(ks: KeyStoreDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${0x6b657973})`.execute(ks);
  }
}

export async function getMeta(ks: KeyStoreDb, name: string): Promise<string | undefined> {
  const row = await ks
    .selectFrom('keystore_meta')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.value;
}

export async function setMeta(ks: KeyStoreDb, name: string, value: string): Promise<void> {
  await ks
    .insertInto('keystore_meta')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

/** All KEK rows, newest first. */
export async function listKeks(ks: KeyStoreDb): Promise<KekTable[]> {
  return ks.selectFrom('kek').selectAll().orderBy('version', 'desc').execute();
}

/** The active KEK row (exactly one exists once the store is set up). */
export async function activeKek(
  ks: KeyStoreDb,
  dialect: DialectName,
  lock = false,
): Promise<KekTable | undefined> {
  let q = ks.selectFrom('kek').selectAll().where('state', '=', 'active');
  if (lock && dialect === 'postgres') {
    q = q.forShare();
  }
  return q.executeTakeFirst();
}

export async function kekByVersion(ks: KeyStoreDb, version: number): Promise<KekTable | undefined> {
  return ks.selectFrom('kek').selectAll().where('version', '=', version).executeTakeFirst();
}

export async function insertKek(ks: KeyStoreDb, row: KekTable): Promise<void> {
  await ks.insertInto('kek').values(row).execute();
}

export async function setKekState(
  ks: KeyStoreDb,
  version: number,
  state: KekState,
  at: number,
): Promise<void> {
  await ks
    .updateTable('kek')
    .set(
      state === 'destroyed'
        ? { state, wrapped: null, destroyed_at: at }
        : state === 'retiring'
          ? { state, retired_at: at }
          : { state },
    )
    .where('version', '=', version)
    .execute();
}

/** Data-key rows of one subject (all generations, husks included), optionally some scopes. */
export async function deksOfSubject(
  ks: KeyStoreDb,
  subjectId: string,
  scopes?: readonly string[],
): Promise<DekTable[]> {
  let q = ks.selectFrom('dek').selectAll().where('subject_id', '=', subjectId);
  if (scopes !== undefined) {
    if (scopes.length === 0) {
      return [];
    }
    q = q.where('scope', 'in', scopes);
  }
  return q.orderBy('scope').orderBy('gen').execute();
}

/** Data-key rows of many subjects (all generations, husks included). */
export async function deksOfSubjects(
  ks: KeyStoreDb,
  subjectIds: readonly string[],
): Promise<DekTable[]> {
  if (subjectIds.length === 0) {
    return [];
  }
  return ks.selectFrom('dek').selectAll().where('subject_id', 'in', subjectIds).execute();
}

/** Inserts data-key rows; a slot that already exists is a primary-key violation. */
export async function insertDeks(ks: KeyStoreDb, rows: readonly DekTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await ks
      .insertInto('dek')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** Destroys data keys: the key bytes go, a husk (slot and time) stays so generations never repeat. */
export async function destroyDeks(
  ks: KeyStoreDb,
  subjectId: string,
  scopes: readonly string[],
  at: number,
  upToGen?: number,
): Promise<number> {
  if (scopes.length === 0) {
    return 0;
  }
  let q = ks
    .updateTable('dek')
    .set({ wrapped: null, kek_version: null, destroyed_at: at })
    .where('subject_id', '=', subjectId)
    .where('scope', 'in', scopes)
    .where('destroyed_at', 'is', null);
  if (upToGen !== undefined) {
    q = q.where('gen', '<=', upToGen);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Up to `limit` live data keys still wrapped by one of `versions`, in key order (resumable). */
export async function deksWrappedBy(
  ks: KeyStoreDb,
  versions: readonly number[],
  limit: number,
): Promise<DekTable[]> {
  return ks
    .selectFrom('dek')
    .selectAll()
    .where('kek_version', 'in', versions)
    .limit(limit)
    .execute();
}

export async function countDeks(
  ks: KeyStoreDb,
): Promise<{ live: number; destroyed: number; byKek: Record<string, number> }> {
  const rows = await ks
    .selectFrom('dek')
    .select(['kek_version', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('kek_version')
    .execute();
  let live = 0;
  let destroyed = 0;
  const byKek: Record<string, number> = {};
  for (const r of rows) {
    const n = Number(r.n);
    if (r.kek_version === null) {
      destroyed += n;
    } else {
      live += n;
      byKek[String(r.kek_version)] = n;
    }
  }
  return { live, destroyed, byKek };
}

export async function getInstanceKey(
  ks: KeyStoreDb,
  name: string,
): Promise<InstanceKeyTable | undefined> {
  return ks.selectFrom('instance_key').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listInstanceKeys(ks: KeyStoreDb): Promise<InstanceKeyTable[]> {
  return ks.selectFrom('instance_key').selectAll().execute();
}

export async function putInstanceKey(ks: KeyStoreDb, row: InstanceKeyTable): Promise<void> {
  await ks
    .insertInto('instance_key')
    .values(row)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({ kek_version: row.kek_version, wrapped: row.wrapped }),
    )
    .execute();
}

export async function insertTombstone(ks: KeyStoreDb, row: TombstoneTable): Promise<void> {
  await ks.insertInto('tombstone').values(row).execute();
}

export async function markTombstoneDone(ks: KeyStoreDb, id: string): Promise<void> {
  await ks.updateTable('tombstone').set({ state: 'done' }).where('id', '=', id).execute();
}

export async function listTombstones(
  ks: KeyStoreDb,
  state?: 'pending' | 'done',
): Promise<TombstoneTable[]> {
  let q = ks.selectFrom('tombstone').selectAll();
  if (state !== undefined) {
    q = q.where('state', '=', state);
  }
  return q.orderBy('at').orderBy('id').execute();
}

export async function countTombstones(ks: KeyStoreDb): Promise<number> {
  const r = await ks
    .selectFrom('tombstone')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
