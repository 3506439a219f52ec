// SPDX-License-Identifier: Apache-2.0
/**
 * @module Disposal's use cases behind the CLI (the 2022 guideline's workflow; PIPL art. 47):
 * inventory → plan → review → approval → run → verification → certificates → report, plus
 * third-party acknowledgments. Each takes a {@link DisposalContext}.
 */
import type { Store } from '../../platform/runtime/index.js';
import {
  listAccounts,
  signAsOperator,
  verifyOperatorSignature,
} from '../../foundation/accounts/index.js';
import {
  ApprovalInvalidError,
  ExemptionInvalidError,
  NotApprovedError,
  RetireUnknownError,
} from './errors.js';
import {
  approvalMessage,
  assertApproved,
  checkApprovals,
  type ApprovalCheck,
  type OperatorView,
} from './approvals.js';
import type { DisposalContext } from './context.js';
import { draftPlan } from './draft.js';
import { runPlan, type RunOutcome } from './executor.js';
import { inventoryOf } from './finalise.js';
import { personalStoreIds, type Inventory } from './inventory-model.js';
import type { PlanDoc, PlanState, RetireTarget } from './model.js';
import { planHash, readPlanFile, writePlanFile } from './plan-file.js';
import { assertPlanValid, type PlanRuleContext } from './plan-rules.js';
import { listRecipientRows } from './recipients.js';
import * as repo from './repository.js';
import { planState } from './state.js';
import type { LockOptions } from './lock.js';

/** The registered operators, by name. */
export async function operatorRegistry(store: Store): Promise<Map<string, OperatorView>> {
  const out = new Map<string, OperatorView>();
  for (const a of await listAccounts(store)) {
    if (a.role === 'operator' && a.publicKey !== null) {
      out.set(a.name, { name: a.name, publicKey: a.publicKey, active: a.disabledAt === null });
    }
  }
  return out;
}

export async function inventory(ctx: DisposalContext): Promise<Inventory> {
  return inventoryOf(ctx.store, ctx.consent);
}

/** What the plan rules need, from the live inventory. */
export function ruleContext(ctx: DisposalContext, inv: Inventory): PlanRuleContext {
  return {
    knownStores: new Set(inv.stores.map((s) => s.id)),
    personalStores: personalStoreIds(inv),
    knownRecipients: new Set(
      inv.stores.filter((s) => s.kind === 'external').map((s) => s.id.slice('external:'.length)),
    ),
    timeZone: ctx.store.config.timeZone,
  };
}

/** Parses `--retire`: `all`, a purpose id, a service id, or several ids of one kind joined by commas. */
export async function parseRetire(ctx: DisposalContext, spec: string): Promise<RetireTarget> {
  const text = spec.trim();
  if (text === 'all') {
    return { kind: 'all', id: 'all' };
  }
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const cat = await ctx.consent.catalogue();
  const purposes = new Set(cat.purposes.map((p) => p.id));
  const services = new Set(cat.services.map((s) => s.id));
  if (ids.length > 0 && ids.every((id) => purposes.has(id))) {
    return { kind: 'purpose', id: ids.join(',') };
  }
  if (ids.length > 0 && ids.every((id) => services.has(id))) {
    return { kind: 'service', id: ids.join(',') };
  }
  throw new RetireUnknownError(
    '--retire takes all, a purpose id or a service id (several of one kind joined by commas)',
  );
}

/** Drafts a plan and writes it to `out` (JSON or YAML by extension). */
export async function draft(
  ctx: DisposalContext,
  spec: string,
  out: string,
  approver?: string,
): Promise<PlanDoc> {
  const target = await parseRetire(ctx, spec);
  const operators = await operatorRegistry(ctx.store);
  const by = approver ?? (operators.size === 1 ? [...operators.keys()][0] : '');
  const plan = await draftPlan(
    {
      store: ctx.store,
      target: ctx.target,
      consent: ctx.consent,
      inventory: await inventory(ctx),
      recipients: await listRecipientRows(ctx.store.db.kysely),
      approver: by,
    },
    target,
  );
  writePlanFile(out, plan);
  return plan;
}

/** Every check a plan must pass before it may be approved or run; returns the approvals' state. */
export async function checkPlan(ctx: DisposalContext, plan: PlanDoc): Promise<ApprovalCheck> {
  assertPlanValid(plan, ruleContext(ctx, await inventory(ctx)));
  const operators = await operatorRegistry(ctx.store);
  const exemptions = [
    ...plan.actions.map((a) => a.exemption),
    ...plan.stores.map((s) => s.exemption),
  ].filter((e) => e !== undefined);
  for (const e of exemptions) {
    if (!operators.get(e.approver)?.active) {
      throw new ExemptionInvalidError(
        `plan rejected: the exemption "${e.name}" names ${e.approver || 'no one'} as approver, who is not a registered operator`,
      );
    }
  }
  return checkApprovals(
    plan,
    ctx.store.config.approvalsRequired,
    (n) => operators.get(n),
    verifyOperatorSignature,
  );
}

