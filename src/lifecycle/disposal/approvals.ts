// SPDX-License-Identifier: Apache-2.0
/**
 * @module Approvals: each operator signs the plan's content hash with their own Ed25519 key, so
 * the plan names who approved it and an auditor can check that offline. A plan needs as many
 * distinct registered operators as `approvalsRequired`; an operator approving twice counts once.
 */
import { ApprovalInvalidError } from './errors.js';
import type { Approval, PlanDoc } from './model.js';
import { planHash } from './plan-file.js';

/** The exact bytes an operator signs. */
export function approvalMessage(planId: string, hash: string, by: string, at: string): Uint8Array {
  return new TextEncoder().encode(
    `healthcode disposal plan approval v1\nplan ${planId}\nsha256 ${hash}\nby ${by}\nat ${at}\n`,
  );
}

/** What we know of an operator from the account registry. */
export interface OperatorView {
  readonly name: string;
  readonly publicKey: string;
  readonly active: boolean;
}

export interface ApprovalCheck {
  /** Distinct operators whose approvals are valid for this exact content. */
  readonly valid: readonly string[];
  /** Reasons for every approval that does not count. */
  readonly problems: readonly string[];
  readonly required: number;
  readonly sufficient: boolean;
}

/**
 * Checks every approval: a registered, active operator; the key registered for that operator;
 * a signature over this plan's current hash; no operator twice.
 */
export function checkApprovals(
  plan: PlanDoc,
  required: number,
  lookup: (name: string) => OperatorView | undefined,
  verify: (publicKey: string, message: Uint8Array, signature: string) => boolean,
): ApprovalCheck {
  const hash = planHash(plan);
  const valid: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of plan.approvals) {
    if (seen.has(a.by)) {
      problems.push(`${a.by} approved more than once; an operator counts once`);
      continue;
    }
    seen.add(a.by);
    const reason = approvalProblem(plan.id, hash, a, lookup, verify);
    if (reason === undefined) {
      valid.push(a.by);
    } else {
      problems.push(reason);
    }
  }
  return {
    valid,
    problems,
    required,
    sufficient: valid.length >= required && problems.length === 0,
  };
}

function approvalProblem(
  planId: string,
  hash: string,
  a: Approval,
  lookup: (name: string) => OperatorView | undefined,
  verify: (publicKey: string, message: Uint8Array, signature: string) => boolean,
): string | undefined {
  const op = lookup(a.by);
  if (op === undefined) {
    return `${a.by} is not a registered operator`;
  }
  if (!op.active) {
    return `operator ${a.by} is disabled`;
  }
  if (op.publicKey !== a.publicKey) {
    return `the key in ${a.by}'s approval is not the key registered for ${a.by}`;
  }
  if (Number.isNaN(new Date(a.at).getTime())) {
    return `${a.by}'s approval has no valid time`;
  }
  if (!verify(a.publicKey, approvalMessage(planId, hash, a.by, a.at), a.signature)) {
    return `${a.by}'s signature does not match this plan's content (was it edited after approval?)`;
  }
  return undefined;
}

/** Throws when the approvals cannot let the plan run. */
export function assertApproved(check: ApprovalCheck): void {
  if (check.problems.length > 0) {
    throw new ApprovalInvalidError(`approval rejected: ${check.problems.join('; ')}`);
  }
}
