// SPDX-License-Identifier: Apache-2.0
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HolidayCalendar,
  addDays,
  defaultCalendar,
  localDate,
  requestDeadlines,
  startOfCalendarDate,
} from './calendar.js';
import { loadCalendar, parseCalendar } from './calendar-file.js';
import { CN_HOLIDAYS } from './holidays-cn.js';

const TZ = 'Asia/Shanghai';
const cal = defaultCalendar;

describe('mainland China working days', () => {
  it('knows the holidays and the adjusted working weekends of 2025 and 2026', () => {
    const off = [
      '2025-01-01',
      '2025-01-28',
      '2025-02-04',
      '2025-05-05',
      '2025-10-08',
      '2026-02-23',
      '2026-10-07',
      '2026-01-02',
    ];
    const on = [
      '2025-01-26',
      '2025-02-08',
      '2025-04-27',
      '2025-09-28',
      '2025-10-11',
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ];
    for (const d of off) {
      expect(cal.isWorkingDay(d), d).toBe(false);
    }
    for (const d of on) {
      expect(cal.isWorkingDay(d), d).toBe(true);
    }
    expect(cal.isWorkingDay('2025-03-08')).toBe(false); // an ordinary Saturday
    expect(cal.isWorkingDay('2025-03-10')).toBe(true); // an ordinary Monday
    expect(cal.coverage(2025)).toBe('official');
    expect(cal.coverage(2027)).toBe('provisional');
    expect(cal.coverage(2031)).toBe('none');
  });

  it('every adjusted working day is a weekend day, every holiday span lies in its year', () => {
    for (const y of CN_HOLIDAYS) {
      for (const d of y.workdays) {
        expect([0, 6], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
        expect(d.startsWith(String(y.year)) || d.startsWith(String(y.year - 1)), d).toBe(true);
      }
      for (const [from, to] of y.holidays) {
        expect(from <= to && from.startsWith(String(y.year))).toBe(true);
      }
    }
  });

  it.each([
    // opened (local)          due (15 working days, opening day not counted)
    ['2025-01-20T10:00:00+08:00', '2025-02-14'], // across the 2025 Spring Festival, two working Sundays/Saturdays
    ['2025-09-26T10:00:00+08:00', '2025-10-23'], // across National Day 2025 (8 days) with 09-28 and 10-11 worked
    ['2026-02-10T10:00:00+08:00', '2026-03-09'], // across the 9-day 2026 Spring Festival
    ['2026-04-27T10:00:00+08:00', '2026-05-20'], // across Labour Day 2026, 05-09 worked
    ['2025-03-03T10:00:00+08:00', '2025-03-24'], // no holiday: three weeks
  ])('a request opened %s is due at the end of %s', (opened, due) => {
    const d = requestDeadlines(new Date(opened), cal, TZ);
    expect(d.dueDate).toBe(due);
    expect(d.dueAt.toISOString()).toBe(startOfCalendarDate(addDays(due, 1), TZ).toISOString());
    expect(d.dueAt.getTime()).toBeLessThanOrEqual(d.answerBy.getTime());
  });

  it('counts days in the instance’s time zone, not UTC', () => {
    // 23:30 on 2025-03-03 in Shanghai is 15:30Z; 00:30 on 03-04 is 16:30Z on 03-03.
    expect(localDate(new Date('2025-03-03T15:30:00Z'), TZ)).toBe('2025-03-03');
    expect(localDate(new Date('2025-03-03T16:30:00Z'), TZ)).toBe('2025-03-04');
    expect(requestDeadlines(new Date('2025-03-03T16:30:00Z'), cal, TZ).dueDate).toBe('2025-03-25');
    expect(startOfCalendarDate('2025-03-25', TZ).toISOString()).toBe('2025-03-24T16:00:00.000Z');
    // A zone with daylight saving time still lands on local midnight.
    expect(startOfCalendarDate('2026-03-29', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
    expect(startOfCalendarDate('2026-03-30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
  });

  it('caps the completion deadline at 30 days when holidays would push it further', () => {
    const long = new HolidayCalendar([
      {
        year: 2030,
        source: 'test',
        provisional: false,
        holidays: [['2030-01-02', '2030-01-25']],
        workdays: [],
      },
    ]);
    const d = requestDeadlines(new Date('2030-01-01T10:00:00+08:00'), long, TZ);
    expect(d.dueDate).toBe('2030-01-31');
    expect(d.dueAt.getTime()).toBe(d.answerBy.getTime());
  });

  it('adding working days always lands on a working day and moves forward', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 * 365 }),
        fc.integer({ min: 1, max: 30 }),
        (offset, n) => {
          const start = addDays('2025-01-01', offset);
          const a = cal.addWorkingDays(start, n);
          const b = cal.addWorkingDays(start, n + 1);
          expect(cal.isWorkingDay(a)).toBe(true);
          expect(a > start && b > a).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the configurable calendar file', () => {
  it('overrides a year, keeps the others, or replaces the table', () => {
    const own = parseCalendar({
      years: [
        {
          year: 2027,
          source: 'notice',
          holidays: [['2027-02-06', '2027-02-13']],
          workdays: ['2027-02-14'],
        },
      ],
    });
    expect(own.coverage(2027)).toBe('official');
    expect(own.isWorkingDay('2027-02-05')).toBe(true);
    expect(own.isWorkingDay('2027-02-14')).toBe(true);
    expect(own.isWorkingDay('2025-01-28')).toBe(false); // 2025 kept from the built-in table
    const replaced = parseCalendar({ replace: true, years: [] });
    expect(replaced.isWorkingDay('2025-01-28')).toBe(true);
    for (const bad of [
      { years: [{ year: 2027 }] },
      { years: [], extra: 1 },
      {
        years: [
          { year: 2027, source: 's', holidays: [['2027-02-30', '2027-03-01']], workdays: [] },
        ],
      },
    ]) {
      expect(() => parseCalendar(bad)).toThrow(
        expect.objectContaining({ code: 'ERR_RIGHTS_CALENDAR' }) as Error,
      );
    }
  });

  it('reads DIR/holidays.json and falls back to the built-in table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hc-cal-'));
    expect(loadCalendar(dir)).toBe(defaultCalendar);
    writeFileSync(join(dir, 'holidays.json'), JSON.stringify({ replace: true, years: [] }));
    expect(loadCalendar(dir).isWorkingDay('2025-10-01')).toBe(true);
    writeFileSync(join(dir, 'holidays.json'), '{not json');
    expect(() => loadCalendar(dir)).toThrow(
      expect.objectContaining({ code: 'ERR_RIGHTS_CALENDAR' }) as Error,
    );
  });
});
