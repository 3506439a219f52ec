// SPDX-License-Identifier: Apache-2.0
/**
 * DOMAIN.md §6 req. 3 — derived sex: odd sequence → `1`, even → `2` (GB/T 2261.1 codes 0/1/2/9);
 * a declared sex that conflicts is flagged, not silently overwritten.
 */
import { describe, expect, it } from 'vitest';
import {
  checkDeclaredSex,
  computeIdCheckChar,
  parseIdNumber,
  parseSexCode,
  SEX_CODES,
} from '../../src/kernel/domain/index.js';

const NOW = new Date('2026-03-01T00:00:00+08:00');

describe('req. 3: derived sex', () => {
  it('derives 1 from an odd and 2 from an even sequence digit', () => {
    for (let d = 0; d <= 9; d++) {
      const body = `1101051990010100${d}`;
      const id = body + computeIdCheckChar(body);
      expect(parseIdNumber(id, NOW).sex).toBe(d % 2 === 1 ? '1' : '2');
    }
  });

  it('uses exactly the GB/T 2261.1 codes 0, 1, 2, 9', () => {
    expect(Object.values(SEX_CODES).sort()).toEqual(['0', '1', '2', '9']);
    expect(() => parseSexCode('3')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_SEX_CODE' }),
    );
  });

  it('flags a conflicting declaration and keeps it as declared', () => {
    const female = '11010519491231002X';
    const check = checkDeclaredSex('1', female);
    expect(check).toEqual({ declared: '1', derived: '2', conflict: true });
    expect(checkDeclaredSex('2', female).conflict).toBe(false);
    expect(checkDeclaredSex('9', female)).toEqual({ declared: '9', derived: '2', conflict: false });
  });
});
