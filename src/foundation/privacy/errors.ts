// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the privacy-computing capability (secure aggregation, distributed
 * differential privacy, PSI). Messages name jobs, parties and counts, never personal data.
 */
import { AppError } from '../../kernel/shared/index.js';

/** A query would exceed the zCDP budget of its dataset and analyst; refused before any work. */
export class BudgetExceededError extends AppError {
  static override readonly code = 'ERR_PRIVACY_BUDGET_EXCEEDED';
  override readonly code = 'ERR_PRIVACY_BUDGET_EXCEEDED';
}

/** A job was aborted (dropout, deadline, malformed data, a party's refusal); nothing was revealed. */
export class JobAbortedError extends AppError {
  static override readonly code = 'ERR_PRIVACY_JOB_ABORTED';
  override readonly code = 'ERR_PRIVACY_JOB_ABORTED';
}

/** A peer sent bytes that do not follow the protocol (bad frame, length, order or digest). */
export class ProtocolError extends AppError {
  static override readonly code = 'ERR_PRIVACY_PROTOCOL';
  override readonly code = 'ERR_PRIVACY_PROTOCOL';
}

/** A peer's certificate did not match the pinned fingerprint, or the handshake failed. */
export class PeerAuthError extends AppError {
  static override readonly code = 'ERR_PRIVACY_PEER_AUTH';
  override readonly code = 'ERR_PRIVACY_PEER_AUTH';
}

/** A party configuration or job specification is unusable. */
export class PartyConfigError extends AppError {
  static override readonly code = 'ERR_PRIVACY_PARTY_CONFIG';
  override readonly code = 'ERR_PRIVACY_PARTY_CONFIG';
}

/** The pre-release linkage test singled out a record (DOMAIN.md req. 24); nothing is released. */
export class ReidentificationRiskError extends AppError {
  static override readonly code = 'ERR_PRIVACY_REIDENTIFICATION';
  override readonly code = 'ERR_PRIVACY_REIDENTIFICATION';
}

/** A PSI run failed (bad point, size mismatch, peer abort). */
export class PsiError extends AppError {
  static override readonly code = 'ERR_PRIVACY_PSI';
  override readonly code = 'ERR_PRIVACY_PSI';
}

export type PrivacyErrorCode =
  | typeof BudgetExceededError.code
  | typeof JobAbortedError.code
  | typeof ProtocolError.code
  | typeof PeerAuthError.code
  | typeof PartyConfigError.code
  | typeof ReidentificationRiskError.code
  | typeof PsiError.code;
