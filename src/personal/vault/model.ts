// SPDX-License-Identifier: Apache-2.0
/**
 * @module Types and pure rules of the vault (DESIGN.md §3, §5; STYLE.md §10): subjects, access
 * contexts and purposes, records and bundles of entries, restriction scopes, and the associated
 * data that binds every ciphertext to its place (table, group, category, subject, record).
 */
import { associatedData, hmacSha256 } from '../../kernel/crypto/index.js';
import {
  categoryInfo,
  DATA_GROUPS,
  isDataCategory,
  isDataGroup,
  type DataCategory,
  type DataGroup,
} from '../../kernel/domain/index.js';
import { dayText, parseDayText } from '../../kernel/shared/local-day.js';
import { VaultPurposeUnknownError, VaultValueError } from './errors.js';

/** The two kinds of subject: found by ID number, or by a carrier's phone number. */
export const SUBJECT_KINDS = ['citizen', 'subscriber'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** The business purposes (issue 3 item 6; the consent catalogue gives their bases). */
export const PURPOSES = [
  'epidemic-control',
  'public-transit',
  'hospital',
  'government-services',
  'statistics',
] as const;
export type Purpose = (typeof PURPOSES)[number];

/**
 * System purposes: the only ones that may touch restricted data (PIPL art. 47 para. 2: storage
 * and necessary security measures), and only through {@link Vault.systemRepository}.
 */
export const SYSTEM_PURPOSES = ['maintenance', 'security', 'purge'] as const;
export type SystemPurpose = (typeof SYSTEM_PURPOSES)[number];

/** Who reads or writes, in which role, for what purpose. Built per call (medplum's RepositoryContext). */
export interface AccessContext {
  /** `system:seed`, `operator:alice`, `citizen`, … (never an ID number or phone). */
  readonly actor: string;
  /** `citizen`, `operator`, `verifier`, `carrier`, `analyst`, `auditor`, `system`. */
  readonly role: string;
  readonly purpose: string;
}

/** Key scopes: the four data groups, plus `subject` for the subject's own record (audit id). */
export const SUBJECT_SCOPE = 'subject';
export const KEY_SCOPES = [...DATA_GROUPS, SUBJECT_SCOPE] as const;

/** One stored record, decrypted. */
export interface VaultRecord<T = unknown> {
  readonly recordId: string;
  readonly subjectId: string;
  readonly group: DataGroup;
  readonly category: DataCategory;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly value: T;
}

/** One entry of a bundle (several entries of one subject and category share a ciphertext). */
export interface VaultEntry {
  /** Opaque entry id from the source (e.g. a carrier's event id); unique per subject and category. */
  readonly id: string;
  readonly [field: string]: unknown;
}

/** A bundle's entries for one day bucket, decrypted. */
export interface VaultBundle {
  readonly recordId: string;
  readonly subjectId: string;
  readonly category: DataCategory;
  /** The local calendar day (YYYY-MM-DD) the entries fall in: the time bucket. */
  readonly day: string;
  readonly entries: readonly VaultEntry[];
}

/** Facts the vault keeps about a subject, encrypted under its `subject` key. */
export interface SubjectMeta {
  /** Random per-subject pseudonym for audit events; erasing the subject destroys the link. */
  readonly auditId: string;
  /** YYYY-MM-DD, for the under-14 rule (PIPL art. 31); citizens only. */
  readonly birthDate?: string;
  /** The guardian's subject id, for under-14s. */
  readonly guardian?: string;
}

/** Largest plaintext value the vault stores in one ciphertext (1 MiB). */
export const MAX_VALUE_BYTES = 1 << 20;

/** A caller bug when the purpose is not one of ours. */
export function assertPurpose(purpose: string): asserts purpose is Purpose | SystemPurpose {
  if (
    !(PURPOSES as readonly string[]).includes(purpose) &&
    !(SYSTEM_PURPOSES as readonly string[]).includes(purpose)
  ) {
    throw new VaultPurposeUnknownError('unknown purpose; see the purpose catalogue');
  }
}

export function isSystemPurpose(purpose: string): purpose is SystemPurpose {
  return (SYSTEM_PURPOSES as readonly string[]).includes(purpose);
}

/** The group of a category; a RangeError for an unknown one (a caller bug). */
export function groupOf(category: DataCategory): DataGroup {
  return categoryInfo(category).group;
}

export function assertCategory(category: string): asserts category is DataCategory {
  if (!isDataCategory(category)) {
    throw new RangeError('"category" expected a data category');
  }
}

export function assertGroup(group: string): asserts group is DataGroup {
  if (!isDataGroup(group)) {
    throw new RangeError('"group" expected a data group');
  }
}

const ENTRY_ID = /^[A-Za-z0-9._:-]{1,80}$/;

/**
 * Entry ids go into the plaintext-free bundle index, so they must be opaque tokens: no spaces,
 * and no run of 7 or more digits (a phone or ID number smuggled into an id is refused).
 */
export function assertEntryId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ENTRY_ID.test(id) || /\d{7,}/.test(id)) {
    throw new VaultValueError(
      'an entry id must be an opaque token of at most 80 characters [A-Za-z0-9._:-] without long digit runs',
    );
  }
}

/** `YYYY-MM-DD` → days since 1970-01-01 (the bundle's time bucket). */
export function dayToBucket(day: string): number {
  const bucket = parseDayText(day);
  if (bucket === undefined) {
    throw new VaultValueError('a day must be a real calendar date YYYY-MM-DD');
  }
  return bucket;
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export const bucketToDay: (bucket: number) => string = dayText;

/**
 * The blind index of a subject: HMAC-SHA-256 under the instance lookup key of the kind and the
 * normalised identifier (GB 11643 ID number, or E.164 phone). It never leaves the vault.
 */
export function blindIndex(lookupKey: Uint8Array, kind: SubjectKind, normalised: string): Buffer {
  return hmacSha256(lookupKey, `healthcode/blind-index/v1\u0000${kind}\u0000${normalised}`);
}

/** Associated data of a record or bundle ciphertext. */
export function recordAad(
  group: string,
  category: string,
  subjectId: string,
  recordId: string,
  gen: number,
  bucket: number | null,
  entries: string | null,
): Buffer {
  return associatedData(
    'vault_record',
    group,
    category,
    subjectId,
    recordId,
    gen,
    bucket ?? '',
    entries ?? '',
  );
}

/** Associated data of a subject's meta ciphertext. */
export function subjectAad(subjectId: string, kind: string, gen: number): Buffer {
  return associatedData('vault_subject', SUBJECT_SCOPE, subjectId, kind, gen);
}

/** Serialises a value for encryption; refuses what JSON cannot carry faithfully. */
export function encodeValue(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (cause) {
    throw new VaultValueError('a value must be serialisable as JSON', { cause });
  }
  if (text === undefined) {
    throw new VaultValueError('a value must be serialisable as JSON');
  }
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_VALUE_BYTES) {
    throw new VaultValueError('a value is larger than 1 MiB');
  }
  return bytes;
}
