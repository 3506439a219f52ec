// SPDX-License-Identifier: Apache-2.0
/**
 * @module The deletion trigger (PIPL art. 47(3); DOMAIN.md §6 req. 10): a withdrawal announces
 * which categories of the subject's data only that purpose needed — no other purpose holds a
 * basis for them now — so the disposal side can delete them, and which stay, and why. The
 * {@link DeletionTrigger} port is where it goes; by default a row in `deletion_triggers` that
 * the disposal capability consumes.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import type { Catalogue } from './catalogue-service.js';
import { inTransaction, jsonArray, newId, type ConsentDeps } from './internal.js';
import * as ledgerRepo from './ledger-repository.js';
import { isActiveAt, isConsentBasis } from './model.js';

/** One announced deletion. */
export interface DeletionTriggerEvent {
  readonly id: string;
  readonly subjectId: string;
  readonly purposeId: string;
  readonly reason: 'consent-withdrawn';
  /** Categories only this purpose needed: delete them. */
  readonly categories: readonly DataCategory[];
  /** Categories another purpose still has a basis for, with those purposes: keep them. */
  readonly retained: Readonly<Partial<Record<DataCategory, readonly string[]>>>;
  readonly eventId: string | null;
  readonly createdAt: Date;
  readonly consumedAt: Date | null;
}

/** Where deletion triggers go; called inside the withdrawal's transaction. */
export interface DeletionTrigger {
  emit(db: Kysely<Database>, event: DeletionTriggerEvent): Promise<void>;
}

/** The default port: a row in `deletion_triggers`. */
export const tableDeletionTrigger: DeletionTrigger = {
  async emit(db, e) {
    await ledgerRepo.insertDeletionTrigger(db, {
      id: e.id,
      subject_id: e.subjectId,
      purpose_id: e.purposeId,
      reason: e.reason,
      categories: JSON.stringify(e.categories),
      retained: JSON.stringify(e.retained),
      event_id: e.eventId,
      created_at: e.createdAt.getTime(),
      consumed_at: null,
    });
  },
};

/** Works out what only `purposeId` needed and emits the trigger. */
export async function recordDeletionTrigger(
  deps: ConsentDeps & { deletionTrigger?: DeletionTrigger },
  trx: Kysely<Database>,
  catalogue: Catalogue,
  act: {
    subjectId: string;
    purposeId: string;
    categories: readonly DataCategory[];
    eventId: string;
    at: Date;
  },
): Promise<DeletionTriggerEvent> {
  const current = await ledgerRepo.selectCurrent(trx, act.subjectId);
  const t = act.at.getTime();
  const retained: Partial<Record<DataCategory, string[]>> = {};
  const toDelete: DataCategory[] = [];
  for (const c of act.categories) {
    const keepers: string[] = [];
    for (const p of catalogue.purposes.values()) {
      if (p.id === act.purposeId || !p.categories.includes(c) || !isActiveAt(p, act.at)) {
        continue;
      }
      const basis =
        !isConsentBasis(p.legalBasis) ||
        current.some(
          (r) =>
            r.purpose_id === p.id &&
            r.category === c &&
            r.granted_at <= t &&
            (r.withdrawn_at === null || r.withdrawn_at > t),
        );
      if (basis) {
        keepers.push(p.id);
      }
    }
    if (keepers.length > 0) {
      retained[c] = keepers;
    } else {
      toDelete.push(c);
    }
  }
  const event: DeletionTriggerEvent = {
    id: newId(deps.random),
    subjectId: act.subjectId,
    purposeId: act.purposeId,
    reason: 'consent-withdrawn',
    categories: toDelete,
    retained,
    eventId: act.eventId,
    createdAt: act.at,
    consumedAt: null,
  };
  await (deps.deletionTrigger ?? tableDeletionTrigger).emit(trx, event);
  return event;
}

function rowToTrigger(r: ledgerRepo.DeletionTriggersTable): DeletionTriggerEvent {
  return {
    id: r.id,
    subjectId: r.subject_id,
    purposeId: r.purpose_id,
    reason: 'consent-withdrawn',
    categories: jsonArray(r.categories) as DataCategory[],
    retained: JSON.parse(r.retained) as DeletionTriggerEvent['retained'],
    eventId: r.event_id,
    createdAt: new Date(r.created_at),
    consumedAt: r.consumed_at === null ? null : new Date(r.consumed_at),
  };
}

/** Recorded triggers (for the disposal side), oldest first. */
export async function listDeletionTriggers(
  db: Kysely<Database>,
  filter: { subjectId?: string; pendingOnly?: boolean } = {},
): Promise<DeletionTriggerEvent[]> {
  return (await ledgerRepo.selectDeletionTriggers(db, filter)).map(rowToTrigger);
}

/** Marks a trigger handled; false when it was already consumed or does not exist. */
export async function consumeDeletionTrigger(
  deps: Pick<ConsentDeps, 'db' | 'clock'>,
  id: string,
): Promise<boolean> {
  return inTransaction(deps.db, (trx) =>
    ledgerRepo.markTriggerConsumed(trx, id, deps.clock.now().getTime()),
  );
}
