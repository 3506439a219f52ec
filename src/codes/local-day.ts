// SPDX-License-Identifier: Apache-2.0
/**
 * @module "24:00 that day" in an IANA time zone (DOMAIN.md §1.5: Beijing codes are valid until
 * midnight, when the CDC data refresh). Offsets come from Intl, so DST zones work too; the last
 * day computed per zone is cached, because issuing calls this for every token.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const lastDay = new Map<string, { start: number; end: number }>();

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

/** Local wall-clock fields of an instant. */
function wall(ms: number, timeZone: string): number[] {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
}

/** The UTC instant (ms) of local midnight starting the given local date. */
function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  const target = Date.UTC(y, m - 1, d);
  let guess = target;
  for (let i = 0; i < 3; i++) {
    const [wy, wm, wd, wh, wmi, ws] = wall(guess, timeZone);
    const seen = Date.UTC(wy, wm - 1, wd, wh, wmi, ws);
    const next = guess + (target - seen);
    if (next === guess) {
      break;
    }
    guess = next;
  }
  return guess;
}

/**
 * The end of the local day containing `at` (= the next local midnight), as a Date.
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
  const [y, m, d] = wall(ms, timeZone);
  const start = localMidnight(y, m, d, timeZone);
  const end = localMidnight(y, m, d + 1, timeZone);
  lastDay.set(timeZone, { start, end });
  return new Date(end);
}
