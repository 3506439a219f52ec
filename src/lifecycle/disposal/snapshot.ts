// SPDX-License-Identifier: Apache-2.0
/**
 * @module The start of a run: retire the purposes and services (closing their legal bases'
 * validity windows), decide every subject's disposal from what it holds and what remaining
 * purposes with a valid basis still need, count the records before anything is touched, and build
 * the anonymised aggregates the plan asks for. The work list is written in chunks and marked
 * complete last; a crash before that leaves an incomplete list that the next run rebuilds —
 * nothing is disposed of until the list is whole.
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import type { Store } from '../../platform/runtime/index.js';
import { personalTableCounts } from './inventory.js';
import { kAnonymousTable, type GeneralisedRecord } from './anonymise.js';
import { canonicalJson } from './canonical.js';
import type { Action, PlanDoc } from './model.js';
import type { ConsentView, DisposalTarget, SubjectHolding } from './ports.js';
import * as repo from './repository.js';
import { decideSubject, remainingNeeds, type CatalogueView } from './scope.js';
import { joinCats, type ItemRecords } from './tally.js';
import {
  retiredStores,
  storeRowsOf,
  withRetiredStores,
  type RetiredStore,
} from './service-stores.js';

/** Records per store and category (`*`: a whole table's rows): `{store: {category: n}}`. */
export type StoreCounts = Record<string, Partial<Record<DataCategory | '*', number>>>;

const PAGE = 1000;

function addCounts(counts: StoreCounts, h: SubjectHolding): void {
  for (const r of h.records) {
    const m = (counts[r.store] ??= {});
    m[r.category] = (m[r.category] ?? 0) + r.records;
  }
}

/** Counts every record the target holds, per store and category. */
export async function countHoldings(target: DisposalTarget): Promise<StoreCounts> {
  const counts: StoreCounts = Object.fromEntries(target.stores.map((s) => [s, {}]));
  let after: string | null = null;
  for (;;) {
    const page = await target.subjects(after, PAGE);
    page.forEach((h) => addCounts(counts, h));
    if (page.length < PAGE) {
      return counts;
    }
    after = page[page.length - 1].subjectId;
  }
}

export interface SnapshotDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly consent: ConsentView;
  readonly actor: string;
}

interface Context {
  readonly plan: PlanDoc;
  readonly catalogue: CatalogueView;
  readonly inScope: ReadonlySet<DataCategory>;
  readonly actions: ReadonlyMap<DataCategory, Action>;
  readonly now: Date;
  /** Stores only retired services used: deleted whole (service-stores.ts). */
  readonly stores: readonly RetiredStore[];
}

/** One subject's work item, or undefined when the retirement leaves it untouched. */
function itemFor(
  ctx: Context,
  h: SubjectHolding,
  consented: Map<string, readonly DataCategory[]>,
  seq: number,
  storeRows: ReadonlyMap<string, number> = new Map(),
) {
  const held = [...new Set(h.records.filter((r) => r.records > 0).map((r) => r.category))];
  const retirement = {
    retiredPurposes: ctx.plan.retiredPurposes,
    retiredServices: ctx.plan.retiredServices,
    categories: [...ctx.inScope],
  };
  const needs = remainingNeeds(ctx.catalogue, retirement, consented, ctx.now);
  const needed = new Set<DataCategory>([...needs.values()].flatMap((s) => [...s]));
  const d = withRetiredStores(
    held,
    decideSubject(held, ctx.inScope, needed, ctx.actions),
    storeRows,
    ctx.stores,
  );
  // A subject holding nothing still has its own record (blind index, audit id): the sunset takes it.
  const bare = held.length === 0 && ctx.plan.retire.kind === 'all';
  if (d.erase.length === 0 && d.restrict.length === 0 && !bare) {
    return undefined;
  }
  // Every held category is recorded (not only those in scope): the vault needs them to tell a
  // group the subject loses entirely from one it keeps part of.
  const records: ItemRecords = {};
  for (const r of h.records) {
    const m = (records[r.category] ??= {});
    m[r.store] = (m[r.store] ?? 0) + r.records;
  }
  // A retired store's rows count under its categories when the subject loses them.
  for (const s of ctx.stores) {
    const n = storeRows.get(s.id) ?? 0;
    for (const c of s.categories.filter((x) => n > 0 && d.erase.includes(x))) {
      (records[c] ??= {})[s.id] = n;
    }
  }
  const untouched = held.some((c) => !ctx.inScope.has(c));
  const item: repo.DisposalItemsTable = {
    plan_id: ctx.plan.id,
    seq,
    subject_id: h.subjectId,
    erase_cats: joinCats(d.erase),
    restrict_cats: joinCats(d.restrict),
    restrict_left: joinCats(d.restrict),
    keep_cats: joinCats(d.keep),
    whole: d.wholeSubject ? 1 : 0,
    whole_after: !untouched && d.keep.length === 0 ? 1 : 0,
    records_json: JSON.stringify(records),
    status: 0,
    done_at: null,
  };
  return { item, erase: d.erase };
}

