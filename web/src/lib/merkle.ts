// SPDX-License-Identifier: Apache-2.0
/**
 * @module RFC 9162 §2.1 proof verification in the browser with WebCrypto SHA-256: leaf hash
 * SHA-256(0x00 ‖ leaf), node hash SHA-256(0x01 ‖ left ‖ right), the inclusion-proof algorithm of
 * §2.1.3.2 and the consistency-proof algorithm of §2.1.4.2, step for step.
 */
import { concat, equalBytes } from './bytes.js';

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
}

export const leafHash = (leaf: Uint8Array): Promise<Uint8Array> =>
  sha256(concat(Uint8Array.of(0), leaf));
export const nodeHash = (l: Uint8Array, r: Uint8Array): Promise<Uint8Array> =>
  sha256(concat(Uint8Array.of(1), l, r));

/** RFC 9162 §2.1.3.2: does `path` prove leaf `leafIndex` (hash given) in a tree of `treeSize` with `root`? */
export async function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  hash: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): Promise<boolean> {
  if (
    !Number.isSafeInteger(leafIndex) ||
    !Number.isSafeInteger(treeSize) ||
    leafIndex >= treeSize ||
    leafIndex < 0
  ) {
    return false;
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = hash;
  for (const p of path) {
    if (sn === 0) {
      return false;
    }
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/** RFC 9162 §2.1.4.2: does `path` prove the tree of `size1` with `root1` is a prefix of `size2` with `root2`? */
export async function verifyConsistency(
  size1: number,
  size2: number,
  path: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): Promise<boolean> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 > size2 || size1 < 0) {
    return false;
  }
  if (size1 === size2) {
    return path.length === 0 && equalBytes(root1, root2);
  }
  if (size1 === 0) {
    return path.length === 0;
  }
  if (path.length === 0) {
    return false;
  }
  let proof = [...path];
  // Step 1: when size1 is an exact power of two, prepend first_hash (root1).
  if ((size1 & (size1 - 1)) === 0) {
    proof = [root1, ...proof];
  }
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = proof[0];
  let sr = proof[0];
  for (const c of proof.slice(1)) {
    if (sn === 0) {
      return false;
    }
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}
