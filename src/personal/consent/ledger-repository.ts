// SPDX-License-Identifier: Apache-2.0
/**
 * @module SQL for the consent ledger (PIPL arts. 14–15): the append-only history of grant and
 * withdrawal acts, the current state per subject × purpose × category that the guard reads with
 * one keyed SELECT, receipts and their signing keys, and deletion triggers (art. 47(3)).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

export interface ConsentEventsTable {
  id: string;
  subject_id: string;
  purpose_id: string;
  /** JSON array of categories covered by this act. */
  categories: string;
  action: string;
  separate: number | boolean;
  by_guardian: number | boolean;
  guardian_id: string | null;
  notice_hash: string | null;
  collection_method: string;
  actor: string;
  at: number;
  receipt_id: string;
}

export interface ConsentCurrentTable {
  subject_id: string;
  purpose_id: string;
  category: string;
  granted_at: number;
  withdrawn_at: number | null;
  separate: number | boolean;
  by_guardian: number | boolean;
  guardian_id: string | null;
  notice_hash: string;
  grant_event_id: string;
}

export interface ConsentReceiptsTable {
  id: string;
  event_id: string;
  subject_id: string;
  key_id: string;
  /** The receipt as a compact JWS (RFC 7515, EdDSA per RFC 8037). */
  token: string;
  issued_at: number;
}

export interface ConsentReceiptKeysTable {
  kid: string;
  /** Raw 32-byte Ed25519 public key. */
  public_key: Buffer;
  /** PKCS#8 private key wrapped by the keyring's KeyWrapper. */
  wrapped_private: Buffer;
  created_at: number;
  retired_at: number | null;
}

export interface DeletionTriggersTable {
  id: string;
  subject_id: string;
  purpose_id: string;
  /** `consent-withdrawn` or `purpose-retired`. */
  reason: string;
  /** JSON array: categories only this purpose needed — to delete. */
  categories: string;
  /** JSON object category → purposes that still hold a basis for it — to keep. */
  retained: string;
  event_id: string | null;
  created_at: number;
  consumed_at: number | null;
}

declare module '../../platform/db/schema.js' {
  interface Database {
    consent_events: ConsentEventsTable;
    consent_current: ConsentCurrentTable;
    consent_receipts: ConsentReceiptsTable;
    consent_receipt_keys: ConsentReceiptKeysTable;
    deletion_triggers: DeletionTriggersTable;
  }
}

type Db = Kysely<Database>;

export async function insertEvent(db: Db, row: ConsentEventsTable): Promise<void> {
  await db.insertInto('consent_events').values(row).execute();
}

export async function selectEvents(db: Db, subjectId: string): Promise<ConsentEventsTable[]> {
  return db
    .selectFrom('consent_events')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function selectCurrent(
  db: Db,
  subjectId: string,
  purposeId?: string,
): Promise<ConsentCurrentTable[]> {
  let q = db.selectFrom('consent_current').selectAll().where('subject_id', '=', subjectId);
  if (purposeId !== undefined) {
    q = q.where('purpose_id', '=', purposeId);
  }
  return q.orderBy('purpose_id').orderBy('category').execute();
}

/** Replaces the current state of (subject, purpose, category) with a fresh grant. */
export async function upsertGrant(db: Db, row: ConsentCurrentTable): Promise<void> {
  await db
    .insertInto('consent_current')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['subject_id', 'purpose_id', 'category']).doUpdateSet({
        granted_at: row.granted_at,
        withdrawn_at: null,
        separate: row.separate,
        by_guardian: row.by_guardian,
        guardian_id: row.guardian_id,
        notice_hash: row.notice_hash,
        grant_event_id: row.grant_event_id,
      }),
    )
    .execute();
}

/** Marks active consents withdrawn; returns how many rows changed. */
export async function markWithdrawn(
  db: Db,
  subjectId: string,
  purposeId: string,
  categories: readonly string[],
  at: number,
): Promise<number> {
  if (categories.length === 0) {
    return 0;
  }
  const r = await db
    .updateTable('consent_current')
    .set({ withdrawn_at: at })
    .where('subject_id', '=', subjectId)
    .where('purpose_id', '=', purposeId)
    .where('category', 'in', categories)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The guard's lookup: the catalogue version and one consent row, in one round trip. */
export async function selectGuardRow(
  db: Db,
  subjectId: string,
  purposeId: string,
  category: string,
): Promise<
  | {
      version: number;
      granted_at: number | null;
      withdrawn_at: number | null;
      separate: number | boolean | null;
      by_guardian: number | boolean | null;
    }
  | undefined
> {
  return db
    .selectFrom('consent_version as v')
    .leftJoin('consent_current as c', (join) =>
      join
        .on('c.subject_id', '=', subjectId)
        .on('c.purpose_id', '=', purposeId)
        .on('c.category', '=', category),
    )
    .select(['v.version', 'c.granted_at', 'c.withdrawn_at', 'c.separate', 'c.by_guardian'])
    .where('v.id', '=', 1)
    .executeTakeFirst();
}

/** Subjects with an active consent for (purpose, category) at `at`. */
export async function selectActiveSubjects(
  db: Db,
  purposeId: string,
  at: number,
): Promise<Array<{ subject_id: string; category: string }>> {
  return db
    .selectFrom('consent_current')
    .select(['subject_id', 'category'])
    .where('purpose_id', '=', purposeId)
    .where('granted_at', '<=', at)
    .where((eb) => eb.or([eb('withdrawn_at', 'is', null), eb('withdrawn_at', '>', at)]))
    .orderBy('subject_id')
    .execute();
}

export async function insertReceipt(db: Db, row: ConsentReceiptsTable): Promise<void> {
  await db.insertInto('consent_receipts').values(row).execute();
}

export async function selectReceipt(db: Db, id: string): Promise<ConsentReceiptsTable | undefined> {
  return db.selectFrom('consent_receipts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function selectReceiptsOf(db: Db, subjectId: string): Promise<ConsentReceiptsTable[]> {
  return db
    .selectFrom('consent_receipts')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('issued_at')
    .orderBy('id')
    .execute();
}

export async function selectReceiptKeys(db: Db): Promise<ConsentReceiptKeysTable[]> {
  return db.selectFrom('consent_receipt_keys').selectAll().orderBy('created_at').execute();
}

export async function insertReceiptKey(db: Db, row: ConsentReceiptKeysTable): Promise<void> {
  await db
    .insertInto('consent_receipt_keys')
    .values(row)
    .onConflict((oc) => oc.column('kid').doNothing())
    .execute();
}

export async function insertDeletionTrigger(db: Db, row: DeletionTriggersTable): Promise<void> {
  await db.insertInto('deletion_triggers').values(row).execute();
}

export async function selectDeletionTriggers(
  db: Db,
  filter: { subjectId?: string; pendingOnly?: boolean } = {},
): Promise<DeletionTriggersTable[]> {
  let q = db.selectFrom('deletion_triggers').selectAll();
  if (filter.subjectId !== undefined) {
    q = q.where('subject_id', '=', filter.subjectId);
  }
  if (filter.pendingOnly === true) {
    q = q.where('consumed_at', 'is', null);
  }
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function markTriggerConsumed(db: Db, id: string, at: number): Promise<boolean> {
  const r = await db
    .updateTable('deletion_triggers')
    .set({ consumed_at: at })
    .where('id', '=', id)
    .where('consumed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
