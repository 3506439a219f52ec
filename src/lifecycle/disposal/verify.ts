// SPDX-License-Identifier: Apache-2.0
/**
 * @module `disposal verify` (DOMAIN.md req. 14, 17; T/CSAC 010-2024 deletion-effect assessment):
 * every erased subject's data keys are absent from the key store, their rows are gone from every
 * inventoried store, no store is unclassified, and — given canaries — a residual scan of every
 * inventoried file (DB with WAL, key store, backups, logs, outbox, reports, temp files) and of the
 * database's content finds none. Pending third-party acknowledgments are reported, not failed.
 */
import { randomUUID } from 'node:crypto';
import type { Store } from '../../platform/runtime/index.js';
import type { VerificationSummary } from './certificate.js';
import { PlanNotRunError } from './errors.js';
import { inventoryFiles, type Inventory } from './inventory-model.js';
import type { PlanDoc } from './model.js';
import type { DisposalTarget, ResidueItem, Scanner, ScanHit } from './ports.js';
import * as repo from './repository.js';
import { remainingStoreRows, retiredStores } from './service-stores.js';
import { countSubjectRows } from './subject-rows.js';
import { heldOf, splitCats } from './tally.js';
import { scanDatabase } from './db-scan.js';

export interface VerifyDeps {
  readonly store: Store;
  readonly target: DisposalTarget;
  readonly scanner?: Scanner | undefined;
  readonly inventory: () => Promise<Inventory>;
}

export interface VerifyResult extends VerificationSummary {
  readonly subjectsPending: number;
  readonly subjectRows: Readonly<Record<string, number>>;
  readonly unclassified: readonly string[];
  readonly pendingAcks: readonly string[];
  readonly hits: readonly ScanHit[];
  readonly problems: readonly string[];
}

const PAGE = 1000;

/** Verifies a run; stores the result as evidence when `record` is set. */
export async function verifyRun(
  deps: VerifyDeps,
  plan: PlanDoc,
  options: { canaries?: readonly string[]; record?: boolean } = {},
): Promise<VerifyResult> {
  const db = deps.store.db.kysely;
  const run = await repo.getRun(db, plan.id);
  if (run === undefined || run.total < 0) {
    throw new PlanNotRunError('the plan has not been run yet (disposal run FILE)');
  }
  let checked = 0;
  let pending = 0;
  let keysPresent = 0;
  let rowsRemaining = 0;
  const subjectRows: Record<string, number> = {};
  let after = 0;
  for (;;) {
    const page = await repo.itemsPage(db, plan.id, after, PAGE);
    const residue: ResidueItem[] = [];
    const whole: string[] = [];
    for (const it of page) {
      if (it.status !== 1) {
        pending++;
        continue;
      }
      checked++;
      const left = new Set(splitCats(it.restrict_left));
      const erased = [
        ...splitCats(it.erase_cats),
        ...splitCats(it.restrict_cats).filter((c) => !left.has(c)),
      ];
      const isWhole = it.whole === 1 || (it.whole_after === 1 && left.size === 0);
      residue.push({ subjectId: it.subject_id, erased, whole: isWhole, held: heldOf(it) });
      if (isWhole) {
        whole.push(it.subject_id);
      }
    }
    if (residue.length > 0) {
      const r = await deps.target.residue(residue);
      keysPresent += r.keysPresent;
      rowsRemaining += r.rowsRemaining;
    }
    for (const [t, n] of Object.entries(await countSubjectRows(db, whole))) {
      subjectRows[t] = (subjectRows[t] ?? 0) + n;
    }
    if (page.length < PAGE) {
      break;
    }
    after = page[page.length - 1].seq;
  }
  const inv = await deps.inventory();
  const problems: string[] = [];
  if (pending > 0) {
    problems.push(`${pending} subjects are not disposed of yet`);
  }
  if (keysPresent > 0) {
    problems.push(`${keysPresent} data keys of erased subjects are still in the key store`);
  }
  if (rowsRemaining > 0) {
    problems.push(`${rowsRemaining} rows of erased categories remain in the vault`);
  }
  for (const [t, n] of Object.entries(subjectRows)) {
    problems.push(`${n} rows in ${t} still point at wholly erased subjects`);
  }
  for (const id of inv.unclassified) {
    problems.push(`store ${id} is not classified in the inventory`);
  }
  const retiredRows = await remainingStoreRows(db, retiredStores(plan.retiredServices));
  for (const [id, n] of Object.entries(retiredRows)) {
    problems.push(`${n} rows remain in ${id}, a store only retired services used`);
  }
  let canaryScan: VerificationSummary['canaryScan'] = null;
  const hits: ScanHit[] = [];
  if (options.canaries !== undefined) {
    if (deps.scanner === undefined) {
      throw new TypeError('a canary scan needs a scanner');
    }
    const files = inventoryFiles(inv);
    const fileScan = await deps.scanner.scanFiles(files, options.canaries);
    hits.push(...fileScan.hits);
    hits.push(...(await scanDatabase(deps.store, deps.scanner, options.canaries)));
    const total = hits.reduce((a, h) => a + h.count, 0);
    canaryScan = { files: fileScan.files, canaries: options.canaries.length, hits: total };
    if (total > 0) {
      problems.push(
        `the residual scan found ${total} canary hits in ${new Set(hits.map((h) => h.file)).size} places`,
      );
    }
  }
  const notices = await repo.listNotices(db, plan.id);
  const pendingAcks = notices.filter((n) => n.acked_at === null).map((n) => n.party);
  const storesUnconfirmed = [
    ...new Set([
      ...inv.unclassified,
      ...Object.keys(subjectRows).map((t) => `db:${t}`),
      ...Object.keys(retiredRows),
    ]),
  ];
  const now = deps.store.clock.now();
  const result: VerifyResult = {
    at: now.toISOString(),
    ok: problems.length === 0,
    subjectsChecked: checked,
    keysPresent,
    rowsRemaining,
    storesConfirmed: inv.stores.filter((s) => s.personal).length - storesUnconfirmed.length,
    storesUnconfirmed,
    canaryScan,
    subjectsPending: pending,
    subjectRows,
    unclassified: inv.unclassified,
    pendingAcks,
    hits,
    problems,
  };
  if (options.record === true) {
    await repo.insertEvidence(db, {
      id: randomUUID(),
      plan_id: plan.id,
      at: now.getTime(),
      ok: result.ok ? 1 : 0,
      body: JSON.stringify(result),
    });
  }
  return result;
}

/** The certificate's summary of a verification. */
export function summary(v: VerifyResult): VerificationSummary {
  return {
    at: v.at,
    ok: v.ok,
    subjectsChecked: v.subjectsChecked,
    keysPresent: v.keysPresent,
    rowsRemaining: v.rowsRemaining,
    storesConfirmed: v.storesConfirmed,
    storesUnconfirmed: v.storesUnconfirmed,
    canaryScan: v.canaryScan,
  };
}
