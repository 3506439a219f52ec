// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL of the health-code issuer (SQLite and PostgreSQL through Kysely): token-signing keys
 * and the trust anchor, private halves wrapped through the KeyWrapper port; and the revocation
 * entries (token hashes and key ids — never a person's identifier).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Migration } from '../db/index.js';
import { columnTypes } from '../db/index.js';

export interface CodesKeyTable {
  kid: string;
  /** `token` (signs tokens) or `anchor` (signs trust lists). */
  purpose: string;
  alg: string;
  public_key: Buffer;
  wrapped_private: Buffer;
  /** Epoch seconds. */
  not_before: number;
  /** Epoch seconds when it stopped signing; null while current. */
  not_after: number | null;
}

export interface CodesRevocationTable {
  /** Token hash (64 hex) or key id (16 hex). */
  value: string;
  kind: string;
  created_at: number;
  /** Epoch seconds after which the entry is useless (every token it could name has expired). */
  expires_at: number;
}

declare module '../db/schema.js' {
  interface Database {
    codes_keys: CodesKeyTable;
    codes_revocations: CodesRevocationTable;
  }
}

export const codesMigrations: Record<string, Migration> = {
  '202611270500_codes_keys': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('codes_keys')
        .ifNotExists()
        .addColumn('kid', 'text', (c) => c.primaryKey())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('alg', 'text', (c) => c.notNull())
        .addColumn('public_key', t.blob, (c) => c.notNull())
        .addColumn('wrapped_private', t.blob, (c) => c.notNull())
        .addColumn('not_before', t.bigint, (c) => c.notNull())
        .addColumn('not_after', t.bigint)
        .execute();
      // At most one current key per purpose, even when two processes create one at once.
      await sql`create unique index if not exists codes_keys_current on codes_keys (purpose) where not_after is null`.execute(
        db,
      );
      await db.schema
        .createTable('codes_revocations')
        .ifNotExists()
        .addColumn('value', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  },
};

type Db = Kysely<Database>;

export function listKeys(db: Db, purpose: string): Promise<CodesKeyTable[]> {
  return db
    .selectFrom('codes_keys')
    .selectAll()
    .where('purpose', '=', purpose)
    .orderBy('not_before', 'asc')
    .orderBy('kid', 'asc')
    .execute();
}

export function currentKey(db: Db, purpose: string): Promise<CodesKeyTable | undefined> {
  return db
    .selectFrom('codes_keys')
    .selectAll()
    .where('purpose', '=', purpose)
    .where('not_after', 'is', null)
    .executeTakeFirst();
}

export function findKey(db: Db, kid: string): Promise<CodesKeyTable | undefined> {
  return db.selectFrom('codes_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
}

export async function insertKey(db: Db, row: CodesKeyTable): Promise<void> {
  await db.insertInto('codes_keys').values(row).execute();
}

/** Ends the signing period of the current key of a purpose. */
export async function retireCurrent(db: Db, purpose: string, at: number): Promise<void> {
  await db
    .updateTable('codes_keys')
    .set({ not_after: at })
    .where('purpose', '=', purpose)
    .where('not_after', 'is', null)
    .execute();
}

/** Adds a revocation; an existing entry is kept (revoking twice is not an error). */
export async function insertRevocation(db: Db, row: CodesRevocationTable): Promise<boolean> {
  const r = await db
    .insertInto('codes_revocations')
    .values(row)
    .onConflict((oc) => oc.column('value').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export function liveRevocations(db: Db, now: number): Promise<CodesRevocationTable[]> {
  return db
    .selectFrom('codes_revocations')
    .selectAll()
    .where('expires_at', '>', now)
    .orderBy('value')
    .execute();
}

/** Deletes entries no token can need any more; returns how many. */
export async function pruneRevocations(db: Db, now: number): Promise<number> {
  const r = await db
    .deleteFrom('codes_revocations')
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
