// SPDX-License-Identifier: Apache-2.0
/**
 * @module The HTTP layer's one query of its own: the subjects a guardian has given consent for
 * (PIPL art. 31 — the consent ledger records the guardian of every under-14's consent act). These
 * are candidates only; the vault's guardian link decides (routes-citizen-health.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/** At most this many dependants are listed (a family, not a registry). */
export const MAX_DEPENDANTS = 50;

/** Distinct subject ids whose consent acts name `guardianId` as their guardian. */
export async function guardianCandidates(
  db: Kysely<Database>,
  guardianId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('consent_events')
    .select('subject_id')
    .distinct()
    .where('guardian_id', '=', guardianId)
    .where('subject_id', '<>', guardianId)
    .orderBy('subject_id')
    .limit(MAX_DEPENDANTS)
    .execute();
  return rows.map((r) => r.subject_id);
}
