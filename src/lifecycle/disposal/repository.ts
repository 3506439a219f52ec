// SPDX-License-Identifier: Apache-2.0
/** @module SQL of disposal: runs and their work items, locks, progress, recipients and notices. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
export { disposalMigrations } from './migrations.js';

export type {
  DisposalRunsTable,
  DisposalItemsTable,
  DisposalLocksTable,
  DisposalProgressTable,
  DisposalRecipientsTable,
  DisposalNoticesTable,
  DisposalCertificatesTable,
  DisposalCertRequestsTable,
  DisposalEvidenceTable,
  DisposalKeysTable,
} from './tables.js';
import type {
  DisposalRunsTable,
  DisposalItemsTable,
  DisposalLocksTable,
  DisposalProgressTable,
  DisposalRecipientsTable,
  DisposalNoticesTable,
  DisposalCertificatesTable,
  DisposalCertRequestsTable,
  DisposalEvidenceTable,
  DisposalKeysTable,
} from './tables.js';

declare module '../../platform/db/schema.js' {
  interface Database {
    disposal_runs: DisposalRunsTable;
    disposal_items: DisposalItemsTable;
    disposal_locks: DisposalLocksTable;
    disposal_progress: DisposalProgressTable;
    disposal_recipients: DisposalRecipientsTable;
    disposal_notices: DisposalNoticesTable;
    disposal_certificates: DisposalCertificatesTable;
    disposal_cert_requests: DisposalCertRequestsTable;
    disposal_evidence: DisposalEvidenceTable;
    disposal_keys: DisposalKeysTable;
  }
}

type Db = Kysely<Database>;

// --- runs and items ------------------------------------------------------------------------------

export function getRun(db: Db, planId: string) {
  return db
    .selectFrom('disposal_runs')
    .selectAll()
    .where('plan_id', '=', planId)
    .executeTakeFirst();
}

export function listRuns(db: Db) {
  return db.selectFrom('disposal_runs').selectAll().orderBy('started_at').execute();
}

/** Rows per insert: 12 columns × 400 stays under every engine's bound-parameter limit. */
const CHUNK = 400;

/** Starts a run whose work list is still being written (`total` = -1 until it is complete). */
export async function insertRunHeader(db: Db, run: DisposalRunsTable): Promise<void> {
  await db
    .insertInto('disposal_runs')
    .values(run)
    .onConflict((oc) => oc.column('plan_id').doNothing())
    .execute();
}

/** Drops a half-written work list (a crash during the snapshot; nothing was disposed yet). */
export async function deleteItems(db: Db, planId: string): Promise<void> {
  await db.deleteFrom('disposal_items').where('plan_id', '=', planId).execute();
}

export async function insertItems(db: Db, items: readonly DisposalItemsTable[]): Promise<void> {
  // A plain multi-row INSERT: the query builder's per-value cost was the snapshot's largest
  // statement cost on PostgreSQL (1,000-subject pages × 13 columns).
  for (let i = 0; i < items.length; i += CHUNK) {
    const values = items
      .slice(i, i + CHUNK)
      .map(
        (r) =>
          sql`(${r.plan_id}, ${r.seq}, ${r.subject_id}, ${r.erase_cats}, ${r.restrict_cats}, ${r.restrict_left}, ${r.keep_cats}, ${r.whole}, ${r.whole_after}, ${r.records_json}, ${r.status}, ${r.done_at})`,
      );
    await sql`insert into disposal_items (plan_id, seq, subject_id, erase_cats, restrict_cats, restrict_left, keep_cats, whole, whole_after, records_json, status, done_at) values ${sql.join(values)}`.execute(
      db,
    );
  }
}

/** Completes the snapshot: the work list is whole from now on. */
export function completeSnapshot(
  db: Db,
  planId: string,
  fields: { total: number; before_json: string; anonymised_json: string | null },
) {
  return db.updateTable('disposal_runs').set(fields).where('plan_id', '=', planId).execute();
}

