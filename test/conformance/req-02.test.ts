// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 2 — ID validation: an 18-character ID is accepted only if the body is 17
 * digits, the check character is MOD 11-2 of the body, the birth date is a real date not in the
 * future and the first two digits are a real province; the county code is reported known or
 * unknown, never a reason to refuse. The three vectors pass; one changed character fails.
 */
import { describe, expect, it } from 'vitest';
import { checkIdNumber, computeIdCheckChar, parseIdNumber } from '../../src/kernel/domain/index.js';

const NOW = new Date('2026-03-01T00:00:00+08:00');
const VECTORS = ['11010519491231002X', '440524188001010014', '34052419800101001X'];
const withCheck = (body: string) => body + computeIdCheckChar(body);

describe('req. 2: ID validation', () => {
  it('accepts the three vectors of GB 11643-1999', () => {
    for (const v of VECTORS) {
      expect(checkIdNumber(v, NOW), v).toMatchObject({ valid: true, reasons: [] });
    }
  });

  it('reports an unlisted county (440524) as unknown and still accepts the number', () => {
    expect(checkIdNumber('440524188001010014', NOW).region).toEqual({
      code: '440524',
      known: false,
    });
    expect(parseIdNumber('440524188001010014', NOW).regionKnown).toBe(false);
  });

  it('uses weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the map 10X98765432', () => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (let k = 0; k < 17; k++) {
      const body = '0'.repeat(k) + '1' + '0'.repeat(16 - k);
      expect(computeIdCheckChar(body)).toBe('10X98765432'[weights[k] % 11]);
    }
  });

  it('fails every number with one character changed, at every position', () => {
    for (const v of VECTORS) {
      for (let pos = 0; pos < 18; pos++) {
        for (const c of pos === 17 ? '0123456789X' : '0123456789') {
          if (c === v[pos]) {
            continue;
          }
          const changed = v.slice(0, pos) + c + v.slice(pos + 1);
          expect(checkIdNumber(changed, NOW).valid, `${pos}:${c}`).toBe(false);
        }
      }
    }
  });

  it('refuses a wrong check character, a future or unreal birth date, and a non-province', () => {
    expect(checkIdNumber('110105194912310021', NOW).reasons).toEqual(['check-character']);
    expect(checkIdNumber('110105204912310026', NOW).reasons).toEqual(['birth-in-future']);
    expect(checkIdNumber(withCheck('11010519490229001'), NOW).reasons).toEqual(['birth-date']);
    expect(checkIdNumber(withCheck('00010519491231002'), NOW).reasons).toEqual(['province']);
    expect(checkIdNumber('1101051949123100', NOW).reasons).toEqual(['length']);
    expect(checkIdNumber('11010519491231002A', NOW).reasons).toEqual(['characters']);
  });
});
