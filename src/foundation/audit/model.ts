// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's public shapes: the {@link AuditLog} (an RFC 9162 Merkle log behind the
 * shared {@link AuditPort}), proof bundles a citizen or auditor checks offline, verification
 * reports and readable entries (DESIGN.md §7).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import type { Clock, KeyWrapper, Random } from '../../kernel/shared/index.js';
import type { AuditEvent, AuditKind, AuditPort } from '../../platform/runtime/audit-port.js';
import type { SignedCheckpoint } from './checkpoint.js';

/** What the log needs besides the store. */
export interface AuditDeps {
  /** Keeps the month keys and the checkpoint key wrapped at rest (the keyring implements it). */
  readonly keyWrapper: KeyWrapper;
  /** Defaults to the store's clock. */
  readonly clock?: Clock;
  /** Defaults to a pool over the store's randomness (nonces are drawn in bulk). */
  readonly random?: Random;
}

/** The result of signing (or finding) the latest checkpoint. */
export interface CheckpointOutcome {
  readonly checkpoint: SignedCheckpoint;
  /** False when the log had not grown since the last checkpoint. */
  readonly signed: boolean;
}

/** Everything needed to check offline that a leaf is in the log. */
export interface InclusionBundle {
  readonly format: 'healthcode/audit-inclusion/v1';
  readonly leafIndex: number;
  readonly treeSize: number;
  /** The leaf bytes, base64. */
  readonly leaf: string;
  /** Inclusion proof hashes (RFC 9162 §2.1.3), bottom-up, base64. */
  readonly proof: readonly string[];
  /** The signed checkpoint of size `treeSize` (C2SP signed note). */
  readonly checkpoint: string;
  /** The log's verifier key, `origin+keyid+base64key`; pin it with `--key` rather than trust it. */
  readonly verifierKey: string;
}

/** Everything needed to check offline that one checkpoint extends another. */
export interface ConsistencyBundle {
  readonly format: 'healthcode/audit-consistency/v1';
  readonly size1: number;
  readonly size2: number;
  /** Consistency proof hashes (RFC 9162 §2.1.4), base64. */
  readonly proof: readonly string[];
  readonly verifierKey: string;
}

/** One finding of a full verification. */
export interface VerifyProblem {
  readonly code:
    | 'leaf-missing'
    | 'hashes-mismatch'
    | 'root-mismatch'
    | 'checkpoint-beyond-log'
    | 'checkpoint-signature'
    | 'head-mismatch'
    | 'key-mismatch';
  readonly message: string;
  readonly leafIndex?: number;
  readonly size?: number;
}

/** The outcome of recomputing the whole tree from its leaves. */
export interface VerifyReport {
  readonly ok: boolean;
  /** Leaves found. */
  readonly size: number;
  /** MTH of all leaves found, base64. */
  readonly root: string;
  /** Size of the latest signed checkpoint (stored or given) that was checked. */
  readonly checkpointSize: number | null;
  /** Checkpoints whose signatures and roots were checked. */
  readonly checkpointsChecked: number;
  /** Leaves after the latest checkpoint, not yet covered by a signature. */
  readonly unsignedLeaves: number;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyOptions {
  /** A signed checkpoint to check as well (e.g. one an auditor kept). */
  readonly checkpoint?: string;
  /** A verifier key the log key must equal (pinned by the auditor). */
  readonly key?: string;
  /** Called as leaves are checked (progress bars). */
  readonly onProgress?: (checked: number) => void;
}

/** How readable an entry's details are. */
export type DetailsState = 'clear' | 'sealed' | 'erased';

/** A leaf as a reader sees it; sealed details appear only while their month key lives. */
export interface AuditEntry {
  readonly leafIndex: number;
  readonly kind: AuditKind;
  readonly at: Date;
  readonly subjectAuditId?: string;
  /** `clear`: never sealed; `sealed`: opened with its month key; `erased`: the key is gone. */
  readonly detailsState: DetailsState;
  /** The month whose key sealed the details (sealed kinds only). */
  readonly period?: string;
  readonly actor?: string;
  readonly purpose?: string;
  readonly category?: string;
  readonly action?: string;
  readonly outcome?: string;
  readonly details?: Readonly<Record<string, string | number | boolean | null>>;
}

/** The audit log: the shared port plus checkpoints, proofs, verification and retention. */
export interface AuditLog extends AuditPort {
  /** {@link AuditPort.append}, returning the leaf index of each event, in order. */
  appendIndexed(db: Kysely<Database>, events: readonly AuditEvent[]): Promise<number[]>;
  /**
   * Creates the checkpoint key and signs the size-0 checkpoint the first time (idempotent;
   * safe when several processes race); publishes the latest checkpoint.
   */
  init(): Promise<SignedCheckpoint>;
  /** Signs a checkpoint when the log has grown since the last one, and publishes the latest. */
  checkpoint(): Promise<CheckpointOutcome>;
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  /** Leaves in the log (committed, signed or not). */
  size(): Promise<number>;
  /** `origin+keyid+base64key` of the checkpoint key. */
  verifierKey(): Promise<string>;
  /**
   * An inclusion proof bundle for a leaf against the checkpoint of `treeSize` (default: the
   * latest, signing a new one first when the leaf is newer). O(log n) reads.
   */
  prove(leafIndex: number, treeSize?: number): Promise<InclusionBundle>;
  /** The consistency proof between two tree sizes (RFC 9162 §2.1.4.1). O(log n) reads. */
  consistency(oldSize: number, newSize: number): Promise<Buffer[]>;
  /** Recomputes the tree from every leaf and checks it against the signed checkpoints. */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  entry(leafIndex: number): Promise<AuditEntry>;
  /** A subject's own trail, found by their audit id. */
  trail(subjectAuditId: string): Promise<AuditEntry[]>;
  /**
   * Creates (the first time) and caches this and next month's log keys outside any transaction,
   * so appends at a month's turn find their key ready. Returns the periods prepared.
   */
  preparePeriodKeys(): Promise<string[]>;
  /** Destroys the month keys whose retention has passed (the `audit.period-keys` job). */
  expirePeriodKeys(): Promise<{ destroyed: string[] }>;
}
