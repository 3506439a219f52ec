// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkDeclaredSex,
  checkIdNumber,
  computeIdCheckChar,
  maskIdNumber,
  parseIdNumber,
  upgradeLegacyId,
} from './id-number.js';
import { IdNumberError } from './errors.js';

const NOW = new Date('2026-03-01T04:00:00Z');
/** Vectors from GB 11643-1999's annex, check characters re-computed (DOMAIN.md §4.2). */
const VALID = ['11010519491231002X', '440524188001010014', '34052419800101001X'];

/** A valid number for a 17-digit body. */
const withCheck = (body: string) => body + computeIdCheckChar(body);

describe('GB 11643-1999 ID numbers', () => {
  it('computes the MOD 11-2 check character of the standard vectors', () => {
    expect(VALID.map((v) => computeIdCheckChar(v.slice(0, 17)))).toEqual(['X', '4', 'X']);
    // Every residue maps through 10X98765432.
    expect(computeIdCheckChar('00000000000000000')).toBe('1');
    expect(() => computeIdCheckChar('1234')).toThrow(RangeError);
    expect(() => computeIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });

  it('accepts the three vectors and derives birth date, sex and region', () => {
    const a = parseIdNumber(VALID[0], NOW);
    expect(a).toMatchObject({
      normalised: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: '2',
      regionCode: '110105',
      regionKnown: true,
      provinceCode: '110000',
      sequence: '002',
    });
    const b = parseIdNumber(VALID[1], NOW);
    expect(b).toMatchObject({ birthDate: '1880-01-01', sex: '1', regionKnown: false });
    const c = checkIdNumber(VALID[2], NOW);
    expect(c).toMatchObject({ valid: true, reasons: [], sex: '1', birthDate: '1980-01-01' });
  });

  it('reports the unlisted county 440524 as unknown, never as a reason to refuse', () => {
    const r = checkIdNumber('440524188001010014', NOW);
    expect(r.valid).toBe(true);
    expect(r.region).toEqual({ code: '440524', known: false });
    expect(r.province).toEqual({ code: '440000', name: '广东省' });
  });

  it('serialises a parsed number with every derived field', () => {
    expect(JSON.parse(JSON.stringify(parseIdNumber(VALID[0], NOW)))).toEqual({
      normalised: '11010519491231002X',
      regionCode: '110105',
      regionKnown: true,
      provinceCode: '110000',
      birthDate: '1949-12-31',
      sex: '2',
      sequence: '002',
    });
  });

  it('accepts a lower-case x and stores it upper-case', () => {
    expect(parseIdNumber(' 11010519491231002x ', NOW).normalised).toBe('11010519491231002X');
  });

  it('refuses a wrong check character and a birth in the future, naming the rule', () => {
    expect(checkIdNumber('110105194912310021', NOW).reasons).toEqual(['check-character']);
    expect(checkIdNumber('110105204912310026', NOW).reasons).toEqual(['birth-in-future']);
    expect(() => parseIdNumber('110105194912310021', NOW)).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_ID_CHECK_CHARACTER', rule: 'check-character' }),
    );
    expect(() => parseIdNumber('110105204912310026', NOW)).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_ID_BIRTH_IN_FUTURE' }),
    );
  });

  it('judges "future" by the calendar date in Asia/Shanghai', () => {
    const body = '11010520260302001';
    const id = withCheck(body);
    // 2026-03-01T16:30Z is already 2026-03-02 in Shanghai.
    expect(checkIdNumber(id, new Date('2026-03-01T15:30:00Z')).valid).toBe(false);
    expect(checkIdNumber(id, new Date('2026-03-01T16:30:00Z')).valid).toBe(true);
    expect(checkIdNumber(id, new Date('2026-03-01T16:30:00Z'), 'UTC').valid).toBe(false);
  });

  it('refuses every kind of bad input with a typed error that never echoes the number', () => {
    const cases: Array<[string, string]> = [
      ['', 'ERR_DOMAIN_ID_LENGTH'],
      ['11010519491231002', 'ERR_DOMAIN_ID_LENGTH'],
      ['11010519491231002XX', 'ERR_DOMAIN_ID_LENGTH'],
      ['1101051949123100AX', 'ERR_DOMAIN_ID_CHARACTERS'],
      ['11010519491231002Y', 'ERR_DOMAIN_ID_CHARACTERS'],
      ['１１０１０５１９４９１２３１００２X', 'ERR_DOMAIN_ID_CHARACTERS'],
      [withCheck('11010519490230002'), 'ERR_DOMAIN_ID_BIRTH_DATE'],
      [withCheck('11010519491301002'), 'ERR_DOMAIN_ID_BIRTH_DATE'],
      [withCheck('11010500000101002'), 'ERR_DOMAIN_ID_BIRTH_DATE'],
      [withCheck('99010519491231002'), 'ERR_DOMAIN_ID_PROVINCE'],
      [withCheck('83010519491231002'), 'ERR_DOMAIN_ID_PROVINCE'],
    ];
    for (const [text, code] of cases) {
      let caught: unknown;
      try {
        parseIdNumber(text, NOW);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).toBeInstanceOf(IdNumberError);
      const e = caught as IdNumberError;
      expect(e.code).toBe(code);
      if (text.length > 0) {
        expect(e.message).not.toContain(text);
        expect(e.message).not.toContain(text.slice(0, 10));
      }
      expect(checkIdNumber(text, NOW).valid).toBe(false);
    }
    expect(() => parseIdNumber(42 as unknown as string, NOW)).toThrow(TypeError);
  });

  it('accepts leap days only in leap years', () => {
    expect(parseIdNumber(withCheck('11010520000229001'), NOW).birthDate).toBe('2000-02-29');
    expect(checkIdNumber(withCheck('11010519000229001'), NOW).reasons).toEqual(['birth-date']);
  });

  it('property: changing any single character of a valid number makes it invalid', () => {
    const validId = fc
      .tuple(
        fc.constantFrom('110105', '310101', '440524', '340524', '650102'),
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2025-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 999 }),
      )
      .map(([region, d, seq]) =>
        withCheck(
          region + d.toISOString().slice(0, 10).replaceAll('-', '') + String(seq).padStart(3, '0'),
        ),
      );
    fc.assert(
      fc.property(validId, fc.nat(17), fc.nat(10), (id, pos, delta) => {
        expect(checkIdNumber(id, NOW).valid).toBe(true);
        const alphabet = '0123456789X';
        const current = alphabet.indexOf(id[pos]);
        // Position 18 may become any other of the 11 characters; body digits any other digit.
        const size = pos === 17 ? 11 : 10;
        const replacement = alphabet[(current + 1 + (delta % (size - 1))) % size];
        const changed = id.slice(0, pos) + replacement + id.slice(pos + 1);
        expect(changed).not.toBe(id);
        expect(checkIdNumber(changed, NOW).valid).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('upgrades 15-digit legacy numbers', () => {
    expect(upgradeLegacyId('110105491231002')).toBe('11010519491231002X');
    expect(() => upgradeLegacyId('11010549123100')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_ID_LENGTH' }),
    );
    expect(() => upgradeLegacyId('11010549123100X')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_ID_CHARACTERS' }),
    );
    expect(() => upgradeLegacyId('110105490231002')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_ID_BIRTH_DATE' }),
    );
  });
});

describe('masking', () => {
  it('shows only the first and last two characters', () => {
    expect(maskIdNumber('11010519491231002x')).toBe('11**************2X');
    expect(maskIdNumber('abc')).toBe('***');
    const r = checkIdNumber('11010519491231002X', NOW);
    expect(JSON.stringify(r)).not.toContain('11010519491231002X');
    expect(JSON.stringify(r)).not.toContain('19491231');
    expect(checkIdNumber('not an id', NOW).masked).toBeNull();
  });

  it('property: the mask keeps length, 4 characters at most, and no middle digit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const m = maskIdNumber(id);
        expect(m).toHaveLength(18);
        expect(m.slice(2, 16)).toBe('*'.repeat(14));
        expect(m.slice(0, 2) + m.slice(16)).toBe(id.slice(0, 2) + id.slice(16));
        expect(m.replaceAll('*', '').length).toBeLessThanOrEqual(4);
      }),
    );
  });
});

describe('declared sex (DOMAIN.md §6 req. 3)', () => {
  it('flags a conflict and keeps the declaration as given', () => {
    expect(checkDeclaredSex('1', '11010519491231002X')).toEqual({
      declared: '1',
      derived: '2',
      conflict: true,
    });
    expect(checkDeclaredSex('2', '11010519491231002X').conflict).toBe(false);
    expect(checkDeclaredSex('9', '11010519491231002X').conflict).toBe(false);
    expect(checkDeclaredSex('0', '440524188001010014')).toEqual({
      declared: '0',
      derived: '1',
      conflict: false,
    });
    expect(checkDeclaredSex('2', parseIdNumber('440524188001010014', NOW)).conflict).toBe(true);
    expect(() => checkDeclaredSex('1', '110105194912310021')).toThrow(IdNumberError);
  });
});
