// SPDX-License-Identifier: Apache-2.0
/**
 * @module Test fixtures for disposal (used by its tests only): a sample catalogue shaped like the
 * consent capability's built-in one, and a valid plan document to mutate.
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import { PLAN_KIND, type PlanDoc } from './model.js';
import type {
  ConsentView,
  DisposalTarget,
  DisposeItem,
  ResidueItem,
  SubjectHolding,
} from './ports.js';
import type { CatalogueView, ConsentedCategories } from './scope.js';

const T0 = new Date('2020-02-01T00:00:00Z');

/** Purposes and services after issue 6 (epidemic control by statute; transit by consent). */
export function sampleCatalogue(): CatalogueView {
  const epidemic: DataCategory[] = [
    'identity',
    'contact',
    'address',
    'medical-history',
    'temperature',
    'symptoms',
    'test-results',
    'vaccination',
    'location-events',
    'itinerary',
    'colour-decisions',
  ];
  return {
    purposes: [
      {
        id: 'epidemic-control',
        legalBasis: '13(4)',
        categories: epidemic,
        validFrom: T0,
        validTo: null,
      },
      {
        id: 'public-transit',
        legalBasis: '13(1)',
        categories: ['identity', 'contact'],
        validFrom: T0,
        validTo: null,
      },
      {
        id: 'hospital',
        legalBasis: '13(1)',
        categories: ['identity', 'contact', 'medical-history'],
        validFrom: T0,
        validTo: null,
      },
      {
        id: 'statistics',
        legalBasis: '13(1)',
        categories: ['address'],
        validFrom: T0,
        validTo: null,
      },
    ],
    services: [
      {
        id: 'health-code',
        purposes: ['epidemic-control'],
        categories: ['identity', 'contact', 'test-results', 'colour-decisions', 'itinerary'],
        validTo: null,
      },
      {
        id: 'antigen-self-test',
        purposes: ['epidemic-control'],
        categories: ['identity', 'test-results'],
        validTo: null,
      },
      {
        id: 'health-declaration',
        purposes: ['epidemic-control'],
        categories: ['temperature', 'symptoms', 'address'],
        validTo: null,
      },
      {
        id: 'e-certificates',
        purposes: ['epidemic-control'],
        categories: ['vaccination'],
        validTo: null,
      },
      {
        id: 'trip-card',
        purposes: ['epidemic-control'],
        categories: ['location-events'],
        validTo: null,
      },
      {
        id: 'transit-code',
        purposes: ['public-transit'],
        categories: ['identity', 'contact'],
        validTo: null,
      },
      {
        id: 'hospital-code',
        purposes: ['hospital'],
        categories: ['identity', 'contact', 'medical-history'],
        validTo: null,
      },
    ],
  };
}

/** A valid plan retiring everything, with one store and no recipients. */
export function samplePlan(overrides: Partial<PlanDoc> = {}): PlanDoc {
  return {
    kind: PLAN_KIND,
    version: 1,
    id: '0b7c2d7e-5a41-4c1e-9d59-2f5d0a6b1c33',
    title: 'Disposal of personal data after retiring the health-code programme',
    createdAt: '2026-12-01T08:00:00+08:00',
    instance: { origin: 'healthcode.test/city', synthetic: true },
    responsibleParty: { name: 'City Big-Data Centre (synthetic)', contact: 'dpo@example.test' },
    retire: { kind: 'all', id: 'all' },
    trigger: 'PIPL art. 47(1)(2)',
    retiredPurposes: ['epidemic-control'],
    retiredServices: ['health-code'],
    scope: [
      {
        category: 'identity',
        group: 'basic',
        sensitive: true,
        subjects: 3,
        records: 3,
        stores: [{ store: 'db:vault_record', records: 3 }],
        keptFor: [],
      },
      {
        category: 'test-results',
        group: 'certification',
        sensitive: true,
        subjects: 2,
        records: 5,
        stores: [{ store: 'db:vault_record', records: 5 }],
        keptFor: [],
      },
    ],
    actions: [
      { category: 'identity', action: 'delete' },
      { category: 'test-results', action: 'delete' },
    ],
    stores: [{ store: 'db:vault_record', method: 'crypto-erasure' }],
    recipients: [],
    notifySubjects: false,
    approvals: [],
    ...overrides,
  };
}

