// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the outbox and one-time codes (issue 3 item 11). Messages never carry a
 * code, a recipient or a message body.
 */
import { AppError } from '../../kernel/shared/errors.js';

/** The code is wrong, or no code was issued to this recipient for this purpose. */
export class CodeInvalidError extends AppError {
  static override readonly code = 'ERR_OUTBOX_CODE_INVALID';
  override readonly code = 'ERR_OUTBOX_CODE_INVALID';
}

/** The code's validity has ended. */
export class CodeExpiredError extends AppError {
  static override readonly code = 'ERR_OUTBOX_CODE_EXPIRED';
  override readonly code = 'ERR_OUTBOX_CODE_EXPIRED';
}

/** The code was already used (a replay). */
export class CodeUsedError extends AppError {
  static override readonly code = 'ERR_OUTBOX_CODE_USED';
  override readonly code = 'ERR_OUTBOX_CODE_USED';
}

/** Too many codes issued to a recipient, or too many wrong attempts on a challenge (locked). */
export class RateLimitedError extends AppError {
  static override readonly code = 'ERR_OUTBOX_RATE_LIMITED';
  override readonly code = 'ERR_OUTBOX_RATE_LIMITED';
}

/** A message the outbox cannot take (bad purpose, missing body, unreadable file). */
export class OutboxMessageError extends AppError {
  static override readonly code = 'ERR_OUTBOX_MESSAGE';
  override readonly code = 'ERR_OUTBOX_MESSAGE';
}

export type OutboxErrorCode =
  | typeof CodeInvalidError.code
  | typeof CodeExpiredError.code
  | typeof CodeUsedError.code
  | typeof RateLimitedError.code
  | typeof OutboxMessageError.code;
