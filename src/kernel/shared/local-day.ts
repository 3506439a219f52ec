// SPDX-License-Identifier: Apache-2.0
/**
 * @module Local calendar days of the instance's time zone (IANA tz, e.g. Asia/Shanghai) as day
 * numbers (days since 1970-01-01 of the local date) and the instants where they start: the trip
 * card's 14-day window (DOMAIN.md §2.4), a code valid "until 24:00 that day" (§1.5) and request
 * deadlines (req. 19). Offsets come from `Intl` (so DST zones work too) and are cached per UTC
 * hour, since trip-card ingest asks for one per event.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms (cached per UTC hour; zones change on hours). */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  let cache = offsets.get(timeZone);
  if (cache === undefined) {
    cache = new Map();
    offsets.set(timeZone, cache);
  }
  const hour = Math.floor(ms / HOUR_MS);
  const hit = cache.get(hour);
  if (hit !== undefined) {
    return hit;
  }
  const at = hour * HOUR_MS;
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offset = local - at;
  if (cache.size > 100_000) {
    cache.clear();
  }
  cache.set(hour, offset);
  return offset;
}

/** The local day number (days since 1970-01-01 of the local calendar date) of an instant. */
export function localDayNumber(ms: number, timeZone: string): number {
  return Math.floor((ms + zoneOffsetMs(ms, timeZone)) / DAY_MS);
}

/** The instant (ms) where local day `day` begins. */
export function startOfLocalDay(day: number, timeZone: string): number {
  let t = day * DAY_MS;
  // Two rounds settle the offset (it can differ either side of a transition).
  for (let i = 0; i < 2; i++) {
    t = day * DAY_MS - zoneOffsetMs(t, timeZone);
  }
  return t;
}

/** `YYYY-MM-DD` of a day number. */
export function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of a `YYYY-MM-DD` text (no validation: callers pass dates they checked). */
export function dayNumberOf(text: string): number {
  return Math.floor(Date.parse(`${text}T00:00:00Z`) / DAY_MS);
}

const DAY_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The day number of a `YYYY-MM-DD` text that names a real calendar date, else undefined (wrong
 * shape, 2025-02-30, a month 13; years below 100 too, as `Date.UTC` reads them as 19xx).
 */
export function parseDayText(text: string): number | undefined {
  const m = DAY_TEXT.exec(text);
  if (m === null) {
    return undefined;
  }
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms / DAY_MS : undefined;
}

/** 0 = Sunday … 6 = Saturday, of a day number (day 0, 1970-01-01, was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return dayText(localDayNumber(at.getTime(), timeZone));
}

const lastDay = new Map<string, { start: number; end: number }>();

/**
 * The end of the local day containing `at` (= the next local midnight). The last day computed
 * per zone is cached, because issuing a code calls this for every token.
 *
 * @example
 * endOfLocalDay(new Date('2026-12-01T08:00:00+08:00'), 'Asia/Shanghai'); // 2026-12-01T16:00:00Z
 */
export function endOfLocalDay(at: Date, timeZone: string): Date {
  const ms = at.getTime();
  const cached = lastDay.get(timeZone);
  if (cached !== undefined && ms >= cached.start && ms < cached.end) {
    return new Date(cached.end);
  }
  const day = localDayNumber(ms, timeZone);
  const start = startOfLocalDay(day, timeZone);
  const end = startOfLocalDay(day + 1, timeZone);
  lastDay.set(timeZone, { start, end });
  return new Date(end);
}
