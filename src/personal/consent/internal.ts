// SPDX-License-Identifier: Apache-2.0
/**
 * @module Small helpers shared inside the consent capability (not exported from its door):
 * random ids from the injected {@link Random}, transactions that nest, JSON columns, booleans
 * read from either engine, and the ports its services receive.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AuditEvent, AuditPort } from '../../platform/runtime/audit-port.js';
import type { Clock } from '../../kernel/shared/clock.js';
import type { Random } from '../../kernel/shared/random.js';

/** Maps an opaque subject id to the random audit id the vault keeps for it (DESIGN.md §7). */
export interface AuditIdPort {
  auditIdOf(db: Kysely<Database>, subjectId: string): Promise<string | undefined>;
}

/** Facts about a subject that only the vault knows (age from the ID number). */
export interface SubjectFactsPort {
  /** True when the subject is under 14 at `at`; `undefined` when unknown. */
  isUnder14(db: Kysely<Database>, subjectId: string, at: Date): Promise<boolean | undefined>;
}

/** What every consent use case receives (STYLE.md §9). */
export interface ConsentDeps {
  readonly db: Kysely<Database>;
  readonly clock: Clock;
  readonly random: Random;
  readonly audit: AuditPort;
  /** Without it, audit events carry no subject reference at all (never the subject id). */
  readonly auditIds?: AuditIdPort;
  /** The vault's answer to a subject's age; instances wire it, unit tests may leave it out. */
  readonly subjects?: SubjectFactsPort;
  /** The controller named in notices and receipts (config `responsibleParty`). */
  readonly controller: { readonly name: string; readonly contact: string };
  /** Years PIA records and receipts are kept (config `retention.recordsYears`, ≥ 3). */
  readonly recordsYears: number;
}

/**
 * Whether to treat the subject as under 14 at `at` (PIPL arts. 28, 31): when the vault says so, or
 * when the caller claims it. A claim only adds protection: it never makes the vault's child an
 * adult.
 */
export async function treatAsUnder14(
  deps: Pick<ConsentDeps, 'subjects'>,
  db: Kysely<Database>,
  subjectId: string,
  at: Date,
  claimed: boolean | undefined,
): Promise<boolean> {
  if (claimed === true) {
    return true;
  }
  return (await deps.subjects?.isUnder14(db, subjectId, at)) === true;
}

/** An RFC 4122 version-4 id from the injected randomness. */
export function newId(random: Random): string {
  const b = random.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Runs `fn` in the caller's transaction, or opens one (STYLE.md §12). */
export async function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) {
    return fn(db);
  }
  return db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

export function toBool(value: number | boolean | null | undefined): boolean {
  return value === true || value === 1;
}

export function bit(value: boolean): number {
  return value ? 1 : 0;
}

export function jsonArray(text: string): string[] {
  const v: unknown = JSON.parse(text);
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
    throw new TypeError('expected a JSON array of strings in a consent column');
  }
  return v;
}

/** Appends audit events with the subject's audit id when the port can give one. */
export async function audit(
  deps: Pick<ConsentDeps, 'audit' | 'auditIds'>,
  db: Kysely<Database>,
  subjectId: string | undefined,
  events: readonly Omit<AuditEvent, 'subjectAuditId'>[],
): Promise<void> {
  const auditId =
    subjectId !== undefined && deps.auditIds !== undefined
      ? await deps.auditIds.auditIdOf(db, subjectId)
      : undefined;
  await deps.audit.append(
    db,
    events.map((e) => (auditId === undefined ? e : { ...e, subjectAuditId: auditId })),
  );
}

const OPAQUE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.:-]{2,79}$/;
const LOOKS_PERSONAL = /^(?:\+?\d[\d-]{9,}|\d{17}[\dXx]|\d{15})$/;

/** True for an opaque subject id that does not look like an ID number or phone. */
export function isOpaqueSubjectId(value: unknown): value is string {
  return typeof value === 'string' && OPAQUE_ID.test(value) && !LOOKS_PERSONAL.test(value);
}
