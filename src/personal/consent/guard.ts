// SPDX-License-Identifier: Apache-2.0
/**
 * @module The purpose guard's decision, a pure function over loaded facts (STYLE.md §8;
 * DESIGN.md §5): a read of one data category of one subject for one purpose is allowed only if
 * the purpose has a legal basis covering that category at that moment — PIPL art. 13; consent
 * present and not withdrawn where consent is the basis (arts. 14–15), separate for sensitive data
 * (art. 29), given by a guardian for under-14s (art. 31); a statutory basis inside its validity
 * window; and the data not restricted (art. 47 para. 2).
 */
import type { DataCategory } from '../../kernel/domain/index.js';
import { isSensitive } from '../../kernel/domain/index.js';
import type { LegalBasis } from './model.js';
import { isConsentBasis } from './model.js';

/** What the guard needs to know about the purpose. */
export interface PurposeFacts {
  readonly id: string;
  readonly legalBasis: LegalBasis;
  readonly validFrom: Date;
  readonly validTo: Date | null;
  readonly categories: readonly DataCategory[];
}

/** The subject's latest consent record for (purpose, category), if any. */
export interface ConsentFacts {
  readonly grantedAt: Date;
  readonly withdrawnAt: Date | null;
  /** Given as a separate consent act (art. 29). */
  readonly separate: boolean;
  /** Given by a guardian (art. 31). */
  readonly byGuardian: boolean;
}

/** Everything one decision depends on; loaded by the caller, nothing else is consulted. */
export interface GuardFacts {
  /** `undefined` when the purpose is not in the catalogue. */
  readonly purpose: PurposeFacts | undefined;
  readonly category: DataCategory;
  readonly at: Date;
  /** The data is in the restricted state (deletion due but not yet allowed). */
  readonly restricted: boolean;
  /** The subject is under 14 at `at` (age from the ID number). */
  readonly under14: boolean;
  readonly consent: ConsentFacts | undefined;
}

/** Why a decision came out as it did; stable strings, logged with every decision. */
export const GUARD_REASONS = [
  'statutory-basis',
  'consent',
  'unknown-purpose',
  'category-not-in-purpose',
  'restricted',
  'basis-not-yet-valid',
  'basis-expired',
  'no-consent',
  'consent-withdrawn',
  'separate-consent-missing',
  'guardian-consent-missing',
] as const;
export type GuardReason = (typeof GUARD_REASONS)[number];

export interface GuardDecision {
  readonly allowed: boolean;
  readonly reason: GuardReason;
  /** The basis the read relies on (or would, had it been allowed). */
  readonly basis?: LegalBasis;
}

function refuse(reason: GuardReason, basis?: LegalBasis): GuardDecision {
  return basis === undefined ? { allowed: false, reason } : { allowed: false, reason, basis };
}

/**
 * Decides one read. Refusal reasons are checked in a fixed order, so each combination of facts
 * has exactly one reason: catalogue, restriction, validity window, then consent.
 *
 * @example
 * decideAccess({ purpose: epidemic, category: 'test-results', at, restricted: false,
 *   under14: false, consent: undefined }); // → { allowed: true, reason: 'statutory-basis', basis: '13(4)' }
 */
export function decideAccess(f: GuardFacts): GuardDecision {
  const p = f.purpose;
  if (p === undefined) {
    return refuse('unknown-purpose');
  }
  const basis = p.legalBasis;
  if (!p.categories.includes(f.category)) {
    return refuse('category-not-in-purpose', basis);
  }
  if (f.restricted) {
    return refuse('restricted', basis);
  }
  const t = f.at.getTime();
  if (t < p.validFrom.getTime()) {
    return refuse('basis-not-yet-valid', basis);
  }
  if (p.validTo !== null && t >= p.validTo.getTime()) {
    return refuse('basis-expired', basis);
  }
  if (!isConsentBasis(basis)) {
    return { allowed: true, reason: 'statutory-basis', basis };
  }
  const c = f.consent;
  if (c === undefined || c.grantedAt.getTime() > t) {
    return refuse('no-consent', basis);
  }
  if (c.withdrawnAt !== null && c.withdrawnAt.getTime() <= t) {
    return refuse('consent-withdrawn', basis);
  }
  if (isSensitive(f.category, { under14: f.under14 }) && !c.separate) {
    return refuse('separate-consent-missing', basis);
  }
  if (f.under14 && !c.byGuardian) {
    return refuse('guardian-consent-missing', basis);
  }
  return { allowed: true, reason: 'consent', basis };
}
