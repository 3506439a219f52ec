// SPDX-License-Identifier: Apache-2.0
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NoncePool, cryptoErrors } from '../../kernel/crypto/index.js';
import {
  bundleAad,
  openBundle,
  openBundlesInto,
  sealBundle,
  type SubjectBundle,
} from './sealing.js';

const nonces = new NoncePool({ bytes: (n: number) => randomBytes(n) });
const SUBJECT = 'sub_0123456789abcdefghij';
const WIDE = { from: 0, to: Number.MAX_SAFE_INTEGER };

function bundle(
  key: Buffer,
  day: number,
  events: { at: number; place: string }[],
  gen = 1,
): SubjectBundle {
  const eids = randomBytes(16 * Math.max(1, events.length));
  const place = { subject_id: SUBJECT, day, bid: eids.subarray(0, 16), eids, gen };
  return { ...place, ct: sealBundle(key, nonces, place, events) };
}

describe('opening many bundles of a subject', () => {
  it('gives what openBundle gives row by row, for any instants and places', () => {
    const event = fc.record({
      at: fc.integer({ min: 0, max: 4_000_000_000_000 }),
      place: fc.oneof(
        fc.constantFrom('r:320200', 'r:310100', 'c:JP', 'r:110100'),
        fc.string({ minLength: 1, maxLength: 12, unit: 'binary' }).filter((s) => !/[\n]/.test(s)),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(fc.array(event, { minLength: 1, maxLength: 30 }), { maxLength: 6 }),
        (days) => {
          const key = randomBytes(32);
          const rows = days.map((events, i) => bundle(key, 20_400 + i, events));
          const got: { at: number; place: string }[] = [];
          openBundlesInto(key, SUBJECT, rows, WIDE, got);
          const want = rows.flatMap((r) => openBundle(key, { subject_id: SUBJECT, ...r }));
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 100, seed: 8 },
    );
  });

  it('keeps only the events of the window', () => {
    const key = randomBytes(32);
    const rows = [
      bundle(
        key,
        20_400,
        [1, 2, 3, 4].map((at) => ({ at, place: 'r:320200' })),
      ),
    ];
    const got: { at: number; place: string }[] = [];
    openBundlesInto(key, SUBJECT, rows, { from: 2, to: 3 }, got);
    expect(got.map((e) => e.at)).toEqual([2, 3]);
  });

  it('refuses a row moved to another day, subject or generation, or under another key', () => {
    const key = randomBytes(32);
    const r = bundle(key, 20_400, [{ at: 1, place: 'r:320200' }]);
    const out: { at: number; place: string }[] = [];
    expect(() => openBundlesInto(key, SUBJECT, [{ ...r, day: 20_401 }], WIDE, out)).toThrow(
      cryptoErrors.IntegrityError,
    );
    expect(() => openBundlesInto(key, `${SUBJECT}x`, [r], WIDE, out)).toThrow(
      cryptoErrors.IntegrityError,
    );
    expect(() => openBundlesInto(key, SUBJECT, [{ ...r, gen: 2 }], WIDE, out)).toThrow(
      cryptoErrors.IntegrityError,
    );
    expect(() => openBundlesInto(randomBytes(32), SUBJECT, [r], WIDE, out)).toThrow(
      cryptoErrors.IntegrityError,
    );
    expect(out).toEqual([]);
    // The associated data is the documented one.
    expect(bundleAad({ subject_id: SUBJECT, ...r }).length).toBeGreaterThan(0);
  });
});
