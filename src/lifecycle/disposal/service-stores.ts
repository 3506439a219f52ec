// SPDX-License-Identifier: Apache-2.0
/**
 * @module Stores that exist for one service alone (the trip card's `tripcard_event`): when every
 * service a store serves is retired, the store is deleted whole (PIPL art. 47(1)(2): the service
 * has stopped; the carriers deleted the trip card's itinerary data when it went offline on
 * 13 Dec 2022, DOMAIN.md §2.2) — all its rows; each of its subjects' data key for the store's
 * scope where no other store holds data of that scope for them; and a subject that holds nothing
 * but its registration goes entirely. The retired services' pending one-time codes are
 * withdrawn. Table names come only from the catalogue, never from input.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../../platform/runtime/index.js';
import {
  categoryInfo,
  DATA_CATEGORIES,
  type DataCategory,
  type DataGroup,
} from '../../kernel/domain/index.js';
import type { Database } from '../../platform/db/index.js';
import { FileOutbox } from '../../foundation/outbox/index.js';
import { SERVICE_OUTBOX_PURPOSES, TABLES } from './catalogue.js';
import type { SubjectDecision } from './model.js';

/** A store whose every service is retired. */
export interface RetiredStore {
  /** Inventory id, `db:<table>`. */
  readonly id: string;
  readonly table: string;
  readonly categories: readonly DataCategory[];
  readonly keyScope: DataGroup | undefined;
  readonly registration: readonly DataCategory[];
}