/** Signs the plan file in place with an operator's own key. */
export async function approve(
  ctx: DisposalContext,
  file: string,
  by: string,
): Promise<ApprovalCheck> {
  const plan = readPlanFile(file);
  const before = await checkPlan(ctx, plan);
  if (plan.approvals.some((a) => a.by === by)) {
    throw new ApprovalInvalidError(
      `${by} has already approved this plan; another operator must approve`,
    );
  }
  const operators = await operatorRegistry(ctx.store);
  if (!operators.get(by)?.active) {
    throw new ApprovalInvalidError(
      `${by} is not a registered operator (healthcode operator add ${by})`,
    );
  }
  assertApproved({ ...before, problems: before.problems });
  const at = ctx.store.clock.now().toISOString();
  const { signature, publicKey } = await signAsOperator(
    ctx.store,
    by,
    approvalMessage(plan.id, planHash(plan), by, at),
    {
      wrapper: ctx.wrapper,
    },
  );
  const signed: PlanDoc = {
    ...plan,
    approvals: [...plan.approvals, { by, publicKey, at, signature }],
  };
  writePlanFile(file, signed);
  return checkApprovals(
    signed,
    ctx.store.config.approvalsRequired,
    (n) => operators.get(n),
    verifyOperatorSignature,
  );
}

export interface RunOptions {
  readonly batchSize?: number;
  readonly onPhase?: (phase: 'snapshot' | 'batches' | 'finalise', ms: number) => void;
  readonly lock?: LockOptions;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs (or resumes) an approved plan. */
export async function run(
  ctx: DisposalContext,
  file: string,
  options: RunOptions = {},
): Promise<RunOutcome> {
  const plan = readPlanFile(file);
  // Rules and approvals are checked against the inventory once, before a run starts. A run that
  // has started (its snapshot stored) is resumed or waited for under the plan's hash: its own
  // purge may already have emptied a store the plan names (the outbox), so a second look at the
  // inventory would refuse the very plan that is running.
  const existing = await repo.getRun(ctx.store.db.kysely, plan.id);
  if (existing === undefined) {
    const approvals = await checkPlan(ctx, plan);
    assertApproved(approvals);
    if (!approvals.sufficient) {
      throw new NotApprovedError(
        `the plan needs ${approvals.required} approval(s) by distinct operators; it has ${approvals.valid.length}`,
      );
    }
  }
  return runPlan(
    {
      store: ctx.store,
      target: ctx.target,
      consent: ctx.consent,
      log: ctx.log,
      wrapper: ctx.wrapper,
      scanner: ctx.scanner,
      actor: ctx.actor,
      ...options,
    },
    plan,
  );
}

export interface PlanStatus {
  readonly state: PlanState;
  readonly done: number;
  readonly total: number;
  readonly planId: string;
  readonly planSha256: string;
  readonly approvals: {
    readonly valid: readonly string[];
    readonly required: number;
    readonly problems: readonly string[];
  };
  readonly startedAt: string | null;
  readonly executedAt: string | null;
  readonly certificateId: string | null;
  readonly pendingAcks: readonly string[];
  readonly acknowledged: readonly string[];
  readonly openExemptions: readonly {
    readonly appliesTo: string;
    readonly endDate: string;
    readonly subjects: number;
  }[];
  readonly lastVerification: { readonly at: string; readonly ok: boolean } | null;
}

/** The plan's state and progress (no changes). */
export async function status(ctx: DisposalContext, file: string): Promise<PlanStatus> {
  const plan = readPlanFile(file);
  const db = ctx.store.db.kysely;
  const operators = await operatorRegistry(ctx.store);
  const approvals = checkApprovals(
    plan,
    ctx.store.config.approvalsRequired,
    (n) => operators.get(n),
    verifyOperatorSignature,
  );
  const r = await repo.getRun(db, plan.id);
  const notices = await repo.listNotices(db, plan.id);
  const evidence = await repo.evidenceOf(db, plan.id);
  const last = evidence[evidence.length - 1];
  const pending = notices.filter((n) => n.acked_at === null).map((n) => n.party);
  const open = await openExemptions(ctx, plan);
  return {
    state: planState({
      approved: approvals.sufficient,
      run:
        r === undefined
          ? undefined
          : { total: Math.max(r.total, 0), done: r.done, executed: r.executed_at !== null },
      pendingAcks: pending.length,
    }),
    done: r?.done ?? 0,
    total: Math.max(r?.total ?? 0, 0),
    planId: plan.id,
    planSha256: planHash(plan),
    approvals: {
      valid: approvals.valid,
      required: approvals.required,
      problems: approvals.problems,
    },
    startedAt: r === undefined ? null : new Date(r.started_at).toISOString(),
    executedAt:
      r === undefined || r.executed_at === null ? null : new Date(r.executed_at).toISOString(),
    certificateId: r?.certificate_id ?? null,
    pendingAcks: pending,
    acknowledged: notices.filter((n) => n.acked_at !== null).map((n) => n.party),
    openExemptions: open,
    lastVerification:
      last === undefined ? null : { at: new Date(last.at).toISOString(), ok: last.ok === 1 },
  };
}

/** Exemptions still running: retained categories with subjects left, and retained stores. */
export async function openExemptions(
  ctx: DisposalContext,
  plan: PlanDoc,
): Promise<PlanStatus['openExemptions']> {
  const out: { appliesTo: string; endDate: string; subjects: number }[] = [];
  const db = ctx.store.db.kysely;
  for (const a of plan.actions.filter((x) => x.action === 'retain' && x.exemption)) {
    let subjects = 0;
    let after = 0;
    for (;;) {
      const page = await repo.restrictedItems(db, plan.id, after, 2000);
      subjects += page.filter((it) => it.restrict_left.split(',').includes(a.category)).length;
      if (page.length < 2000) {
        break;
      }
      after = page[page.length - 1].seq;
    }
    out.push({ appliesTo: `category:${a.category}`, endDate: a.exemption!.endDate, subjects });
  }
  for (const s of plan.stores.filter((x) => x.method === 'retain' && x.exemption)) {
    out.push({ appliesTo: `store:${s.store}`, endDate: s.exemption!.endDate, subjects: 0 });
  }
  return out;
}
