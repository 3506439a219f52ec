// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import { addMonths, expiryPeriod, periodExpired, periodOf } from './period.js';

describe('log-key periods', () => {
  it('names months in the instance time zone', () => {
    // 2026-11-30T17:00Z is already December 1st in Shanghai.
    expect(periodOf(new Date('2026-11-30T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-12');
    expect(periodOf(new Date('2026-11-30T17:00:00Z'), 'UTC')).toBe('2026-11');
  });

  it('adds months across years', () => {
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-06', 18)).toBe('2027-12');
    expect(() => addMonths('2026-13', 1)).toThrow(RangeError);
  });

  it('expires a month only once its last event is at least the retention old', () => {
    const tz = 'Asia/Shanghai';
    expect(expiryPeriod('2026-12', 6)).toBe('2027-07');
    // An event on 31 December must survive until at least 30 June.
    expect(periodExpired('2026-12', new Date('2027-06-30T23:59:59+08:00'), tz, 6)).toBe(false);
    expect(periodExpired('2026-12', new Date('2027-07-01T00:00:00+08:00'), tz, 6)).toBe(true);
    expect(periodExpired('2026-12', new Date('2027-07-01T00:00:00+08:00'), tz, 12)).toBe(false);
  });
});
