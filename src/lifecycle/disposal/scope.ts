// SPDX-License-Identifier: Apache-2.0
/**
 * @module What a retirement ends, and for each subject what goes and what stays (PIPL art. 47(1)(2);
 * DOMAIN.md req. 11): data another purpose with a valid basis for that subject still needs is kept
 * for that purpose only; the rest follows the plan's action for its category. Pure functions.
 */
import { DATA_CATEGORIES, type DataCategory } from '../../kernel/domain/index.js';
import { RetireUnknownError } from './errors.js';
import type { Action, RetireTarget, SubjectDecision } from './model.js';

/** The slice of the purpose catalogue disposal reads (src/personal/consent's Purpose fits it). */
export interface PurposeView {
  readonly id: string;
  readonly legalBasis: string;
  readonly categories: readonly DataCategory[];
  readonly validFrom: Date;
  readonly validTo: Date | null;
  readonly recipients?: readonly string[];
}

/** The slice of a service disposal reads (src/personal/consent's Service fits it). */
export interface ServiceView {
  readonly id: string;
  readonly purposes: readonly string[];
  readonly categories: readonly DataCategory[];
  readonly validTo: Date | null;
}

export interface CatalogueView {
  readonly purposes: readonly PurposeView[];
  readonly services: readonly ServiceView[];
}

/** A retirement resolved against the catalogue. */
export interface Retirement {
  readonly retiredPurposes: readonly string[];
  readonly retiredServices: readonly string[];
  /** Categories whose processing the retirement ends (the plan's scope). */
  readonly categories: readonly DataCategory[];
}

function active(w: { validTo: Date | null }, at: Date): boolean {
  return w.validTo === null || w.validTo.getTime() > at.getTime();
}

function sortCats(cats: Iterable<DataCategory>): DataCategory[] {
  const set = new Set(cats);
  return DATA_CATEGORIES.filter((c) => set.has(c));
}

/**
 * Resolves `--retire`: a purpose retires itself and every service that runs only on retired
 * purposes; a service retires itself and each of its purposes no other live service uses;
 * `all` retires everything.
 */
export function resolveRetirement(target: RetireTarget, cat: CatalogueView, at: Date): Retirement {
  if (target.kind !== 'all' && target.id.includes(',')) {
    const ids = target.id.split(',');
    // Services retired together do not keep each other's purposes alive.
    const live = cat.services.filter((s) => target.kind !== 'service' || !ids.includes(s.id));
    const view = (id: string): CatalogueView =>
      target.kind === 'service'
        ? {
            purposes: cat.purposes,
            services: [...live, ...cat.services.filter((s) => s.id === id)],
          }
        : cat;
    return mergeRetirements(
      ids.map((id) => resolveRetirement({ kind: target.kind, id }, view(id), at)),
    );
  }
  const purposes = new Map(cat.purposes.map((p) => [p.id, p]));
  if (target.kind === 'all') {
    return {
      retiredPurposes: cat.purposes.map((p) => p.id).sort(),
      retiredServices: cat.services.map((s) => s.id).sort(),
      categories: [...DATA_CATEGORIES],
    };
  }
  if (target.kind === 'purpose') {
    const p = purposes.get(target.id);
    if (p === undefined) {
      throw new RetireUnknownError(`no purpose named ${target.id}`);
    }
    const services = cat.services
      .filter((s) => s.purposes.length > 0 && s.purposes.every((id) => id === p.id))
      .map((s) => s.id)
      .sort();
    return {
      retiredPurposes: [p.id],
      retiredServices: services,
      categories: sortCats(p.categories),
    };
  }
  const s = cat.services.find((x) => x.id === target.id);
  if (s === undefined) {
    throw new RetireUnknownError(`no service named ${target.id}`);
  }
  const others = cat.services.filter((x) => x.id !== s.id && active(x, at));
  const orphaned = s.purposes.filter((id) => !others.some((o) => o.purposes.includes(id))).sort();
  return { retiredPurposes: orphaned, retiredServices: [s.id], categories: sortCats(s.categories) };
}

/** Merges several retirements (the Guangdong case retires five services at once). */
export function mergeRetirements(parts: readonly Retirement[]): Retirement {
  return {
    retiredPurposes: [...new Set(parts.flatMap((p) => p.retiredPurposes))].sort(),
    retiredServices: [...new Set(parts.flatMap((p) => p.retiredServices))].sort(),
    categories: sortCats(parts.flatMap((p) => p.categories)),
  };
}

/** A subject's consents: purpose → categories consented and not withdrawn. */
export type ConsentedCategories = ReadonlyMap<string, readonly DataCategory[]>;

/**
 * The categories of one subject that a remaining purpose still needs, keyed by the purpose. A
 * remaining purpose counts when its basis is valid at `at`: statutory bases within their window,
 * consent bases only for the categories this subject consented to. Through a live service, only
 * the categories that service uses count; a purpose no service uses counts in full.
 */
export function remainingNeeds(
  cat: CatalogueView,
  retired: Retirement,
  consented: ConsentedCategories,
  at: Date,
): Map<string, Set<DataCategory>> {
  const retiredP = new Set(retired.retiredPurposes);
  const retiredS = new Set(retired.retiredServices);
  const needs = new Map<string, Set<DataCategory>>();
  const validFor = (p: PurposeView): readonly DataCategory[] => {
    if (retiredP.has(p.id) || !active(p, at) || p.validFrom.getTime() > at.getTime()) {
      return [];
    }
    return p.legalBasis === '13(1)' ? (consented.get(p.id) ?? []) : p.categories;
  };
  const add = (purpose: string, cats: Iterable<DataCategory>) => {
    const set = needs.get(purpose) ?? new Set<DataCategory>();
    for (const c of cats) {
      set.add(c);
    }
    if (set.size > 0) {
      needs.set(purpose, set);
    }
  };
  const served = new Set<string>();
  for (const s of cat.services) {
    s.purposes.forEach((id) => served.add(id));
    if (retiredS.has(s.id) || !active(s, at)) {
      continue;
    }
    for (const id of s.purposes) {
      const p = cat.purposes.find((x) => x.id === id);
      if (p !== undefined) {
        add(
          id,
          validFor(p).filter((c) => s.categories.includes(c)),
        );
      }
    }
  }
  for (const p of cat.purposes) {
    if (!served.has(p.id)) {
      add(p.id, validFor(p));
    }
  }
  return needs;
}

/** One subject's disposal: keep what others need, then the plan's action per category. */
export function decideSubject(
  held: readonly DataCategory[],
  inScope: ReadonlySet<DataCategory>,
  needed: ReadonlySet<DataCategory>,
  actions: ReadonlyMap<DataCategory, Action>,
): SubjectDecision {
  const erase: DataCategory[] = [];
  const restrict: DataCategory[] = [];
  const keep: DataCategory[] = [];
  let untouched = 0;
  for (const c of sortCats(held)) {
    if (!inScope.has(c)) {
      untouched++;
    } else if (needed.has(c)) {
      keep.push(c);
    } else if ((actions.get(c) ?? 'delete') === 'retain') {
      restrict.push(c);
    } else {
      erase.push(c);
    }
  }
  const wholeSubject = untouched === 0 && keep.length === 0 && restrict.length === 0;
  return { erase, restrict, keep, wholeSubject };
}
