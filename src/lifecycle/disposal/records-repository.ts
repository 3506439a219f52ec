// SPDX-License-Identifier: Apache-2.0
/** @module SQL of disposal's records: recipients, notices, certificates, requests, evidence, keys. */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type {
  DisposalCertRequestsTable,
  DisposalCertificatesTable,
  DisposalEvidenceTable,
  DisposalKeysTable,
  DisposalNoticesTable,
  DisposalRecipientsTable,
} from './tables.js';

type Db = Kysely<Database>;

// --- recipients and notices ----------------------------------------------------------------------

export function insertRecipient(db: Db, row: DisposalRecipientsTable) {
  return db.insertInto('disposal_recipients').values(row).execute();
}

export function listRecipients(db: Db) {
  return db.selectFrom('disposal_recipients').selectAll().orderBy('id').execute();
}

export function getRecipient(db: Db, id: string) {
  return db.selectFrom('disposal_recipients').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records a notice once per plan and party (idempotent across resumed runs). */
export function insertNotice(db: Db, row: DisposalNoticesTable) {
  return db
    .insertInto('disposal_notices')
    .values(row)
    .onConflict((oc) => oc.columns(['plan_id', 'party']).doNothing())
    .execute();
}

export function listNotices(db: Db, planId: string) {
  return db
    .selectFrom('disposal_notices')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('party')
    .execute();
}

export function ackNotice(db: Db, planId: string, party: string, receipt: string, at: number) {
  return db
    .updateTable('disposal_notices')
    .set({ receipt, acked_at: at })
    .where('plan_id', '=', planId)
    .where('party', '=', party)
    .execute();
}

// --- certificates, requests, evidence, keys ------------------------------------------------------

export function insertCertificate(db: Db, row: DisposalCertificatesTable) {
  return db.insertInto('disposal_certificates').values(row).execute();
}

export function setCertificateLeaf(db: Db, id: string, leafIndex: number) {
  return db
    .updateTable('disposal_certificates')
    .set({ leaf_index: leafIndex })
    .where('id', '=', id)
    .execute();
}

export function getCertificate(db: Db, id: string) {
  return db.selectFrom('disposal_certificates').selectAll().where('id', '=', id).executeTakeFirst();
}

export function certificatesOf(db: Db, planId: string) {
  return db
    .selectFrom('disposal_certificates')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('created_at')
    .execute();
}

export function insertCertRequest(db: Db, row: DisposalCertRequestsTable) {
  return db.insertInto('disposal_cert_requests').values(row).execute();
}

export function getCertRequest(db: Db, codeHash: string) {
  return db
    .selectFrom('disposal_cert_requests')
    .selectAll()
    .where('code_hash', '=', codeHash)
    .executeTakeFirst();
}

/** Open requests whose subject is in the given set (looked up per batch). */
export function openRequestsFor(db: Db, subjectIds: readonly string[]) {
  if (subjectIds.length === 0) {
    return Promise.resolve([]);
  }
  return db
    .selectFrom('disposal_cert_requests')
    .selectAll()
    .where('subject_id', 'in', subjectIds)
    .where('certificate_id', 'is', null)
    .execute();
}

/** Stores the issued certificate under the code and forgets the subject. */
export function issueCertRequest(db: Db, codeHash: string, certificateId: string, at: number) {
  return db
    .updateTable('disposal_cert_requests')
    .set({ certificate_id: certificateId, subject_id: null, issued_at: at })
    .where('code_hash', '=', codeHash)
    .execute();
}

export function insertEvidence(db: Db, row: DisposalEvidenceTable) {
  return db.insertInto('disposal_evidence').values(row).execute();
}

export function evidenceOf(db: Db, planId: string) {
  return db
    .selectFrom('disposal_evidence')
    .selectAll()
    .where('plan_id', '=', planId)
    .orderBy('at')
    .execute();
}

export function getKey(db: Db, id: string) {
  return db.selectFrom('disposal_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertKeyIfAbsent(db: Db, row: DisposalKeysTable) {
  return db
    .insertInto('disposal_keys')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}
