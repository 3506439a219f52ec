// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Prg,
  ShareSplitter,
  addInto,
  addSignedInto,
  subInto,
  bytesToVector,
  reconstruct,
  splitShares,
  toSigned,
  vectorToBytes,
} from './ring.js';
import { chiSquare, chiSquareCritical999, seededRandom } from './testing.js';

describe('additive sharing mod 2^64', () => {
  it('reconstructs any vector from N shares (property)', () => {
    const random = seededRandom('ring-prop');
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 2, max: 7 }),
        (xs, n) => {
          const v = BigUint64Array.from(xs);
          const shares = splitShares(v, n, random);
          expect(shares).toHaveLength(n);
          expect([...reconstruct(shares)]).toEqual(xs);
        },
      ),
    );
  });

  it('word-pair addition and subtraction agree with BigInt arithmetic mod 2^64 (property)', () => {
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(fc.array(fc.tuple(u64, u64, fc.integer()), { maxLength: 30 }), (rows) => {
        const a = BigUint64Array.from(rows.map((r) => r[0]));
        const b = BigUint64Array.from(rows.map((r) => r[1]));
        const s = Int32Array.from(rows.map((r) => r[2]));
        const sum = a.slice();
        addInto(sum, b);
        const diff = a.slice();
        subInto(diff, b);
        const signed = a.slice();
        addSignedInto(signed, s);
        rows.forEach(([x, y, z], i) => {
          expect(sum[i]).toBe(BigInt.asUintN(64, x + y));
          expect(diff[i]).toBe(BigInt.asUintN(64, x - y));
          expect(signed[i]).toBe(BigInt.asUintN(64, x + BigInt(z)));
        });
      }),
    );
  });

  it('wraps around: 2^64 − 1 + 2 = 1 and signed reading of small negatives', () => {
    const a = BigUint64Array.of(2n ** 64n - 1n);
    addInto(a, BigUint64Array.of(2n));
    expect(a[0]).toBe(1n);
    expect(toSigned(2n ** 64n - 3n)).toBe(-3n);
  });

  it('PRG-compressed shares: seeds plus one masked vector reconstruct, chunk by chunk', () => {
    const random = seededRandom('prg');
    const x = BigUint64Array.from({ length: 1000 }, (_, i) => BigInt(i % 7));
    const splitter = new ShareSplitter(3, random);
    const last = new BigUint64Array(1000);
    for (let off = 0; off < 1000; off += 300) {
      const chunk = x.subarray(off, Math.min(1000, off + 300));
      const out = new BigUint64Array(chunk.length);
      splitter.maskChunk(chunk, out);
      last.set(out, off);
    }
    const expanded = splitter.seeds.map((s) => new Prg(s).next(1000));
    expect([...reconstruct([...expanded, last])]).toEqual([...x]);
  });

  it("one party's received share is statistically uniform even for a constant input", () => {
    const random = seededRandom('uniform');
    const x = new BigUint64Array(50_000); // all zeros: the worst case for leaking structure
    const splitter = new ShareSplitter(2, random);
    const out = new BigUint64Array(x.length);
    splitter.maskChunk(x, out);
    const bytes = vectorToBytes(out);
    const counts = new Array<number>(256).fill(0);
    for (const b of bytes) {
      counts[b]++;
    }
    const { stat, df } = chiSquare(counts, new Array<number>(256).fill(bytes.length / 256));
    expect(stat).toBeLessThan(chiSquareCritical999(df));
    // The top bit of each element is balanced too (a structural leak would show there first).
    let top = 0;
    for (const v of out) {
      top += Number(v >> 63n);
    }
    expect(Math.abs(top - 25_000)).toBeLessThan(4 * Math.sqrt(12_500));
    // And the other party's expanded seed is uniform as well.
    const seedShare = new Prg(splitter.seeds[0]).next(50_000);
    const c2 = new Array<number>(256).fill(0);
    const seedBytes = vectorToBytes(seedShare);
    for (const b of seedBytes) {
      c2[b]++;
    }
    const e2 = new Array<number>(256).fill(seedBytes.length / 256);
    expect(chiSquare(c2, e2).stat).toBeLessThan(chiSquareCritical999(255));
  });

  it('copies unaligned wire bytes before viewing them as ring elements', () => {
    const buf = new Uint8Array(17);
    buf.set(vectorToBytes(BigUint64Array.of(5n, 7n)), 1);
    expect([...bytesToVector(buf.subarray(1))]).toEqual([5n, 7n]);
    expect(() => bytesToVector(buf.subarray(0, 5))).toThrow(RangeError);
  });
});
