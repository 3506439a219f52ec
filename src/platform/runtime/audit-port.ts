// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit port: how the vault, consent, rights, codes and disposal record what they did.
 * The audit log (src/foundation/audit) implements it as an RFC 9162 Merkle log; a leaf names a subject only
 * by its random per-subject audit id (never a blind index, ID number or phone).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** What happened. */
export type AuditKind =
  | 'access' // a read of personal data
  | 'refusal' // a read or write refused by the guard or the restricted state
  | 'write' // personal data stored or corrected
  | 'consent' // consent granted or withdrawn (receipt)
  | 'colour' // a colour decision
  | 'key' // key created, rotated, exported, destroyed
  | 'erasure' // personal data crypto-erased / deleted
  | 'certificate' // a disposal certificate
  | 'request' // a data-subject request opened / completed
  | 'pia' // a privacy-impact-assessment record
  | 'purge' // a retention purge run
  | 'system'; // anything else an operator should see (plan approved, restore, …)

/** One auditable event about at most one subject. */
export interface AuditEvent {
  readonly kind: AuditKind;
  /** Who acted: `system:seed`, `operator:alice`, `citizen`, `job:tripcard.purge`, … */
  readonly actor: string;
  /** The purpose the access was made under, when it is an access or refusal. */
  readonly purpose?: string;
  /** The subject's random audit id (pseudonym), when the event concerns one subject. */
  readonly subjectAuditId?: string;
  /** Data category or group concerned, when relevant. */
  readonly category?: string;
  /** Operation, e.g. `get`, `put`, `erase`, `grant`. */
  readonly action: string;
  /** `ok`, or the error code of a refusal / failure. */
  readonly outcome: string;
  readonly at: Date;
  /** Non-personal facts (counts, record ids, reasons). Never ID numbers, phones or names. */
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** Appends events; pass the caller's transaction so data and audit commit together. */
export interface AuditPort {
  append(db: Kysely<Database>, events: readonly AuditEvent[]): Promise<void>;
}