/** The catalogued tables whose services are all among `retiredServices`. */
export function retiredStores(retiredServices: readonly string[]): RetiredStore[] {
  const retired = new Set(retiredServices);
  return Object.entries(TABLES)
    .filter(
      ([, s]) =>
        s.personal &&
        s.services !== undefined &&
        s.services.length > 0 &&
        s.services.every((x) => retired.has(x)),
    )
    .map(([table, s]) => ({
      id: `db:${table}`,
      table,
      categories: s.categories,
      keyScope: s.keyScope,
      registration: s.registration ?? [],
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

const sorted = (cats: Iterable<DataCategory>): DataCategory[] => {
  const set = new Set(cats);
  return DATA_CATEGORIES.filter((c) => set.has(c));
};

/**
 * One subject's decision once its rows in retired stores are counted. `held` are its vault
 * categories, `rows` its row count per retired store id. A subject left with nothing but its
 * registration (and nothing restricted) is erased entirely; otherwise, for each store whose key
 * scope the subject keeps no vault data in, the store's categories join the erased ones so that
 * the vault destroys that scope's key. Rows of the stores themselves go in any case.
 */
export function withRetiredStores(
  held: readonly DataCategory[],
  d: SubjectDecision,
  rows: ReadonlyMap<string, number>,
  stores: readonly RetiredStore[],
): SubjectDecision {
  const mine = stores.filter((s) => (rows.get(s.id) ?? 0) > 0);
  if (mine.length === 0) {
    return d;
  }
  const erased = new Set(d.erase);
  const kept = held.filter((c) => !erased.has(c));
  const registration = new Set(mine.flatMap((s) => s.registration));
  if (d.restrict.length === 0 && kept.every((c) => registration.has(c))) {
    return {
      erase: sorted([...held, ...mine.flatMap((s) => s.categories)]),
      restrict: [],
      keep: [],
      wholeSubject: true,
    };
  }
  const keptGroups = new Set(kept.map((c) => categoryInfo(c).group));
  const extra = mine
    .filter((s) => s.keyScope !== undefined && !keptGroups.has(s.keyScope))
    .flatMap((s) => s.categories);
  return extra.length === 0 ? d : { ...d, erase: sorted([...d.erase, ...extra]) };
}

/** Rows per subject in one retired store, for these subjects. */
export async function rowsBySubject(
  db: Kysely<Database>,
  store: RetiredStore,
  subjectIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < subjectIds.length; i += 500) {
    const ids = subjectIds.slice(i, i + 500);
    if (ids.length === 0) {
      break;
    }
    const res = await sql<{
      subject_id: string;
      n: number | string;
    }>`select subject_id, count(*) as n from ${sql.table(store.table)} where subject_id in (${sql.join(ids)}) group by subject_id`.execute(
      db,
    );
    for (const r of res.rows) {
      out.set(r.subject_id, Number(r.n));
    }
  }
  return out;
}

/** Per subject: rows in each retired store (`subject → store id → rows`). */
export async function storeRowsOf(
  db: Kysely<Database>,
  stores: readonly RetiredStore[],
  subjectIds: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  for (const s of stores) {
    for (const [id, n] of await rowsBySubject(db, s, subjectIds)) {
      const m = out.get(id) ?? new Map<string, number>();
      m.set(s.id, n);
      out.set(id, m);
    }
  }
  return out;
}

function tableOf(storeId: string): string {
  const table = storeId.startsWith('db:') ? storeId.slice(3) : '';
  const spec = TABLES[table];
  if (spec?.services === undefined || !spec.columns?.some((c) => c.name === 'subject_id')) {
    throw new RangeError(`"store" expected a catalogued service store, got ${storeId}`);
  }
  return table;
}

/** Deletes these subjects' rows from retired stores (idempotent). */
export async function deleteStoreRows(
  db: Kysely<Database>,
  storeIds: readonly string[],
  subjectIds: readonly string[],
): Promise<number> {
  let n = 0;
  for (const id of storeIds) {
    const table = tableOf(id);
    for (let i = 0; i < subjectIds.length; i += 500) {
      const res = await sql`delete from ${sql.table(table)} where subject_id in (${sql.join(
        subjectIds.slice(i, i + 500),
      )})`.execute(db);
      n += Number(res.numAffectedRows ?? 0n);
    }
  }
  return n;
}

/** Rows left in retired stores, per store id (verification). */
export async function remainingStoreRows(
  db: Kysely<Database>,
  stores: readonly RetiredStore[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const present = new Set((await db.introspection.getTables()).map((t) => t.name));
  for (const s of stores.filter((x) => present.has(x.table))) {
    const res = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(
      s.table,
    )}`.execute(db);
    const n = Number(res.rows[0]?.n ?? 0);
    if (n > 0) {
      out[s.id] = n;
    }
  }
  return out;
}

/**
 * The end of the batches: whatever rows the retired stores still hold (subjects the vault no
 * longer knows, rows under keys destroyed earlier) are deleted, and the retired services'
 * pending one-time codes withdrawn. Idempotent; the run's scrub then frees the pages.
 */
export async function clearRetiredStores(
  store: Store,
  retiredServices: readonly string[],
): Promise<{ rows: number; messages: number }> {
  const db = store.db.kysely;
  const present = new Set((await db.introspection.getTables()).map((t) => t.name));
  let rows = 0;
  for (const s of retiredStores(retiredServices).filter((x) => present.has(x.table))) {
    const res = await sql`delete from ${sql.table(s.table)}`.execute(db);
    rows += Number(res.numAffectedRows ?? 0n);
    if (store.db.dialect === 'postgres') {
      await sql`vacuum ${sql.table(s.table)}`.execute(db);
    }
  }
  const purposes = new Set(retiredServices.flatMap((s) => SERVICE_OUTBOX_PURPOSES[s] ?? []));
  let messages = 0;
  if (purposes.size > 0) {
    const outbox = new FileOutbox(store.paths.outbox);
    // A missing outbox folder lists as empty; an unreadable one fails the step.
    for (const m of await outbox.list()) {
      if (purposes.has(m.purpose)) {
        await outbox.withdraw(m.id);
        messages++;
      }
    }
    if (present.has('otp_challenges')) {
      await db
        .deleteFrom('otp_challenges')
        .where('purpose', 'in', [...purposes])
        .execute();
    }
  }
  return { rows, messages };
}