/** Creates the run and its complete work list; does nothing when a complete one exists. */
export async function snapshotRun(deps: SnapshotDeps, plan: PlanDoc, hash: string): Promise<void> {
  const { store, target, consent } = deps;
  const db = store.db.kysely;
  const existing = await repo.getRun(db, plan.id);
  if (existing !== undefined && existing.total >= 0) {
    return;
  }
  const now = store.clock.now();
  await consent.retire(plan.retiredPurposes, plan.retiredServices, now, deps.actor);
  await db.transaction().execute(async (trx) => {
    await repo.deleteItems(trx, plan.id);
    await repo.insertRunHeader(trx, {
      plan_id: plan.id,
      plan_hash: hash,
      plan_json: canonicalJson(plan),
      total: -1,
      done: 0,
      started_at: now.getTime(),
      executed_at: null,
      before_json: '{}',
      after_json: null,
      anonymised_json: null,
      certificate_id: null,
    });
  });
  const ctx: Context = {
    plan,
    catalogue: await consent.catalogue(),
    inScope: new Set(plan.scope.map((s) => s.category)),
    actions: new Map(plan.actions.map((a) => [a.category, a.action])),
    now,
    stores: retiredStores(plan.retiredServices),
  };
  const anonymise = plan.actions.filter((a) => a.action === 'anonymise');
  const generalised = new Map<DataCategory, GeneralisedRecord[]>(
    anonymise.map((a) => [a.category, []]),
  );
  const before: StoreCounts = Object.fromEntries(target.stores.map((s) => [s, {}]));
  let seq = 0;
  let after: string | null = null;
  for (;;) {
    const page = await target.subjects(after, PAGE);
    const consented = await consent.consented(
      page.map((h) => h.subjectId),
      now,
    );
    const storeRows = await storeRowsOf(
      db,
      ctx.stores,
      page.map((h) => h.subjectId),
    );
    const items: repo.DisposalItemsTable[] = [];
    const toAnonymise = new Map<DataCategory, string[]>();
    for (const h of page) {
      addCounts(before, h);
      const made = itemFor(
        ctx,
        h,
        new Map(consented.get(h.subjectId) ?? []),
        seq + 1,
        storeRows.get(h.subjectId),
      );
      if (made === undefined) {
        continue;
      }
      seq++;
      items.push(made.item);
      for (const c of made.erase.filter((x) => generalised.has(x))) {
        toAnonymise.set(c, [...(toAnonymise.get(c) ?? []), h.subjectId]);
      }
    }
    for (const [c, ids] of toAnonymise) {
      if (target.generalise === undefined) {
        throw new TypeError('this disposal target cannot anonymise (no generalise())');
      }
      generalised.get(c)!.push(...(await target.generalise(ids, c)));
    }
    await repo.insertItems(db, items);
    if (page.length < PAGE) {
      break;
    }
    after = page[page.length - 1].subjectId;
  }
  const tables = anonymise.map((a) =>
    kAnonymousTable(
      a.category,
      generalised.get(a.category) ?? [],
      a.anonymise?.quasiIdentifiers ?? [],
      a.anonymise?.k ?? 5,
    ),
  );
  // Whole personal tables are counted too, for the report's per-store view (category `*`).
  for (const [id, counts] of Object.entries(await personalTableCounts(store))) {
    before[id] = { ...counts, ...(before[id] ?? {}) };
  }
  await db.transaction().execute(async (trx) => {
    await repo.completeSnapshot(trx, plan.id, {
      total: seq,
      before_json: JSON.stringify(before),
      anonymised_json: tables.length > 0 ? JSON.stringify(tables) : null,
    });
    await repo.addProgress(trx, plan.id, now.getTime(), 0);
  });
}
