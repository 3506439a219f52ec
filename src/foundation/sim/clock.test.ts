// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { dateOfEpochDay, localTime, offsetAt, simDays } from './clock.js';

describe('simDays', () => {
  it('ends with today cut at now, in the instance zone', () => {
    const end = new Date('2026-03-10T01:30:00Z'); // 09:30 in Shanghai
    const days = simDays(end, 14, 'Asia/Shanghai');
    expect(days).toHaveLength(14);
    expect(days[13].date).toBe('2026-03-10');
    expect(days[0].date).toBe('2026-02-25');
    expect(days[13].limitSec).toBe(9.5 * 3600);
    expect(days[12].limitSec).toBe(86_400);
    expect(days.every((d) => d.offset === '+08:00')).toBe(true);
    expect(days[13].midnightMs).toBe(Date.parse('2026-03-10T00:00:00+08:00'));
    // 2026-03-07 is a Saturday.
    expect(days.filter((d) => d.weekend).map((d) => d.date)).toEqual([
      '2026-02-28',
      '2026-03-01',
      '2026-03-07',
      '2026-03-08',
    ]);
  });

  it('formats RFC 3339 local times with the zone offset', () => {
    const [day] = simDays(new Date('2026-07-01T12:00:00Z'), 1, 'Europe/Berlin');
    expect(localTime(day, 8 * 3600 + 5 * 60 + 9)).toBe('2026-07-01T08:05:09+02:00');
    expect(offsetAt(new Date('2026-01-01T00:00:00Z'), 'UTC')).toBe('+00:00');
    expect(Date.parse(localTime(day, 0))).toBe(day.midnightMs);
  });

  it('refuses unusable windows', () => {
    expect(() => simDays(new Date(), 0, 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => simDays(new Date(Number.NaN), 1, 'Asia/Shanghai')).toThrow(RangeError);
  });
});

describe('dateOfEpochDay', () => {
  it('agrees with Date for every day from 1900 to 2100', () => {
    const from = Date.UTC(1900, 0, 1) / 86_400_000;
    const to = Date.UTC(2100, 11, 31) / 86_400_000;
    for (let d = from; d <= to; d++) {
      const expected = new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (dateOfEpochDay(d) !== expected) {
        expect(dateOfEpochDay(d)).toBe(expected);
      }
    }
  });
});
