// SPDX-License-Identifier: Apache-2.0
/** @module `disposal review`: reads the plan, checks its rules and approvals, renders the text. */
import { verifyOperatorSignature } from '../../foundation/accounts/index.js';
import { checkApprovals } from './approvals.js';
import type { DisposalContext } from './context.js';
import { planHash, readPlanFile } from './plan-file.js';
import { planProblems } from './plan-rules.js';
import { renderReview } from './review.js';
import { inventory, operatorRegistry, ruleContext } from './service.js';

export async function reviewPlan(ctx: DisposalContext, file: string) {
  const plan = readPlanFile(file);
  const hash = planHash(plan);
  const problems = planProblems(plan, ruleContext(ctx, await inventory(ctx)));
  const operators = await operatorRegistry(ctx.store);
  const approvals = checkApprovals(
    plan,
    ctx.store.config.approvalsRequired,
    (n) => operators.get(n),
    verifyOperatorSignature,
  );
  return { plan, hash, problems, approvals, text: renderReview(plan, hash, problems, approvals) };
}
