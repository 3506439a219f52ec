// SPDX-License-Identifier: Apache-2.0
/**
 * @module Exact instants for validity checks: ISO 8601 / RFC 3339 parsing with a fraction of any
 * length, and comparison without rounding. A verifier compares `iat ≤ clock ≤ exp` (RFC 8392 §3.1.4,
 * §3.1.6; EU DCC hcert spec §3.3.4), so `…:00.0000001Z` must land after `…:00Z`, which a
 * millisecond `Date` cannot show. A time without an offset means UTC (issue 5).
 */

/** Whole epoch seconds plus the decimal digits of the fraction (no trailing zeros). */
export interface Instant {
  readonly seconds: number;
  readonly fraction: string;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS[month - 1];
}

/**
 * Parses an ISO 8601 date or date-time (extended format): `2021-05-03`,
 * `2021-05-03T18:00Z`, `2021-06-09T15:15:34+0200`, `2021-05-21T12:26:07.390079Z`. Returns
 * `undefined` for anything else, including impossible dates. `24:00:00` is the end of the day.
 * Lenient where DCCs are (a date alone, no seconds, `+0200`) and exact to the fraction, unlike
 * the kernel's `parseInstant` (RFC 3339 with an offset, to a `Date`).
 *
 * @example
 * parseLenientInstant('2021-05-03T20:00:00+02:00'); // { seconds: 1620064800, fraction: '' }
 */
export function parseLenientInstant(text: string): Instant | undefined {
  if (typeof text !== 'string' || text.length > 64) {
    return undefined;
  }
  const m = ISO.exec(text.trim());
  if (m === null) {
    return undefined;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = m[4] === undefined ? 0 : Number(m[4]);
  const mi = m[5] === undefined ? 0 : Number(m[5]);
  let s = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = (m[7] ?? '').replace(/0+$/, '');
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || mi > 59 || s > 60) {
    return undefined;
  }
  if (h > 24 || (h === 24 && (mi !== 0 || s !== 0 || fraction !== ''))) {
    return undefined;
  }
  if (s === 60) {
    // A leap second is read as the first instant of the next minute (POSIX time has no :60).
    s = 59;
    if (fraction !== '') {
      return undefined;
    }
    return addSeconds(build(y, mo, d, h, mi, s, m), 1);
  }
  return build(y, mo, d, h, mi, s, m, fraction);
}

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  m: RegExpExecArray,
  fraction = '',
): Instant | undefined {
  let offset = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) {
      return undefined;
    }
    offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return { seconds: date.getTime() / 1000 - offset, fraction };
}

function addSeconds(i: Instant | undefined, n: number): Instant | undefined {
  return i === undefined ? undefined : { seconds: i.seconds + n, fraction: i.fraction };
}

/** An instant from a NumericDate (RFC 7519 §2: seconds, possibly fractional). */
export function instantFromSeconds(value: number): Instant {
  if (!Number.isFinite(value)) {
    throw new RangeError('"value" expected a finite number of seconds');
  }
  const seconds = Math.floor(value);
  if (seconds === value) {
    return { seconds, fraction: '' };
  }
  const text = String(value);
  const dot = text.indexOf('.');
  const exact = value > 0 && dot > 0 && !text.includes('e');
  const digits = exact ? text.slice(dot + 1) : (value - seconds).toFixed(9).slice(2);
  return { seconds, fraction: digits.replace(/0+$/, '') };
}

/** An instant from a `Date` (millisecond precision). */
export function instantFromDate(date: Date): Instant {
  const ms = date.getTime();
  if (Number.isNaN(ms)) {
    throw new RangeError('"date" expected a valid Date');
  }
  const seconds = Math.floor(ms / 1000);
  const rest = ms - seconds * 1000;
  return { seconds, fraction: String(rest).padStart(3, '0').replace(/0+$/, '') };
}

/** Negative, zero or positive as `a` is before, equal to or after `b`; exact. */
export function compareInstants(a: Instant, b: Instant): number {
  if (a.seconds !== b.seconds) {
    return a.seconds < b.seconds ? -1 : 1;
  }
  const n = Math.max(a.fraction.length, b.fraction.length);
  const fa = a.fraction.padEnd(n, '0');
  const fb = b.fraction.padEnd(n, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** The instant as a `Date` (the fraction truncated to milliseconds). */
export function instantToDate(i: Instant): Date {
  return new Date(i.seconds * 1000 + Number(i.fraction.slice(0, 3).padEnd(3, '0')));
}

/** RFC 3339 in UTC, keeping every digit of the fraction. */
export function formatInstant(i: Instant): string {
  const base = new Date(i.seconds * 1000).toISOString().slice(0, 19);
  return `${base}${i.fraction === '' ? '' : '.' + i.fraction}Z`;
}
