// SPDX-License-Identifier: Apache-2.0
/**
 * @module The test harness's one clock. Every step of a scenario — seeding, each CLI command,
 * in-process services, dates written into fixtures — takes its instant from here, so a run gives
 * the same verdict on any calendar date (issue 23, finding 1: a city seeded on the wall clock
 * and a run pinned to a fixed instant disagreed once the real date passed that instant).
 *
 * The epoch is a fixed instant by default, so runs are reproducible;
 * `HEALTHCODE_TEST_EPOCH=<RFC 3339>` moves it (CI also runs the scenarios a year ahead of the
 * wall clock). Scenarios say when things happen relative to it: `at('+2h')` for an instant,
 * `day(62)` for a calendar date, `dayAt(63, '00:30')` for a local time on a date. Scenarios whose
 * data depend on the local time of day (the seed writes the local day up to its `--now`; codes
 * are valid until 24:00) anchor on `dayAt`, so any epoch gives them the same day.
 */
import {
  FixedClock,
  offsetClock,
  parseRfc3339,
  type Clock,
} from '../../src/kernel/shared/index.js';

/**
 * The epoch when `HEALTHCODE_TEST_EPOCH` is unset: the evening before the day most scenarios
 * were first written around (so `dayAt(1, '09:00')` is 2026-12-01 09:00, as it always was).
 */
export const DEFAULT_EPOCH = '2026-11-30T21:00:00+08:00';

/** The variable that moves the epoch. */
export const EPOCH_ENV = 'HEALTHCODE_TEST_EPOCH';

/**
 * Instances run in Asia/Shanghai (the default `timeZone`): China Standard Time, UTC+8 all year
 * (no daylight saving since 1991), so local dates and times are plain arithmetic.
 */
const OFFSET_MS = 8 * 3_600_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

function readEpoch(): Date {
  const text = process.env[EPOCH_ENV];
  if (text === undefined || text.trim() === '') {
    return parseRfc3339(DEFAULT_EPOCH, 'the default test epoch');
  }
  // Whole seconds: `--now` and fixtures carry no fractions, and every process must agree.
  const epoch = parseRfc3339(text.trim(), EPOCH_ENV);
  return new Date(Math.floor(epoch.getTime() / 1_000) * 1_000);
}

/** The scenario epoch: "now" at the start of every scenario. */
export const EPOCH: Date = readEpoch();

/** The epoch as RFC 3339 (for keys of things seeded once per run, and for messages). */
export const EPOCH_TEXT: string = rfc3339(EPOCH);

/** An instant as RFC 3339 at +08:00 (milliseconds only when there are some), as `--now` takes. */
export function rfc3339(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const local = new Date(ms + OFFSET_MS).toISOString();
  return `${local.slice(0, ms % 1_000 === 0 ? 19 : 23)}+08:00`;
}

/**
 * Milliseconds of an offset such as `+1h`, `-14d`, `+61d30m` or `+0`: a sign, then one or more
 * number-unit pairs (`ms`, `s`, `m`, `h`, `d`).
 */
export function offsetMs(offset: string): number {
  const m = /^([+-])((?:\d+(?:ms|s|m|h|d))+|0)$/.exec(offset);
  if (m === null) {
    throw new RangeError(`offset must look like +1h, -14d or +61d30m, not "${offset}"`);
  }
  let ms = 0;
  for (const [, n, unit] of m[2].matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    ms += Number(n) * UNIT_MS[unit];
  }
  return m[1] === '-' ? -ms : ms;
}

/** The instant `offset` from the epoch as RFC 3339, e.g. `at('+2h')`; `at()` is the epoch. */
export function at(offset = '+0'): string {
  return rfc3339(EPOCH.getTime() + offsetMs(offset));
}

/** The instant `offset` from the epoch as a Date. */
export function dateAt(offset = '+0'): Date {
  return new Date(EPOCH.getTime() + offsetMs(offset));
}

/** The local calendar date of an instant, as `YYYY-MM-DD`. */
export function localDate(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** The local calendar date `n` days after the epoch's (negative: before), as `YYYY-MM-DD`. */
export function day(n = 0): string {
  return localDate(EPOCH.getTime() + n * UNIT_MS.d);
}

/** Local time `time` (`HH:MM` or `HH:MM:SS`) on {@link day}(n), as RFC 3339. */
export function dayAt(n: number, time: string): string {
  if (!/^\d{2}:\d{2}(:\d{2})?$/.test(time)) {
    throw new RangeError(`time must be HH:MM or HH:MM:SS, not "${time}"`);
  }
  return `${day(n)}T${time.length === 5 ? `${time}:00` : time}+08:00`;
}

/**
 * The instants of a scenario's successive steps: the first call answers `start`, each later one a
 * step (a minute by default) after the one before — the wall clock's order, reproducibly.
 */
export function steps(start: string, everyMs = 60_000): () => string {
  let next = parseRfc3339(start, 'start').getTime();
  return () => {
    const t = next;
    next += everyMs;
    return rfc3339(t);
  };
}

/** A clock for in-process services that stands at `offset` from the epoch until moved. */
export function fixedClock(offset = '+0'): FixedClock {
  return new FixedClock(dateAt(offset));
}

/**
 * A clock for in-process services that starts at `start` (RFC 3339) and runs at the wall clock's
 * pace, as `--now` runs a CLI process: for tests where events need distinct, ordered instants.
 */
export function runningClock(start: string): Clock {
  return offsetClock(parseRfc3339(start, 'start'));
}

/** What a CLI process needs to honour `--now` (tests only; see src/platform/runtime/cli-kit.ts). */
export const CLOCK_OVERRIDE_ENV = { HEALTHCODE_ALLOW_CLOCK_OVERRIDE: '1' } as const;
