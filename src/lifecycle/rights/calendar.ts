// SPDX-License-Identifier: Apache-2.0
/**
 * @module Working days and request deadlines (DOMAIN.md §6 req. 19): complete within 15 working
 * days, answer within 30 days at the latest. Days are calendar dates in the instance's time zone;
 * as in Chinese procedural law (民法典 art. 201), the opening day itself is not counted and a
 * deadline ends at the end of its last day. Pure over a {@link HolidayCalendar}.
 */
import {
  dayText,
  localDate,
  parseDayText,
  startOfLocalDay as startOfLocalDayNumber,
  weekdayOf,
} from '../../kernel/shared/local-day.js';
import { CN_HOLIDAYS, type HolidayYear } from './holidays-cn.js';

/** The day number of a checked `YYYY-MM-DD` (shared/local-day.ts does the arithmetic). */
function parseDate(date: string): number {
  const day = parseDayText(date);
  if (day === undefined) {
    throw new RangeError(
      /^\d{4}-\d{2}-\d{2}$/.test(date)
        ? '"date" is not a real calendar date'
        : '"date" expected YYYY-MM-DD',
    );
  }
  return day;
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return dayText(parseDate(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return weekdayOf(parseDate(date));
}

/** The calendar date of an instant in a time zone (YYYY-MM-DD). */
export { localDate };

/** The instant a local calendar day starts in a time zone. */
export function startOfCalendarDate(date: string, timeZone: string): Date {
  return new Date(startOfLocalDayNumber(parseDate(date), timeZone));
}

/** Which days are worked: weekdays, minus holidays, plus adjusted working weekends. */
export class HolidayCalendar {
  readonly #off = new Set<string>();
  readonly #on = new Set<string>();
  readonly years: ReadonlyMap<number, { source: string; provisional: boolean }>;

  constructor(years: readonly HolidayYear[]) {
    const meta = new Map<number, { source: string; provisional: boolean }>();
    for (const y of years) {
      meta.set(y.year, { source: y.source, provisional: y.provisional });
      for (const [from, to] of y.holidays) {
        for (let d = from; d <= to; d = addDays(d, 1)) {
          this.#off.add(d);
        }
      }
      for (const d of y.workdays) {
        parseDate(d);
        this.#on.add(d);
      }
    }
    this.years = meta;
  }

  isWorkingDay(date: string): boolean {
    if (this.#on.has(date)) {
      return true;
    }
    const wd = weekday(date);
    return wd !== 0 && wd !== 6 && !this.#off.has(date);
  }

  /** The `n`-th working day after `date` (not counting `date`). */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError('"n" expected a positive integer');
    }
    let d = date;
    for (let left = n; left > 0;) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) {
        left--;
      }
    }
    return d;
  }

  /** True when a year's arrangement is known (and whether it is only projected). */
  coverage(year: number): 'official' | 'provisional' | 'none' {
    const y = this.years.get(year);
    return y === undefined ? 'none' : y.provisional ? 'provisional' : 'official';
  }
}

/** Mainland China's calendar, 2025–2027 (2027 provisional). */
export const defaultCalendar = new HolidayCalendar(CN_HOLIDAYS);

export const WORKING_DAYS_TO_COMPLETE = 15;
export const DAYS_TO_ANSWER = 30;

/** A request's deadlines. */
export interface Deadlines {
  /** Completion: end of the 15th working day after the opening day, never after {@link answerBy}. */
  readonly dueAt: Date;
  /** End of the 30th calendar day after the opening day. */
  readonly answerBy: Date;
  readonly dueDate: string;
  /** The calendar had no (or only a projected) arrangement for a year the deadline crosses. */
  readonly calendarCoverage: 'official' | 'provisional' | 'none';
}

export function requestDeadlines(
  openedAt: Date,
  calendar: HolidayCalendar,
  timeZone: string,
): Deadlines {
  const opened = localDate(openedAt, timeZone);
  const due = calendar.addWorkingDays(opened, WORKING_DAYS_TO_COMPLETE);
  const answerDate = addDays(opened, DAYS_TO_ANSWER);
  const answerBy = startOfCalendarDate(addDays(answerDate, 1), timeZone);
  const dueByWork = startOfCalendarDate(addDays(due, 1), timeZone);
  const capped = dueByWork.getTime() > answerBy.getTime();
  const years = new Set([Number(opened.slice(0, 4)), Number(due.slice(0, 4))]);
  const cov = [...years].map((y) => calendar.coverage(y));
  return {
    dueAt: capped ? answerBy : dueByWork,
    answerBy,
    dueDate: capped ? answerDate : due,
    calendarCoverage: cov.includes('none')
      ? 'none'
      : cov.includes('provisional')
        ? 'provisional'
        : 'official',
  };
}
