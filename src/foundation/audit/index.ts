// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's public door (DESIGN.md §7): an RFC 9162 Merkle log implementing the
 * shared AuditPort, C2SP signed checkpoints, inclusion and consistency proofs, offline proof
 * checking, auditor histories and month keys that expire (DOMAIN.md §6 req. 25).
 */
export { createAuditLog, signCheckpointIfGrown } from './service.js';
export { checkConsistency } from './consistency.js';
export type {
  AuditLog,
  AuditDeps,
  AuditEntry,
  CheckpointOutcome,
  ConsistencyBundle,
  DetailsState,
  InclusionBundle,
  VerifyOptions,
  VerifyProblem,
  VerifyReport,
} from './model.js';
export { auditMigrations } from './migrations.js';
export { auditJobs, AUDIT_JOB_NAMES } from './jobs.js';
export { formatCheckpoint, parseCheckpoint, openCheckpoint, signCheckpoint } from './checkpoint.js';
export type { SignedCheckpoint, TreeHead } from './checkpoint.js';
export {
  formatVerifierKey,
  parseVerifierKey,
  noteSigner,
  noteVerifier,
  openNote,
  signNote,
} from './note.js';
export type { NoteSigner, NoteVerifier, OpenedNote } from './note.js';
export { leafHash, nodeHash, EMPTY_ROOT } from './merkle.js';
export { verifyInclusion, verifyConsistency } from './proof.js';
export { checkInclusionBundle, checkConsistencyBundle } from './bundle.js';
export type { InclusionVerdict } from './bundle.js';
export { checkHistory } from './history.js';
export type { HistoryReport } from './history.js';
export { decodeLeaf } from './leaf.js';
export type { DecodedLeaf, LeafDetails } from './leaf.js';
export { isVerificationFailure } from './errors.js';
export * as auditErrors from './errors.js';
