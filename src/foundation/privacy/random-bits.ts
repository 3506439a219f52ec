// SPDX-License-Identifier: Apache-2.0
/**
 * @module Exact uniform integers from pooled CSPRNG bytes — the only randomness the DP samplers
 * use (Canonne–Kamath–Steinke 2020 §5 assume a source of uniform integers; no floating point).
 * Bytes are drawn from the {@link Random} port in large blocks, because per-call draws dominate.
 */
import type { Random } from '../../kernel/shared/index.js';
import { systemRandom } from '../../kernel/shared/index.js';

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

/** A pool of random 32-bit words with exact rejection-sampled uniform integers. */
export class RandomBits {
  readonly #random: Random;
  readonly #poolWords: number;
  #words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  #idx = 0;
  #bitWord = 0;
  #bitsLeft = 0;
  constructor(random: Random = systemRandom, poolWords = 16_384) {
    this.#random = random;
    this.#poolWords = poolWords;
  }

  /** A uniform 32-bit word. */
  u32(): number {
    if (this.#idx >= this.#words.length) {
      const b = this.#random.bytes(this.#poolWords * 4);
      this.#words = new Uint32Array(b.buffer, b.byteOffset, this.#poolWords);
      this.#idx = 0;
    }
    return this.#words[this.#idx++];
  }

  /** A uniform bit. */
  bit(): number {
    if (this.#bitsLeft === 0) {
      this.#bitWord = this.u32();
      this.#bitsLeft = 32;
    }
    const b = this.#bitWord & 1;
    this.#bitWord >>>= 1;
    this.#bitsLeft--;
    return b;
  }

  /** A uniform integer in [0, n), for 1 ≤ n ≤ 2^53, by rejection (no modulo bias). */
  uniform(n: number): number {
    if (n <= TWO32) {
      if (n === 1) {
        return 0;
      }
      // Accept w < limit, the largest multiple of n not above 2^32.
      const limit = TWO32 - (TWO32 % n);
      for (;;) {
        const w = this.u32();
        if (w < limit) {
          return w % n;
        }
      }
    }
    if (!(n <= TWO53) || !Number.isInteger(n)) {
      throw new RangeError('"n" must be an integer in [1, 2^53]');
    }
    const limit = TWO53 - (TWO53 % n);
    for (;;) {
      const w = (this.u32() >>> 11) * TWO32 + this.u32();
      if (w < limit) {
        return w % n;
      }
    }
  }

  /** A uniform integer in [0, n) for any positive BigInt n. */
  uniformBig(n: bigint): bigint {
    if (n <= 0n) {
      throw new RangeError('"n" must be positive');
    }
    if (n <= BigInt(TWO53)) {
      return BigInt(this.uniform(Number(n)));
    }
    const bits = n.toString(2).length;
    const words = Math.ceil(bits / 32);
    const excess = BigInt(words * 32 - bits);
    for (;;) {
      let w = 0n;
      for (let i = 0; i < words; i++) {
        w = (w << 32n) | BigInt(this.u32());
      }
      w >>= excess;
      if (w < n) {
        return w;
      }
    }
  }
}
