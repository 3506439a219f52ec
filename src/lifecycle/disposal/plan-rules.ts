// SPDX-License-Identifier: Apache-2.0
/**
 * @module The rules a plan must meet before anyone may approve or run it (DOMAIN.md req. 12, 14,
 * 23): one action per category in scope, delete unless an exemption with legal source, end date
 * and approver is given, anonymisation only to k-anonymous aggregates (k ≥ 5, never rows), and
 * every store named must be in the inventory — while every personal store must be named.
 */
import { PlanInvalidError, ExemptionInvalidError, StoreUnknownError } from './errors.js';
import { exemptionProblems } from './exemptions.js';
import { MIN_K, type PlanDoc } from './model.js';

/** What the rules need to know about the instance. */
export interface PlanRuleContext {
  /** Ids of every store in the inventory. */
  readonly knownStores: ReadonlySet<string>;
  /** Ids of the inventoried stores that hold personal data: each must appear in the plan. */
  readonly personalStores: ReadonlySet<string>;
  /** Ids of the declared third-party recipients. */
  readonly knownRecipients: ReadonlySet<string>;
  readonly timeZone: string;
}

export type ProblemCode =
  typeof PlanInvalidError.code | typeof ExemptionInvalidError.code | typeof StoreUnknownError.code;

export interface PlanProblem {
  readonly code: ProblemCode;
  readonly where: string;
  readonly message: string;
}

/** Every rule the plan breaks, in document order; empty when the plan may be approved. */
export function planProblems(plan: PlanDoc, ctx: PlanRuleContext): PlanProblem[] {
  const out: PlanProblem[] = [];
  const bad = (code: ProblemCode, where: string, message: string) =>
    out.push({ code, where, message });
  const createdAt = new Date(plan.createdAt);
  if (Number.isNaN(createdAt.getTime())) {
    bad(PlanInvalidError.code, 'createdAt', 'createdAt must be an RFC 3339 instant');
  }
  if ((plan.retire.kind === 'all') !== (plan.retire.id === 'all')) {
    bad(PlanInvalidError.code, 'retire', 'retire.id is "all" exactly when retire.kind is "all"');
  }
  const inScope = new Set(plan.scope.map((s) => s.category));
  const seen = new Set<string>();
  plan.actions.forEach((a, i) => {
    const where = `actions.${i} (${a.category})`;
    if (seen.has(a.category)) {
      bad(PlanInvalidError.code, where, 'a category has exactly one action');
    }
    seen.add(a.category);
    if (!inScope.has(a.category)) {
      bad(PlanInvalidError.code, where, 'an action names a category outside the plan scope');
    }
    if (a.action !== 'retain' && a.exemption !== undefined) {
      bad(ExemptionInvalidError.code, where, 'only a retain action carries an exemption');
    }
    if (a.action !== 'anonymise' && a.anonymise !== undefined) {
      bad(PlanInvalidError.code, where, 'only an anonymise action carries anonymise settings');
    }
    if (a.action === 'retain') {
      for (const p of exemptionProblems(a.exemption, createdAt, ctx.timeZone)) {
        bad(ExemptionInvalidError.code, where, p);
      }
    }
    if (a.action === 'anonymise') {
      if (a.anonymise === undefined) {
        bad(
          PlanInvalidError.code,
          where,
          'anonymise needs quasiIdentifiers and k: only k-anonymous aggregate tables are allowed (PIPL art. 73(4))',
        );
      } else {
        if (a.anonymise.k < MIN_K) {
          bad(PlanInvalidError.code, where, `anonymise needs k >= ${MIN_K} (DOMAIN.md req. 23)`);
        }
        if (new Set(a.anonymise.quasiIdentifiers).size !== a.anonymise.quasiIdentifiers.length) {
          bad(PlanInvalidError.code, where, 'quasi-identifiers must not repeat');
        }
      }
    }
  });
  for (const s of plan.scope) {
    if (!seen.has(s.category)) {
      bad(PlanInvalidError.code, `scope (${s.category})`, 'a category in scope has no action');
    }
  }
  const named = new Set<string>();
  plan.stores.forEach((s, i) => {
    const where = `stores.${i} (${s.store})`;
    if (!ctx.knownStores.has(s.store)) {
      bad(StoreUnknownError.code, where, 'the store is not in the inventory');
    }
    if (named.has(s.store)) {
      bad(PlanInvalidError.code, where, 'a store is named once');
    }
    named.add(s.store);
    if (s.method === 'retain') {
      for (const p of exemptionProblems(s.exemption, createdAt, ctx.timeZone)) {
        bad(ExemptionInvalidError.code, where, p);
      }
    } else if (s.exemption !== undefined) {
      bad(ExemptionInvalidError.code, where, 'only a retained store carries an exemption');
    }
  });
  for (const id of [...ctx.personalStores].sort()) {
    if (!named.has(id)) {
      bad(
        PlanInvalidError.code,
        `stores (${id})`,
        'the store holds personal data but the plan does not say how it is disposed of',
      );
    }
  }
  plan.scope.forEach((s, i) => {
    for (const st of s.stores) {
      if (!ctx.knownStores.has(st.store)) {
        bad(
          StoreUnknownError.code,
          `scope.${i}.stores (${st.store})`,
          'the store is not in the inventory',
        );
      }
    }
  });
  const recipients = new Set<string>();
  plan.recipients.forEach((r, i) => {
    const where = `recipients.${i} (${r.id})`;
    if (!ctx.knownRecipients.has(r.id)) {
      bad(StoreUnknownError.code, where, 'the recipient is not declared in the inventory');
    }
    if (recipients.has(r.id)) {
      bad(PlanInvalidError.code, where, 'a recipient is named once');
    }
    recipients.add(r.id);
  });
  return out;
}

/** Throws the first problem as its typed error, with every reason in the message. */
export function assertPlanValid(plan: PlanDoc, ctx: PlanRuleContext): void {
  const problems = planProblems(plan, ctx);
  const first = problems[0];
  if (first === undefined) {
    return;
  }
  const message = `plan rejected: ${problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`;
  const details = { where: first.where, problems: problems.length };
  switch (first.code) {
    case ExemptionInvalidError.code:
      throw new ExemptionInvalidError(message, { details });
    case StoreUnknownError.code:
      throw new StoreUnknownError(message, { details });
    case PlanInvalidError.code:
      throw new PlanInvalidError(message, { details });
  }
}
