// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of disposal (PIPL art. 47; the 2022 health-code disposal guideline). Every
 * message names the rule that failed and never contains personal data.
 */
import { AppError } from '../../kernel/shared/index.js';

/** The plan document is malformed or breaks a rule (missing action, bad anonymisation, …). */
export class PlanInvalidError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_PLAN_INVALID';
  override readonly code = 'ERR_DISPOSAL_PLAN_INVALID';
}

/** An exemption lacks its legal source, end date or approver, or names an unknown kind. */
export class ExemptionInvalidError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_EXEMPTION_INVALID';
  override readonly code = 'ERR_DISPOSAL_EXEMPTION_INVALID';
}

/** The plan names a store that is not in the inventory. */
export class StoreUnknownError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_STORE_UNKNOWN';
  override readonly code = 'ERR_DISPOSAL_STORE_UNKNOWN';
}

/** An approval is by an unregistered operator, is forged, or repeats an operator. */
export class ApprovalInvalidError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_APPROVAL_INVALID';
  override readonly code = 'ERR_DISPOSAL_APPROVAL_INVALID';
}

/** The plan does not carry enough valid approvals to run. */
export class NotApprovedError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_NOT_APPROVED';
  override readonly code = 'ERR_DISPOSAL_NOT_APPROVED';
}

/** The plan file changed after its run started (its content hash differs from the run's). */
export class PlanChangedError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_PLAN_CHANGED';
  override readonly code = 'ERR_DISPOSAL_PLAN_CHANGED';
}

/** `--retire` names no known purpose or service. */
export class RetireUnknownError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_RETIRE_UNKNOWN';
  override readonly code = 'ERR_DISPOSAL_RETIRE_UNKNOWN';
}

/** Another run holds the plan's lock for longer than we were willing to wait. */
export class LockTimeoutError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_LOCK_TIMEOUT';
  override readonly code = 'ERR_DISPOSAL_LOCK_TIMEOUT';
}

/** A third party's acknowledgment is unsigned, forged, or for another plan or party. */
export class AckInvalidError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_ACK_INVALID';
  override readonly code = 'ERR_DISPOSAL_ACK_INVALID';
}

/** A recipient (processor / third party) is unknown or badly declared. */
export class RecipientInvalidError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_RECIPIENT_INVALID';
  override readonly code = 'ERR_DISPOSAL_RECIPIENT_INVALID';
}

/** A certificate's signature, hash or log proof does not check. */
export class CertificateInvalidError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_CERTIFICATE_INVALID';
  override readonly code = 'ERR_DISPOSAL_CERTIFICATE_INVALID';
}

/** No certificate is stored under this retrieval code (or it is not issued yet). */
export class RetrievalCodeUnknownError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_CODE_UNKNOWN';
  override readonly code = 'ERR_DISPOSAL_CODE_UNKNOWN';
}

/** The plan has not run yet (verify, report or ack on a plan with no run). */
export class PlanNotRunError extends AppError {
  static override readonly code = 'ERR_DISPOSAL_NOT_RUN';
  override readonly code = 'ERR_DISPOSAL_NOT_RUN';
}

/** Every code disposal can raise. */
export type DisposalErrorCode =
  | typeof PlanInvalidError.code
  | typeof ExemptionInvalidError.code
  | typeof StoreUnknownError.code
  | typeof ApprovalInvalidError.code
  | typeof NotApprovedError.code
  | typeof PlanChangedError.code
  | typeof RetireUnknownError.code
  | typeof LockTimeoutError.code
  | typeof AckInvalidError.code
  | typeof RecipientInvalidError.code
  | typeof CertificateInvalidError.code
  | typeof RetrievalCodeUnknownError.code
  | typeof PlanNotRunError.code;
