// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { ExactSampler, isqrt, rational } from './samplers.js';
import { RandomBits } from './random-bits.js';
import { ReferenceSampler } from './cks20-reference.js';
import { chiSquare, chiSquareCritical999, seededRandom } from './testing.js';

function sampler(seed: string): ExactSampler {
  return new ExactSampler(new RandomBits(seededRandom(seed)));
}

/** Chi-square of n draws against a pmf over [lo, hi] (tails folded into the end bins). */
function fits(draw: () => number, pmf: (x: number) => number, lo: number, hi: number, n: number) {
  const obs = new Array<number>(hi - lo + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const x = Math.min(hi, Math.max(lo, draw()));
    obs[x - lo]++;
  }
  const w: number[] = [];
  for (let x = lo; x <= hi; x++) {
    w.push(pmf(x));
  }
  const z = w.reduce((a, b) => a + b, 0);
  const { stat, df } = chiSquare(
    obs,
    w.map((p) => (p / z) * n),
  );
  return { stat, crit: chiSquareCritical999(df) };
}

describe('exact samplers (CKS20)', () => {
  it('Bernoulli(exp(−γ)) hits its probability for γ = 0, 1/3, 5/2', () => {
    const s = sampler('bern');
    for (const [num, den, p] of [
      [0, 1, 1],
      [1, 3, Math.exp(-1 / 3)],
      [5, 2, Math.exp(-2.5)],
    ] as const) {
      let hits = 0;
      const n = 40_000;
      for (let i = 0; i < n; i++) {
        hits += s.bernoulliExp(num, den) ? 1 : 0;
      }
      expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
    }
  });

  it('discrete Laplace (scale 3) passes a chi-square test', () => {
    const s = sampler('dlap');
    const r = fits(
      () => s.discreteLaplace(3),
      (x) => Math.exp(-Math.abs(x) / 3),
      -25,
      25,
      60_000,
    );
    expect(r.stat).toBeLessThan(r.crit);
  });

  it('discrete Gaussian (σ² = 9 and σ² = 5/2) passes chi-square; mean and variance in bounds', () => {
    const s = sampler('dgauss');
    for (const s2 of ['9', '5/2']) {
      const sigma2 = rational(s2);
      const v = Number(sigma2.num) / Number(sigma2.den);
      const r = fits(
        () => s.discreteGaussian(sigma2),
        (x) => Math.exp((-x * x) / (2 * v)),
        -15,
        15,
        60_000,
      );
      expect(r.stat).toBeLessThan(r.crit);
    }
    const n = 40_000;
    let sum = 0;
    let sq = 0;
    const big = rational(10_000n);
    for (let i = 0; i < n; i++) {
      const x = s.discreteGaussian(big);
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(4 * Math.sqrt(10_000 / n));
    // Var of the sample variance of a near-normal: 2σ⁴/n.
    expect(Math.abs(sq / n - 10_000)).toBeLessThan(4 * Math.sqrt((2 * 1e8) / n));
  });

  it('large σ² takes the BigInt path and stays calibrated', () => {
    const s = sampler('huge');
    const sigma2 = rational(10n ** 10n); // σ = 10^5: intermediates exceed 2^53
    let sq = 0;
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const x = s.discreteGaussian(sigma2);
      sq += x * x;
    }
    expect(Math.abs(sq / n / 1e10 - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('agrees in distribution with the straightforward reference port', () => {
    const fast = sampler('cmp');
    const ref = new ReferenceSampler();
    const n = 30_000;
    const a = new Array<number>(41).fill(0);
    const b = new Array<number>(41).fill(0);
    for (let i = 0; i < n; i++) {
      a[Math.min(40, Math.max(0, fast.discreteGaussian(rational(16n)) + 20))]++;
      b[Math.min(40, Math.max(0, Number(ref.discreteGaussian(16n, 1n)) + 20))]++;
    }
    // Two-sample chi-square with the pooled expectation.
    const { stat, df } = chiSquare(
      a,
      b.map((x, i) => (x + a[i]) / 2),
    );
    expect(stat).toBeLessThan(2 * chiSquareCritical999(df));
  });

  it('Poisson(1) and Poisson(5/2) pass chi-square tests', () => {
    const s = sampler('poisson');
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
    for (const lam of ['1', '5/2']) {
      const l = rational(lam);
      const lv = Number(l.num) / Number(l.den);
      const r = fits(
        () => s.poisson(l),
        (k) => (lv ** k * Math.exp(-lv)) / fact(k),
        0,
        14,
        60_000,
      );
      expect(r.stat).toBeLessThan(r.crit);
    }
  });

  it('Skellam shares add up: two draws of Skellam(λ/2) match one Skellam(λ) in mean and variance', () => {
    const s = sampler('skellam');
    const n = 40_000;
    let sum = 0;
    let sq = 0;
    const half = rational('3/2');
    for (let i = 0; i < n; i++) {
      const x = s.skellam(half) + s.skellam(half);
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(4 * Math.sqrt(6 / n));
    expect(Math.abs(sq / n - 6)).toBeLessThan(0.25);
  });

  it('isqrt and rational parsing are exact', () => {
    expect(isqrt(10n ** 20n + 1n)).toBe(10n ** 10n);
    expect(isqrt(99n)).toBe(9n);
    expect(rational('2.50')).toEqual({ num: 5n, den: 2n });
    expect(rational('6/4')).toEqual({ num: 3n, den: 2n });
    expect(() => rational('-1')).toThrow(RangeError);
  });
});
