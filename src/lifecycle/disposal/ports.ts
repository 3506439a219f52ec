// SPDX-License-Identifier: Apache-2.0
/**
 * @module The ports disposal works through, so its executor is written once against narrow
 * interfaces: the vault and key store (`DisposalTarget`), the consent catalogue and ledger
 * (`ConsentView`), the audit log (`CertificateLog`) and the residual scanner (`Scanner`).
 * adapters.ts implements them over the real capabilities.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import type { GeneralisedRecord } from './anonymise.js';
import type { SubjectDecision } from './model.js';
import type { CatalogueView, ConsentedCategories } from './scope.js';

/** What one subject holds, counted before disposal touches it. */
export interface SubjectHolding {
  readonly subjectId: string;
  /** `citizen` or `subscriber`. */
  readonly kind: string;
  readonly records: readonly {
    readonly category: DataCategory;
    readonly store: string;
    readonly records: number;
  }[];
}

export interface DisposeItem {
  readonly subjectId: string;
  readonly decision: SubjectDecision;
  /** Every category the subject held before disposal (to tell whole groups from partial ones). */
  readonly held?: readonly DataCategory[] | undefined;
  /** When restricted categories' exemptions end (informational for the restricted state). */
  readonly restrictUntil?: Date | undefined;
  /** Stores only retired services used (`db:<table>`) whose rows of this subject go too. */
  readonly stores?: readonly string[] | undefined;
}

export interface ResidueItem {
  readonly subjectId: string;
  readonly erased: readonly DataCategory[];
  readonly whole: boolean;
  readonly held?: readonly DataCategory[] | undefined;
}

/** The vault and key store, seen from disposal. */
export interface DisposalTarget {
  /** Stores (inventory ids) whose records `subjects` counts. */
  readonly stores: readonly string[];
  /** Subjects in ascending id order after `after`, with what they hold. */
  subjects(after: string | null, limit: number): Promise<SubjectHolding[]>;
  /**
   * Applies decisions: restricts, crypto-erases and deletes, purges outbox messages addressed to
   * the subject. Idempotent per subject, so a repeat after a crash completes a half-done subject.
   */
  dispose(items: readonly DisposeItem[]): Promise<void>;
  /** How many data keys and rows of these subjects' erased categories are still present. */
  residue(items: readonly ResidueItem[]): Promise<{ keysPresent: number; rowsRemaining: number }>;
  /** Scrubs freed storage after a bulk erase (secure_delete, WAL checkpoint, vacuum). */
  scrub(): Promise<void>;
  /** The opaque id of the subject with this ID number (citizen) or phone (subscriber), if any. */
  findSubject?(kind: 'citizen' | 'subscriber', value: string): Promise<string | undefined>;
  /** Generalised facts of a category for anonymisation, read just before erasure. */
  generalise?(subjectIds: readonly string[], category: DataCategory): Promise<GeneralisedRecord[]>;
}

/** The consent capability, seen from disposal. */
export interface ConsentView {
  catalogue(): Promise<CatalogueView>;
  /** Per subject: purpose → categories consented and not withdrawn at `at`. */
  consented(subjectIds: readonly string[], at: Date): Promise<Map<string, ConsentedCategories>>;
  /** Retires purposes and services: closes their legal bases' validity windows (idempotent). */
  retire(
    purposes: readonly string[],
    services: readonly string[],
    at: Date,
    actor: string,
  ): Promise<void>;
}

/** A certificate as the audit log records it: no body, only its hash and kind. */
export interface CertificateLeaf {
  readonly certificateId: string;
  readonly certificateKind: string;
  readonly sha256: string;
  readonly planId: string | null;
  readonly at: Date;
  readonly actor: string;
}

/** The audit log, seen from disposal. */
export interface CertificateLog {
  /** Appends the certificate's leaf in the caller's transaction. */
  append(db: Kysely<Database>, leaf: CertificateLeaf): Promise<void>;
  /** An inclusion-proof bundle for the certificate's leaf that `audit check-proof` verifies offline. */
  proof?(certificateId: string): Promise<unknown>;
}

export interface ScanHit {
  readonly file: string;
  readonly encoding: string;
  readonly count: number;
}

/** The residual scanner (src/foundation/scan), seen from disposal. */
export interface Scanner {
  scanFiles(
    paths: readonly string[],
    canaries: readonly string[],
  ): Promise<{ files: number; hits: ScanHit[] }>;
  scanBuffers?(
    buffers: AsyncIterable<{ label: string; bytes: Buffer }>,
    canaries: readonly string[],
  ): Promise<{ hits: ScanHit[] }>;
}
