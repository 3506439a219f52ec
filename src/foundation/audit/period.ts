// SPDX-License-Identifier: Apache-2.0
/**
 * @module Log-key periods and their retention (DOMAIN.md §6 req. 25; CSL art. 21): details of
 * accesses and refusals are sealed under one key per calendar month of the instance's time
 * zone, and a month's key is destroyed once every event sealed under it is at least
 * `retention.securityLogMonths` old — i.e. from the first day of month + months + 1 on.
 */

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM` of `at` in `timeZone`. */
export function periodOf(at: Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? '';
  const month = parts.find((p) => p.type === 'month')?.value ?? '';
  return `${year.padStart(4, '0')}-${month}`;
}

/** True for a well-formed `YYYY-MM`. */
export function isPeriod(text: string): boolean {
  return PERIOD.test(text);
}

/** The period `months` after `period` (negative goes back). */
export function addMonths(period: string, months: number): string {
  const m = PERIOD.exec(period);
  if (!m) {
    throw new RangeError('"period" must be YYYY-MM');
  }
  if (!Number.isInteger(months)) {
    throw new RangeError('"months" must be an integer');
  }
  const total = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The first period in which `period`'s key must be gone. */
export function expiryPeriod(period: string, retentionMonths: number): string {
  return addMonths(period, retentionMonths + 1);
}

/**
 * True once every event of `period` is at least `retentionMonths` old at `now`: the last instant
 * of the period plus the retention has passed when the month after it began.
 */
export function periodExpired(
  period: string,
  now: Date,
  timeZone: string,
  retentionMonths: number,
): boolean {
  return periodOf(now, timeZone) >= expiryPeriod(period, retentionMonths);
}
