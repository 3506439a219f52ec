// SPDX-License-Identifier: Apache-2.0
/**
 * @module zCDP accounting (Bun & Steinke, TCC 2016): the cost of each noised release as
 * (ξ, ρ)-zCDP — D_α(M(x)‖M(x')) ≤ ξ + ρα for all α > 1 — its calibration, composition (costs add)
 * and conversion to (ε, δ)-DP (ε = ξ + ρ + 2√(ρ·ln(1/δ)), their Prop. 1.3). Floating point is fine
 * here: it sizes the noise, it never draws it. Pure; the persistent ledger is in `repository.ts`.
 */
import { rational, type Rational } from './samplers.js';

/** The privacy cost of one release. */
export interface ZcdpCost {
  readonly rho: number;
  readonly xi: number;
}

/** How much one person can change the histogram: L1 and squared L2 norms of their contribution. */
export interface Sensitivity {
  readonly l1: number;
  readonly l2sq: number;
}

/**
 * The sensitivity of a counting histogram where each person counts at most once per cell in at
 * most `c` cells per holder, and appears at up to `holders` holders that cannot tell them apart.
 */
export function countingSensitivity(c: number, holders = 1): Sensitivity {
  if (!(Number.isInteger(c) && c >= 1) || !(Number.isInteger(holders) && holders >= 1)) {
    throw new RangeError('"c" and "holders" must be positive integers');
  }
  // Worst case: all of a person's holders count them in the same c cells.
  return { l1: c * holders, l2sq: c * holders * holders };
}

/** The discrete Gaussian N_Z(0, σ²) is Δ₂²/(2σ²)-zCDP (Canonne, Kamath & Steinke 2020, Thm. 4). */
export function discreteGaussianCost(sigma2: number, s: Sensitivity): ZcdpCost {
  if (!(sigma2 > 0)) {
    throw new RangeError('"sigma2" must be positive');
  }
  return { rho: s.l2sq / (2 * sigma2), xi: 0 };
}

/**
 * Skellam noise Poisson(λ) − Poisson(λ) (variance 2λ). Agarwal, Kairouz & Liu (NeurIPS 2021, §3)
 * bound its Rényi divergence at integer orders α by
 * α·Δ₂²/(4λ) + ((2α−1)Δ₂² + 6Δ₁)/(16λ²) = α·ρ' + ξ₀ with ρ' = Δ₂²/(4λ) + Δ₂²/(8λ²) and
 * ξ₀ = (6Δ₁ − Δ₂²)/(16λ²). Rényi divergence grows with α, so for real α we use D_α ≤ D_⌈α⌉ ≤
 * αρ' + (ρ' + ξ₀): ξ = ρ' + max(0, ξ₀), ρ = ρ'.
 */
export function skellamCost(lambda: number, s: Sensitivity): ZcdpCost {
  if (!(lambda > 0)) {
    throw new RangeError('"lambda" must be positive');
  }
  const rhoP = s.l2sq / (4 * lambda) + s.l2sq / (8 * lambda * lambda);
  const xi0 = (6 * s.l1 - s.l2sq) / (16 * lambda * lambda);
  return { rho: rhoP, xi: rhoP + Math.max(0, xi0) };
}

/**
 * What a cost takes from a ρ budget: (ξ, ρ)-zCDP implies (ξ + ρ)-zCDP, since ξ + ρα ≤ (ξ + ρ)α
 * for every α ≥ 1. A single number keeps the ledger simple and sound.
 */
export function chargedRho(cost: ZcdpCost): number {
  return cost.rho + cost.xi;
}

/** Composition: costs of independent releases add (Bun & Steinke 2016, Lemma 1.7). */
export function composeCosts(costs: readonly ZcdpCost[]): ZcdpCost {
  return costs.reduce((a, c) => ({ rho: a.rho + c.rho, xi: a.xi + c.xi }), { rho: 0, xi: 0 });
}

/** (ε, δ)-DP implied by a zCDP cost (Bun & Steinke 2016, Prop. 1.3). */
export function epsilonAt(cost: ZcdpCost, delta: number): number {
  if (!(delta > 0 && delta < 1)) {
    throw new RangeError('"delta" must be in (0, 1)');
  }
  return cost.xi + cost.rho + 2 * Math.sqrt(cost.rho * Math.log(1 / delta));
}

/** The ρ a (ε, δ) target allows (inverse of {@link epsilonAt} with ξ = 0). */
export function rhoForEpsilon(epsilon: number, delta: number): number {
  if (!(epsilon > 0)) {
    throw new RangeError('"epsilon" must be positive');
  }
  const l = Math.log(1 / delta);
  // ε = ρ + 2√(ρ l)  ⇔  √ρ = √(l + ε) − √l
  const r = Math.sqrt(l + epsilon) - Math.sqrt(l);
  return r * r;
}

/** Denominator of calibrated noise parameters: they are exact rationals with this denominator. */
const GRID = 1000n;

/**
 * The smallest total Skellam λ (a rational on a 1/1000 grid) whose charged cost is at most
 * `targetRho`. The compute parties then each draw Skellam(λ/M).
 */
export function calibrateSkellam(targetRho: number, s: Sensitivity): Rational {
  return smallestOnGrid((l) => chargedRho(skellamCost(l, s)) <= targetRho);
}

/** The smallest σ² (on a 1/1000 grid) for which the discrete Gaussian costs at most `targetRho`. */
export function calibrateDiscreteGaussian(targetRho: number, s: Sensitivity): Rational {
  return smallestOnGrid((v) => chargedRho(discreteGaussianCost(v, s)) <= targetRho);
}

function smallestOnGrid(ok: (x: number) => boolean): Rational {
  let hi = 1n;
  while (!ok(Number(hi) / Number(GRID))) {
    hi *= 2n;
    if (hi > 10n ** 18n) {
      throw new RangeError('no noise level meets the target; is "rho" positive?');
    }
  }
  let lo = 0n;
  while (lo + 1n < hi) {
    const mid = (lo + hi) / 2n;
    if (ok(Number(mid) / Number(GRID))) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return rational(hi, GRID);
}
