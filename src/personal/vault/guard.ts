// SPDX-License-Identifier: Apache-2.0
/**
 * @module The Guard port (DESIGN.md §5, STYLE.md §10): before any read the vault asks whether
 * this purpose may read this category of this subject now. The consent capability provides the
 * full guard (legal bases, consents, withdrawals); its `ConsentGuard.decide` has this shape and
 * plugs in as is. `instanceVault` (wiring.ts) — what commands, jobs and the API open — wires the
 * consent guard with its logging delegated to the vault, so one read appends one audit leaf that
 * records the decision's reason. The interim guard below remains only for callers that open a
 * bare `VaultCore`/`openVault` without a guard (unit tests, benchmarks, system purposes).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { DataCategory } from '../../kernel/domain/index.js';

/** One read to decide. */
export interface GuardRequest {
  readonly subjectId: string;
  readonly purpose: string;
  readonly category: DataCategory;
  readonly at?: Date;
  /** The subject is under 14 (PIPL art. 31), from the birth date the vault keeps encrypted. */
  readonly under14?: boolean;
  /** The data is in the restricted state (PIPL art. 47 para. 2). */
  readonly restricted?: boolean;
  readonly actor?: string;
  /** The subject's audit pseudonym, so a guard that logs never sees the subject id in its log. */
  readonly subjectAuditId?: string;
}

export interface GuardDecision {
  readonly allowed: boolean;
  /** A stable reason string (e.g. `statutory-basis`, `no-consent`, `restricted`). */
  readonly reason: string;
}

/** Decides reads; `db` is the caller's handle (its transaction, if any). */
export interface Guard {
  decide(request: GuardRequest, db: Kysely<Database>): Promise<GuardDecision>;
}

/**
 * The interim policy (tests and bare cores only; instances use the consent guard): epidemic control may read every category
 * without consent (PIPL art. 13(4): necessary to respond to a public-health emergency), every
 * other purpose (transit, hospital, government services, statistics) is a new purpose that needs
 * fresh, separate consent (PIPL art. 14, 29; DOMAIN.md §6 req. 9) — which nobody can have given
 * yet — so it is refused. Restricted data is refused to every business purpose.
 *
 * @example
 * await interimGuard.decide({ subjectId, purpose: 'public-transit', category: 'identity' }, db);
 * // → { allowed: false, reason: 'no-consent' }
 */
export const interimGuard: Guard = {
  decide(request: GuardRequest): Promise<GuardDecision> {
    if (request.restricted === true) {
      return Promise.resolve({ allowed: false, reason: 'restricted' });
    }
    if (request.purpose === 'epidemic-control') {
      return Promise.resolve({ allowed: true, reason: 'statutory-basis' });
    }
    return Promise.resolve({ allowed: false, reason: 'no-consent' });
  },
};
