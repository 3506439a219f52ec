// SPDX-License-Identifier: Apache-2.0
/**
 * @module RFC 9162 §2.1.3 inclusion and §2.1.4 consistency proofs: which subtree hashes a proof
 * needs (each a range whose hash folds from at most log n stored complete subtrees, so a proof
 * costs O(log n) reads and never a recomputation of the tree), and the verification algorithms
 * of §2.1.3.2 and §2.1.4.2.
 */
import { AuditProofInvalidError, AuditProofMalformedError } from './errors.js';
import {
  HASH_SIZE,
  completeSubtrees,
  foldRight,
  half,
  isOdd,
  nodeHash,
  splitPoint,
  type NodeId,
} from './merkle.js';

/** A half-open leaf range `[lo, hi)` whose Merkle tree hash is one proof element. */
export type LeafRange = readonly [lo: number, hi: number];

function assertSize(value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`"${label}" must be a non-negative safe integer`);
  }
}

/** The ranges of PATH(m, D[0:n]) (RFC 9162 §2.1.3.1), bottom-up, as the proof lists them. */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  assertSize(m, 'leafIndex');
  assertSize(n, 'treeSize');
  if (m >= n) {
    throw new RangeError('"leafIndex" must be below "treeSize"');
  }
  const topDown: LeafRange[] = [];
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < lo + k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
    }
  }
  return topDown.reverse();
}

/** The ranges of PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true) (RFC 9162 §2.1.4.1), bottom-up. */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  assertSize(m, 'oldSize');
  assertSize(n, 'newSize');
  if (m > n) {
    throw new RangeError('"oldSize" must not exceed "newSize"');
  }
  if (m === 0 || m === n) {
    return [];
  }
  const topDown: LeafRange[] = [];
  let lo = 0;
  let hi = n;
  let rest = m;
  let whole = true;
  for (;;) {
    if (rest === hi - lo) {
      if (!whole) {
        topDown.push([lo, hi]);
      }
      break;
    }
    const k = splitPoint(hi - lo);
    if (rest <= k) {
      topDown.push([lo + k, hi]);
      hi = lo + k;
    } else {
      topDown.push([lo, lo + k]);
      lo += k;
      rest -= k;
      whole = false;
    }
  }
  return topDown.reverse();
}

/** Every complete subtree the given ranges fold from, without repeats. */
export function nodesFor(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Set<string>();
  const out: NodeId[] = [];
  for (const [lo, hi] of ranges) {
    for (const node of completeSubtrees(lo, hi)) {
      const key = `${node.level}/${node.index}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(node);
      }
    }
  }
  return out;
}

/** Reads stored complete-subtree hashes; throws when one is missing. */
export type NodeLookup = (node: NodeId) => Uint8Array;

/** The Merkle tree hashes of `ranges`, each folded from its complete subtrees. */
export function hashRanges(ranges: readonly LeafRange[], lookup: NodeLookup): Buffer[] {
  return ranges.map(([lo, hi]) => foldRight(completeSubtrees(lo, hi).map(lookup)));
}

function assertHash(value: Uint8Array, label: string): void {
  if (!(value instanceof Uint8Array) || value.length !== HASH_SIZE) {
    throw new AuditProofMalformedError(`${label} is not a ${HASH_SIZE}-byte SHA-256 hash`);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * Recomputes the root from an inclusion proof (RFC 9162 §2.1.3.2, steps 1–5). Structural faults
 * (index beyond size, wrong proof length, hashes of the wrong size) throw
 * {@link AuditProofMalformedError}.
 */
export function rootFromInclusionProof(
  leafIndex: number,
  treeSize: number,
  leafHashValue: Uint8Array,
  proof: readonly Uint8Array[],
): Buffer {
  assertSize(leafIndex, 'leafIndex');
  assertSize(treeSize, 'treeSize');
  if (leafIndex >= treeSize) {
    throw new AuditProofMalformedError('the leaf index is not below the tree size');
  }
  assertHash(leafHashValue, 'the leaf hash');
  proof.forEach((p, i) => assertHash(p, `proof element ${i}`));
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHashValue);
  for (const p of proof) {
    if (sn === 0) {
      throw new AuditProofMalformedError('the inclusion proof is longer than the tree allows');
    }
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) {
    throw new AuditProofMalformedError('the inclusion proof is shorter than the tree needs');
  }
  return r;
}

/** Verifies an inclusion proof against a root (RFC 9162 §2.1.3.2); throws on failure. */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHashValue: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(leafIndex, treeSize, leafHashValue, proof);
  if (!sameBytes(computed, root)) {
    throw new AuditProofInvalidError('the inclusion proof does not lead to the expected root');
  }
}

/**
 * Verifies a consistency proof between two tree heads (RFC 9162 §2.1.4.2). Equal sizes need an
 * empty proof and equal roots. A proof from the empty tree is refused as meaningless, as in the
 * transparency-dev/merkle vectors: callers treat size 0 themselves (every tree extends it).
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertSize(size1, 'size1');
  assertSize(size2, 'size2');
  if (size2 < size1) {
    throw new AuditProofMalformedError('the second tree is smaller than the first');
  }
  if (size1 === 0) {
    throw new AuditProofMalformedError('a consistency proof from the empty tree is meaningless');
  }
  if (size1 === size2) {
    if (proof.length > 0) {
      throw new AuditProofMalformedError('equal tree sizes need an empty consistency proof');
    }
    if (!sameBytes(root1, root2)) {
      throw new AuditProofInvalidError('two tree heads of one size have different roots');
    }
    return;
  }
  if (proof.length === 0) {
    throw new AuditProofMalformedError('the consistency proof is empty');
  }
  proof.forEach((p, i) => assertHash(p, `proof element ${i}`));
  // Step 2: when size1 is a power of two, the old root is the first node of the path.
  const nodes = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(nodes[0]);
  let sr: Buffer = Buffer.from(nodes[0]);
  for (const c of nodes.slice(1)) {
    if (sn === 0) {
      throw new AuditProofMalformedError('the consistency proof is longer than the trees allow');
    }
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) {
    throw new AuditProofMalformedError('the consistency proof is shorter than the trees need');
  }
  if (!sameBytes(fr, root1) || !sameBytes(sr, root2)) {
    throw new AuditProofInvalidError('the consistency proof does not link the two roots');
  }
}

/** True for 1, 2, 4, … up to 2^53. */
export function isPowerOfTwo(x: number): boolean {
  if (x < 1) {
    return false;
  }
  while (!isOdd(x)) {
    x = half(x);
  }
  return x === 1;
}
