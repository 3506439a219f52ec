// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareInstants,
  formatInstant,
  instantFromDate,
  instantFromSeconds,
  instantToDate,
  parseLenientInstant,
} from './instant.js';

describe('ISO 8601 instants', () => {
  it.each([
    ['2021-05-03T18:00:00Z', 1620064800, ''],
    ['2021-05-03T18:00:00', 1620064800, ''],
    ['2021-05-03T20:00:00+02:00', 1620064800, ''],
    ['2021-05-03T20:00:00+0200', 1620064800, ''],
    ['2021-05-03T20:00:00+02', 1620064800, ''],
    ['2021-05-03T16:00:00-02:00', 1620064800, ''],
    ['2021-05-03t18:00z', 1620064800, ''],
    ['2021-05-03 18:00:00Z', 1620064800, ''],
    ['2021-05-03', 1620000000, ''],
    ['2021-05-21T12:26:07.390079Z', 1621599967, '390079'],
    ['2021-05-21T12:26:07,5Z', 1621599967, '5'],
    ['2021-05-21T12:26:07.1234567890123Z', 1621599967, '1234567890123'],
    ['2021-05-21T12:26:07.500Z', 1621599967, '5'],
    ['2021-05-03T24:00:00Z', 1620086400, ''],
    ['2016-12-31T23:59:60Z', 1483228800, ''],
    ['2024-02-29T00:00:00Z', 1709164800, ''],
  ])('parses %s', (text, seconds, fraction) => {
    expect(parseLenientInstant(text)).toEqual({ seconds, fraction });
  });

  it.each([
    '2021-13-01T00:00:00Z',
    '2021-02-29T00:00:00Z',
    '2021-04-31',
    '2021-05-03T25:00:00Z',
    '2021-05-03T24:00:01Z',
    '2021-05-03T18:60:00Z',
    '2021-05-03T18:00:00+24:00',
    '2021-05-03T18:00:00.Z',
    '03/05/2021',
    'yesterday',
    '',
    '2021-05-03T18:00:00Z' + ' '.repeat(100),
  ])('refuses %j', (text) => {
    expect(parseLenientInstant(text)).toBeUndefined();
  });

  it('compares exactly, beyond milliseconds', () => {
    const at = parseLenientInstant('2021-05-03T18:00:00.0000001Z')!;
    const exp = instantFromSeconds(1620064800);
    expect(compareInstants(at, exp)).toBe(1);
    expect(compareInstants(exp, at)).toBe(-1);
    expect(compareInstants(parseLenientInstant('2021-05-03T18:00:00.000Z')!, exp)).toBe(0);
    expect(compareInstants(parseLenientInstant('2021-05-03T17:59:59.9999999Z')!, exp)).toBe(-1);
  });

  it('reads fractional NumericDates', () => {
    expect(instantFromSeconds(1620064800.5)).toEqual({ seconds: 1620064800, fraction: '5' });
    expect(() => instantFromSeconds(Number.NaN)).toThrow(RangeError);
  });

  it('agrees with Date on millisecond inputs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800000 }), (ms) => {
        const d = new Date(ms);
        const i = instantFromDate(d);
        expect(parseLenientInstant(d.toISOString())).toEqual(i);
        expect(instantToDate(i).getTime()).toBe(ms);
      }),
    );
  });

  it('formats with every fraction digit', () => {
    expect(formatInstant(parseLenientInstant('2021-05-21T14:26:07.390079+02:00')!)).toBe(
      '2021-05-21T12:26:07.390079Z',
    );
  });
});
