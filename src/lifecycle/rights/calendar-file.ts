// SPDX-License-Identifier: Apache-2.0
/**
 * @module The configurable holiday calendar: `DIR/holidays.json`, when present, adds or replaces
 * years of the built-in mainland China table (e.g. the official 2027 notice, or a region's own
 * days). `{"replace": true}` drops the built-in table entirely.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HolidayCalendar, defaultCalendar } from './calendar.js';
import { CalendarInvalidError } from './errors.js';
import { CN_HOLIDAYS, type HolidayYear } from './holidays-cn.js';

export const HOLIDAYS_FILE = 'holidays.json';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const fileSchema = z
  .object({
    replace: z.boolean().default(false),
    years: z.array(
      z
        .object({
          year: z.number().int().min(2000).max(2100),
          source: z.string().min(1).max(300),
          provisional: z.boolean().default(false),
          holidays: z.array(z.tuple([date, date])),
          workdays: z.array(date),
        })
        .strict(),
    ),
  })
  .strict();

/** Parses a calendar document (the JSON of `holidays.json`). */
export function parseCalendar(raw: unknown): HolidayCalendar {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CalendarInvalidError(
      `${HOLIDAYS_FILE}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const own = parsed.data.years as HolidayYear[];
  const mine = new Set(own.map((y) => y.year));
  const base = parsed.data.replace ? [] : CN_HOLIDAYS.filter((y) => !mine.has(y.year));
  try {
    return new HolidayCalendar([...base, ...own]);
  } catch (cause) {
    throw new CalendarInvalidError(`${HOLIDAYS_FILE}: a date is not a real calendar date`, {
      cause,
    });
  }
}

/** The calendar of a data dir: its `holidays.json`, or the built-in table. */
export function loadCalendar(dataDir: string): HolidayCalendar {
  let text: string;
  try {
    text = readFileSync(join(dataDir, HOLIDAYS_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return defaultCalendar;
    }
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new CalendarInvalidError(`${HOLIDAYS_FILE} is not valid JSON`, { cause });
  }
  return parseCalendar(raw);
}
