// SPDX-License-Identifier: Apache-2.0
/**
 * @module The end of a run: scrub freed storage, send deletion notices, verify, count what is
 * left, and write the signed per-plan certificate to the audit log — in one transaction with the
 * run's "executed" mark, so a crash either leaves the run to finish again or has both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import type { KeyWrapper } from '../../kernel/shared/index.js';
import type { AggregateTable } from './anonymise.js';
import { certificateKey, recordCertificate } from './cert-store.js';
import { buildInventory, personalTableCounts } from './inventory.js';
import type { PlanDoc } from './model.js';
import { planReportDir, sendNotices } from './notices.js';
import { buildPlanCertificate } from './plan-certificate.js';
import { planHash } from './plan-file.js';
import type { CertificateLog, ConsentView, DisposalTarget, Scanner } from './ports.js';
import { listRecipientRows } from './recipients.js';
import * as repo from './repository.js';
import { countHoldings, type StoreCounts } from './snapshot.js';
import { addItem, emptyTally, type RunTally } from './tally.js';
import { summary, verifyRun } from './verify.js';

export interface FinaliseDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly consent: ConsentView;
  readonly log: CertificateLog;
  readonly wrapper: KeyWrapper;
  readonly scanner?: Scanner | undefined;
  readonly actor: string;
}

/** Tallies a run's work list. */
export async function tallyRun(store: Store, planId: string): Promise<RunTally> {
  const t = emptyTally();
  let after = 0;
  for (;;) {
    const page = await repo.itemsPage(store.db.kysely, planId, after, 2000);
    page.forEach((it) => addItem(t, it));
    if (page.length < 2000) {
      return t;
    }
    after = page[page.length - 1].seq;
  }
}

/** Builds the inventory with the live catalogue and recipients. */
export async function inventoryOf(store: Store, consent: ConsentView | undefined) {
  return buildInventory({
    store,
    catalogue: consent === undefined ? undefined : await consent.catalogue(),
    recipients: await listRecipientRows(store.db.kysely),
  });
}

export async function finaliseRun(deps: FinaliseDeps, plan: PlanDoc): Promise<string> {
  const { store } = deps;
  const db = store.db.kysely;
  await deps.target.scrub();
  await sendNotices(store, plan);
  const v = await verifyRun(
    {
      store,
      target: deps.target,
      scanner: deps.scanner,
      inventory: () => inventoryOf(store, deps.consent),
    },
    plan,
  );
  const after: StoreCounts = await countHoldings(deps.target);
  for (const [id, counts] of Object.entries(await personalTableCounts(store))) {
    after[id] = { ...counts, ...(after[id] ?? {}) };
  }
  const run = (await repo.getRun(db, plan.id))!;
  const now = store.clock.now();
  const { privateKey } = await certificateKey(db, deps.wrapper, now.getTime());
  const cert = buildPlanCertificate({
    id: randomUUID(),
    issuedAt: now,
    instance: {
      origin: store.config.origin,
      synthetic: store.config.synthetic,
      responsibleParty: store.config.responsibleParty,
    },
    plan,
    planSha256: planHash(plan),
    startedAt: new Date(run.started_at),
    tally: await tallyRun(store, plan.id),
    before: JSON.parse(run.before_json) as StoreCounts,
    after,
    anonymised:
      run.anonymised_json === null ? [] : (JSON.parse(run.anonymised_json) as AggregateTable[]),
    notices: await repo.listNotices(db, plan.id),
    verification: summary(v),
  });
  const signed = await db.transaction().execute(async (trx) => {
    const s = await recordCertificate(trx, deps.log, privateKey, cert, {
      planId: plan.id,
      actor: deps.actor,
      at: now,
    });
    await repo.insertEvidence(trx, {
      id: randomUUID(),
      plan_id: plan.id,
      at: now.getTime(),
      ok: v.ok ? 1 : 0,
      body: JSON.stringify(v),
    });
    await repo.setExecuted(trx, plan.id, {
      executed_at: now.getTime(),
      after_json: JSON.stringify(after),
      certificate_id: cert.id,
      anonymised_json: run.anonymised_json,
    });
    return s;
  });
  writeCertificateFile(store, plan.id, signed);
  // The k-anonymous aggregates are the only output anonymisation leaves (PIPL art. 73(4)).
  for (const t of run.anonymised_json === null
    ? []
    : (JSON.parse(run.anonymised_json) as AggregateTable[])) {
    writeFileSync(
      join(planReportDir(store, plan.id), `anonymised-${t.category}.json`),
      JSON.stringify(t, null, 2) + '\n',
      { mode: 0o644 },
    );
  }
  return cert.id;
}

/** Writes a certificate under the plan's report dir (certificates hold no personal data). */
export function writeCertificateFile(store: Store, planId: string, cert: { id: string }): string {
  const dir = planReportDir(store, planId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `certificate-${cert.id}.json`);
  writeFileSync(file, JSON.stringify(cert, null, 2) + '\n', { mode: 0o644 });
  return file;
}
