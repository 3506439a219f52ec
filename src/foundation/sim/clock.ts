// SPDX-License-Identifier: Apache-2.0
/**
 * @module Local calendar days for the sim: the D days that end at the instance clock's "now"
 * in the instance's time zone (issue 2 item 7), each with its weekday, its UTC offset for
 * RFC 3339 timestamps (RFC 3339 §5.6 `time-numoffset`) and, for today, the second of the day
 * that events must not pass.
 */

/** One local day of the simulated window. */
export interface SimDay {
  /** 0 = the oldest day of the window. */
  readonly index: number;
  /** `YYYY-MM-DD` in the instance's zone. */
  readonly date: string;
  /** Days since 1970-01-01 of that local date (for date arithmetic). */
  readonly epochDay: number;
  /** Saturday or Sunday. */
  readonly weekend: boolean;
  /** RFC 3339 offset of the zone on that day, e.g. `+08:00`. */
  readonly offset: string;
  /** Events of this day happen before this second of the day (86,400 except today). */
  readonly limitSec: number;
  /** The UTC instant of local midnight, in ms. */
  readonly midnightMs: number;
}

const DAY_MS = 86_400_000;

function parts(at: Date, timeZone: string): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  });
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(at)) {
    out[p.type] = p.value;
  }
  return out;
}

/** The zone's offset at an instant as `±HH:MM` (`GMT` alone means UTC). */
export function offsetAt(at: Date, timeZone: string): string {
  const name = parts(at, timeZone).timeZoneName ?? 'GMT';
  const m = /^GMT([+-]\d{2}:\d{2})?$/.exec(name);
  if (m === null) {
    throw new RangeError(`"timeZone" gave an unexpected offset name ${name}`);
  }
  return m[1] ?? '+00:00';
}

function offsetMs(offset: string): number {
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000;
}

/**
 * `YYYY-MM-DD` of a day number (days since 1970-01-01), by Howard Hinnant's civil-from-days
 * algorithm: integer arithmetic only, no Date object per call.
 */
export function dateOfEpochDay(epochDay: number): string {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * The `days` local days ending with the local date of `end` (today, cut at `end`'s time).
 */
export function simDays(end: Date, days: number, timeZone: string): SimDay[] {
  if (!Number.isInteger(days) || days < 1 || days > 366) {
    throw new RangeError('"days" must be an integer in [1, 366]');
  }
  if (Number.isNaN(end.getTime())) {
    throw new RangeError('"end" must be a valid date');
  }
  const p = parts(end, timeZone);
  const today = Math.floor(Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / DAY_MS);
  const endSec = Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second);
  const out: SimDay[] = [];
  for (let i = 0; i < days; i++) {
    const epochDay = today - (days - 1) + i;
    // The offset at local noon stands for the whole day (China has kept +08:00 since 1991).
    const offset = offsetAt(new Date(epochDay * DAY_MS + 12 * 3_600_000), timeZone);
    const weekday = new Date(epochDay * DAY_MS).getUTCDay();
    out.push(
      Object.freeze({
        index: i,
        date: dateOfEpochDay(epochDay),
        epochDay,
        weekend: weekday === 0 || weekday === 6,
        offset,
        limitSec: epochDay === today ? endSec : 86_400,
        midnightMs: epochDay * DAY_MS - offsetMs(offset),
      }),
    );
  }
  return out;
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** Cached halves of a day's RFC 3339 local times. */
export interface TimeTables {
  /** `YYYY-MM-DDTHH:MM:` per minute of the day. */
  readonly minutes: readonly string[];
  /** `SS±HH:MM` per second of the minute. */
  readonly seconds: readonly string[];
}
const tables = new WeakMap<SimDay, TimeTables>();

/**
 * The day's time tables, built on first use (1,440 short strings a day): an event's time is
 * then one concatenation instead of six, which keeps the generator's garbage low.
 */
export function timeTables(day: SimDay): TimeTables {
  let t = tables.get(day);
  if (t === undefined) {
    t = {
      minutes: Array.from(
        { length: 1440 },
        (_, m) => `${day.date}T${TWO[Math.floor(m / 60)]}:${TWO[m % 60]}:`,
      ),
      seconds: TWO.map((ss) => ss + day.offset),
    };
    tables.set(day, t);
  }
  return t;
}

/** RFC 3339 local time of a second of a day, e.g. `2026-01-02T08:15:00+08:00`. */
export function localTime(day: SimDay, sec: number): string {
  const t = timeTables(day);
  const s = Math.floor(sec);
  return t.minutes[Math.floor(s / 60)] + t.seconds[s % 60];
}
