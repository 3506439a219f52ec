// SPDX-License-Identifier: Apache-2.0
/**
 * @module The clock port (STYLE.md §9): every service reads time through it, so tests and
 * `--now` move time without patching globals.
 */
import { UsageError } from './errors.js';

/** A source of the current time. */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers the same instant, or moves only when told. */
export class FixedClock implements Clock {
  #ms: number;
  constructor(at: Date | string | number) {
    this.#ms = new Date(at).getTime();
    if (Number.isNaN(this.#ms)) {
      throw new RangeError('"at" must be a valid date');
    }
  }
  now(): Date {
    return new Date(this.#ms);
  }
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void {
    this.#ms += ms;
  }
  set(at: Date | string | number): void {
    this.#ms = new Date(at).getTime();
  }
}

/** A clock that runs from a given start at the wall clock's pace (what `--now` gives a server). */
export function offsetClock(start: Date, base: Clock = systemClock): Clock {
  const delta = start.getTime() - base.now().getTime();
  return { now: () => new Date(base.now().getTime() + delta) };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC 3339 timestamp with an explicit offset; anything else is a usage error. */
export function parseRfc3339(text: string, label = 'time'): Date {
  if (!RFC3339.test(text)) {
    throw new UsageError(
      `${label} must be an RFC 3339 timestamp with an offset, e.g. 2026-01-02T08:00:00+08:00`,
    );
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(`${label} is not a real date`);
  }
  return date;
}
