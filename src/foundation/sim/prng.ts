// SPDX-License-Identifier: Apache-2.0
/**
 * @module Seeded, non-cryptographic randomness for the synthetic city: the sfc32 generator
 * (Chris Doty-Humphrey's Small Fast Chaotic PRNG, PractRand-clean), per-stream seed derivation
 * with the MurmurHash3 finaliser, and a keyed Feistel permutation that hands out unique slots
 * (ID numbers, phone numbers) to residents without remembering which slots are taken.
 *
 * Never used for secrets: the sim's output is public test data by design.
 */

/** MurmurHash3's 32-bit finaliser: a cheap avalanche mix. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes a list of integers into one 32-bit key (order matters). */
export function mixKey(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    // Fold numbers above 2^32 (large seeds) in two halves so no bits are lost.
    const lo = p >>> 0;
    const hi = Math.floor(p / 4294967296) >>> 0;
    h = fmix32(h ^ lo) + 0x6a09e667;
    h = fmix32(h ^ hi ^ 0x5bd1e995);
  }
  return h >>> 0;
}

/** The sfc32 generator: 128 bits of state, period ≥ 2^32, fast on 32-bit integer math. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(key: number, stream = 0) {
    this.#a = mixKey(key, stream, 1);
    this.#b = mixKey(key, stream, 2);
    this.#c = mixKey(key, stream, 3);
    this.#d = 1;
    // The reference implementation discards the first outputs so weak seeds spread out.
    for (let i = 0; i < 12; i++) {
      this.u32();
    }
  }

  /** The next 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi] (inclusive). */
  range(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** A standard normal deviate (Box–Muller; one of the pair is dropped for simplicity). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/**
 * Cumulative weights for {@link pickWeighted}: built once per table, searched per draw.
 */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    out[i] = sum;
  }
  for (let i = 0; i < out.length; i++) {
    out[i] = out[i] / sum;
  }
  return out;
}

/** An index drawn with the probabilities of a {@link cumulative} table (binary search). */
export function pickWeighted(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

/**
 * A keyed pseudo-random permutation of `[0, size)`: a balanced 4-round Feistel network on the
 * smallest even bit width that covers `size`, with cycle walking for values outside the range
 * (Black & Rogaway, "Ciphers with arbitrary finite domains", 2002). Distinct inputs give
 * distinct outputs, so resident n can take slot `permute(n)` with no table of used slots.
 */
export class FeistelPermutation {
  readonly size: number;
  readonly #half: number;
  readonly #mask: number;
  readonly #keys: readonly number[];

  constructor(size: number, key: number) {
    if (!Number.isInteger(size) || size < 1 || size > 2 ** 32) {
      throw new RangeError('"size" must be an integer in [1, 2^32]');
    }
    let bits = Math.max(2, Math.ceil(Math.log2(size)));
    bits += bits % 2;
    this.size = size;
    this.#half = bits / 2;
    this.#mask = 2 ** this.#half - 1;
    this.#keys = [0, 1, 2, 3].map((i) => mixKey(key, i, 0xfe157e1));
  }

  /** The image of `x` (an integer in `[0, size)`). */
  permute(x: number): number {
    if (!Number.isInteger(x) || x < 0 || x >= this.size) {
      throw new RangeError('"x" must be an integer in [0, size)');
    }
    const scale = 2 ** this.#half;
    let v = x;
    do {
      let left = Math.floor(v / scale);
      let right = v % scale;
      for (const k of this.#keys) {
        const next = (left ^ fmix32(right ^ k)) & this.#mask;
        left = right;
        right = next >>> 0;
      }
      v = left * scale + right;
    } while (v >= this.size);
    return v;
  }
}