export function pendingItems(db: Db, planId: string, limit: number) {
  return db
    .selectFrom('disposal_items')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('status', '=', 0)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Items in seq order after `afterSeq` (paging for verification, certificates and reports). */
export function itemsPage(db: Db, planId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('disposal_items')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** Marks items done and counts them into the run, in the caller's transaction. */
export async function markDone(
  db: Db,
  planId: string,
  seqs: readonly number[],
  at: number,
): Promise<number> {
  if (seqs.length === 0) {
    return 0;
  }
  // A batch is the first pending items in seq order, so every pending item in its seq range
  // belongs to it: a range instead of a 1,000-value IN list.
  const res = await db
    .updateTable('disposal_items')
    .set({ status: 1, done_at: at })
    .where('plan_id', '=', planId)
    .where('seq', '>=', Math.min(...seqs))
    .where('seq', '<=', Math.max(...seqs))
    .where('status', '=', 0)
    .executeTakeFirst();
  const n = Number(res.numUpdatedRows);
  if (n > 0) {
    await db
      .updateTable('disposal_runs')
      .set((eb) => ({ done: eb('done', '+', n) }))
      .where('plan_id', '=', planId)
      .execute();
  }
  return n;
}

export function setRestrictLeft(db: Db, planId: string, seq: number, left: string) {
  return db
    .updateTable('disposal_items')
    .set({ restrict_left: left })
    .where('plan_id', '=', planId)
    .where('seq', '=', seq)
    .execute();
}

export function restrictedItems(db: Db, planId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('disposal_items')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('restrict_left', '!=', '')
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export function setExecuted(
  db: Db,
  planId: string,
  fields: {
    executed_at: number;
    after_json: string;
    certificate_id: string;
    anonymised_json: string | null;
  },
) {
  return db.updateTable('disposal_runs').set(fields).where('plan_id', '=', planId).execute();
}

export function setAnonymised(db: Db, planId: string, json: string) {
  return db
    .updateTable('disposal_runs')
    .set({ anonymised_json: json })
    .where('plan_id', '=', planId)
    .execute();
}

export function addProgress(db: Db, planId: string, at: number, done: number) {
  return db.insertInto('disposal_progress').values({ plan_id: planId, at, done }).execute();
}

export function progress(db: Db, planId: string) {
  return db
    .selectFrom('disposal_progress')
    .select(['at', 'done'])
    .where('plan_id', '=', planId)
    .orderBy('at')
    .execute();
}

// --- locks ---------------------------------------------------------------------------------------

/** Inserts the lock row when none exists; true when this call took it. */
export async function tryInsertLock(db: Db, row: DisposalLocksTable): Promise<boolean> {
  const res = await db
    .insertInto('disposal_locks')
    .values(row)
    .onConflict((oc) => oc.column('plan_id').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export function getLock(db: Db, planId: string) {
  return db
    .selectFrom('disposal_locks')
    .selectAll()
    .where('plan_id', '=', planId)
    .executeTakeFirst();
}

/** Replaces a dead holder's lock, only if that holder still has it (compare-and-swap). */
export async function takeOverLock(
  db: Db,
  oldHolder: string,
  row: DisposalLocksTable,
): Promise<boolean> {
  const res = await db
    .updateTable('disposal_locks')
    .set({
      holder: row.holder,
      pid: row.pid,
      host: row.host,
      acquired_at: row.acquired_at,
      heartbeat_at: row.heartbeat_at,
    })
    .where('plan_id', '=', row.plan_id)
    .where('holder', '=', oldHolder)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Refreshes our lock; false when someone took it over (we must stop). */
export async function heartbeat(
  db: Db,
  planId: string,
  holder: string,
  at: number,
): Promise<boolean> {
  const res = await db
    .updateTable('disposal_locks')
    .set({ heartbeat_at: at })
    .where('plan_id', '=', planId)
    .where('holder', '=', holder)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

export function releaseLock(db: Db, planId: string, holder: string) {
  return db
    .deleteFrom('disposal_locks')
    .where('plan_id', '=', planId)
    .where('holder', '=', holder)
    .execute();
}

// Recipients, notices, certificates, requests, evidence and keys live in records-repository.ts.
export {
  insertRecipient,
  listRecipients,
  getRecipient,
  insertNotice,
  listNotices,
  ackNotice,
  insertCertificate,
  setCertificateLeaf,
  getCertificate,
  certificatesOf,
  insertCertRequest,
  getCertRequest,
  openRequestsFor,
  issueCertRequest,
  insertEvidence,
  evidenceOf,
  getKey,
  insertKeyIfAbsent,
} from './records-repository.js';
