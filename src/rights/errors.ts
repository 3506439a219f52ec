// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of data-subject requests (PIPL arts. 44–50): unknown requests, illegal
 * state changes, refusals without a reason, identity checks that failed, and work that needs a
 * capability not wired yet. Messages name request ids and states, never personal data.
 */
import { AppError } from '../shared/errors.js';

/** No request with that id. */
export class RequestUnknownError extends AppError {
  static override readonly code = 'ERR_RIGHTS_REQUEST_UNKNOWN';
  override readonly code = 'ERR_RIGHTS_REQUEST_UNKNOWN';
}

/** A request type, refusal reason or parameter that is not allowed. */
export class RequestInvalidError extends AppError {
  static override readonly code = 'ERR_RIGHTS_REQUEST_INVALID';
  override readonly code = 'ERR_RIGHTS_REQUEST_INVALID';
}

/** A state change the workflow does not allow (e.g. completing an unverified request). */
export class RequestStateError extends AppError {
  static override readonly code = 'ERR_RIGHTS_STATE';
  override readonly code = 'ERR_RIGHTS_STATE';
}

/** The requester's identity could not be verified (wrong, expired or replayed one-time code). */
export class IdentityNotVerifiedError extends AppError {
  static override readonly code = 'ERR_RIGHTS_IDENTITY';
  override readonly code = 'ERR_RIGHTS_IDENTITY';
}

/** The work needs a port the composition root has not wired yet (e.g. the vault's export). */
export class NotWiredError extends AppError {
  static override readonly code = 'ERR_RIGHTS_NOT_WIRED';
  override readonly code = 'ERR_RIGHTS_NOT_WIRED';
}

/** The holiday calendar file is malformed. */
export class CalendarInvalidError extends AppError {
  static override readonly code = 'ERR_RIGHTS_CALENDAR';
  override readonly code = 'ERR_RIGHTS_CALENDAR';
}

export type RightsErrorCode =
  | typeof RequestUnknownError.code
  | typeof RequestInvalidError.code
  | typeof RequestStateError.code
  | typeof IdentityNotVerifiedError.code
  | typeof NotWiredError.code
  | typeof CalendarInvalidError.code;
