// SPDX-License-Identifier: Apache-2.0
/**
 * @module Exact integer noise samplers after Canonne, Kamath & Steinke, "The Discrete Gaussian for
 * Differential Privacy" (NeurIPS 2020, arXiv 2004.00010, Algorithms 1–3): Bernoulli(exp(−γ)),
 * discrete Laplace and discrete Gaussian, plus Poisson and Skellam for distributed noise. Only
 * integer and rational arithmetic over exact uniform integers ({@link RandomBits}) is used — no
 * floating-point Laplace (Mironov, CCS 2012). Rationals are (numerator, denominator) pairs kept in
 * `number` while they stay below 2^53 and in BigInt beyond, so results are exact either way.
 */
import { RandomBits } from './random-bits.js';

const SAFE = Number.MAX_SAFE_INTEGER;

/** A non-negative rational p/q with q > 0. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    [a, b] = [b, a % b];
  }
  return a < 0n ? -a : a;
}

/** Builds a reduced rational; decimal strings ("2.5"), fractions ("5/2") and integers accepted. */
export function rational(value: string | number | bigint, den: bigint = 1n): Rational {
  let n: bigint;
  let d = den;
  if (typeof value === 'bigint') {
    n = value;
  } else {
    const text = String(value).trim();
    const frac = /^(\d+)\/(\d+)$/.exec(text);
    const dec = /^(\d+)(?:\.(\d+))?$/.exec(text);
    if (frac) {
      n = BigInt(frac[1]);
      d *= BigInt(frac[2]);
    } else if (dec) {
      const fracDigits = dec[2] ?? '';
      n = BigInt(dec[1] + fracDigits);
      d *= 10n ** BigInt(fracDigits.length);
    } else {
      throw new RangeError(`"value" must be a non-negative decimal or fraction, got ${text}`);
    }
  }
  if (d <= 0n || n < 0n) {
    throw new RangeError('a rational needs a non-negative numerator and a positive denominator');
  }
  const g = gcd(n, d) || 1n;
  return { num: n / g, den: d / g };
}

/** The rational as a float, for reports only (never on the sampling path). */
export function rationalToNumber(r: Rational): number {
  return Number(r.num) / Number(r.den);
}

/** Integer square root ⌊√n⌋ for n ≥ 0 (Newton's method on BigInt). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) {
    throw new RangeError('"n" must be non-negative');
  }
  if (n < 2n) {
    return n;
  }
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  // Correct the float estimate exactly.
  while (x * x > n) {
    x--;
  }
  while ((x + 1n) * (x + 1n) <= n) {
    x++;
  }
  return x;
}

/** The exact samplers over one pool of random words. */
export class ExactSampler {
  readonly bits: RandomBits;
  constructor(bits: RandomBits = new RandomBits()) {
    this.bits = bits;
  }

  /** Bernoulli(num/den), 0 ≤ num ≤ den. */
  bernoulli(num: number, den: number): boolean {
    return this.bits.uniform(den) < num;
  }

