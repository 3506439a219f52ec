// SPDX-License-Identifier: Apache-2.0
/**
 * @module The vault side of a data-subject request (PIPL arts. 44–47): the subjects that make up
 * one person (a citizen and the subscriber subjects of the phones they proved, linked in the
 * vault), read in full for the person's own request. Rights fulfilment is not a purpose of the
 * catalogue (art. 45 is the controller's duty, not a use of the data), and the person may see
 * even restricted data, so reads go through the vault's system repository under `maintenance`,
 * audited under the actor `request:<id>`.
 */
import type { DataCategory, DataGroup } from '../../kernel/domain/index.js';
import { categoryInfo } from '../../kernel/domain/index.js';
import type { Vault, VaultBundle, VaultRecord } from '../../personal/vault/index.js';

/** Everything the vault holds about one subject, decrypted. */
export interface SubjectHoldingsFull {
  readonly subjectId: string;
  readonly kind: string;
  readonly auditId: string | undefined;
  readonly records: readonly VaultRecord[];
  readonly bundles: readonly VaultBundle[];
}

/** The subject and the subjects linked to it, the subject first. */
export async function personSubjects(
  vault: Vault,
  subjectId: string,
  actor: string,
): Promise<string[]> {
  const sys = vault.systemRepository({ actor, purpose: 'maintenance' });
  const linked = await sys.links(subjectId);
  return [subjectId, ...linked.filter((s) => s !== subjectId).sort()];
}

/** Reads every record and bundle of one subject (system read, audited). */
export async function readSubject(
  vault: Vault,
  db: Parameters<Vault['auditIdOf']>[0],
  subjectId: string,
  actor: string,
): Promise<SubjectHoldingsFull> {
  const sys = vault.systemRepository({ actor, purpose: 'maintenance' });
  const kind = (await vault.kindOf(subjectId)) ?? 'unknown';
  const { records, bundles } = await sys.readAll(subjectId);
  return { subjectId, kind, auditId: await vault.auditIdOf(db, subjectId), records, bundles };
}

/** The GB/T 38962 group of a category. */
export function groupOfCategory(category: DataCategory): DataGroup {
  return categoryInfo(category).group;
}
