// SPDX-License-Identifier: Apache-2.0
/**
 * @module Counting what a run did from its work list, whose record counts were taken before
 * anything was touched — so a certificate's numbers are the same however often the run crashed
 * and resumed, and equal the ground truth.
 */
import { DATA_CATEGORIES, type DataCategory } from '../../kernel/domain/index.js';
import type { DisposalItemsTable } from './repository.js';

/** `{category: {store: records}}` of one item. */
export type ItemRecords = Partial<Record<DataCategory, Record<string, number>>>;

export interface CategoryTally {
  subjectsErased: number;
  recordsErased: number;
  subjectsRetained: number;
  recordsRetained: number;
  subjectsKept: number;
  recordsKept: number;
}

export interface RunTally {
  subjects: number;
  subjectsDone: number;
  subjectsWhollyErased: number;
  perCategory: Map<DataCategory, CategoryTally>;
  /** Records erased per store and category. */
  erasedPerStore: Map<string, Map<DataCategory, number>>;
  /** Subjects and records still restricted (exemption running). */
  restrictedSubjects: number;
}

export function splitCats(csv: string): DataCategory[] {
  return csv === '' ? [] : (csv.split(',') as DataCategory[]);
}

export function joinCats(cats: readonly DataCategory[]): string {
  const set = new Set(cats);
  return DATA_CATEGORIES.filter((c) => set.has(c)).join(',');
}

export function emptyTally(): RunTally {
  return {
    subjects: 0,
    subjectsDone: 0,
    subjectsWhollyErased: 0,
    perCategory: new Map(),
    erasedPerStore: new Map(),
    restrictedSubjects: 0,
  };
}

function cat(t: RunTally, c: DataCategory): CategoryTally {
  let v = t.perCategory.get(c);
  if (v === undefined) {
    v = {
      subjectsErased: 0,
      recordsErased: 0,
      subjectsRetained: 0,
      recordsRetained: 0,
      subjectsKept: 0,
      recordsKept: 0,
    };
    t.perCategory.set(c, v);
  }
  return v;
}

function sum(r: Record<string, number> | undefined): number {
  return r === undefined ? 0 : Object.values(r).reduce((a, b) => a + b, 0);
}

/** Adds one item to the tally; only done items count as erased. */
export function addItem(t: RunTally, item: DisposalItemsTable): void {
  t.subjects++;
  const records = JSON.parse(item.records_json) as ItemRecords;
  const done = item.status === 1;
  if (done) {
    t.subjectsDone++;
  }
  const left = new Set(splitCats(item.restrict_left));
  const restricted = splitCats(item.restrict_cats);
  // Restricted categories whose exemption ended were erased later, by the exemption job.
  const erased = done
    ? [...splitCats(item.erase_cats), ...restricted.filter((c) => !left.has(c))]
    : [];
  for (const c of erased) {
    const v = cat(t, c);
    v.subjectsErased++;
    v.recordsErased += sum(records[c]);
    for (const [store, n] of Object.entries(records[c] ?? {})) {
      const m = t.erasedPerStore.get(store) ?? new Map<DataCategory, number>();
      m.set(c, (m.get(c) ?? 0) + n);
      t.erasedPerStore.set(store, m);
    }
  }
  for (const c of restricted.filter((x) => left.has(x))) {
    const v = cat(t, c);
    v.subjectsRetained++;
    v.recordsRetained += sum(records[c]);
  }
  if (left.size > 0) {
    t.restrictedSubjects++;
  }
  for (const c of splitCats(item.keep_cats)) {
    const v = cat(t, c);
    v.subjectsKept++;
    v.recordsKept += sum(records[c]);
  }
  if (done && (item.whole === 1 || (item.whole_after === 1 && left.size === 0))) {
    t.subjectsWhollyErased++;
  }
}

/** Every category the item's subject held before disposal. */
export function heldOf(item: Pick<DisposalItemsTable, 'records_json'>): DataCategory[] {
  const records = JSON.parse(item.records_json) as ItemRecords;
  return DATA_CATEGORIES.filter((c) => records[c] !== undefined);
}

/** Every store the item's subject held records in before disposal. */
export function storesOf(item: Pick<DisposalItemsTable, 'records_json'>): string[] {
  const records = JSON.parse(item.records_json) as ItemRecords;
  return [...new Set(Object.values(records).flatMap((m) => Object.keys(m ?? {})))].sort();
}
