// SPDX-License-Identifier: Apache-2.0
/**
 * @module Purposes and services as data (DESIGN.md §5): each purpose carries its PIPL art. 13
 * legal basis and that basis's validity window, the data categories it needs (art. 6, minimum
 * necessary), its retention (art. 19), whether it needs separate consent (sensitive data,
 * art. 29) and a guardian's consent for under-14s (art. 31). Pure types and rules only.
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import { categoryInfo, isDataCategory } from '../../kernel/domain/index.js';

/** PIPL art. 13 legal bases: (1) consent … (7) other laws; DOMAIN.md §3.1. */
export const LEGAL_BASES = ['13(1)', '13(2)', '13(3)', '13(4)', '13(5)', '13(6)', '13(7)'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** The one basis that rests on the individual's consent (art. 13(1)). */
export const CONSENT_BASIS: LegalBasis = '13(1)';

export function isLegalBasis(value: unknown): value is LegalBasis {
  return typeof value === 'string' && (LEGAL_BASES as readonly string[]).includes(value);
}

/** True when processing under this basis needs the individual's consent. */
export function isConsentBasis(basis: LegalBasis): boolean {
  return basis === CONSENT_BASIS;
}

/** Who must consent for an under-14 (art. 31): a guardian, or nobody when consent is not the basis. */
export type GuardianRule = 'guardian-under-14' | 'none';

/** Text in the two notice languages. */
export interface Localized {
  readonly zh: string;
  readonly en: string;
}

/** A processing purpose. */
export interface Purpose {
  readonly id: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly legalBasis: LegalBasis;
  /** Start of the basis's validity window (inclusive). */
  readonly validFrom: Date;
  /** End of the window (exclusive); `null` = open-ended. Retiring the purpose sets it. */
  readonly validTo: Date | null;
  readonly categories: readonly DataCategory[];
  /** ISO 8601 duration data collected for this purpose is kept (art. 19), e.g. `P30D`. */
  readonly retention: string;
  /** Sensitive data under consent needs a separate consent act (art. 29). */
  readonly separateConsent: boolean;
  readonly guardianRule: GuardianRule;
  /** Other processors the data is provided to (art. 23; needs a PIA, art. 55(3)). */
  readonly recipients: readonly string[];
  /** Shipped in the built-in catalogue (vs. added by an operator). */
  readonly builtin: boolean;
}

/** A service a citizen uses; it runs on one or more purposes. */
export interface Service {
  readonly id: string;
  readonly name: Localized;
  readonly purposes: readonly string[];
  readonly categories: readonly DataCategory[];
  /** A core service runs on a non-consent basis; refusing optional consents never blocks it (art. 16). */
  readonly core: boolean;
  readonly validFrom: Date;
  readonly validTo: Date | null;
  readonly builtin: boolean;
}

/** Ids of purposes and services: lower-case words joined by hyphens. */
export const CATALOGUE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_ID = 48;

export function isCatalogueId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID && CATALOGUE_ID.test(value);
}

