// SPDX-License-Identifier: Apache-2.0
/**
 * @module The audit log's typed errors (STYLE.md §5). Verification failures (a proof, signature
 * or checkpoint that does not check out) are told apart from unusable input (a file that is not
 * a proof bundle at all), so the CLI can answer exit 1 for the first and exit 2 for the second.
 */
import { AppError } from '../../kernel/shared/index.js';

/** Every code this capability throws. */
export type AuditErrorCode =
  | 'ERR_AUDIT_PROOF_MALFORMED'
  | 'ERR_AUDIT_PROOF_INVALID'
  | 'ERR_AUDIT_CHECKPOINT_MALFORMED'
  | 'ERR_AUDIT_SIGNATURE_INVALID'
  | 'ERR_AUDIT_INCONSISTENT'
  | 'ERR_AUDIT_BUNDLE_MALFORMED'
  | 'ERR_AUDIT_LEAF_MALFORMED'
  | 'ERR_AUDIT_LEAF_NOT_FOUND'
  | 'ERR_AUDIT_NOT_INITIALIZED'
  | 'ERR_AUDIT_KEY_MISMATCH'
  | 'ERR_AUDIT_PERIOD_EXPIRED';

/**
 * A proof's structure does not fit the sizes it claims (index beyond size, wrong number of
 * hashes, hashes of the wrong length). A negative verdict: the proof proves nothing.
 */
export class AuditProofMalformedError extends AppError {
  static override readonly code = 'ERR_AUDIT_PROOF_MALFORMED';
  override readonly code = 'ERR_AUDIT_PROOF_MALFORMED';
}

/** A well-formed proof leads to another root than the one it should. */
export class AuditProofInvalidError extends AppError {
  static override readonly code = 'ERR_AUDIT_PROOF_INVALID';
  override readonly code = 'ERR_AUDIT_PROOF_INVALID';
}

/** A checkpoint or signed note is not in the C2SP format. */
export class AuditCheckpointMalformedError extends AppError {
  static override readonly code = 'ERR_AUDIT_CHECKPOINT_MALFORMED';
  override readonly code = 'ERR_AUDIT_CHECKPOINT_MALFORMED';
}

/** No signature from a trusted key verifies, or one from a trusted key fails. */
export class AuditSignatureError extends AppError {
  static override readonly code = 'ERR_AUDIT_SIGNATURE_INVALID';
  override readonly code = 'ERR_AUDIT_SIGNATURE_INVALID';
}

/** Two signed checkpoints cannot both be heads of one append-only log: a fork or a rewrite. */
export class AuditInconsistentError extends AppError {
  static override readonly code = 'ERR_AUDIT_INCONSISTENT';
  override readonly code = 'ERR_AUDIT_INCONSISTENT';
}

/** A proof bundle file is not a bundle (bad JSON, missing or mistyped fields). */
export class AuditBundleMalformedError extends AppError {
  static override readonly code = 'ERR_AUDIT_BUNDLE_MALFORMED';
  override readonly code = 'ERR_AUDIT_BUNDLE_MALFORMED';
}

/** A leaf's bytes are not a canonical healthcode audit record. */
export class AuditLeafMalformedError extends AppError {
  static override readonly code = 'ERR_AUDIT_LEAF_MALFORMED';
  override readonly code = 'ERR_AUDIT_LEAF_MALFORMED';
}

/** The log has no leaf (or no signed checkpoint) that far. */
export class AuditLeafNotFoundError extends AppError {
  static override readonly code = 'ERR_AUDIT_LEAF_NOT_FOUND';
  override readonly code = 'ERR_AUDIT_LEAF_NOT_FOUND';
}

/** The log has no signing key yet: nothing has initialised it. */
export class AuditNotInitializedError extends AppError {
  static override readonly code = 'ERR_AUDIT_NOT_INITIALIZED';
  override readonly code = 'ERR_AUDIT_NOT_INITIALIZED';
}

/** The stored checkpoint key does not match its wrapped private half, or a pinned key. */
export class AuditKeyMismatchError extends AppError {
  static override readonly code = 'ERR_AUDIT_KEY_MISMATCH';
  override readonly code = 'ERR_AUDIT_KEY_MISMATCH';
}

/** A period's log key has been destroyed; nothing may be sealed under it again. */
export class AuditPeriodExpiredError extends AppError {
  static override readonly code = 'ERR_AUDIT_PERIOD_EXPIRED';
  override readonly code = 'ERR_AUDIT_PERIOD_EXPIRED';
}

/** Errors that mean "checked, and it does not hold" (exit 1) rather than "unusable input". */
export function isVerificationFailure(err: unknown): boolean {
  return (
    err instanceof AuditProofMalformedError ||
    err instanceof AuditProofInvalidError ||
    err instanceof AuditSignatureError ||
    err instanceof AuditInconsistentError ||
    err instanceof AuditKeyMismatchError
  );
}
