// SPDX-License-Identifier: Apache-2.0
/**
 * @module Correction (纠错, PIPL art. 46; GB/T 38963 interface #7) and human review of automated
 * colour decisions (PIPL art. 24 para. 3; DOMAIN.md §6 req. 8): after a subject's data is
 * corrected the colour is re-evaluated and recorded at once; when the person asks, a review is
 * queued for a human, who upholds the decision or gives a manual order (lifted, quarantine,
 * home observation) that is stored in the vault and re-evaluated. Every step is in the audit log
 * (kind `colour`) under the subject's audit pseudonym.
 */
import type { Colour, ColourDecision } from './model.js';
import * as repo from './repository.js';
import { ReviewStateError, ReviewUnknownError } from './errors.js';
import { addManualOrder, reevaluateSubject, type Actor, type SubjectCodes } from './subject.js';
import type { AuditEvent } from '../../platform/runtime/audit-port.js';

/** How a reviewer may decide. */
export const REVIEW_OUTCOMES = ['upheld', 'lifted', 'quarantine', 'home-observation'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
export const REVIEW_STATUSES = ['pending', 'upheld', 'changed'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A queued review as listed (no personal data: the decision stays in the vault). */
export interface Review {
  readonly id: string;
  readonly subjectId: string;
  readonly status: ReviewStatus;
  readonly reason: 'correction' | 'objection';
  readonly requestId: string | null;
  readonly decisionId: string | null;
  readonly requestedAt: string;
  readonly decidedAt: string | null;
  readonly reviewer: string | null;
  readonly outcome: ReviewOutcome | null;
}

/** What a correction did. */
export interface CorrectionOutcome {
  readonly colour: Colour;
  readonly previousColour: Colour | null;
  readonly changed: boolean;
  readonly decidedAt: string;
  readonly validUntil: string;
  readonly ruleSet: string;
  /** Vault record id of the new decision. */
  readonly decisionId: string;
  /** Set when a human review was queued. */
  readonly reviewId: string | null;
}

function toReview(r: repo.CodesReviewTable): Review {
  const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());
  return {
    id: r.id,
    subjectId: r.subject_id,
    status: r.status as ReviewStatus,
    reason: r.reason as Review['reason'],
    requestId: r.request_id,
    decisionId: r.decision_record,
    requestedAt: iso(r.requested_at)!,
    decidedAt: iso(r.decided_at),
    reviewer: r.reviewer,
    outcome: r.outcome as ReviewOutcome | null,
  };
}

async function audit(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor,
  action: string,
  details: AuditEvent['details'],
): Promise<void> {
  const core = sc.vault.core;
  const auditId = await sc.vault.vault.auditIdOf(core.db, subjectId);
  await core.emit(core.db, [
    {
      kind: 'colour',
      actor: who.actor,
      purpose: 'epidemic-control',
      ...(auditId === undefined ? {} : { subjectAuditId: auditId }),
      category: 'colour-decisions',
      action,
      outcome: 'ok',
      at: sc.codes.now(),
      ...(details === undefined ? {} : { details }),
    },
  ]);
}

/** Queues a human review of the subject's latest decision; returns the review. */
export async function requestReview(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor,
  options: { readonly reason?: 'correction' | 'objection'; readonly requestId?: string } = {},
): Promise<Review> {
  const latest = await sc.ports(who).decisions.latestStored(subjectId);
  const row: repo.CodesReviewTable = {
    id: `rv_${sc.vault.core.newId()}`,
    subject_id: subjectId,
    status: 'pending',
    reason: options.reason ?? 'objection',
    request_id: options.requestId ?? null,
    decision_record: latest?.recordId ?? null,
    requested_at: sc.codes.now().getTime(),
    decided_at: null,
    reviewer: null,
    outcome: null,
    order_record: null,
  };
  await repo.insertReview(sc.codes.db, row);
  await audit(sc, subjectId, who, 'review-queued', {
    reviewId: row.id,
    reason: row.reason,
    requestId: row.request_id,
    decisionId: row.decision_record,
  });
  return toReview(row);
}

/**
 * Re-evaluates a subject after their data was corrected (纠错) and records the new decision;
 * with `humanReview`, also queues a review. What the rights workflow calls once a `correction`
 * request was carried out on the vault.
 */
export async function correctAndReevaluate(
  sc: SubjectCodes,
  subjectId: string,
  who: Actor,
  options: { readonly humanReview?: boolean; readonly requestId?: string } = {},
): Promise<CorrectionOutcome> {
  const { decision, recordId, previous } = await reevaluateSubject(sc, subjectId, who);
  await audit(sc, subjectId, who, 'correction-reevaluated', {
    decisionId: recordId,
    requestId: options.requestId ?? null,
    changed: previous !== decision.colour,
  });
  const review =
    options.humanReview === true
      ? await requestReview(sc, subjectId, who, {
          reason: 'correction',
          ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
        })
      : undefined;
  return summary(decision, recordId, previous, review?.id ?? null);
}

function summary(
  d: ColourDecision,
  recordId: string,
  previous: Colour | undefined,
  reviewId: string | null,
): CorrectionOutcome {
  return {
    colour: d.colour,
    previousColour: previous ?? null,
    changed: previous !== d.colour,
    decidedAt: d.decidedAt,
    validUntil: d.validUntil,
    ruleSet: `${d.ruleSet.id}@${d.ruleSet.version}`,
    decisionId: recordId,
    reviewId,
  };
}

/** Reviews in request order (default: the pending ones). */
export async function listReviews(
  sc: Pick<SubjectCodes, 'codes'>,
  filter: { readonly status?: ReviewStatus; readonly subjectId?: string; readonly limit?: number },
): Promise<Review[]> {
  const rows = await repo.listReviews(sc.codes.db, {
    ...(filter.status === undefined ? {} : { status: filter.status }),
    ...(filter.subjectId === undefined ? {} : { subjectId: filter.subjectId }),
    limit: filter.limit ?? 100,
  });
  return rows.map(toReview);
}

/**
 * A reviewer decides a pending review: `upheld` keeps the decision; an order outcome stores that
 * manual order in the vault and re-evaluates, so the new colour rests on a stated reason.
 */
export async function decideReview(
  sc: SubjectCodes,
  reviewId: string,
  reviewer: Actor,
  outcome: ReviewOutcome,
  options: { readonly until?: string } = {},
): Promise<{ review: Review; correction: CorrectionOutcome | null }> {
  if (!(REVIEW_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new RangeError(`"outcome" expected one of ${REVIEW_OUTCOMES.join(', ')}`);
  }
  const row = await repo.findReview(sc.codes.db, reviewId);
  if (row === undefined) {
    throw new ReviewUnknownError('no such review');
  }
  if (row.status !== 'pending') {
    throw new ReviewStateError('this review was already decided');
  }
  const now = sc.codes.now();
  let orderRecord: string | null = null;
  let correction: CorrectionOutcome | null = null;
  if (outcome !== 'upheld') {
    orderRecord = await addManualOrder(sc, row.subject_id, reviewer, {
      kind: outcome,
      at: now.toISOString(),
      ...(options.until === undefined ? {} : { until: options.until }),
    });
    const r = await reevaluateSubject(sc, row.subject_id, reviewer);
    correction = summary(r.decision, r.recordId, r.previous, reviewId);
  }
  const closed = await repo.closeReview(sc.codes.db, reviewId, {
    status: outcome === 'upheld' ? 'upheld' : 'changed',
    decided_at: now.getTime(),
    reviewer: reviewer.actor,
    outcome,
    order_record: orderRecord,
  });
  if (!closed) {
    throw new ReviewStateError('this review was decided meanwhile');
  }
  await audit(sc, row.subject_id, reviewer, 'review-decided', {
    reviewId,
    outcome,
    orderId: orderRecord,
    decisionId: correction?.decisionId ?? row.decision_record,
  });
  const after = await repo.findReview(sc.codes.db, reviewId);
  return { review: toReview(after!), correction };
}
