// SPDX-License-Identifier: Apache-2.0
/**
 * @module Bulk-loading the consents of a synthetic city into the ledger (issue 6 item 9), inside
 * the seeding sink's own data transaction so a batch's subjects and their consents commit
 * together. Each act becomes a `grant` event (and a `withdraw` event where the resident withdrew
 * since), each category a current-state row the guard reads, recording the privacy policy in
 * force at seeding. Synthetic acts carry the collection method `synthetic-seed` and no signed
 * receipt: nobody was shown anything, and a receipt would attest a consent act that never took
 * place. Acts made through the ledger later (e.g. a withdrawal) get their receipts as usual.
 */
import type { Kysely } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import type { Database } from '../../platform/db/schema.js';
import type { ConsentCurrentTable, ConsentEventsTable } from './ledger-repository.js';
import { currentNotices } from './catalogue-service.js';
import { bit } from './internal.js';

/** One resident's consent to one purpose, as the synthetic city describes it. */
export interface SeedConsent {
  readonly purposeId: string;
  readonly acts: ReadonlyArray<{
    readonly categories: readonly string[];
    readonly separate: boolean;
  }>;
  readonly grantedAt: Date;
  readonly withdrawnAt: Date | null;
}

export interface SeedConsentRow {
  readonly subjectId: string;
  /** The guardian's subject id, for an under-14's consent (art. 31). */
  readonly guardianId?: string;
  readonly consent: SeedConsent;
}

/** Writes synthetic consents; `prepare` it outside any transaction (it may publish notices). */
export interface ConsentSeeder {
  insert(trx: Kysely<Database>, rows: readonly SeedConsentRow[]): Promise<number>;
}

const CHUNK = 500;
const ACTOR = 'system:seed';
const METHOD = 'synthetic-seed';

/** A seeder for an instance: reads (or publishes) the current privacy policy once. */
export async function consentSeeder(store: Store, newId: () => string): Promise<ConsentSeeder> {
  const notices = await currentNotices({
    db: store.db.kysely,
    clock: store.clock,
    random: store.random,
    audit: { append: () => Promise.resolve() },
    controller: store.config.responsibleParty,
    recordsYears: store.config.retention.recordsYears,
  });
  const policy = notices.find((n) => n.kind === 'privacy-policy' && n.language === 'zh')?.hash;
  if (policy === undefined) {
    throw new TypeError('no current privacy policy to record with seeded consents');
  }
  return {
    async insert(trx, rows) {
      const events: ConsentEventsTable[] = [];
      const current: ConsentCurrentTable[] = [];
      for (const { subjectId, guardianId, consent: c } of rows) {
        const byGuardian = bit(guardianId !== undefined);
        for (const act of c.acts) {
          const eventId = newId();
          events.push({
            id: eventId,
            subject_id: subjectId,
            purpose_id: c.purposeId,
            categories: JSON.stringify(act.categories),
            action: 'grant',
            separate: bit(act.separate),
            by_guardian: byGuardian,
            guardian_id: guardianId ?? null,
            notice_hash: policy,
            collection_method: METHOD,
            actor: ACTOR,
            at: c.grantedAt.getTime(),
            receipt_id: `unsigned:${eventId}`,
          });
          for (const category of act.categories) {
            current.push({
              subject_id: subjectId,
              purpose_id: c.purposeId,
              category,
              granted_at: c.grantedAt.getTime(),
              withdrawn_at: c.withdrawnAt === null ? null : c.withdrawnAt.getTime(),
              separate: bit(act.separate),
              by_guardian: byGuardian,
              guardian_id: guardianId ?? null,
              notice_hash: policy,
              grant_event_id: eventId,
            });
          }
        }
        if (c.withdrawnAt !== null) {
          const eventId = newId();
          events.push({
            id: eventId,
            subject_id: subjectId,
            purpose_id: c.purposeId,
            categories: JSON.stringify(c.acts.flatMap((a) => a.categories)),
            action: 'withdraw',
            separate: bit(false),
            by_guardian: byGuardian,
            guardian_id: guardianId ?? null,
            notice_hash: null,
            collection_method: METHOD,
            actor: ACTOR,
            at: c.withdrawnAt.getTime(),
            receipt_id: `unsigned:${eventId}`,
          });
        }
      }
      for (let i = 0; i < events.length; i += CHUNK) {
        await trx
          .insertInto('consent_events')
          .values(events.slice(i, i + CHUNK))
          .execute();
      }
      for (let i = 0; i < current.length; i += CHUNK) {
        await trx
          .insertInto('consent_current')
          .values(current.slice(i, i + CHUNK))
          .onConflict((oc) => oc.columns(['subject_id', 'purpose_id', 'category']).doNothing())
          .execute();
      }
      return current.length;
    },
  };
}
