// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CompactRange, hashInRow, lastLeafOf, leafHash, nodeHash, splitPoint } from './merkle.js';
import {
  consistencyRanges,
  hashRanges,
  inclusionRanges,
  nodesFor,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from './proof.js';
import { AuditProofInvalidError, AuditProofMalformedError } from './errors.js';

/** The reference MTH of RFC 9162 §2.1.1, computed recursively from the leaves. */
function mth(leaves: readonly Buffer[]): Buffer {
  if (leaves.length === 1) {
    return leafHash(leaves[0]);
  }
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function build(n: number) {
  const leaves = Array.from({ length: n }, (_, i) => Buffer.from(`leaf ${i}`));
  const range = new CompactRange();
  const rows: Buffer[] = [];
  const roots: Buffer[] = [range.root()];
  for (const leaf of leaves) {
    rows.push(Buffer.concat(range.push(leafHash(leaf))));
    roots.push(range.root());
  }
  const reads: number[] = [];
  const lookup = (node: { level: number; index: number }) => {
    reads.push(lastLeafOf(node));
    return hashInRow(rows[lastLeafOf(node)], node.level);
  };
  return { leaves, rows, roots, lookup, reads };
}

describe('tree roots', () => {
  it('the compact range root equals the recursive MTH for every size up to 70', () => {
    const t = build(70);
    for (let n = 1; n <= 70; n++) {
      expect(t.roots[n].equals(mth(t.leaves.slice(0, n)))).toBe(true);
    }
  });
});

describe('inclusion proofs', () => {
  it('generated proofs verify for every leaf of every size up to 40', () => {
    const t = build(40);
    for (let n = 1; n <= 40; n++) {
      for (let m = 0; m < n; m++) {
        const proof = hashRanges(inclusionRanges(m, n), t.lookup);
        expect(() => verifyInclusion(m, n, leafHash(t.leaves[m]), proof, t.roots[n])).not.toThrow();
      }
    }
  });

  it('any single flipped bit, dropped or extra hash is refused', () => {
    const t = build(37);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 37 }),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('flip', 'drop', 'extra'),
        (n, mSeed, bitSeed, how) => {
          const m = mSeed % n;
          const proof = hashRanges(inclusionRanges(m, n), t.lookup);
          if (proof.length === 0) {
            return;
          }
          const bad = proof.map((p) => Buffer.from(p));
          if (how === 'flip') {
            const bit = bitSeed % (bad.length * 256);
            bad[Math.floor(bit / 256)][Math.floor((bit % 256) / 8)] ^= 1 << (bit % 8);
          } else if (how === 'drop') {
            bad.pop();
          } else {
            bad.push(Buffer.alloc(32));
          }
          expect(() => verifyInclusion(m, n, leafHash(t.leaves[m]), bad, t.roots[n])).toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('tells a malformed proof from a wrong one', () => {
    const t = build(8);
    const proof = hashRanges(inclusionRanges(3, 8), t.lookup);
    expect(() => rootFromInclusionProof(8, 8, leafHash(t.leaves[0]), proof)).toThrow(
      AuditProofMalformedError,
    );
    expect(() => rootFromInclusionProof(3, 8, Buffer.alloc(31), proof)).toThrow(
      AuditProofMalformedError,
    );
    expect(() => verifyInclusion(3, 8, leafHash(t.leaves[4]), proof, t.roots[8])).toThrow(
      AuditProofInvalidError,
    );
  });

  it('reads O(log n) stored rows, one per complete subtree', () => {
    const n = 1_000_003;
    for (const m of [0, 1, 499_999, 999_999, 1_000_002]) {
      const nodes = nodesFor(inclusionRanges(m, n));
      expect(nodes.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
    }
  });
});

describe('consistency proofs', () => {
  it('generated proofs link every pair of sizes up to 40', () => {
    const t = build(40);
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = hashRanges(consistencyRanges(m, n), t.lookup);
        expect(() => verifyConsistency(m, n, proof, t.roots[m], t.roots[n])).not.toThrow();
      }
    }
  });

  it('refuses a proof between a forked pair of trees', () => {
    const t = build(20);
    const forked = build(20);
    forked.leaves[5] = Buffer.from('rewritten');
    const f = new CompactRange();
    forked.leaves.forEach((l) => f.push(leafHash(l)));
    const proof = hashRanges(consistencyRanges(9, 20), t.lookup);
    expect(() => verifyConsistency(9, 20, proof, t.roots[9], f.root())).toThrow(
      AuditProofInvalidError,
    );
  });

  it('refuses size 0 and a shrinking tree', () => {
    expect(() => verifyConsistency(0, 5, [], Buffer.alloc(32), Buffer.alloc(32))).toThrow(
      AuditProofMalformedError,
    );
    expect(() => verifyConsistency(5, 4, [], Buffer.alloc(32), Buffer.alloc(32))).toThrow(
      AuditProofMalformedError,
    );
  });
});
