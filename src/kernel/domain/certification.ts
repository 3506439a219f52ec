// SPDX-License-Identifier: Apache-2.0
/**
 * @module Health-certification information of GB/T 38962-2020 §4 d) (健康证明信息): nucleic-acid
 * and antigen test results and vaccination records. Value domains are ours (DOMAIN.md §1.7: the
 * standard's tables could not be obtained) and follow the public practice of §1.5
 * (`negative|positive`, plus `invalid` for a failed assay).
 */
import { TestResultError, VaccinationError } from './errors.js';
import { calendarDateIn, isRealDate, parseInstant } from './dates.js';

export const TEST_KINDS = ['nucleic-acid', 'antigen'] as const;
export type TestKind = (typeof TEST_KINDS)[number];
export const TEST_OUTCOMES = ['negative', 'positive', 'invalid'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

/** One test result; instants as RFC 3339 strings in UTC. */
export interface TestResult {
  readonly kind: TestKind;
  readonly result: TestOutcome;
  readonly sampledAt: string;
  readonly resultAt: string;
}

/** A result later than the sample by more than this is a data error, not a slow lab. */
const MAX_TURNAROUND_MS = 14 * 24 * 3600_000;
/** Tolerated clock skew between a lab and us. */
const SKEW_MS = 5 * 60_000;

function field(raw: unknown, key: string): unknown {
  return typeof raw === 'object' && raw !== null
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/**
 * Validates a test result: known kind and outcome, sample time ≤ result time ≤ now (with
 * 5 min skew), turnaround ≤ 14 days. Throws `ERR_DOMAIN_TEST_RESULT` with `details.rule`.
 */
export function parseTestResult(raw: unknown, now: Date): TestResult {
  const fail = (rule: string, msg: string) => new TestResultError(msg, { details: { rule } });
  const kind = field(raw, 'kind');
  const result = field(raw, 'result');
  if (!(TEST_KINDS as readonly unknown[]).includes(kind)) {
    throw fail('kind', 'a test kind is nucleic-acid or antigen');
  }
  if (!(TEST_OUTCOMES as readonly unknown[]).includes(result)) {
    throw fail('result', 'a test result is negative, positive or invalid');
  }
  const sampled = parseInstant(field(raw, 'sampledAt'));
  const resulted = parseInstant(field(raw, 'resultAt'));
  if (sampled === undefined || resulted === undefined) {
    throw fail('time', 'sample and result times are RFC 3339 instants with an offset');
  }
  if (resulted.getTime() < sampled.getTime()) {
    throw fail('order', 'a result cannot precede its sample');
  }
  if (resulted.getTime() - sampled.getTime() > MAX_TURNAROUND_MS) {
    throw fail('turnaround', 'a result more than 14 days after its sample is refused');
  }
  if (resulted.getTime() > now.getTime() + SKEW_MS) {
    throw fail('future', 'a result time lies in the future');
  }
  return Object.freeze({
    kind: kind as TestKind,
    result: result as TestOutcome,
    sampledAt: sampled.toISOString(),
    resultAt: resulted.toISOString(),
  });
}

/** One vaccination dose. */
export interface VaccinationRecord {
  /** Product name or code as printed on the certificate, e.g. `BBIBP-CorV`. */
  readonly vaccine: string;
  /** Dose number in the series, 1-based. */
  readonly dose: number;
  /** Doses in a complete series (≥ dose). */
  readonly seriesDoses: number;
  /** Date given, `YYYY-MM-DD` (GB/T 7408). */
  readonly date: string;
}

/**
 * Validates a vaccination record: a short printable product name, 1 ≤ dose ≤ seriesDoses ≤ 10,
 * a real date not after today (in `timeZone`). Throws `ERR_DOMAIN_VACCINATION`.
 */
export function parseVaccination(
  raw: unknown,
  now: Date,
  timeZone = 'Asia/Shanghai',
): VaccinationRecord {
  const fail = (rule: string, msg: string) => new VaccinationError(msg, { details: { rule } });
  const vaccine = field(raw, 'vaccine');
  if (typeof vaccine !== 'string' || !/^[\p{L}\p{N}][\p{L}\p{N} ._/()+-]{0,63}$/u.test(vaccine)) {
    throw fail('vaccine', 'a vaccine name has 1–64 letters, digits or simple punctuation');
  }
  const dose = field(raw, 'dose');
  const seriesRaw = field(raw, 'seriesDoses');
  const series = seriesRaw === undefined ? dose : seriesRaw;
  if (!Number.isInteger(dose) || !Number.isInteger(series)) {
    throw fail('dose', 'dose and series size are integers');
  }
  const d = dose as number;
  const s = series as number;
  if (d < 1 || s < d || s > 10) {
    throw fail('dose', 'doses satisfy 1 ≤ dose ≤ seriesDoses ≤ 10');
  }
  const date = field(raw, 'date');
  if (typeof date !== 'string' || !isRealDate(date)) {
    throw fail('date', 'a vaccination date is a real YYYY-MM-DD date');
  }
  if (date > calendarDateIn(now, timeZone)) {
    throw fail('future', 'a vaccination date lies in the future');
  }
  return Object.freeze({ vaccine: vaccine.trim(), dose: d, seriesDoses: s, date });
}
