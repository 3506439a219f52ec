// SPDX-License-Identifier: Apache-2.0
/**
 * @module Local calendar days of the instance's time zone (IANA tz, e.g. Asia/Shanghai) as day
 * numbers (days since 1970-01-01 of the local date), and the instants where they start — what
 * the 14-day window (DOMAIN.md §2.4) and the rolling purge are measured in. Offsets come from
 * `Intl` and are cached per hour, since ingest asks for one per event.
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
