// SPDX-License-Identifier: Apache-2.0
/**
 * @module An auditor's local history of checkpoints (C2SP tlog-checkpoint: a log must never sign
 * two inconsistent checkpoints). Each kept checkpoint is opened under the log key and shown to
 * be an earlier state of the latest one by an RFC 9162 §2.1.4 consistency proof; anything else
 * is reported as an inconsistency — evidence of a fork or a rewritten log.
 */
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { AuditInconsistentError } from './errors.js';
import type { NoteVerifier } from './note.js';
import { checkConsistency } from './consistency.js';

export interface HistoryProblem {
  readonly name: string;
  /** `inconsistent` is the loud one; `unreadable` means the kept file is not a valid checkpoint. */
  readonly code: 'inconsistent' | 'unreadable';
  readonly message: string;
  readonly size?: number;
}

export interface HistoryReport {
  readonly ok: boolean;
  /** Kept checkpoints examined. */
  readonly checked: number;
  readonly latestSize: number;
  readonly problems: readonly HistoryProblem[];
}

/**
 * Checks every kept checkpoint against `latest`. `proofFor(m, n)` gives the consistency proof
 * between sizes m ≤ n (from the log, or from the operator's API).
 */
export async function checkHistory(
  kept: readonly { name: string; note: string }[],
  latest: SignedCheckpoint,
  verifier: NoteVerifier,
  proofFor: (m: number, n: number) => Promise<readonly Uint8Array[]>,
): Promise<HistoryReport> {
  const problems: HistoryProblem[] = [];
  for (const { name, note } of kept) {
    let cp: SignedCheckpoint;
    try {
      cp = openCheckpoint(note, verifier);
    } catch (err) {
      problems.push({
        name,
        code: 'unreadable',
        message: `not a checkpoint signed by the log key (${(err as { code?: string }).code ?? 'error'})`,
      });
      continue;
    }
    try {
      if (cp.size > latest.size) {
        throw new AuditInconsistentError(
          `a checkpoint of size ${cp.size} was signed, but the log's latest is ${latest.size}: the log was rolled back or forked`,
        );
      }
      const proof =
        cp.size === 0 || cp.size === latest.size ? [] : await proofFor(cp.size, latest.size);
      checkConsistency(cp, latest, proof);
    } catch (err) {
      problems.push({
        name,
        code: 'inconsistent',
        size: cp.size,
        message: err instanceof Error ? err.message : 'inconsistent',
      });
    }
  }
  return {
    ok: problems.length === 0,
    checked: kept.length,
    latestSize: latest.size,
    problems,
  };
}
