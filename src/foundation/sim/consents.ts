// SPDX-License-Identifier: Apache-2.0
/**
 * @module The synthetic city's consents (issue 6 item 9): which residents agreed to the
 * consent-based purposes, when, and who withdrew — deterministic per resident, so a seed is
 * reproducible. Shares are design choices (DOMAIN.md legend "D"), chosen to look like a city a
 * few years into a health-code programme: most people use the transit code, fewer link their
 * hospital visits, a minority lets their movements feed statistics, and a few withdraw later.
 * An under-14's consent is given by their guardian (PIPL art. 31), and sensitive categories —
 * every category, for an under-14 — are consented to in a separate act (art. 29).
 */
import { isSensitive, type DataCategory } from '../../kernel/domain/index.js';
import { mixKey, Rng } from './prng.js';
import type { SyntheticResident } from './model.js';

/** Share of residents who consent to each optional purpose, and the categories they grant. */
export const CONSENT_SHARES: ReadonlyArray<{
  readonly purposeId: string;
  readonly share: number;
  readonly categories: readonly DataCategory[];
}> = [
  { purposeId: 'public-transit', share: 0.6, categories: ['identity', 'contact'] },
  {
    purposeId: 'hospital',
    share: 0.35,
    categories: ['identity', 'contact', 'medical-history', 'test-results', 'vaccination'],
  },
  { purposeId: 'statistics', share: 0.25, categories: ['address', 'location-events'] },
];

/** Share of granted consents withdrawn since (some time after granting, before `end`). */
export const WITHDRAWAL_SHARE = 0.06;

/** Consents are granted within this many days before the end of the simulated period. */
const GRANT_WINDOW_DAYS = 720;
const DAY_MS = 86_400_000;
const CONSENT_STREAM = 0xc0_5e_47;

/** One consent act: the categories granted together (a separate act for sensitive ones). */
export interface SyntheticConsentAct {
  readonly categories: readonly DataCategory[];
  readonly separate: boolean;
}

export interface SyntheticConsent {
  readonly purposeId: string;
  readonly acts: readonly SyntheticConsentAct[];
  readonly grantedAt: Date;
  readonly withdrawnAt: Date | null;
  /** Set for under-14s: the guardian (resident seq) who gave the consent. */
  readonly guardianSeq?: number;
}

function keyOf(r: SyntheticResident): number {
  let h = r.seq;
  for (let i = 0; i < r.idNumber.length; i++) {
    h = mixKey(h, r.idNumber.charCodeAt(i));
  }
  return h;
}

/** The consents a resident gave, as of `end`. */
export function syntheticConsents(r: SyntheticResident, end: Date): SyntheticConsent[] {
  const rng = new Rng(keyOf(r), CONSENT_STREAM);
  const under14 = r.guardianSeq !== undefined;
  const out: SyntheticConsent[] = [];
  for (const p of CONSENT_SHARES) {
    if (rng.float() >= p.share) {
      continue;
    }
    const sensitive = p.categories.filter((c) => isSensitive(c, { under14 }));
    const plain = p.categories.filter((c) => !isSensitive(c, { under14 }));
    const acts: SyntheticConsentAct[] = [];
    if (sensitive.length > 0) {
      acts.push({ categories: sensitive, separate: true });
    }
    if (plain.length > 0) {
      acts.push({ categories: plain, separate: false });
    }
    const grantedAt = new Date(end.getTime() - (1 + rng.int(GRANT_WINDOW_DAYS)) * DAY_MS);
    const since = end.getTime() - grantedAt.getTime();
    const withdrawnAt =
      rng.float() < WITHDRAWAL_SHARE
        ? new Date(grantedAt.getTime() + Math.floor(rng.float() * since))
        : null;
    out.push({
      purposeId: p.purposeId,
      acts,
      grantedAt,
      withdrawnAt,
      ...(under14 ? { guardianSeq: r.guardianSeq } : {}),
    });
  }
  return out;
}
