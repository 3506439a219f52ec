// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal plan --retire …`: drafts a plan (the 2022 guideline's "disposal plan"): what
 * is retired and under which PIPL art. 47 trigger, the responsible party, the data in scope per
 * category and store with what other purposes keep, delete as every category's default action,
 * and for every inventoried personal store how disposal reaches it — with the statutory
 * retention exemptions the law imposes (CSL art. 21 security logs; PIPL art. 56 records).
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import { categoryInfo, type DataCategory } from '../../kernel/domain/index.js';
import { addMonthsDay } from './exemptions.js';
import type { Inventory, InventoryStore } from './inventory-model.js';
import {
  PLAN_KIND,
  type Exemption,
  type PlanDoc,
  type RetireTarget,
  type ScopeEntry,
  type StoreAction,
} from './model.js';
import type { ConsentView, DisposalTarget } from './ports.js';
import type { RecipientRow } from './recipients.js';
import { decideSubject, remainingNeeds, resolveRetirement } from './scope.js';
import { retiredStores, storeRowsOf, withRetiredStores } from './service-stores.js';

export interface DraftDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly consent: ConsentView;
  readonly inventory: Inventory;
  readonly recipients: readonly RecipientRow[];
  /** The operator named as approver of the statutory exemptions the draft proposes. */
  readonly approver: string;
}

const TRIGGERS: Readonly<Record<RetireTarget['kind'], string>> = {
  all: 'PIPL art. 47(1)(2): the health-code programme has stopped; its purposes are achieved (programme sunset)',
  service:
    'PIPL art. 47(1)(2): the service has stopped; data only it needed is no longer necessary',
  purpose: 'PIPL art. 47(1): the purpose is achieved; data only it needed is no longer necessary',
};

/** Store ids whose retention the law fixes, with the exemption the draft proposes. */
function storeExemption(
  s: InventoryStore,
  store: Store,
  now: Date,
  approver: string,
): Exemption | undefined {
  const tz = store.config.timeZone;
  if (s.kind === 'log' && s.personal) {
    return {
      kind: 'statutory-retention',
      name: 'security-log retention',
      legalSource: 'Cybersecurity Law art. 21 (network logs kept ≥ 6 months)',
      endDate: addMonthsDay(now, store.config.retention.securityLogMonths, tz),
      approver,
    };
  }
  if (s.disposal === 'retain') {
    return {
      kind: 'statutory-retention',
      name: 'processing records',
      legalSource: 'PIPL art. 56 (PIA reports and processing records kept ≥ 3 years)',
      endDate: addMonthsDay(now, 12 * store.config.retention.recordsYears, tz),
      approver,
    };
  }
  return undefined;
}

function storeAction(
  s: InventoryStore,
  deps: DraftDeps,
  now: Date,
  retired: ReadonlySet<string>,
): StoreAction {
  if (retired.has(s.id)) {
    return {
      store: s.id,
      method: 'physical-deletion',
      note: 'only retired services used it: every row deleted, and each subject’s key of its scope destroyed where no other store holds data of that scope',
    };
  }
  const exemption = storeExemption(s, deps.store, now, deps.approver);
  if (exemption !== undefined) {
    return { store: s.id, method: 'retain', exemption };
  }
  if (deps.target.stores.includes(s.id)) {
    return {
      store: s.id,
      method: 'crypto-erasure',
      note: 'data keys destroyed, rows deleted, pages scrubbed',
    };
  }
  return { store: s.id, method: s.disposal };
}

