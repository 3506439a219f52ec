// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskPhone, normalisePhone } from './phone.js';
import { PhoneError } from './errors.js';

describe('Chinese mobile numbers', () => {
  it('normalises common spellings to E.164', () => {
    for (const t of [
      '13800138000',
      '138 0013 8000',
      '138-0013-8000',
      '+86 138 0013 8000',
      '+86-13800138000',
      '008613800138000',
      '8613800138000',
      '(+86) 138.0013.8000',
    ]) {
      expect(normalisePhone(t), t).toBe('+8613800138000');
    }
  });

  it('refuses landlines, foreign and malformed numbers without echoing them', () => {
    for (const t of [
      '',
      '010-12345678',
      '12800138000',
      '1380013800',
      '138001380001',
      '+44 7911 123456',
      '1380013800a',
      '+86 +86 13800138000',
      '1'.repeat(40),
    ]) {
      let caught: unknown;
      try {
        normalisePhone(t);
      } catch (err) {
        caught = err;
      }
      expect(caught, t).toBeInstanceOf(PhoneError);
      expect((caught as PhoneError).code).toBe('ERR_DOMAIN_PHONE');
      if (t.length > 4) {
        expect((caught as Error).message).not.toContain(t);
      }
    }
    expect(() => normalisePhone(13800138000 as unknown as string)).toThrow(TypeError);
  });

  it('property: every 1[3-9] 11-digit number round-trips; the mask hides the middle four', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (n) => {
        const e = normalisePhone(n);
        expect(e).toBe(`+86${n}`);
        expect(normalisePhone(e)).toBe(e);
        const m = maskPhone(e);
        expect(m).toBe(`+86${n.slice(0, 3)}****${n.slice(7)}`);
      }),
    );
  });
});
