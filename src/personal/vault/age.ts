// SPDX-License-Identifier: Apache-2.0
/**
 * @module A subject's age as the vault knows it (PIPL arts. 28, 31): a citizen's birth date is
 * taken from the GB 11643 ID number when the subject is created and kept in the encrypted subject
 * meta; a subscriber (a SIM) is as young as the youngest citizen proven to hold it. The guard is
 * told this on every business read, and the consent ledger asks the same at grant (its
 * `SubjectFactsPort`, met by structural typing: the vault never imports consent).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { isUnder14, type VaultCore } from './core.js';
import type { SubjectMeta } from './model.js';
import * as repo from './repository.js';
import type { VaultSubjectTable } from './repository.js';

/**
 * Whether the subject is under 14 at `at`: `undefined` when the vault cannot tell (a citizen
 * without a stored birth date, a SIM linked to nobody).
 */
export async function subjectUnder14(
  core: VaultCore,
  db: Kysely<Database>,
  row: VaultSubjectTable,
  meta: SubjectMeta,
  at: Date,
): Promise<boolean | undefined> {
  if (row.kind === 'citizen') {
    return meta.birthDate === undefined ? undefined : isUnder14(meta.birthDate, at);
  }
  let known = false;
  for (const link of await repo.linksOf(db, row.id)) {
    const citizen = await repo.subjectById(db, link.citizen_id);
    if (citizen === undefined || citizen.kind !== 'citizen') {
      continue;
    }
    const age = await subjectUnder14(core, db, citizen, await core.meta(db, citizen), at);
    if (age === true) {
      return true;
    }
    known ||= age === false;
  }
  return known ? false : undefined;
}