const DURATION = /^P(?=\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** True for a date-only ISO 8601 duration such as `P30D`, `P1Y6M` (no time part). */
export function isRetention(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 20 && DURATION.test(value);
}

/** Adds an ISO 8601 date duration to an instant (calendar months/years in UTC). */
export function addRetention(from: Date, retention: string): Date {
  const m = DURATION.exec(retention);
  if (m === null) {
    throw new RangeError('"retention" expected an ISO 8601 date duration such as P30D');
  }
  const [, y, mo, w, d] = m;
  const out = new Date(from.getTime());
  out.setUTCFullYear(out.getUTCFullYear() + Number(y ?? 0), out.getUTCMonth() + Number(mo ?? 0));
  out.setUTCDate(out.getUTCDate() + Number(w ?? 0) * 7 + Number(d ?? 0));
  return out;
}

/** True when the purpose's basis is valid at `at` (validFrom ≤ at < validTo). */
export function isActiveAt(window: { validFrom: Date; validTo: Date | null }, at: Date): boolean {
  const t = at.getTime();
  return (
    t >= window.validFrom.getTime() && (window.validTo === null || t < window.validTo.getTime())
  );
}

/** True when any of the categories is sensitive for an adult (art. 28). */
export function anySensitive(categories: readonly DataCategory[]): boolean {
  return categories.some((c) => isDataCategory(c) && categoryInfo(c).sensitive);
}

/** What the separate-consent flag and guardian rule must be, derived from basis and categories. */
export function derivedConsentRules(
  basis: LegalBasis,
  categories: readonly DataCategory[],
): { separateConsent: boolean; guardianRule: GuardianRule } {
  const consent = isConsentBasis(basis);
  return {
    separateConsent: consent && anySensitive(categories),
    guardianRule: consent ? 'guardian-under-14' : 'none',
  };
}

/** Rule violations of a purpose definition; empty when it is sound. */
export function purposeProblems(p: Purpose): string[] {
  const problems: string[] = [];
  if (!isCatalogueId(p.id)) {
    problems.push('id must be lower-case words joined by hyphens (at most 48 characters)');
  }
  if (!isLegalBasis(p.legalBasis)) {
    problems.push(`legalBasis must be one of ${LEGAL_BASES.join(', ')}`);
  }
  if (p.categories.length === 0) {
    problems.push('a purpose needs at least one data category');
  }
  for (const c of p.categories) {
    if (!isDataCategory(c)) {
      problems.push(`unknown data category ${String(c)}`);
    }
  }
  if (new Set(p.categories).size !== p.categories.length) {
    problems.push('categories must not repeat');
  }
  if (!isRetention(p.retention)) {
    problems.push('retention must be an ISO 8601 date duration such as P30D');
  }
  if (p.validTo !== null && p.validTo.getTime() <= p.validFrom.getTime()) {
    problems.push('validTo must be after validFrom');
  }
  if (problems.length === 0) {
    const want = derivedConsentRules(p.legalBasis, p.categories);
    if (p.separateConsent !== want.separateConsent) {
      problems.push(
        want.separateConsent
          ? 'a consent-based purpose with sensitive categories needs separateConsent (PIPL art. 29)'
          : 'separateConsent applies only to consent-based purposes with sensitive categories',
      );
    }
    if (p.guardianRule !== want.guardianRule) {
      problems.push(`guardianRule must be ${want.guardianRule} for basis ${p.legalBasis}`);
    }
  }
  return problems;
}

/** Rule violations of a service against the purposes it names. */
export function serviceProblems(s: Service, purposes: ReadonlyMap<string, Purpose>): string[] {
  const problems: string[] = [];
  if (!isCatalogueId(s.id)) {
    problems.push('id must be lower-case words joined by hyphens (at most 48 characters)');
  }
  if (s.purposes.length === 0) {
    problems.push('a service needs at least one purpose');
  }
  const covered = new Set<DataCategory>();
  let statutory = false;
  for (const id of s.purposes) {
    const p = purposes.get(id);
    if (p === undefined) {
      problems.push(`unknown purpose ${id}`);
      continue;
    }
    statutory ||= !isConsentBasis(p.legalBasis);
    p.categories.forEach((c) => covered.add(c));
  }
  for (const c of s.categories) {
    if (!isDataCategory(c)) {
      problems.push(`unknown data category ${String(c)}`);
    } else if (!covered.has(c)) {
      problems.push(`category ${c} is not processed by any of the service's purposes`);
    }
  }
  if (s.core && !statutory && problems.length === 0) {
    problems.push('a core service must run on at least one non-consent basis (PIPL art. 16)');
  }
  return problems;
}

/** A loaded catalogue at one version. */
export interface Catalogue {
  readonly version: number;
  readonly purposes: ReadonlyMap<string, Purpose>;
  readonly services: ReadonlyMap<string, Service>;
}
