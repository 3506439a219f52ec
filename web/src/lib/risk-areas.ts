// SPDX-License-Identifier: Apache-2.0
/**
 * @module The risk-area editor's rules: the list `GET /api/operator/risk-areas` answers
 * (`[{ region, level, from, to }]`, GB/T 2260 codes, ISO instants, `to` null while in force) ↔
 * the rows an operator edits with date inputs. A row the operator did not touch is written back
 * exactly as it came; a changed date means local midnight for "from" and the end of that local
 * day for "to" (the colour rules treat a designation as `[from, to)`, and an operator who types
 * "to 30 November" means the 30th is still included). Pure, so Node tests run it too.
 */
import type { MessageKey } from '../locales/zh.js';
import { isCalendarDate } from './declaration.js';

export const LEVELS = ['medium', 'high'] as const;
export type Level = (typeof LEVELS)[number];

export interface RiskArea {
  readonly region: string;
  readonly level: Level;
  readonly from: string;
  readonly to: string | null;
}

/** A row as edited; `original` is the entry it came from (absent for a new row). */
export interface AreaDraft {
  readonly region: string;
  readonly level: Level;
  readonly from: string;
  readonly to: string;
  readonly original?: RiskArea;
}

export interface AreaProblem {
  readonly row: number;
  readonly field: 'region' | 'dates';
  readonly message: MessageKey;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day (`YYYY-MM-DD`) of an instant in this device's time zone. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight at the start of `day` (`YYYY-MM-DD`), as an ISO instant. */
export function localMidnight(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d).toISOString();
}

/** The instant that ends local `day`: the next day's local midnight (DST-safe, no 24 h arithmetic). */
export function endOfLocalDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + 1).toISOString();
}

export function toDraft(a: RiskArea): AreaDraft {
  const to = a.to === null ? '' : localDay(Date.parse(a.to) - 1);
  return { region: a.region, level: a.level, from: localDay(Date.parse(a.from)), to, original: a };
}

export const NEW_AREA: AreaDraft = { region: '', level: 'medium', from: '', to: '' };

/** Parses GET's answer defensively (a server without the route answers a problem, not a list). */
export function parseRiskAreas(value: unknown): RiskArea[] {
  if (!Array.isArray(value)) {
    throw new TypeError('the risk-area list is not an array');
  }
  return value.map((v: unknown) => {
    const r = v as Record<string, unknown>;
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.region !== 'string' ||
      !LEVELS.includes(r.level as Level) ||
      typeof r.from !== 'string' ||
      !(r.to === null || r.to === undefined || typeof r.to === 'string')
    ) {
      throw new TypeError('a risk-area entry has the wrong shape');
    }
    return {
      region: r.region,
      level: r.level as Level,
      from: r.from,
      to: typeof r.to === 'string' ? r.to : null,
    };
  });
}

/** Rows → the list to PUT, or the problems to show. An unchanged row keeps its original strings. */
export function fromDrafts(
  rows: readonly AreaDraft[],
): { ok: true; areas: RiskArea[] } | { ok: false; problems: AreaProblem[] } {
  const problems: AreaProblem[] = [];
  const areas = rows.map((r, row): RiskArea => {
    const region = r.region.trim();
    if (!/^\d{6}$/.test(region)) {
      problems.push({ row, field: 'region', message: 'regionInvalid' });
    }
    const datesOk =
      isCalendarDate(r.from) && (r.to === '' || (isCalendarDate(r.to) && r.from <= r.to));
    if (!datesOk) {
      problems.push({ row, field: 'dates', message: 'datesInvalid' });
      return { region, level: r.level, from: r.from, to: r.to || null };
    }
    const o = r.original;
    const fromSame = o !== undefined && localDay(Date.parse(o.from)) === r.from;
    const toSame =
      o !== undefined && (o.to === null ? r.to === '' : localDay(Date.parse(o.to) - 1) === r.to);
    return {
      region,
      level: r.level,
      from: fromSame ? o.from : localMidnight(r.from),
      to: toSame ? o.to : r.to === '' ? null : endOfLocalDay(r.to),
    };
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, areas };
}

/** Whether an area is in force at `nowMs` (shown as a tag; the rules decide for themselves). */
export function inForce(a: RiskArea, nowMs: number): boolean {
  return Date.parse(a.from) <= nowMs && (a.to === null || nowMs < Date.parse(a.to));
}
