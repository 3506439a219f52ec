// SPDX-License-Identifier: Apache-2.0
/**
 * @module Data-subject requests as a tracked workflow (DOMAIN.md §6 req. 19): the request types
 * of PIPL arts. 44–47 and 24, the states opened → identity-verified → in-progress → completed |
 * refused (a refusal states its reason and the complaint route, art. 50), and the legal
 * transitions. Pure types and rules.
 */

export const REQUEST_TYPES = [
  'access',
  'copy',
  'portability',
  'correction',
  'deletion',
  'withdrawal',
  'explanation',
] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

export const REQUEST_STATES = [
  'opened',
  'identity-verified',
  'in-progress',
  'completed',
  'refused',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** Why a request may be refused; each is explained to the requester with the complaint route. */
export const REFUSAL_REASONS = [
  'identity-not-verified',
  'not-held',
  'statutory-retention',
  'manifestly-unfounded',
  'excessive',
  'conditions-not-met',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** How the requester's identity was established. */
export const IDENTITY_METHODS = ['one-time-code', 'in-person', 'guardian-documents'] as const;
export type IdentityMethod = (typeof IDENTITY_METHODS)[number];

export function isRequestType(v: unknown): v is RequestType {
  return typeof v === 'string' && (REQUEST_TYPES as readonly string[]).includes(v);
}
export function isRefusalReason(v: unknown): v is RefusalReason {
  return typeof v === 'string' && (REFUSAL_REASONS as readonly string[]).includes(v);
}
export function isIdentityMethod(v: unknown): v is IdentityMethod {
  return typeof v === 'string' && (IDENTITY_METHODS as readonly string[]).includes(v);
}

const NEXT: Readonly<Record<RequestState, readonly RequestState[]>> = {
  opened: ['identity-verified', 'refused'],
  'identity-verified': ['in-progress', 'refused'],
  'in-progress': ['completed', 'refused'],
  completed: [],
  refused: [],
};

/** True when the workflow allows `from → to`. */
export function canMove(from: RequestState, to: RequestState): boolean {
  return NEXT[from].includes(to);
}

export function isTerminal(state: RequestState): boolean {
  return NEXT[state].length === 0;
}

/** A request as the workflow sees it; holds no personal data, only the opaque subject id. */
export interface RightsRequest {
  readonly id: string;
  readonly type: RequestType;
  readonly state: RequestState;
  /** Known once identity is verified (or given by an operator at intake). */
  readonly subjectId: string | null;
  readonly channel: 'phone' | 'operator' | 'portal';
  readonly identityMethod: IdentityMethod | null;
  /** Non-personal parameters (e.g. `{ purposeId }` for a withdrawal). */
  readonly params: Readonly<Record<string, string>>;
  readonly openedAt: Date;
  /** Completion deadline: 15 working days after the opening day, capped by {@link answerBy}. */
  readonly dueAt: Date;
  /** Latest answer: 30 days after the opening day. */
  readonly answerBy: Date;
  readonly verifiedAt: Date | null;
  readonly startedAt: Date | null;
  readonly closedAt: Date | null;
  readonly refusal: { readonly reason: RefusalReason; readonly complaintRoute: string } | null;
  /** Non-personal outcome summary. */
  readonly result: Readonly<Record<string, string | number | boolean | null>> | null;
  readonly remindedAt: Date | null;
}

/** Overdue: not closed and past its due instant. */
export function isOverdue(r: Pick<RightsRequest, 'state' | 'dueAt'>, now: Date): boolean {
  return !isTerminal(r.state) && now.getTime() >= r.dueAt.getTime();
}