  /** Bernoulli(exp(−num/den)) for num/den ∈ [0, 1] (CKS20 Alg. 1, first part). */
  #bernoulliExp1(num: number, den: number): boolean {
    let k = 1;
    for (;;) {
      const d = den * k;
      const hit =
        d <= SAFE
          ? this.bits.uniform(d) < num
          : this.#bigBernoulli(BigInt(num), BigInt(den) * BigInt(k));
      if (!hit) {
        return (k & 1) === 1;
      }
      k++;
    }
  }

  #bigBernoulli(num: bigint, den: bigint): boolean {
    return this.bits.uniformBig(den) < num;
  }

  /** Bernoulli(exp(−num/den)) for any num/den ≥ 0 (CKS20 Alg. 1). */
  bernoulliExp(num: number, den: number): boolean {
    if (!(num <= SAFE && den <= SAFE)) {
      return this.bernoulliExpBig(BigInt(num), BigInt(den));
    }
    while (num > den) {
      if (!this.#bernoulliExp1(1, 1)) {
        return false;
      }
      num -= den;
    }
    return this.#bernoulliExp1(num, den);
  }

  /** {@link bernoulliExp} on BigInt rationals (large σ²). */
  bernoulliExpBig(num: bigint, den: bigint): boolean {
    // Peel off whole units as exp(−1) trials, then the fractional part.
    while (num > den) {
      if (!this.#bernoulliExp1(1, 1)) {
        return false;
      }
      num -= den;
    }
    const g = gcd(num, den) || 1n;
    num /= g;
    den /= g;
    if (num <= BigInt(SAFE) && den <= BigInt(SAFE)) {
      return this.#bernoulliExp1(Number(num), Number(den));
    }
    let k = 1n;
    for (;;) {
      if (!this.#bigBernoulli(num, den * k)) {
        return k % 2n === 1n;
      }
      k++;
    }
  }

  /** Geometric: the number of successes of Bernoulli(exp(−num/den)) before the first failure. */
  #geometricSlow(num: number, den: number): number {
    let k = 0;
    while (this.bernoulliExp(num, den)) {
      k++;
    }
    return k;
  }

  /** Geometric with P(k) ∝ exp(−k·s/t) (CKS20 Alg. 2, the fast variant). */
  geometricExp(s: number, t: number): number {
    if (s === 0) {
      return 0;
    }
    let u: number;
    for (;;) {
      u = this.bits.uniform(t);
      if (this.bernoulliExp(u, t)) {
        break;
      }
    }
    const v = this.#geometricSlow(1, 1);
    return Math.floor((v * t + u) / s);
  }

  /**
   * Discrete Laplace with scale num/den: P(x) ∝ exp(−|x|·den/num) (CKS20 Alg. 2).
   */
  discreteLaplace(scaleNum: number, scaleDen = 1): number {
    for (;;) {
      const negative = this.bits.bit() === 1;
      const magnitude = this.geometricExp(scaleDen, scaleNum);
      if (negative && magnitude === 0) {
        continue;
      }
      return negative ? -magnitude : magnitude;
    }
  }

  /**
   * Discrete Gaussian N_Z(0, σ²) with σ² = p/q: P(x) ∝ exp(−x²/(2σ²)) (CKS20 Alg. 3), by rejection
   * from a discrete Laplace of scale t = ⌊σ⌋ + 1.
   */
  discreteGaussian(sigma2: Rational): number {
    const p = sigma2.num;
    const q = sigma2.den;
    if (p === 0n) {
      return 0;
    }
    const t = isqrt(p / q) + 1n;
    const tn = Number(t);
    // bias = (|c| − σ²/t)² / (2σ²) = (|c|·q·t − p)² / (2·p·q·t²)
    const den = 2n * p * q * t * t;
    const pn = Number(p);
    const qt = Number(q * t);
    const denN = Number(den);
    // The number path is taken only while every intermediate is an exact safe integer.
    const small = den <= BigInt(SAFE);
    for (;;) {
      const c = this.discreteLaplace(tn, 1);
      const a = Math.abs(c);
      if (small && a * qt <= SAFE) {
        const diff = a * qt - pn;
        const numer = diff * diff;
        if (numer <= SAFE) {
          if (this.bernoulliExp(numer, denN)) {
            return c;
          }
          continue;
        }
      }
      const diff = BigInt(a) * q * t - p;
      if (this.bernoulliExpBig(diff * diff, den)) {
        return c;
      }
    }
  }

  /**
   * Poisson(1), exactly, from uniform integers only (Duchon & Duvignau, "Preserving the number of
   * cycles of length k in a growing uniform permutation", 2016, Alg. 1).
   */
  poisson1(): number {
    let n = 1;
    let g = 0;
    let k = 1;
    for (;;) {
      const i = 1 + this.bits.uniform(n + 1);
      if (i === n + 1) {
        k++;
      } else if (i > g) {
        k--;
        g = n + 1;
      } else {
        return k;
      }
      n++;
    }
  }

  /**
   * Poisson(λ) for a rational λ: ⌊λ⌋ independent Poisson(1) plus a Poisson(1) thinned by
   * Bernoulli(λ − ⌊λ⌋) per event (thinning a Poisson process keeps it Poisson). Exact; cost ∝ λ.
   */
  poisson(lambda: Rational): number {
    const whole = lambda.num / lambda.den;
    const fracNum = lambda.num - whole * lambda.den;
    let total = 0;
    const w = Number(whole);
    for (let i = 0; i < w; i++) {
      total += this.poisson1();
    }
    if (fracNum > 0n) {
      const events = this.poisson1();
      const fn = Number(fracNum);
      const fd = Number(lambda.den);
      const exact = fd <= SAFE;
      for (let i = 0; i < events; i++) {
        if (exact ? this.bernoulli(fn, fd) : this.#bigBernoulli(fracNum, lambda.den)) {
          total++;
        }
      }
    }
    return total;
  }

  /**
   * Skellam noise: Poisson(λ) − Poisson(λ), mean 0, variance 2λ. Sums of independent Skellam
   * draws are Skellam with the λs added, so M parties each adding Skellam(λ/M) produce exactly
   * Skellam(λ) in total while none of them knows the total (Agarwal, Kairouz & Liu, NeurIPS 2021).
   */
  skellam(lambda: Rational): number {
    return this.poisson(lambda) - this.poisson(lambda);
  }
}
