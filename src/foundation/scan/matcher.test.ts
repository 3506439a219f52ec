// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MultiPatternMatcher } from './matcher.js';

/** Every (needle, start) pair by brute force. */
function naive(needles: Uint8Array[], data: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let s = 0; s < data.length; s++) {
    needles.forEach((n, id) => {
      if (s + n.length <= data.length && n.every((b, j) => data[s + j] === b)) {
        out.push([id, s]);
      }
    });
  }
  return out;
}

const sortPairs = (p: Array<[number, number]>) => [...p].sort((a, b) => a[1] - b[1] || a[0] - b[0]);

describe('Wu–Manber multi-pattern matcher', () => {
  it('property: finds exactly what a brute-force search finds (small alphabet, many overlaps)', () => {
    const byte = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.array(byte, { minLength: 2, maxLength: 9 }), { minLength: 1, maxLength: 12 }),
        fc.array(byte, { maxLength: 200 }),
        (ns, d) => {
          const needles = ns.map((n) => Uint8Array.from(n));
          const data = Uint8Array.from(d);
          const found: Array<[number, number]> = [];
          new MultiPatternMatcher(needles).scan(data, data.length, 0, (id, s) =>
            found.push([id, s]),
          );
          expect(sortPairs(found)).toEqual(sortPairs(naive(needles, data)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('property: the same with needles of 4+ bytes (both shift tables) over a wider alphabet', () => {
    const byte = fc.integer({ min: 0, max: 5 });
    fc.assert(
      fc.property(
        fc.array(fc.array(byte, { minLength: 4, maxLength: 12 }), { minLength: 1, maxLength: 30 }),
        fc.array(byte, { maxLength: 400 }),
        (ns, d) => {
          const needles = ns.map((n) => Uint8Array.from(n));
          const data = Uint8Array.from(d);
          const found: Array<[number, number]> = [];
          new MultiPatternMatcher(needles).scan(data, data.length, 0, (id, s) =>
            found.push([id, s]),
          );
          expect(sortPairs(found)).toEqual(sortPairs(naive(needles, data)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('property: long inputs (four interleaved cursors) find exactly the brute-force matches, in order', () => {
    const byte = fc.integer({ min: 0, max: 3 });
    fc.assert(
      fc.property(
        fc.array(fc.array(byte, { minLength: 4, maxLength: 10 }), { minLength: 1, maxLength: 8 }),
        fc.array(byte, { minLength: 60, maxLength: 1500 }),
        (ns, d) => {
          const needles = ns.map((n) => Uint8Array.from(n));
          const data = Uint8Array.from(d);
          const found: Array<[number, number]> = [];
          new MultiPatternMatcher(needles).scan(data, data.length, 0, (id, s) =>
            found.push([id, s]),
          );
          // The order is part of the contract: increasing start, ties by needle.
          expect(found).toEqual(sortPairs(naive(needles, data)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports only matches ending after reportAfter and lying before end', () => {
    const m = new MultiPatternMatcher([Buffer.from('abcd')]);
    const data = Buffer.from('abcdxxabcdxxabcd');
    const starts: number[] = [];
    m.scan(data, data.length, 5, (_id, s) => starts.push(s));
    expect(starts).toEqual([6, 12]);
    const partial: number[] = [];
    m.scan(data, 14, 0, (_id, s) => partial.push(s));
    expect(partial).toEqual([0, 6]);
  });

  it('refuses unusable needle sets as caller bugs', () => {
    expect(() => new MultiPatternMatcher([])).toThrow(RangeError);
    expect(() => new MultiPatternMatcher([Buffer.from('a')])).toThrow(RangeError);
  });
});
