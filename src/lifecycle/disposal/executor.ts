// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal run`: crash-safe execution in batches (the 2022 guideline's "execution";
 * PIPL art. 47). Each batch disposes of its subjects through the vault — idempotently per
 * subject — and only then marks them done, so a `kill -9` anywhere means the next run repeats at
 * most one batch and finishes it: no subject is left half-disposed once a run completes. One run
 * per plan holds the lock; others wait and exit once the plan is done.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { PlanChangedError } from './errors.js';
import { finaliseRun } from './finalise.js';
import { acquirePlanLock, type LockOptions } from './lock.js';
import type { PlanDoc } from './model.js';
import { planHash } from './plan-file.js';
import type { CertificateLog, ConsentView, DisposalTarget, Scanner } from './ports.js';
import * as repo from './repository.js';
import { snapshotRun } from './snapshot.js';
import { issueRequestedCertificates } from './subject-certs.js';
import { clearRetiredStores, retiredStores } from './service-stores.js';
import { heldOf, splitCats, storesOf } from './tally.js';
import { restrictUntil } from './retained.js';

export interface RunDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly consent: ConsentView;
  readonly log: CertificateLog;
  readonly wrapper: KeyWrapper;
  readonly scanner?: Scanner | undefined;
  /** `operator:<name>` or `system:…`: who ran it, as the audit log records. */
  readonly actor: string;
  readonly batchSize?: number;
  readonly lock?: LockOptions;
  readonly onProgress?: (done: number, total: number) => void;
  /** Called after each phase (snapshot, batches, finalise) with its duration in ms. */
  readonly onPhase?: (phase: 'snapshot' | 'batches' | 'finalise', ms: number) => void;
}

export type RunOutcome =
  | { readonly kind: 'completed'; readonly certificateId: string; readonly subjects: number }
  | { readonly kind: 'already-done'; readonly certificateId: string | null }
  | { readonly kind: 'waited'; readonly certificateId: string | null };

/** Runs (or resumes) an approved plan to its end. The caller checks rules and approvals first. */
export async function runPlan(deps: RunDeps, plan: PlanDoc): Promise<RunOutcome> {
  const db = deps.store.db.kysely;
  const hash = planHash(plan);
  const existing = await repo.getRun(db, plan.id);
  if (existing !== undefined && existing.plan_hash !== hash) {
    throw new PlanChangedError('the plan file differs from the plan this run started with');
  }
  if (existing !== undefined && existing.executed_at !== null) {
    return { kind: 'already-done', certificateId: existing.certificate_id };
  }
  const isDone = async () => ((await repo.getRun(db, plan.id))?.executed_at ?? null) !== null;
  const lock = await acquirePlanLock(db, plan.id, deps.store, isDone, deps.lock);
  if (lock === 'done') {
    return {
      kind: 'waited',
      certificateId: (await repo.getRun(db, plan.id))?.certificate_id ?? null,
    };
  }
  try {
    const run = await repo.getRun(db, plan.id);
    if (run !== undefined && run.executed_at !== null) {
      return { kind: lock.waited ? 'waited' : 'already-done', certificateId: run.certificate_id };
    }
    let t = performance.now();
    await snapshotRun(deps, plan, hash);
    deps.onPhase?.('snapshot', performance.now() - t);
    await lock.beat();
    t = performance.now();
    await executeBatches(deps, plan, () => lock.beat());
    await clearRetiredStores(deps.store, plan.retiredServices);
    deps.onPhase?.('batches', performance.now() - t);
    t = performance.now();
    const certificateId = await finaliseRun(deps, plan);
    deps.onPhase?.('finalise', performance.now() - t);
    const total = (await repo.getRun(db, plan.id))?.total ?? 0;
    return { kind: 'completed', certificateId, subjects: total };
  } finally {
    await lock.release();
  }
}

async function executeBatches(
  deps: RunDeps,
  plan: PlanDoc,
  beat: () => Promise<void>,
): Promise<void> {
  const db = deps.store.db.kysely;
  const batchSize = deps.batchSize ?? 500;
  const run = (await repo.getRun(db, plan.id))!;
  let done = run.done;
  deps.onProgress?.(done, run.total);
  const until = restrictUntil(plan);
  const retired = new Set(retiredStores(plan.retiredServices).map((s) => s.id));
  for (;;) {
    const batch = await repo.pendingItems(db, plan.id, batchSize);
    if (batch.length === 0) {
      return;
    }
    await deps.target.dispose(
      batch.map((it) => ({
        subjectId: it.subject_id,
        decision: {
          erase: splitCats(it.erase_cats),
          restrict: splitCats(it.restrict_cats),
          keep: splitCats(it.keep_cats),
          wholeSubject: it.whole === 1,
        },
        held: heldOf(it),
        restrictUntil: until,
        stores: storesOf(it).filter((s) => retired.has(s)),
      })),
    );
    // Certificates citizens asked for before the run are issued as their subject goes.
    await issueRequestedCertificates(deps, plan, batch);
    const at = deps.store.clock.now().getTime();
    await db.transaction().execute(async (trx) => {
      done += await repo.markDone(
        trx,
        plan.id,
        batch.map((it) => it.seq),
        at,
      );
      await repo.addProgress(trx, plan.id, at, done);
    });
    deps.onProgress?.(done, run.total);
    await beat();
  }
}
