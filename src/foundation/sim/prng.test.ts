// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cumulative, FeistelPermutation, mixKey, pickWeighted, Rng } from './prng.js';

describe('Rng (sfc32)', () => {
  it('is deterministic per key and stream, and differs across them', () => {
    const a = new Rng(42, 1);
    const b = new Rng(42, 1);
    const c = new Rng(42, 2);
    const xs = Array.from({ length: 8 }, () => a.u32());
    expect(Array.from({ length: 8 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.u32())).not.toEqual(xs);
  });

  it('draws floats in [0, 1) with a plausible mean', () => {
    const r = new Rng(7);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 20_000; i++) {
      const f = r.float();
      outside += f >= 0 && f < 1 ? 0 : 1;
      sum += f;
    }
    expect(outside).toBe(0);
    expect(sum / 20_000).toBeGreaterThan(0.48);
    expect(sum / 20_000).toBeLessThan(0.52);
  });

  it('picks weighted indexes in proportion', () => {
    const cdf = cumulative([1, 3]);
    const r = new Rng(3);
    let ones = 0;
    for (let i = 0; i < 10_000; i++) {
      ones += pickWeighted(cdf, r.float());
    }
    expect(ones / 10_000).toBeGreaterThan(0.72);
    expect(ones / 10_000).toBeLessThan(0.78);
  });

  it('mixes keys so neighbouring inputs differ', () => {
    expect(mixKey(1, 2)).not.toBe(mixKey(2, 1));
    expect(mixKey(2 ** 40)).not.toBe(mixKey(0));
  });
});

describe('FeistelPermutation', () => {
  it('is a bijection on [0, size) for any size and key', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0 }), (size, key) => {
        const p = new FeistelPermutation(size, key);
        const seen = new Set<number>();
        for (let x = 0; x < size; x++) {
          const y = p.permute(x);
          if (y >= 0 && y < size) {
            seen.add(y);
          }
        }
        expect(seen.size).toBe(size);
      }),
      { numRuns: 40 },
    );
  });

  it('is injective on a prefix of a 32-bit domain', () => {
    const p = new FeistelPermutation(2_000_000_000, 9);
    const seen = new Set<number>();
    for (let x = 0; x < 50_000; x++) {
      seen.add(p.permute(x));
    }
    expect(seen.size).toBe(50_000);
  });

  it('refuses out-of-range inputs', () => {
    const p = new FeistelPermutation(10, 1);
    expect(() => p.permute(10)).toThrow(RangeError);
    expect(() => new FeistelPermutation(0, 1)).toThrow(RangeError);
  });
});
