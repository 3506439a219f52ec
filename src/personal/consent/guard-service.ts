// SPDX-License-Identifier: Apache-2.0
/**
 * @module The repository-backed purpose guard (DESIGN.md §5; STYLE.md §10): loads the facts for
 * one read — the purpose from a catalogue cache checked against `consent_version` and the
 * subject's consent row, both in one keyed SELECT — asks the pure {@link decideAccess}, and logs
 * the decision with its reason through the AuditPort. There is no consent cache: a withdrawal
 * committed by any process refuses the next read.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import { loadCatalogue, type Catalogue } from './catalogue-service.js';
import { decideAccess, type ConsentFacts, type GuardDecision } from './guard.js';
import { audit, toBool, treatAsUnder14, type ConsentDeps } from './internal.js';
import { selectGuardRow } from './ledger-repository.js';

/** One read to decide. Facts the vault knows (age, restriction) come with the request. */
export interface GuardRequest {
  readonly subjectId: string;
  readonly purpose: string;
  readonly category: DataCategory;
  /** Default: the clock's now. */
  readonly at?: Date;
  /**
   * The subject is under 14 (age from the ID number; the vault tells it with each read). Without
   * it, the wired SubjectFactsPort is asked; a `false` here never overrides the port's `true`.
   */
  readonly under14?: boolean;
  /** The data is restricted (PIPL art. 47 para. 2); default false. */
  readonly restricted?: boolean;
  /** Who reads, for the audit entry; default `system`. */
  readonly actor?: string;
  /** The subject's audit pseudonym, when the caller already has it. */
  readonly subjectAuditId?: string;
}

/** Who writes the audit entry of a decision. */
export interface GuardOptions {
  /**
   * `each-decision` (default): the guard appends one entry per decision, with its reason.
   * `caller`: the caller's own entry for the read records `decision.reason` (one leaf per read
   * instead of two); use it only where that holds.
   */
  readonly log?: 'each-decision' | 'caller';
}

/** The guard: `decide` answers and logs one read decision. */
export class ConsentGuard {
  readonly #deps: ConsentDeps;
  readonly #log: 'each-decision' | 'caller';
  /** The catalogue at the version last seen; checked against `consent_version` on every read. */
  #catalogue: Catalogue | undefined;

  constructor(deps: ConsentDeps, options: GuardOptions = {}) {
    this.#deps = deps;
    this.#log = options.log ?? 'each-decision';
  }

  /**
   * Decides whether `purpose` may read `category` of `subjectId` now, and logs the decision.
   * Pass the caller's transaction as `db` so the audit entry commits with the read.
   */
  async decide(req: GuardRequest, db: Kysely<Database> = this.#deps.db): Promise<GuardDecision> {
    const deps = this.#deps;
    const at = req.at ?? deps.clock.now();
    const row = await selectGuardRow(db, req.subjectId, req.purpose, req.category);
    let catalogue = this.#catalogue;
    if (catalogue === undefined || row === undefined || catalogue.version !== row.version) {
      catalogue = await loadCatalogue({ ...deps, db }, row?.version);
      this.#catalogue = catalogue;
    }
    const consent: ConsentFacts | undefined =
      row?.granted_at === null || row?.granted_at === undefined
        ? undefined
        : {
            grantedAt: new Date(row.granted_at),
            withdrawnAt: row.withdrawn_at === null ? null : new Date(row.withdrawn_at),
            separate: toBool(row.separate),
            byGuardian: toBool(row.by_guardian),
          };
    const decision = decideAccess({
      purpose: catalogue.purposes.get(req.purpose),
      category: req.category,
      at,
      restricted: req.restricted ?? false,
      under14: await treatAsUnder14(deps, db, req.subjectId, at, req.under14),
      consent,
    });
    if (this.#log === 'caller') {
      return decision;
    }
    const event = {
      kind: decision.allowed ? ('access' as const) : ('refusal' as const),
      actor: req.actor ?? 'system',
      purpose: req.purpose.slice(0, 60),
      category: req.category,
      action: 'guard.decide',
      outcome: decision.allowed ? 'ok' : 'ERR_CONSENT_REFUSED',
      at,
      details: { reason: decision.reason, basis: decision.basis ?? null },
    };
    if (req.subjectAuditId !== undefined) {
      await deps.audit.append(db, [{ ...event, subjectAuditId: req.subjectAuditId }]);
    } else {
      await audit(deps, db, req.subjectId, [event]);
    }
    return decision;
  }
}
