// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { parseSexCode, isSexCode, SEX_CODES } from './sex.js';
import { isFever, parseSymptoms, parseTemperature, SYMPTOM_CODES, SYMPTOMS } from './health.js';
import { parseTestResult, parseVaccination } from './certification.js';
import { isRiskAreaActive, parseRiskArea, riskAreaCovers } from './risk-areas.js';
import { calendarDateIn, isRealDate } from './dates.js';

const NOW = new Date('2026-03-01T04:00:00Z');
const code = (c: string): unknown => expect.objectContaining({ code: c });

describe('GB/T 2261.1 sex codes', () => {
  it('accepts 0 1 2 9 and refuses the rest', () => {
    expect(Object.values(SEX_CODES)).toEqual(['0', '1', '2', '9']);
    expect(parseSexCode('1')).toBe('1');
    expect(parseSexCode(2)).toBe('2');
    expect(parseSexCode(' 9 ')).toBe('9');
    for (const bad of ['3', 'M', '', null, 1.5, undefined, '12']) {
      expect(() => parseSexCode(bad), String(bad)).toThrow(code('ERR_DOMAIN_SEX_CODE'));
    }
    expect(isSexCode('0')).toBe(true);
    expect(isSexCode(0)).toBe(false);
  });
});

describe('temperature', () => {
  it('rounds to one decimal within the plausible range', () => {
    expect(parseTemperature(36.64)).toBe(36.6);
    expect(parseTemperature('37.25')).toBe(37.3);
    expect(parseTemperature('34')).toBe(34);
    expect(parseTemperature(43)).toBe(43);
    expect(isFever(37.3)).toBe(true);
    expect(isFever(37.2)).toBe(false);
  });
  it('refuses malformed and implausible values', () => {
    for (const bad of [98.6, 33.9, 43.1, '36,6', '', 'abc', NaN, Infinity, null, '-36', '1e2']) {
      expect(() => parseTemperature(bad), String(bad)).toThrow(code('ERR_DOMAIN_TEMPERATURE'));
    }
  });
});

describe('symptoms (after WS 363.6)', () => {
  it('has Chinese and English labels and returns codes in list order without duplicates', () => {
    for (const c of SYMPTOM_CODES) {
      expect(SYMPTOMS[c].zh.length).toBeGreaterThan(0);
      expect(SYMPTOMS[c].en.length).toBeGreaterThan(0);
    }
    expect(parseSymptoms(['cough', 'fever', 'cough'])).toEqual(['fever', 'cough']);
    expect(parseSymptoms(['none'])).toEqual(['none']);
  });
  it('refuses unknown codes, empty lists and none with symptoms', () => {
    for (const bad of [[], ['sneezing'], ['none', 'fever'], 'fever', null, [1]]) {
      expect(() => parseSymptoms(bad), JSON.stringify(bad)).toThrow(code('ERR_DOMAIN_SYMPTOM'));
    }
  });
});

describe('test results', () => {
  const good = {
    kind: 'nucleic-acid',
    result: 'negative',
    sampledAt: '2026-02-28T08:00:00+08:00',
    resultAt: '2026-02-28T20:00:00+08:00',
  };
  it('accepts a well-formed result and stores instants in UTC', () => {
    expect(parseTestResult(good, NOW)).toEqual({
      kind: 'nucleic-acid',
      result: 'negative',
      sampledAt: '2026-02-28T00:00:00.000Z',
      resultAt: '2026-02-28T12:00:00.000Z',
    });
    expect(parseTestResult({ ...good, kind: 'antigen', result: 'invalid' }, NOW).result).toBe(
      'invalid',
    );
  });
  it('refuses each broken rule with its name', () => {
    const cases: Array<[unknown, string]> = [
      [null, 'kind'],
      [{ ...good, kind: 'pcr' }, 'kind'],
      [{ ...good, result: 'unknown' }, 'result'],
      [{ ...good, sampledAt: '2026-02-28' }, 'time'],
      [{ ...good, resultAt: '2026-02-30T08:00:00Z' }, 'time'],
      [{ ...good, resultAt: '2026-02-27T08:00:00Z' }, 'order'],
      [{ ...good, sampledAt: '2026-01-01T08:00:00Z' }, 'turnaround'],
      [{ ...good, sampledAt: '2026-03-01T08:00:00Z', resultAt: '2026-03-01T09:00:00Z' }, 'future'],
    ];
    for (const [raw, rule] of cases) {
      expect(() => parseTestResult(raw, NOW), rule).toThrow(
        expect.objectContaining({ code: 'ERR_DOMAIN_TEST_RESULT', details: { rule } }),
      );
    }
  });
});

