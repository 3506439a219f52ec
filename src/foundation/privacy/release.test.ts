// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { BoundedHistogram, combineLinkage, linkageTest, suppressSmallCells } from './release.js';
import { RandomBits } from './random-bits.js';
import { seededRandom } from './testing.js';

describe('contribution bounding', () => {
  it('counts a person at most once per cell and in at most c cells', () => {
    const h = new BoundedHistogram(10, 3, new RandomBits(seededRandom('bound')));
    const kept = h.addPerson([1, 1, 2, 3, 4, 5, 99, -1]);
    expect(kept).toHaveLength(3);
    expect([...h.counts].reduce((a, b) => a + b, 0n)).toBe(3n);
    expect(h.stats).toEqual({ persons: 1, dropped: 2, outOfDomain: 2 });
    h.addPerson([7, 7]);
    expect(h.counts[7]).toBe(1n);
  });

  it('drops a uniform subset, not the first cells', () => {
    const h = new BoundedHistogram(4, 1, new RandomBits(seededRandom('uniform-drop')));
    for (let i = 0; i < 4000; i++) {
      h.addPerson([0, 1, 2, 3]);
    }
    for (const c of h.counts) {
      expect(Math.abs(Number(c) - 1000)).toBeLessThan(130);
    }
  });
});

describe('suppression and the linkage test', () => {
  it('suppresses noised counts below k and counts them', () => {
    expect(suppressSmallCells([0, 4, 5, -2, 12n], 5)).toEqual({
      values: [null, null, 5, null, 12],
      suppressed: 3,
    });
  });

  it('passes a suppressed, noised release and fails one that exposes a tiny group', () => {
    const records = [{ cells: [0] }, { cells: [0, 1] }, { cells: [2] }];
    const ok = linkageTest(records, { values: [7, null, 9], noiseVariance: 4, k: 5 });
    expect(ok).toMatchObject({ pass: true, singledOut: 0, records: 3, uniqueMatches: 1 });
    // Without suppression and without noise, a released count of 2 proves a group below k.
    const bad = linkageTest(records, { values: [2, 1, 9], noiseVariance: 0, k: 5 });
    expect(bad).toMatchObject({ pass: false, singledOut: 2 });
    // A release naming cells outside the domain is malformed.
    expect(linkageTest([{ cells: [5] }], { values: [7], noiseVariance: 0, k: 5 }).pass).toBe(false);
    expect(combineLinkage([ok, bad]).pass).toBe(false);
    expect(combineLinkage([ok, ok])).toMatchObject({ pass: true, records: 6 });
  });
});
