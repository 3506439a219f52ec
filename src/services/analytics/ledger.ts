// SPDX-License-Identifier: Apache-2.0
/**
 * @module The persistent zCDP budget ledger and release register (use cases over `repository.ts`).
 * A query reserves its cost in one transaction — refused with a budget-exceeded error when it
 * would exceed the budget of its dataset and analyst — before any party does any work.
 */
import type { Store } from '../../platform/runtime/index.js';
import { randomId } from '../../kernel/shared/index.js';
import {
  privacyErrors,
  chargedRho,
  type LinkageResult,
  type ReleasedValue,
  type ZcdpCost,
} from '../../foundation/privacy/index.js';
import {
  committedCharge,
  ensureBudget,
  findRelease,
  insertCharge,
  insertRelease,
  listReleases,
  lockBudget,
  setBudget,
  settleCharge,
} from './repository.js';

/** The default budget of a new dataset/analyst pair: ρ = 1 (about ε = 8.4 at δ = 10⁻⁶). */
export const DEFAULT_RHO_BUDGET = 1;

/** A reservation made before a job starts. */
export interface Reservation {
  readonly chargeId: string;
  readonly charged: number;
  readonly remainingAfter: number;
}

/** What a stored release says about itself. */
export interface ReleaseRecord {
  readonly id: string;
  readonly jobId: string;
  readonly dataset: string;
  readonly analyst: string;
  readonly query: unknown;
  readonly mechanism: Record<string, unknown>;
  readonly k: number;
  readonly suppressed: number;
  readonly linkage: LinkageResult;
  readonly values: readonly ReleasedValue[];
  readonly createdAt: string;
}

/** The ledger over one store. */
export class PrivacyLedger {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  /** Sets the ρ budget of a dataset for an analyst. */
  async setBudget(dataset: string, analyst: string, rho: number): Promise<void> {
    if (!(rho >= 0 && Number.isFinite(rho))) {
      throw new RangeError('"rho" must be a non-negative number');
    }
    await setBudget(
      this.#store.db.kysely,
      dataset,
      analyst,
      rho,
      this.#store.clock.now().getTime(),
    );
  }

  /** The remaining ρ budget (budget − reserved − spent). */
  async remaining(
    dataset: string,
    analyst: string,
  ): Promise<{ budget: number; used: number; remaining: number }> {
    const db = this.#store.db.kysely;
    const row = await lockBudget(db, dataset, analyst, false);
    const budget = row === undefined ? DEFAULT_RHO_BUDGET : Number(row.rho_budget);
    const used = await committedCharge(db, dataset, analyst);
    return { budget, used, remaining: Math.max(0, budget - used) };
  }

  /** Reserves a query's cost, or refuses it when it would exceed the budget. */
  async reserve(
    dataset: string,
    analyst: string,
    jobId: string,
    cost: ZcdpCost,
  ): Promise<Reservation> {
    const charged = chargedRho(cost);
    if (!(charged > 0 && Number.isFinite(charged))) {
      throw new RangeError('a query must have a positive, finite privacy cost');
    }
    const now = this.#store.clock.now().getTime();
    const lock = this.#store.db.dialect === 'postgres';
    return this.#store.db.kysely.transaction().execute(async (trx) => {
      await ensureBudget(trx, { dataset, analyst, rhoBudget: DEFAULT_RHO_BUDGET, at: now });
      const row = await lockBudget(trx, dataset, analyst, lock);
      const budget = Number(row?.rho_budget ?? DEFAULT_RHO_BUDGET);
      const used = await committedCharge(trx, dataset, analyst);
      // A tiny tolerance absorbs float summation order; it never admits a visibly larger query.
      if (used + charged > budget + 1e-12) {
        throw new privacyErrors.BudgetExceededError(
          `privacy budget exhausted for this dataset and analyst: needs rho ${charged.toPrecision(4)}, ${Math.max(0, budget - used).toPrecision(4)} of ${budget} left`,
          { details: { needed: charged, remaining: Math.max(0, budget - used), budget } },
        );
      }
      const chargeId = randomId();
      await insertCharge(trx, {
        id: chargeId,
        dataset,
        analyst,
        job_id: jobId,
        rho: cost.rho,
        xi: cost.xi,
        status: 'reserved',
        created_at: now,
        settled_at: null,
      });
      return { chargeId, charged, remainingAfter: budget - used - charged };
    });
  }

  /** Marks a reservation spent (something was revealed). */
  async spend(chargeId: string): Promise<void> {
    await settleCharge(this.#store.db.kysely, chargeId, 'spent', this.#store.clock.now().getTime());
  }

  /** Refunds a reservation whose job aborted before any reveal (nothing left the parties). */
  async refund(chargeId: string): Promise<void> {
    await settleCharge(
      this.#store.db.kysely,
      chargeId,
      'refunded',
      this.#store.clock.now().getTime(),
    );
  }

  /** Stores a release with its mechanism, k, suppressed count and linkage result. */
  async storeRelease(r: Omit<ReleaseRecord, 'id' | 'createdAt'>): Promise<ReleaseRecord> {
    const id = randomId();
    const at = this.#store.clock.now();
    await insertRelease(this.#store.db.kysely, {
      id,
      job_id: r.jobId,
      dataset: r.dataset,
      analyst: r.analyst,
      query: JSON.stringify(r.query),
      mechanism: JSON.stringify(r.mechanism),
      k: r.k,
      suppressed: r.suppressed,
      linkage: JSON.stringify(r.linkage),
      cells: JSON.stringify(r.values),
      created_at: at.getTime(),
    });
    return { ...r, id, createdAt: at.toISOString() };
  }

  async getRelease(id: string): Promise<ReleaseRecord | undefined> {
    const row = await findRelease(this.#store.db.kysely, id);
    return row === undefined ? undefined : toRecord(row);
  }

  async listReleases(dataset: string): Promise<ReleaseRecord[]> {
    return (await listReleases(this.#store.db.kysely, dataset)).map(toRecord);
  }
}

function toRecord(row: {
  id: string;
  job_id: string;
  dataset: string;
  analyst: string;
  query: string;
  mechanism: string;
  k: number;
  suppressed: number;
  linkage: string;
  cells: string;
  created_at: number;
}): ReleaseRecord {
  return {
    id: row.id,
    jobId: row.job_id,
    dataset: row.dataset,
    analyst: row.analyst,
    query: JSON.parse(row.query) as unknown,
    mechanism: JSON.parse(row.mechanism) as Record<string, unknown>,
    k: Number(row.k),
    suppressed: Number(row.suppressed),
    linkage: JSON.parse(row.linkage) as LinkageResult,
    values: JSON.parse(row.cells) as ReleasedValue[],
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}
