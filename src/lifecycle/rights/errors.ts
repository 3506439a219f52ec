// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of data-subject requests (PIPL arts. 44–50): unknown requests, illegal
 * state changes, refusals without a reason, identity checks that failed, and work that needs a
 * capability not wired yet. Messages name request ids and states, never personal data.
 */
import { AppError } from '../../kernel/shared/errors.js';

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

/** A portability package or trust file that is forged, altered, untrusted or malformed. */
export class PackageInvalidError extends AppError {
  static override readonly code = 'ERR_RIGHTS_PACKAGE_INVALID';
  override readonly code = 'ERR_RIGHTS_PACKAGE_INVALID';
}

/** A portability package this instance has already imported (a replay). */
export class PackageReplayedError extends AppError {
  static override readonly code = 'ERR_RIGHTS_PACKAGE_REPLAYED';
  override readonly code = 'ERR_RIGHTS_PACKAGE_REPLAYED';
}

/** An export target that is missing where one is needed, or inside the data dir. */
export class OutputInvalidError extends AppError {
  static override readonly code = 'ERR_RIGHTS_OUTPUT';
  override readonly code = 'ERR_RIGHTS_OUTPUT';
}

/** A correction that names no record, or a record or entry the subject does not have. */
export class CorrectionInvalidError extends AppError {
  static override readonly code = 'ERR_RIGHTS_CORRECTION_INVALID';
  override readonly code = 'ERR_RIGHTS_CORRECTION_INVALID';
}

export type RightsErrorCode =
  | typeof RequestUnknownError.code
  | typeof RequestInvalidError.code
  | typeof RequestStateError.code
  | typeof IdentityNotVerifiedError.code
  | typeof NotWiredError.code
  | typeof CalendarInvalidError.code
  | typeof PackageInvalidError.code
  | typeof PackageReplayedError.code
  | typeof OutputInvalidError.code
  | typeof CorrectionInvalidError.code;