describe('vaccination records', () => {
  const good = { vaccine: 'BBIBP-CorV', dose: 2, seriesDoses: 3, date: '2021-06-01' };
  it('accepts a dose in its series', () => {
    expect(parseVaccination(good, NOW)).toEqual(good);
    expect(parseVaccination({ vaccine: '克尔来福', dose: 1, date: '2021-05-01' }, NOW)).toEqual({
      vaccine: '克尔来福',
      dose: 1,
      seriesDoses: 1,
      date: '2021-05-01',
    });
  });
  it('refuses each broken rule', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...good, vaccine: '' }, 'vaccine'],
      [{ ...good, vaccine: '<script>' }, 'vaccine'],
      [{ ...good, dose: 0 }, 'dose'],
      [{ ...good, dose: 4 }, 'dose'],
      [{ ...good, dose: '2' }, 'dose'],
      [{ ...good, seriesDoses: 11, dose: 11 }, 'dose'],
      [{ ...good, date: '2021-02-29' }, 'date'],
      [{ ...good, date: '2026-03-02' }, 'future'],
      [undefined, 'vaccine'],
    ];
    for (const [raw, rule] of cases) {
      expect(() => parseVaccination(raw, NOW), rule).toThrow(
        expect.objectContaining({ code: 'ERR_DOMAIN_VACCINATION', details: { rule } }),
      );
    }
  });
});

describe('risk areas', () => {
  const good = {
    region: '310101',
    level: 'high',
    from: '2022-04-01T00:00:00+08:00',
    to: '2022-04-15T00:00:00+08:00',
  };
  it('accepts a designation with a window, or open-ended', () => {
    const a = parseRiskArea(good);
    expect(a).toEqual({
      region: '310101',
      level: 'high',
      from: '2022-03-31T16:00:00.000Z',
      to: '2022-04-14T16:00:00.000Z',
    });
    expect(isRiskAreaActive(a, new Date('2022-04-10T00:00:00Z'))).toBe(true);
    expect(isRiskAreaActive(a, new Date('2022-04-14T16:00:00Z'))).toBe(false);
    expect(isRiskAreaActive(a, new Date('2022-03-31T15:59:59Z'))).toBe(false);
    const open = parseRiskArea({ ...good, to: null, level: 'medium' });
    expect(isRiskAreaActive(open, new Date('2030-01-01T00:00:00Z'))).toBe(true);
  });
  it('covers places inside the designated division', () => {
    const county = parseRiskArea(good);
    expect(riskAreaCovers(county, '310101')).toBe(true);
    expect(riskAreaCovers(county, '310104')).toBe(false);
    const city = parseRiskArea({ ...good, region: '310100' });
    expect(riskAreaCovers(city, '310104')).toBe(true);
    const prefecture = parseRiskArea({ ...good, region: '440500' });
    expect(riskAreaCovers(prefecture, '440507')).toBe(true);
    expect(riskAreaCovers(prefecture, '440607')).toBe(false);
    const province = parseRiskArea({ ...good, region: '440000' });
    expect(riskAreaCovers(province, '440607')).toBe(true);
  });
  it('refuses each broken rule', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...good, region: 310101 }, 'region'],
      [{ ...good, region: '310101001' }, 'region'],
      [{ ...good, region: '990000' }, 'region'],
      [{ ...good, level: 'low' }, 'level'],
      [{ ...good, from: 'yesterday' }, 'time'],
      [{ ...good, to: '2022-04-01T00:00:00+08:00' }, 'window'],
    ];
    for (const [raw, rule] of cases) {
      expect(() => parseRiskArea(raw), rule).toThrow(
        expect.objectContaining({ code: 'ERR_DOMAIN_RISK_AREA', details: { rule } }),
      );
    }
  });
});

describe('dates', () => {
  it('checks real dates and finds today in a zone', () => {
    expect(isRealDate('2024-02-29')).toBe(true);
    expect(isRealDate('2023-02-29')).toBe(false);
    expect(isRealDate('2023-13-01')).toBe(false);
    expect(isRealDate('2023-1-01')).toBe(false);
    expect(isRealDate('0000-01-01')).toBe(false);
    expect(calendarDateIn(new Date('2026-03-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(calendarDateIn(new Date('2026-03-01T16:30:00Z'), 'UTC')).toBe('2026-03-01');
  });
});
