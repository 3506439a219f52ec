// SPDX-License-Identifier: Apache-2.0
/**
 * @module Calendar dates for the domain model: GB/T 7408 (ISO 8601) `YYYY-MM-DD` dates without
 * separators in ID numbers, real-date checks, and "today" in the instance's time zone
 * (default Asia/Shanghai, issue 2 item 7).
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** True when `YYYY-MM-DD` names a real proleptic-Gregorian date (year 0001 or later). */
export function isRealDate(text: string): boolean {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') {
    return false;
  }
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  if (y < 1 || m < 1 || m > 12 || d < 1) {
    return false;
  }
  const max = m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1];
  return d <= max;
}

/** The non-negative integer in text[from, to), or -1 when any character is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) {
      return -1;
    }
    n = n * 10 + c;
  }
  return n;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
let lastKey = '';
let lastValue = '';

/**
 * The calendar date (`YYYY-MM-DD`) of an instant in a time zone. The last answer is cached,
 * since validation loops ask for the same instant many times.
 */
export function calendarDateIn(now: Date, timeZone: string): string {
  const key = `${now.getTime()}|${timeZone}`;
  if (key === lastKey) {
    return lastValue;
  }
  let f = formatters.get(timeZone);
  if (f === undefined) {
    // en-CA formats as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  lastValue = `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
  lastKey = key;
  return lastValue;
}

/** Parses an RFC 3339 / ISO 8601 instant with an explicit offset; `undefined` when it is not one. */
export function parseInstant(text: unknown): Date | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    return undefined;
  }
  if (!isRealDate(text.slice(0, 10))) {
    return undefined;
  }
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

let lastNumMs = NaN;
let lastNumZone = '';
let lastNum = 0;

/** {@link calendarDateIn} as the number YYYYMMDD; cached on the instant and zone (hot path). */
export function todayNumberIn(now: Date, timeZone: string): number {
  const ms = now.getTime();
  if (ms !== lastNumMs || timeZone !== lastNumZone) {
    const text = calendarDateIn(now, timeZone);
    lastNum =
      Number(text.slice(0, -6)) * 10000 + Number(text.slice(-5, -3)) * 100 + Number(text.slice(-2));
    lastNumMs = ms;
    lastNumZone = timeZone;
  }
  return lastNum;
}
