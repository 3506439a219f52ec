// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  calibrateDiscreteGaussian,
  calibrateSkellam,
  chargedRho,
  composeCosts,
  countingSensitivity,
  discreteGaussianCost,
  epsilonAt,
  rhoForEpsilon,
  skellamCost,
} from './accountant.js';

describe('zCDP accountant', () => {
  it('prices the discrete Gaussian at Δ²/(2σ²) and Skellam a little above its Gaussian twin', () => {
    const s = countingSensitivity(1);
    expect(discreteGaussianCost(50, s)).toEqual({ rho: 0.01, xi: 0 });
    const sk = skellamCost(25, s); // variance 50
    expect(sk.rho).toBeGreaterThanOrEqual(0.01);
    expect(sk.rho).toBeLessThan(0.0103);
    expect(chargedRho(sk)).toBeGreaterThan(2 * 0.01);
  });

  it('calibration is the smallest grid value meeting the target (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 48 }),
        (rho, c) => {
          const s = countingSensitivity(c, 2);
          const l = calibrateSkellam(rho, s);
          const lv = Number(l.num) / Number(l.den);
          expect(chargedRho(skellamCost(lv, s))).toBeLessThanOrEqual(rho);
          expect(chargedRho(skellamCost(lv - 0.001, s))).toBeGreaterThan(rho);
          const g = calibrateDiscreteGaussian(rho, s);
          expect(
            chargedRho(discreteGaussianCost(Number(g.num) / Number(g.den), s)),
          ).toBeLessThanOrEqual(rho);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('composes additively and converts to (ε, δ) both ways', () => {
    const c = composeCosts([
      { rho: 0.1, xi: 0 },
      { rho: 0.2, xi: 0.01 },
    ]);
    expect(c.rho).toBeCloseTo(0.3);
    expect(c.xi).toBeCloseTo(0.01);
    const rho = rhoForEpsilon(1, 1e-6);
    expect(epsilonAt({ rho, xi: 0 }, 1e-6)).toBeCloseTo(1, 9);
    expect(() => epsilonAt(c, 0)).toThrow(RangeError);
  });

  it('sensitivity grows with contributions and with holders that cannot tell people apart', () => {
    expect(countingSensitivity(24)).toEqual({ l1: 24, l2sq: 24 });
    expect(countingSensitivity(24, 2)).toEqual({ l1: 48, l2sq: 96 });
    expect(() => countingSensitivity(0)).toThrow(RangeError);
  });
});
