// SPDX-License-Identifier: Apache-2.0
/**
 * @module The one form of anonymisation a plan may choose (PIPL art. 73(4); DOMAIN.md req. 23):
 * an aggregate count table over generalised quasi-identifiers — prefecture (4-digit GB/T 2260
 * prefix), ISO week, sex, ten-year age band — in which every released cell counts at least k
 * distinct subjects; smaller cells are suppressed, never released. No row-level output exists.
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import type { QuasiIdentifier } from './model.js';

/** One record's generalised facts, produced just before its subject is erased. */
export interface GeneralisedRecord {
  /** Counted once per cell per subject, so a subject with many records cannot fill a cell. */
  readonly subjectKey: string;
  readonly prefecture: string;
  readonly week: string;
  readonly sex: string;
  readonly ageBand: string;
  /** A coarse value of the category (e.g. `negative`, `fever`, `dose-2`). */
  readonly value: string;
}

export interface AggregateCell {
  readonly key: Readonly<Partial<Record<QuasiIdentifier, string>>>;
  readonly value: string;
  readonly subjects: number;
}

export interface AggregateTable {
  readonly category: DataCategory;
  readonly k: number;
  readonly quasiIdentifiers: readonly QuasiIdentifier[];
  readonly cells: readonly AggregateCell[];
  /** Cells dropped because they counted fewer than k subjects. */
  readonly suppressedCells: number;
}

/** The 4-digit prefecture prefix of a 6-digit GB/T 2260 code (municipalities: xx01). */
export function generaliseRegion(code: string): string {
  if (!/^\d{6}$/.test(code)) {
    return 'unknown';
  }
  return code.slice(0, 4);
}

/** The ISO 8601 week (`YYYY-Www`) of a `YYYY-MM-DD` day. */
export function isoWeek(day: string): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) {
    return 'unknown';
  }
  const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
  d.setUTCDate(d.getUTCDate() - dow + 3); // the Thursday of this week decides its year
  const year = d.getUTCFullYear();
  const dayOfYear = Math.round((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000);
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A ten-year age band (`30-39`) at `onDay` for a `YYYY-MM-DD` birth date. */
export function ageBand(birthDate: string, onDay: string): string {
  const by = Number(birthDate.slice(0, 4));
  const ay = Number(onDay.slice(0, 4));
  if (!Number.isInteger(by) || !Number.isInteger(ay) || ay < by) {
    return 'unknown';
  }
  const age = ay - by - (onDay.slice(5, 10) < birthDate.slice(5, 10) ? 1 : 0);
  const lo = Math.floor(Math.max(0, age) / 10) * 10;
  return `${lo}-${lo + 9}`;
}

const FIELD: Readonly<Record<QuasiIdentifier, keyof GeneralisedRecord>> = {
  prefecture: 'prefecture',
  week: 'week',
  sex: 'sex',
  'age-band': 'ageBand',
};

/**
 * Counts distinct subjects per (quasi-identifiers, value) cell and suppresses every cell under k.
 * The output holds no subject keys, so it cannot be joined back to anyone.
 */
export function kAnonymousTable(
  category: DataCategory,
  records: Iterable<GeneralisedRecord>,
  quasiIdentifiers: readonly QuasiIdentifier[],
  k: number,
): AggregateTable {
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError('"k" expected an integer >= 2');
  }
  const cells = new Map<
    string,
    { key: Partial<Record<QuasiIdentifier, string>>; value: string; subjects: Set<string> }
  >();
  for (const r of records) {
    const key: Partial<Record<QuasiIdentifier, string>> = {};
    for (const q of quasiIdentifiers) {
      key[q] = String(r[FIELD[q]]);
    }
    const id = JSON.stringify([quasiIdentifiers.map((q) => key[q]), r.value]);
    let cell = cells.get(id);
    if (cell === undefined) {
      cell = { key, value: r.value, subjects: new Set() };
      cells.set(id, cell);
    }
    cell.subjects.add(r.subjectKey);
  }
  const released: AggregateCell[] = [];
  let suppressed = 0;
  for (const c of cells.values()) {
    if (c.subjects.size >= k) {
      released.push({ key: c.key, value: c.value, subjects: c.subjects.size });
    } else {
      suppressed++;
    }
  }
  released.sort((a, b) =>
    JSON.stringify([a.key, a.value]) < JSON.stringify([b.key, b.value]) ? -1 : 1,
  );
  return {
    category,
    k,
    quasiIdentifiers: [...quasiIdentifiers],
    cells: released,
    suppressedCells: suppressed,
  };
}

/** True when every released cell counts at least k subjects (the release check). */
export function isKAnonymous(table: AggregateTable): boolean {
  return table.cells.every((c) => c.subjects >= table.k);
}
