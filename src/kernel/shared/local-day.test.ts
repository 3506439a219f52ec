// SPDX-License-Identifier: Apache-2.0
import { describe, expect, it } from 'vitest';
import {
  dayNumberOf,
  dayText,
  endOfLocalDay,
  localDate,
  parseDayText,
  startOfLocalDay,
  weekdayOf,
} from './local-day.js';

describe('local calendar days', () => {
  it('parses only real YYYY-MM-DD dates', () => {
    expect(parseDayText('1970-01-01')).toBe(0);
    expect(parseDayText('2024-02-29')).toBe(dayNumberOf('2024-02-29'));
    for (const bad of ['2025-02-29', '2025-02-30', '2025-13-01', '2025-1-01', '20250101', '']) {
      expect(parseDayText(bad), bad).toBeUndefined();
    }
    // Date.UTC reads years below 100 as 19xx: such texts are refused, not shifted.
    expect(parseDayText('0099-01-01')).toBeUndefined();
  });

  it('round-trips day numbers and names weekdays', () => {
    for (let day = -800; day < 40_000; day += 37) {
      expect(parseDayText(dayText(day))).toBe(day);
      expect(weekdayOf(day)).toBe(new Date(day * 86_400_000).getUTCDay());
    }
    expect(weekdayOf(dayNumberOf('2026-11-27'))).toBe(5); // a Friday
  });

  it('finds local days and their bounds in Asia/Shanghai', () => {
    const at = new Date('2026-12-01T08:00:00+08:00');
    expect(localDate(new Date('2026-11-30T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-01');
    expect(localDate(new Date('2026-11-30T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-11-30');
    expect(
      new Date(startOfLocalDay(dayNumberOf('2026-12-01'), 'Asia/Shanghai')).toISOString(),
    ).toBe('2026-11-30T16:00:00.000Z');
    expect(endOfLocalDay(at, 'Asia/Shanghai').toISOString()).toBe('2026-12-01T16:00:00.000Z');
  });
});
