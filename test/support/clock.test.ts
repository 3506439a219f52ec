// SPDX-License-Identifier: Apache-2.0
/**
 * The harness clock's arithmetic, for whatever epoch the run has (the default, or
 * HEALTHCODE_TEST_EPOCH): instants, local Asia/Shanghai days and times relative to it.
 */
import { describe, expect, it } from 'vitest';
import { EPOCH, at, dateAt, day, dayAt, localDate, offsetMs, rfc3339, steps } from './clock.js';

describe('the harness clock', () => {
  it('writes instants as RFC 3339 at +08:00, with milliseconds only when there are some', () => {
    expect(rfc3339(Date.parse('2026-11-30T16:30:00Z'))).toBe('2026-12-01T00:30:00+08:00');
    expect(rfc3339(Date.parse('2026-11-30T16:30:00.250Z'))).toBe('2026-12-01T00:30:00.250+08:00');
  });

  it('reads offsets with a sign and number-unit pairs, and refuses anything else', () => {
    expect(offsetMs('+0')).toBe(0);
    expect(offsetMs('+1h')).toBe(3_600_000);
    expect(offsetMs('-14d')).toBe(-14 * 86_400_000);
    expect(offsetMs('+61d30m')).toBe(61 * 86_400_000 + 30 * 60_000);
    for (const bad of ['1h', '+1y', '+', '+1h-2m', 'now']) {
      expect(() => offsetMs(bad), bad).toThrow(RangeError);
    }
  });

  it('places instants relative to the epoch', () => {
    expect(Date.parse(at())).toBe(EPOCH.getTime());
    expect(Date.parse(at('+2h')) - EPOCH.getTime()).toBe(7_200_000);
    expect(dateAt('-1d').getTime()).toBe(EPOCH.getTime() - 86_400_000);
  });

  it('counts days on the local calendar: the epoch falls inside day 0', () => {
    expect(localDate(Date.parse('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(localDate(Date.parse('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
    const start = Date.parse(dayAt(0, '00:00'));
    expect(start).toBeLessThanOrEqual(EPOCH.getTime());
    expect(Date.parse(dayAt(1, '00:00'))).toBeGreaterThan(EPOCH.getTime());
    expect(Date.parse(dayAt(1, '00:00')) - start).toBe(86_400_000);
    expect(day(0)).toBe(at().slice(0, 10));
    expect(Date.parse(`${day(62)}T00:00:00+08:00`) - start).toBe(62 * 86_400_000);
    expect(dayAt(-3, '21:05:30')).toBe(`${day(-3)}T21:05:30+08:00`);
    expect(() => dayAt(0, '9:00')).toThrow(RangeError);
  });

  it('steps a scenario a minute at a time from its start', () => {
    const next = steps('2026-12-01T21:00:00+08:00');
    expect([next(), next(), next()]).toEqual([
      '2026-12-01T21:00:00+08:00',
      '2026-12-01T21:01:00+08:00',
      '2026-12-01T21:02:00+08:00',
    ]);
  });
});