/**
 * An in-memory vault for the executor's tests: subjects hold record counts per category, erasure
 * removes them, restriction marks them. It can fail on a chosen dispose call to stand in for a
 * crash between batches. (The end-to-end tests run against the real vault.)
 */
export class MemoryTarget implements DisposalTarget {
  readonly stores = ['db:vault_record'];
  readonly data = new Map<string, Map<DataCategory, number>>();
  readonly restricted = new Map<string, Set<DataCategory>>();
  disposeCalls = 0;
  failOnCall: number | undefined;

  add(subjectId: string, records: Partial<Record<DataCategory, number>>): void {
    this.data.set(subjectId, new Map(Object.entries(records) as [DataCategory, number][]));
  }

  total(): number {
    let n = 0;
    for (const m of this.data.values()) {
      for (const v of m.values()) {
        n += v;
      }
    }
    return n;
  }

  subjects(after: string | null, limit: number): Promise<SubjectHolding[]> {
    const ids = [...this.data.keys()]
      .sort()
      .filter((id) => after === null || id > after)
      .slice(0, limit);
    return Promise.resolve(
      ids.map((id) => ({
        subjectId: id,
        kind: 'citizen',
        records: [...this.data.get(id)!].map(([category, records]) => ({
          category,
          store: 'db:vault_record',
          records,
        })),
      })),
    );
  }

  dispose(items: readonly DisposeItem[]): Promise<void> {
    this.disposeCalls++;
    if (this.failOnCall !== undefined && this.disposeCalls === this.failOnCall) {
      // Dispose half the batch, then "crash".
      items.slice(0, Math.ceil(items.length / 2)).forEach((it) => this.#apply(it));
      return Promise.reject(new Error('simulated crash'));
    }
    items.forEach((it) => this.#apply(it));
    return Promise.resolve();
  }

  #apply(it: DisposeItem): void {
    const m = this.data.get(it.subjectId);
    if (m === undefined) {
      return;
    }
    for (const c of it.decision.restrict) {
      const r = this.restricted.get(it.subjectId) ?? new Set();
      r.add(c);
      this.restricted.set(it.subjectId, r);
    }
    for (const c of it.decision.erase) {
      m.delete(c);
    }
    if (it.decision.wholeSubject) {
      this.data.delete(it.subjectId);
    }
  }

  residue(items: readonly ResidueItem[]): Promise<{ keysPresent: number; rowsRemaining: number }> {
    let rows = 0;
    for (const it of items) {
      const m = this.data.get(it.subjectId);
      rows += it.erased.reduce((a, c) => a + (m?.get(c) ?? 0), 0);
    }
    return Promise.resolve({ keysPresent: 0, rowsRemaining: rows });
  }

  scrub(): Promise<void> {
    return Promise.resolve();
  }
}

/** A consent view over the sample catalogue with per-subject consents; retiring closes windows. */
export class MemoryConsent implements ConsentView {
  cat = sampleCatalogue();
  readonly consents = new Map<string, Map<string, DataCategory[]>>();
  readonly retired: string[] = [];

  catalogue(): Promise<CatalogueView> {
    return Promise.resolve(this.cat);
  }

  consented(subjectIds: readonly string[]): Promise<Map<string, ConsentedCategories>> {
    return Promise.resolve(
      new Map(
        subjectIds.filter((id) => this.consents.has(id)).map((id) => [id, this.consents.get(id)!]),
      ),
    );
  }

  retire(purposes: readonly string[], services: readonly string[], at: Date): Promise<void> {
    this.retired.push(...purposes, ...services);
    this.cat = {
      purposes: this.cat.purposes.map((p) => (purposes.includes(p.id) ? { ...p, validTo: at } : p)),
      services: this.cat.services.map((s) => (services.includes(s.id) ? { ...s, validTo: at } : s)),
    };
    return Promise.resolve();
  }
}
