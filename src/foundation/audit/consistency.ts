// SPDX-License-Identifier: Apache-2.0
/**
 * @module Whether one signed tree head can be an earlier state of another (RFC 9162 §2.1.4.2),
 * with the empty tree (which every tree extends) handled here rather than by the vector-level
 * verifier, which refuses size 0 as meaningless.
 */
import type { TreeHead } from './checkpoint.js';
import {
  AuditInconsistentError,
  AuditProofInvalidError,
  AuditProofMalformedError,
} from './errors.js';
import { EMPTY_ROOT } from './merkle.js';
import { verifyConsistency } from './proof.js';

/**
 * Checks that `newer` extends `older` given a consistency proof (RFC 9162 §2.1.4.2). Every tree
 * extends the empty one, so size 0 needs only the empty root. Throws
 * {@link AuditInconsistentError} when the two cannot be heads of one log, and the proof's own
 * error when the proof is merely unusable.
 */
export function checkConsistency(
  older: TreeHead,
  newer: TreeHead,
  proof: readonly Uint8Array[],
): void {
  const label = `the checkpoints of sizes ${older.size} and ${newer.size}`;
  if (older.size > newer.size) {
    throw new RangeError('"older" must not be larger than "newer"');
  }
  if (older.size === 0 || newer.size === 0) {
    if (!older.root.equals(EMPTY_ROOT) || (newer.size === 0 && !newer.root.equals(EMPTY_ROOT))) {
      throw new AuditInconsistentError(
        `${label}: a size-0 checkpoint must commit to the empty tree`,
      );
    }
    if (proof.length > 0) {
      throw new AuditProofMalformedError('a proof from the empty tree must be empty');
    }
    return;
  }
  if (older.size === newer.size && !older.root.equals(newer.root)) {
    throw new AuditInconsistentError(`${label}: one size, two roots (a fork)`);
  }
  try {
    verifyConsistency(older.size, newer.size, proof, older.root, newer.root);
  } catch (err) {
    if (err instanceof AuditProofInvalidError) {
      throw new AuditInconsistentError(`${label} are not consistent`, { cause: err });
    }
    throw err;
  }
}
