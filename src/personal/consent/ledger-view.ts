// SPDX-License-Identifier: Apache-2.0
/**
 * @module What the ledger says about one subject (PIPL art. 44–45: the right to know): current
 * consents per purpose and category, the history of acts, and the receipts issued.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { SubjectIdInvalidError } from './errors.js';
import { isOpaqueSubjectId, jsonArray, toBool } from './internal.js';
import * as ledgerRepo from './ledger-repository.js';

export interface ConsentEntry {
  readonly purposeId: string;
  readonly category: string;
  readonly status: 'active' | 'withdrawn';
  readonly grantedAt: string;
  readonly withdrawnAt: string | null;
  readonly separate: boolean;
  readonly byGuardian: boolean;
  readonly noticeHash: string;
}

export interface ConsentHistoryEntry {
  readonly eventId: string;
  readonly action: 'grant' | 'withdraw';
  readonly purposeId: string;
  readonly categories: readonly string[];
  readonly at: string;
  readonly receiptId: string;
  readonly collectionMethod: string;
}

export interface SubjectConsents {
  readonly subjectId: string;
  readonly consents: readonly ConsentEntry[];
  readonly history: readonly ConsentHistoryEntry[];
  readonly receipts: ReadonlyArray<{
    readonly id: string;
    readonly issuedAt: string;
    readonly token: string;
  }>;
}

/** Everything the ledger holds about a subject. */
export async function subjectConsents(
  db: Kysely<Database>,
  subjectId: string,
): Promise<SubjectConsents> {
  if (!isOpaqueSubjectId(subjectId)) {
    throw new SubjectIdInvalidError('subject must be an opaque subject id, not personal data');
  }
  const [current, events, receipts] = await Promise.all([
    ledgerRepo.selectCurrent(db, subjectId),
    ledgerRepo.selectEvents(db, subjectId),
    ledgerRepo.selectReceiptsOf(db, subjectId),
  ]);
  return {
    subjectId,
    consents: current.map((r) => ({
      purposeId: r.purpose_id,
      category: r.category,
      status: r.withdrawn_at === null ? 'active' : 'withdrawn',
      grantedAt: new Date(r.granted_at).toISOString(),
      withdrawnAt: r.withdrawn_at === null ? null : new Date(r.withdrawn_at).toISOString(),
      separate: toBool(r.separate),
      byGuardian: toBool(r.by_guardian),
      noticeHash: r.notice_hash,
    })),
    history: events.map((e) => ({
      eventId: e.id,
      action: e.action as 'grant' | 'withdraw',
      purposeId: e.purpose_id,
      categories: jsonArray(e.categories),
      at: new Date(e.at).toISOString(),
      receiptId: e.receipt_id,
      collectionMethod: e.collection_method,
    })),
    receipts: receipts.map((r) => ({
      id: r.id,
      issuedAt: new Date(r.issued_at).toISOString(),
      token: r.token,
    })),
  };
}
