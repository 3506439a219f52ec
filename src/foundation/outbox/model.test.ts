// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { codeHash, drawCode, isCodeShape, assertPurpose } from './model.js';
import type { Random } from '../../kernel/shared/index.js';
import { seededRandom } from '../../../test/support/seeded-random.js';

/** Hands out the given 32-bit values, then fails. */
function scripted(values: number[]): Random {
  return {
    bytes(n: number) {
      expect(n).toBe(4);
      const v = values.shift();
      if (v === undefined) {
        throw new Error('exhausted');
      }
      const b = Buffer.alloc(4);
      b.writeUInt32BE(v);
      return b;
    },
  };
}

describe('one-time code rules', () => {
  it('maps 32-bit draws to 6 digits and redraws the biased tail', () => {
    expect(drawCode(scripted([0]))).toBe('000000');
    expect(drawCode(scripted([1_234_567]))).toBe('234567');
    // 4,294,000,000 is the first rejected value (largest multiple of 10^6 below 2^32).
    expect(drawCode(scripted([4_294_000_000, 0xffffffff, 42]))).toBe('000042');
    expect(drawCode(scripted([4_293_999_999]))).toBe('999999');
  });

  it('draws codes that look uniform (chi-square over the first digit)', () => {
    // A seeded source: with the CSPRNG this bound (p = 0.001) would fail one run in a thousand.
    const random = seededRandom('outbox/chi-square');
    const counts = new Array<number>(10).fill(0);
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const c = drawCode(random);
      expect(isCodeShape(c)).toBe(true);
      counts[Number(c[0])]++;
    }
    const chi = counts.reduce((s, k) => s + (k - n / 10) ** 2 / (n / 10), 0);
    expect(chi).toBeLessThan(27.9); // p = 0.001 for 9 degrees of freedom
  });

  it('binds the hash to challenge, recipient, purpose and code', () => {
    const key = Buffer.alloc(32, 7);
    const r = Buffer.from('recipient-index');
    const base = codeHash(key, 'c1', r, 'login', '123456');
    expect(base).toHaveLength(32);
    expect(codeHash(key, 'c1', r, 'login', '123456')).toEqual(base);
    for (const other of [
      codeHash(key, 'c2', r, 'login', '123456'),
      codeHash(key, 'c1', Buffer.from('recipient-indey'), 'login', '123456'),
      codeHash(key, 'c1', r, 'logout', '123456'),
      codeHash(key, 'c1', r, 'login', '123457'),
      codeHash(Buffer.alloc(32, 8), 'c1', r, 'login', '123456'),
    ]) {
      expect(other.equals(base)).toBe(false);
    }
  });

  it('accepts only tame purposes and six-digit codes', () => {
    expect(() => assertPurpose('login')).not.toThrow();
    for (const bad of ['', 'Login', 'a b', 'x'.repeat(65), '../etc']) {
      expect(() => assertPurpose(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_OUTBOX_MESSAGE' }),
      );
    }
    expect(isCodeShape('012345')).toBe(true);
    for (const bad of ['12345', '1234567', '12345a', '１２３４５６', 123456]) {
      expect(isCodeShape(bad)).toBe(false);
    }
  });
});
