// SPDX-License-Identifier: Apache-2.0
/**
 * @module Exemptions from deletion (PIPL art. 47; DOMAIN.md req. 12): each names its kind, legal
 * source, end date and approver. An end date written as a day (`YYYY-MM-DD`) holds through that
 * whole day in the instance's time zone; an RFC 3339 instant ends at that instant.
 */
import { calendarDateIn, isRealDate } from '../../kernel/domain/index.js';
import { EXEMPTION_KINDS, type Exemption, type ExemptionKind } from './model.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A loosely typed exemption as read from a plan file, before its rules are checked. */
export interface RawExemption {
  readonly kind?: string | undefined;
  readonly name?: string | undefined;
  readonly legalSource?: string | undefined;
  readonly endDate?: string | undefined;
  readonly approver?: string | undefined;
}

/** True when the text is a real `YYYY-MM-DD` day or an RFC 3339 instant with an offset. */
export function isEndDate(text: string): boolean {
  if (isRealDate(text)) {
    return true;
  }
  return INSTANT.test(text) && !Number.isNaN(new Date(text).getTime());
}

/** What is wrong with an exemption, one reason per missing or bad field; empty when sound. */
export function exemptionProblems(
  ex: RawExemption | undefined,
  createdAt: Date,
  timeZone: string,
): string[] {
  if (ex === undefined) {
    return ['retaining data needs an exemption (kind, name, legalSource, endDate, approver)'];
  }
  const problems: string[] = [];
  if (!(EXEMPTION_KINDS as readonly string[]).includes(ex.kind ?? '')) {
    problems.push(`exemption kind must be one of ${EXEMPTION_KINDS.join(', ')}`);
  }
  if (!ex.name?.trim()) {
    problems.push('exemption needs a name');
  }
  if (!ex.legalSource?.trim()) {
    problems.push('exemption needs a legal source (e.g. "Cybersecurity Law art. 21")');
  }
  if (!ex.endDate?.trim()) {
    problems.push('exemption needs an end date (YYYY-MM-DD or RFC 3339)');
  } else if (!isEndDate(ex.endDate)) {
    problems.push('exemption end date must be a real YYYY-MM-DD day or an RFC 3339 instant');
  } else if (isExemptionOver(ex as Exemption, createdAt, timeZone)) {
    problems.push('exemption end date is already past when the plan was drafted');
  }
  if (!ex.approver?.trim()) {
    problems.push('exemption needs an approver (a registered operator)');
  }
  return problems;
}

/** True once the exemption has ended at `now`. */
export function isExemptionOver(
  ex: Pick<Exemption, 'endDate'>,
  now: Date,
  timeZone: string,
): boolean {
  if (isRealDate(ex.endDate)) {
    return calendarDateIn(now, timeZone) > ex.endDate;
  }
  return now.getTime() >= new Date(ex.endDate).getTime();
}

/** The default exemptions the draft proposes for stores the law makes us keep for a while. */
export function statutoryExemption(
  kind: ExemptionKind,
  name: string,
  legalSource: string,
  endDate: string,
  approver: string,
): Exemption {
  return { kind, name, legalSource, endDate, approver };
}

/** `date` plus whole months, as the `YYYY-MM-DD` day in the time zone. */
export function addMonthsDay(date: Date, months: number, timeZone: string): string {
  const d = new Date(date.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return calendarDateIn(d, timeZone);
}
