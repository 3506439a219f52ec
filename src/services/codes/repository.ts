// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL of the health-code issuer (SQLite and PostgreSQL through Kysely): token-signing keys
 * and the trust anchor, private halves wrapped through the KeyWrapper port; and the revocation
 * entries (token hashes and key ids — never a person's identifier).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Migration } from '../../platform/db/index.js';
import { columnTypes } from '../../platform/db/index.js';

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

/**
 * The human-review queue (PIPL art. 24 para. 3): one row per review asked for. It names the
 * subject by its opaque id and the decision by its vault record id; colours, reasons and inputs
 * stay encrypted in the vault.
 */
export interface CodesReviewTable {
  id: string;
  subject_id: string;
  /** `pending`, `upheld` or `changed`. */
  status: string;
  /** Why it was queued: `correction` (纠错) or `objection` (art. 24 human review). */
  reason: string;
  /** The data-subject request that asked for it (src/lifecycle/rights), when there is one. */
  request_id: string | null;
  /** Vault record id of the decision under review. */
  decision_record: string | null;
  /** Epoch milliseconds. */
  requested_at: number;
  decided_at: number | null;
  /** The reviewer (an actor string such as `operator:alice`), once decided. */
  reviewer: string | null;
  /** `upheld`, or the manual order the reviewer gave (`lifted`, `quarantine`, `home-observation`). */
  outcome: string | null;
  /** Vault record id of the order the reviewer gave, if any. */
  order_record: string | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    codes_keys: CodesKeyTable;
    codes_revocations: CodesRevocationTable;
    codes_reviews: CodesReviewTable;
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
  '202611270530_codes_reviews': {
    async up(db, dialect) {
      const t = columnTypes(dialect);
      await db.schema
        .createTable('codes_reviews')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('decision_record', 'text')
        .addColumn('requested_at', t.bigint, (c) => c.notNull())
        .addColumn('decided_at', t.bigint)
        .addColumn('reviewer', 'text')
        .addColumn('outcome', 'text')
        .addColumn('order_record', 'text')
        .execute();
      await db.schema
        .createIndex('codes_reviews_status')
        .ifNotExists()
        .on('codes_reviews')
        .columns(['status', 'requested_at'])
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

export async function insertReview(db: Db, row: CodesReviewTable): Promise<void> {
  await db.insertInto('codes_reviews').values(row).execute();
}

export function findReview(db: Db, id: string): Promise<CodesReviewTable | undefined> {
  return db.selectFrom('codes_reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reviews in request order; `status` filters (undefined = all); at most `limit`. */
export function listReviews(
  db: Db,
  filter: { status?: string; subjectId?: string; limit: number },
): Promise<CodesReviewTable[]> {
  let q = db.selectFrom('codes_reviews').selectAll();
  if (filter.status !== undefined) {
    q = q.where('status', '=', filter.status);
  }
  if (filter.subjectId !== undefined) {
    q = q.where('subject_id', '=', filter.subjectId);
  }
  return q.orderBy('requested_at', 'asc').orderBy('id', 'asc').limit(filter.limit).execute();
}

/** Closes a pending review; false when it was no longer pending (decided meanwhile). */
export async function closeReview(
  db: Db,
  id: string,
  set: Pick<CodesReviewTable, 'status' | 'decided_at' | 'reviewer' | 'outcome' | 'order_record'>,
): Promise<boolean> {
  const r = await db
    .updateTable('codes_reviews')
    .set(set)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
