// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test support for the privacy capability: a seeded, deterministic {@link Random} (the
 * ChaCha20 keystream of SHA-256(seed)) so statistical tests are reproducible, and chi-square
 * helpers. Not exported from the capability's door; production never uses a seeded source.
 */
import { createHash } from 'node:crypto';
import type { Random } from '../../kernel/shared/index.js';
import { Prg } from './ring.js';

/** A deterministic random source for tests. */
export function seededRandom(seed: string): Random {
  const prg = new Prg(createHash('sha256').update(seed).digest());
  return {
    bytes(n: number): Buffer {
      const words = Math.ceil(n / 8);
      const v = prg.next(words);
      return Buffer.from(v.buffer, 0, n);
    },
  };
}

/** Pearson's chi-square statistic of observed vs expected counts (bins with expected < 5 merged). */
export function chiSquare(
  observed: readonly number[],
  expected: readonly number[],
): { stat: number; df: number } {
  const o: number[] = [];
  const e: number[] = [];
  let accO = 0;
  let accE = 0;
  for (let i = 0; i < observed.length; i++) {
    accO += observed[i];
    accE += expected[i];
    if (accE >= 5) {
      o.push(accO);
      e.push(accE);
      accO = 0;
      accE = 0;
    }
  }
  if (accE > 0 && e.length > 0) {
    o[o.length - 1] += accO;
    e[e.length - 1] += accE;
  }
  let stat = 0;
  for (let i = 0; i < o.length; i++) {
    stat += (o[i] - e[i]) ** 2 / e[i];
  }
  return { stat, df: o.length - 1 };
}

/** The chi-square quantile at p = 0.999 (Wilson–Hilferty approximation; z = 3.0902). */
export function chiSquareCritical999(df: number): number {
  const z = 3.0902;
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}
