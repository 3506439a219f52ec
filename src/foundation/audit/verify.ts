// SPDX-License-Identifier: Apache-2.0
/**
 * @module Full verification of the stored log (RFC 9162 §2.1.1): every leaf is re-hashed in
 * index order, the tree is rebuilt as a compact range (O(log n) memory), and the root at each
 * signed checkpoint's size is compared with what was signed. Stored subtree hashes (which proofs
 * are served from) and the head row are checked against the recomputation too, so a changed,
 * removed, reordered or inserted leaf — even with the triggers dropped — is reported.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/index.js';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { CompactRange, EMPTY_ROOT, leafHash } from './merkle.js';
import type { NoteVerifier } from './note.js';
import type { VerifyProblem, VerifyReport } from './model.js';
import { allCheckpoints, readHead, readLeafPage } from './repository.js';

const PAGE = 2000;
/** We stop listing after this many problems: one is enough to fail, a few help to diagnose. */
const MAX_PROBLEMS = 20;

export interface VerifyInput {
  /** The log's checkpoint key. */
  readonly verifier: NoteVerifier;
  /** Extra signed checkpoints to check (already opened with the same key). */
  readonly extra?: readonly SignedCheckpoint[];
  /** Called after each page with the leaves checked so far (progress bars). */
  readonly onProgress?: (checked: number) => void;
}

/** Recomputes the tree from all leaves through `db` (a connection or a transaction). */
export async function verifyStoredLog(
  db: Kysely<Database>,
  input: VerifyInput,
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const report = (p: VerifyProblem) => {
    if (problems.length < MAX_PROBLEMS) {
      problems.push(p);
    }
  };

  // What was signed, by size: every stored checkpoint must open under the log key and agree
  // with its own row; a given checkpoint joins them.
  const expected = new Map<number, Buffer>();
  let latest: number | null = null;
  const rows = await allCheckpoints(db);
  for (const row of rows) {
    try {
      const cp = openCheckpoint(row.note, input.verifier);
      if (cp.size !== row.size || !cp.root.equals(row.root)) {
        throw new Error('row differs from its note');
      }
    } catch {
      report({
        code: 'checkpoint-signature',
        message: `the stored checkpoint of size ${row.size} is not validly signed by the log key`,
        size: row.size,
      });
      continue;
    }
    expected.set(row.size, row.root);
    latest = Math.max(latest ?? 0, row.size);
  }
  for (const cp of input.extra ?? []) {
    const known = expected.get(cp.size);
    if (known && !known.equals(cp.root)) {
      report({
        code: 'root-mismatch',
        message: `two signed checkpoints of size ${cp.size} have different roots`,
        size: cp.size,
      });
    }
    expected.set(cp.size, cp.root);
    latest = Math.max(latest ?? 0, cp.size);
  }
  const checkRoot = (size: number, root: Buffer) => {
    const want = expected.get(size);
    if (want && !want.equals(root)) {
      report({
        code: 'root-mismatch',
        message: `the leaves do not hash to the root signed at size ${size}`,
        size,
      });
    }
  };

  const range = new CompactRange();
  checkRoot(0, EMPTY_ROOT);
  let next = 0;
  for (;;) {
    const page = await readLeafPage(db, next, PAGE);
    for (const row of page) {
      if (row.leaf_index !== range.size) {
        report({
          code: 'leaf-missing',
          message: `leaf ${range.size} is missing (the next stored index is ${row.leaf_index})`,
          leafIndex: range.size,
        });
      }
      const completed = Buffer.concat(range.push(leafHash(row.leaf)));
      if (!completed.equals(row.hashes)) {
        report({
          code: 'hashes-mismatch',
          message: `the stored hashes of leaf ${row.leaf_index} differ from its recomputed ones`,
          leafIndex: row.leaf_index,
        });
      }
      if (expected.has(range.size)) {
        checkRoot(range.size, range.root());
      }
    }
    input.onProgress?.(range.size);
    if (page.length < PAGE) {
      break;
    }
    next = page[page.length - 1].leaf_index + 1;
  }

  for (const size of expected.keys()) {
    if (size > range.size) {
      report({
        code: 'checkpoint-beyond-log',
        message: `a checkpoint of size ${size} was signed but only ${range.size} leaves remain`,
        size,
      });
    }
  }
  const head = await readHead(db);
  if (head.size !== range.size || !head.frontier.equals(range.serialize())) {
    report({
      code: 'head-mismatch',
      message: `the log head (size ${head.size}) does not match the ${range.size} stored leaves`,
    });
  }
  return {
    ok: problems.length === 0,
    size: range.size,
    root: range.root().toString('base64'),
    checkpointSize: latest,
    checkpointsChecked: expected.size,
    unsignedLeaves: latest === null ? range.size : Math.max(0, range.size - latest),
    problems,
  };
}
