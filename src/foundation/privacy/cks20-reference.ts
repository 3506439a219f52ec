// SPDX-License-Identifier: Apache-2.0
/**
 * @module A straightforward reference port of the CKS20 samplers (IBM
 * discrete-gaussian-differential-privacy `discretegauss.py`): BigInt rationals everywhere, bits
 * pooled from node:crypto. It is the oracle the tests compare {@link ExactSampler} against and the
 * baseline `bench/privacy.bench.ts` measures it against; it is not used to release anything.
 */
import { randomBytes } from 'node:crypto';

class Pool {
  #buf = Buffer.alloc(0);
  #off = 0;
  word(): bigint {
    if (this.#off + 4 > this.#buf.length) {
      this.#buf = randomBytes(65_536);
      this.#off = 0;
    }
    const w = this.#buf.readUInt32LE(this.#off);
    this.#off += 4;
    return BigInt(w);
  }
  uniform(n: bigint): bigint {
    const bits = n.toString(2).length;
    const words = Math.ceil(bits / 32);
    for (;;) {
      let w = 0n;
      for (let i = 0; i < words; i++) {
        w = (w << 32n) | this.word();
      }
      w >>= BigInt(words * 32 - bits);
      if (w < n) {
        return w;
      }
    }
  }
}

/** The reference samplers; rationals are [numerator, denominator] BigInt pairs. */
export class ReferenceSampler {
  readonly #pool = new Pool();
  bernoulli(n: bigint, d: bigint): boolean {
    return this.#pool.uniform(d) < n;
  }
  bernoulliExp1(n: bigint, d: bigint): boolean {
    let k = 1n;
    while (this.bernoulli(n, d * k)) {
      k++;
    }
    return k % 2n === 1n;
  }
  bernoulliExp(n: bigint, d: bigint): boolean {
    while (n > d) {
      if (!this.bernoulliExp1(1n, 1n)) {
        return false;
      }
      n -= d;
    }
    return this.bernoulliExp1(n, d);
  }
  geometricSlow(n: bigint, d: bigint): bigint {
    let k = 0n;
    while (this.bernoulliExp(n, d)) {
      k++;
    }
    return k;
  }
  geometricFast(s: bigint, t: bigint): bigint {
    if (s === 0n) {
      return 0n;
    }
    let u: bigint;
    for (;;) {
      u = this.#pool.uniform(t);
      if (this.bernoulliExp(u, t)) {
        break;
      }
    }
    const v = this.geometricSlow(1n, 1n);
    return (v * t + u) / s;
  }
  discreteLaplace(t: bigint): bigint {
    for (;;) {
      const sign = this.bernoulli(1n, 2n);
      const m = this.geometricFast(1n, t);
      if (sign && m === 0n) {
        continue;
      }
      return sign ? -m : m;
    }
  }
  discreteGaussian(p: bigint, q: bigint): bigint {
    // floorsqrt(σ²) + 1 by the port's binary search.
    let a = 0n;
    let b = 1n;
    while (b * b * q <= p) {
      b *= 2n;
    }
    while (a + 1n < b) {
      const c = (a + b) / 2n;
      if (c * c * q <= p) {
        a = c;
      } else {
        b = c;
      }
    }
    const t = a + 1n;
    for (;;) {
      const c = this.discreteLaplace(t);
      const a = c < 0n ? -c : c;
      const diff = a * q * t - p;
      if (this.bernoulliExp(diff * diff, 2n * p * q * t * t)) {
        return c;
      }
    }
  }
}