/** Drafts a plan; nothing is changed. */
export async function draftPlan(
  deps: DraftDeps,
  target: RetireTarget,
  title?: string,
): Promise<PlanDoc> {
  const { store } = deps;
  const now = store.clock.now();
  const catalogue = await deps.consent.catalogue();
  const retirement = resolveRetirement(target, catalogue, now);
  const inScope = new Set<DataCategory>(retirement.categories);
  const scope = new Map<
    DataCategory,
    { subjects: number; records: number; stores: Map<string, number>; keptFor: Map<string, number> }
  >();
  for (const c of retirement.categories) {
    scope.set(c, { subjects: 0, records: 0, stores: new Map(), keptFor: new Map() });
  }
  const retiredStoreList = retiredStores(retirement.retiredServices);
  const retiredIds = new Set(retiredStoreList.map((s) => s.id));
  let after: string | null = null;
  for (;;) {
    const page = await deps.target.subjects(after, 1000);
    const storeRows = await storeRowsOf(
      store.db.kysely,
      retiredStoreList,
      page.map((h) => h.subjectId),
    );
    const consented = await deps.consent.consented(
      page.map((h) => h.subjectId),
      now,
    );
    for (const h of page) {
      const held = [...new Set(h.records.filter((r) => r.records > 0).map((r) => r.category))];
      const needs = remainingNeeds(
        catalogue,
        retirement,
        consented.get(h.subjectId) ?? new Map(),
        now,
      );
      const needed = new Set<DataCategory>([...needs.values()].flatMap((s) => [...s]));
      const rows = storeRows.get(h.subjectId) ?? new Map<string, number>();
      const d = withRetiredStores(
        held,
        decideSubject(held, inScope, needed, new Map()),
        rows,
        retiredStoreList,
      );
      const records = [
        ...h.records,
        ...retiredStoreList.flatMap((s) =>
          s.categories.map((category) => ({ category, store: s.id, records: rows.get(s.id) ?? 0 })),
        ),
      ].filter((r) => r.records > 0);
      for (const c of d.erase.filter((x) => scope.has(x))) {
        const e = scope.get(c)!;
        e.subjects++;
        for (const r of records.filter((x) => x.category === c)) {
          e.records += r.records;
          e.stores.set(r.store, (e.stores.get(r.store) ?? 0) + r.records);
        }
      }
      // A retired store's rows go even where the subject keeps the category elsewhere.
      for (const r of records.filter(
        (x) => retiredIds.has(x.store) && scope.has(x.category) && !d.erase.includes(x.category),
      )) {
        const e = scope.get(r.category)!;
        e.records += r.records;
        e.stores.set(r.store, (e.stores.get(r.store) ?? 0) + r.records);
      }
      for (const c of d.keep.filter((x) => scope.has(x))) {
        const e = scope.get(c)!;
        for (const [purpose, cats] of needs) {
          if (cats.has(c)) {
            e.keptFor.set(purpose, (e.keptFor.get(purpose) ?? 0) + 1);
          }
        }
      }
    }
    if (page.length < 1000) {
      break;
    }
    after = page[page.length - 1].subjectId;
  }
  const scopeEntries: ScopeEntry[] = retirement.categories.map((c) => {
    const e = scope.get(c)!;
    const info = categoryInfo(c);
    return {
      category: c,
      group: info.group,
      sensitive: info.sensitive,
      subjects: e.subjects,
      records: e.records,
      stores: [...e.stores].sort().map(([s, records]) => ({ store: s, records })),
      keptFor: [...e.keptFor].sort().map(([purpose, subjects]) => ({ purpose, subjects })),
    };
  });
  const recipients = deps.recipients
    .filter((r) => r.categories.length === 0 || r.categories.some((c) => inScope.has(c)))
    .map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      categories: (r.categories.length === 0
        ? retirement.categories
        : r.categories.filter((c) => inScope.has(c))) as DataCategory[],
    }));
  const known = new Set(recipients.map((r) => `external:${r.id}`));
  const stores = deps.inventory.stores
    .filter((s) => s.personal)
    .map((s): StoreAction =>
      s.kind === 'external' && !known.has(s.id)
        ? { store: s.id, method: 'not-applicable', note: 'holds none of the categories in scope' }
        : storeAction(s, deps, now, retiredIds),
    );
  const what = target.kind === 'all' ? 'the health-code programme' : `${target.kind} ${target.id}`;
  return {
    kind: PLAN_KIND,
    version: 1,
    id: randomUUID(),
    title: title ?? `Disposal of personal data after retiring ${what}`,
    createdAt: now.toISOString(),
    instance: { origin: store.config.origin, synthetic: store.config.synthetic },
    responsibleParty: store.config.responsibleParty,
    retire: target,
    trigger: TRIGGERS[target.kind],
    retiredPurposes: retirement.retiredPurposes,
    retiredServices: retirement.retiredServices,
    scope: scopeEntries,
    actions: retirement.categories.map((c) => ({ category: c, action: 'delete' as const })),
    stores,
    recipients,
    notifySubjects: false,
    approvals: [],
  };
}
