// SPDX-License-Identifier: Apache-2.0
/**
 * @module Retained data (PIPL art. 47 para. 2; DOMAIN.md req. 13): categories kept under an
 * exemption stay in the vault's restricted state — storage and security only — and the
 * `disposal.exemptions` job disposes of them once their exemption ends, then records an addendum
 * to the plan's certificate. Idempotent: a crashed job run is finished by the next.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import type { DataCategory } from '../../kernel/domain/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import { certificateKey, recordCertificate } from './cert-store.js';
import { ADDENDUM_KIND, PLAN_CERTIFICATE_KIND, type CertificateAddendum } from './certificate.js';
import { isExemptionOver } from './exemptions.js';
import type { PlanDoc } from './model.js';
import type { CertificateLog, DisposalTarget } from './ports.js';
import * as repo from './repository.js';
import { heldOf, joinCats, splitCats } from './tally.js';

/** The latest end of the plan's retain exemptions, as an instant (informational). */
export function restrictUntil(plan: PlanDoc): Date | undefined {
  const ends = plan.actions
    .filter((a) => a.action === 'retain' && a.exemption !== undefined)
    .map((a) => new Date(a.exemption!.endDate))
    .filter((d) => !Number.isNaN(d.getTime()));
  return ends.length === 0 ? undefined : new Date(Math.max(...ends.map((d) => d.getTime())));
}

export interface ExemptionJobDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly log: CertificateLog;
  readonly wrapper: KeyWrapper;
  readonly actor: string;
}

const PAGE = 500;

/** Disposes of every retained category whose exemption has ended; returns what it did. */
export async function disposeExpiredExemptions(
  deps: ExemptionJobDeps,
): Promise<{ plans: number; subjects: number }> {
  const db = deps.store.db.kysely;
  const now = deps.store.clock.now();
  let plans = 0;
  let subjects = 0;
  for (const run of await repo.listRuns(db)) {
    if (run.executed_at === null) {
      continue;
    }
    const plan = JSON.parse(run.plan_json) as PlanDoc;
    const expired = new Set<DataCategory>(
      plan.actions
        .filter(
          (a) =>
            a.action === 'retain' &&
            a.exemption &&
            isExemptionOver(a.exemption, now, deps.store.config.timeZone),
        )
        .map((a) => a.category),
    );
    if (expired.size === 0) {
      continue;
    }
    let touched = 0;
    let after = 0;
    for (;;) {
      const page = await repo.restrictedItems(db, plan.id, after, PAGE);
      const due = page.filter((it) => splitCats(it.restrict_left).some((c) => expired.has(c)));
      if (due.length > 0) {
        const work = due.map((it) => {
          const left = splitCats(it.restrict_left);
          const rest = left.filter((c) => !expired.has(c));
          return { it, erase: left.filter((c) => expired.has(c)), rest };
        });
        await deps.target.dispose(
          work.map((w) => ({
            subjectId: w.it.subject_id,
            decision: {
              erase: w.erase,
              restrict: [],
              keep: [],
              wholeSubject: w.rest.length === 0 && w.it.whole_after === 1,
            },
            // Categories erased by the run are gone already: what is held now is the rest.
            held: heldOf(w.it).filter((c) => !splitCats(w.it.erase_cats).includes(c)),
          })),
        );
        await db.transaction().execute(async (trx) => {
          for (const w of work) {
            await repo.setRestrictLeft(trx, plan.id, w.it.seq, joinCats(w.rest));
          }
        });
        touched += work.length;
      }
      if (page.length < PAGE) {
        break;
      }
      after = page[page.length - 1].seq;
    }
    if (touched > 0) {
      await deps.target.scrub();
    }
    subjects += touched;
    if (await recordEndedExemptions(deps, plan.id, [...expired], touched)) {
      plans++;
    }
  }
  return { plans, subjects };
}

/** One addendum per plan and ended category set, once nothing of it is left restricted. */
async function recordEndedExemptions(
  deps: ExemptionJobDeps,
  planId: string,
  categories: DataCategory[],
  subjects: number,
): Promise<boolean> {
  const db = deps.store.db.kysely;
  const certs = await repo.certificatesOf(db, planId);
  const main = certs.find((c) => c.kind === PLAN_CERTIFICATE_KIND);
  const key = joinCats(categories);
  const done = certs.some(
    (c) =>
      c.kind === ADDENDUM_KIND &&
      (JSON.parse(c.body) as CertificateAddendum).facts.categories === key,
  );
  if (main === undefined || done) {
    return false;
  }
  const now = deps.store.clock.now();
  const { privateKey } = await certificateKey(db, deps.wrapper, now.getTime());
  const addendum: CertificateAddendum = {
    kind: ADDENDUM_KIND,
    version: 1,
    id: randomUUID(),
    issuedAt: now.toISOString(),
    planId,
    certificateSha256: main.sha256,
    event: 'exemption-ended',
    facts: { categories: key, subjectsDisposedNow: subjects, method: 'crypto-erasure' },
  };
  await db.transaction().execute((trx) =>
    recordCertificate(trx, deps.log, privateKey, addendum, {
      planId,
      actor: deps.actor,
      at: now,
    }),
  );
  return true;
}
