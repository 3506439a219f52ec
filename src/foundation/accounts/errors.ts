// SPDX-License-Identifier: Apache-2.0
/** @module Typed errors of the accounts capability. */
import { AppError } from '../../kernel/shared/index.js';

export class AccountInvalidError extends AppError {
  static override readonly code = 'ERR_ACCOUNTS_INVALID';
  override readonly code = 'ERR_ACCOUNTS_INVALID';
}

export class AccountExistsError extends AppError {
  static override readonly code = 'ERR_ACCOUNTS_EXISTS';
  override readonly code = 'ERR_ACCOUNTS_EXISTS';
}

export class AccountUnknownError extends AppError {
  static override readonly code = 'ERR_ACCOUNTS_UNKNOWN';
  override readonly code = 'ERR_ACCOUNTS_UNKNOWN';
}

/** A token is malformed, unknown, expired, revoked, or its account is disabled. */
export class TokenRejectedError extends AppError {
  static override readonly code = 'ERR_ACCOUNTS_TOKEN_REJECTED';
  override readonly code = 'ERR_ACCOUNTS_TOKEN_REJECTED';
}
