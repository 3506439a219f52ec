// SPDX-License-Identifier: Apache-2.0
/**
 * @module RFC 9162 §2.1 Merkle tree hashing: leaf hash `SHA-256(0x00 ‖ leaf)`, node hash
 * `SHA-256(0x01 ‖ left ‖ right)`, the empty root, and the compact range (the "peaks" of the
 * complete subtrees that make up a tree of any size), which lets an append compute every newly
 * completed subtree and the root from O(log n) stored hashes.
 */
import * as nodeCrypto from 'node:crypto';

/** SHA-256 output size. */
export const HASH_SIZE = 32;

/**
 * One-shot SHA-256: `crypto.hash` (Node ≥ 20.12) skips the Hash object a `createHash` call
 * builds, about a third faster on the small inputs a Merkle tree hashes by the million.
 */
const sha256: (data: Uint8Array) => Buffer =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'buffer')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest();

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = sha256(new Uint8Array(0));

/** The hash of a leaf: SHA-256(0x00 ‖ leaf) (RFC 9162 §2.1.1). */
export function leafHash(leaf: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + leaf.length);
  input[0] = 0x00;
  input.set(leaf, 1);
  return sha256(input);
}

/** The hash of an interior node: SHA-256(0x01 ‖ left ‖ right) (RFC 9162 §2.1.1). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 0x01;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** True when `x` is odd; sizes go up to 2^53, beyond the 32-bit bitwise operators. */
export function isOdd(x: number): boolean {
  return x % 2 === 1;
}

/** `floor(x / 2)` for non-negative integers up to 2^53. */
export function half(x: number): number {
  return Math.floor(x / 2);
}

/** The number of trailing zero bits of a positive integer. */
export function trailingZeros(x: number): number {
  let n = 0;
  while (x > 0 && !isOdd(x)) {
    x = half(x);
    n++;
  }
  return n;
}

/** The largest power of two strictly smaller than `n` (n ≥ 2), the split point k of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}

/** A complete subtree: 2^level leaves starting at leaf `index · 2^level`. */
export interface NodeId {
  readonly level: number;
  readonly index: number;
}

/** The index of the last leaf under a complete subtree: the leaf whose append completed it. */
export function lastLeafOf(node: NodeId): number {
  return (node.index + 1) * 2 ** node.level - 1;
}

/**
 * Splits `[lo, hi)` into maximal aligned complete subtrees, left to right. For the ranges that
 * appear in RFC 9162 proofs (lo aligned to a power of two at least hi − lo) these are the binary
 * decomposition of the range's size, largest first.
 */
export function completeSubtrees(lo: number, hi: number): NodeId[] {
  if (!(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo >= 0 && lo <= hi)) {
    throw new RangeError('"lo" and "hi" must be safe integers with 0 <= lo <= hi');
  }
  const out: NodeId[] = [];
  while (lo < hi) {
    let level = 0;
    while (lo % 2 ** (level + 1) === 0 && lo + 2 ** (level + 1) <= hi) {
      level++;
    }
    out.push({ level, index: lo / 2 ** level });
    lo += 2 ** level;
  }
  return out;
}

/**
 * Folds the hashes of a range's complete subtrees (left to right, decreasing sizes) into the
 * range's Merkle tree hash: the smaller subtrees on the right combine first (RFC 9162 §2.1.1).
 */
export function foldRight(hashes: readonly Uint8Array[]): Buffer {
  if (hashes.length === 0) {
    return EMPTY_ROOT;
  }
  let acc: Buffer = Buffer.from(hashes[hashes.length - 1]);
  for (let i = hashes.length - 2; i >= 0; i--) {
    acc = nodeHash(hashes[i], acc);
  }
  return acc;
}

/**
 * The compact range `[0, size)`: the hashes of the complete subtrees of the binary decomposition
 * of `size`, largest first. Appending a leaf merges equal-sized peaks, which yields exactly the
 * subtrees that leaf completes.
 */
export class CompactRange {
  #size: number;
  readonly #peaks: Buffer[];

  constructor(size = 0, peaks: readonly Uint8Array[] = []) {
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new RangeError('"size" must be a non-negative safe integer');
    }
    let bits = 0;
    for (let s = size; s > 0; s = half(s)) {
      bits += s % 2;
    }
    if (peaks.length !== bits || peaks.some((p) => p.length !== HASH_SIZE)) {
      throw new RangeError(`"peaks" expected ${bits} hashes of ${HASH_SIZE} bytes`);
    }
    this.#size = size;
    this.#peaks = peaks.map((p) => Buffer.from(p));
  }

  /** Rebuilds a range from the concatenated peaks written by {@link serialize}. */
  static deserialize(size: number, blob: Uint8Array): CompactRange {
    if (blob.length % HASH_SIZE !== 0) {
      throw new RangeError('"blob" length must be a multiple of 32');
    }
    const peaks: Buffer[] = [];
    for (let o = 0; o < blob.length; o += HASH_SIZE) {
      peaks.push(Buffer.from(blob.subarray(o, o + HASH_SIZE)));
    }
    return new CompactRange(size, peaks);
  }

  get size(): number {
    return this.#size;
  }

  /** The peaks, largest subtree first. */
  get peaks(): readonly Buffer[] {
    return this.#peaks;
  }

  /**
   * Appends one leaf hash; returns the hashes that leaf completes, bottom-up: the leaf hash itself
   * (level 0), then each interior node up to level `trailingZeros(index + 1)`.
   */
  push(leafHashValue: Uint8Array): Buffer[] {
    let cur: Buffer = Buffer.from(leafHashValue);
    const completed = [cur];
    for (let n = this.#size; isOdd(n); n = half(n)) {
      cur = nodeHash(this.#peaks.pop()!, cur);
      completed.push(cur);
    }
    this.#peaks.push(cur);
    this.#size++;
    return completed;
  }

  /** MTH(D[0:size]). */
  root(): Buffer {
    return foldRight(this.#peaks);
  }

  serialize(): Buffer {
    return Buffer.concat(this.#peaks);
  }

  clone(): CompactRange {
    return new CompactRange(this.#size, this.#peaks);
  }
}

/**
 * Storage layout: the row of leaf i keeps the hashes that leaf completed, bottom-up (what
 * {@link CompactRange.push} returns, concatenated). Complete subtree (level, index) therefore
 * lives in row {@link lastLeafOf}(node) at offset `level · 32`: one row read per proof node.
 */
export function hashInRow(row: Uint8Array, level: number): Buffer {
  const start = level * HASH_SIZE;
  if (row.length < start + HASH_SIZE) {
    throw new RangeError(`row holds no hash at level ${level}`);
  }
  return Buffer.from(row.subarray(start, start + HASH_SIZE));
}
