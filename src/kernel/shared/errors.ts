// SPDX-License-Identifier: Apache-2.0
/**
 * @module The base of every typed error in healthcode (STYLE.md §5, after jose's `JOSEError`).
 *
 * Errors carry a stable `code` (`ERR_<CAPABILITY>_<REASON>`), a message that never contains personal
 * data, and no HTTP status: the HTTP layer and the CLI map codes in one place each.
 */

/** Options accepted by every {@link AppError}. */
export interface AppErrorOptions {
  cause?: unknown;
  /** Extra, non-personal facts for callers (e.g. the rule that failed). */
  details?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Base class of all domain errors.
 *
 * @example
 * class IdInvalid extends AppError {
 *   static override readonly code = 'ERR_DOMAIN_ID_INVALID';
 *   override readonly code = 'ERR_DOMAIN_ID_INVALID';
 * }
 */
export class AppError extends Error {
  /** The stable error code; overridden by every subclass. */
  static readonly code: string = 'ERR_APP';
  readonly code: string = 'ERR_APP';
  readonly details: Readonly<Record<string, string | number | boolean | null>>;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }
}

/** Thrown when a command line or request is unusable as given (exit code 2, HTTP 400). */
export class UsageError extends AppError {
  static override readonly code = 'ERR_USAGE';
  override readonly code = 'ERR_USAGE';
}

/** Thrown when something a caller names does not exist. */
export class NotFoundError extends AppError {
  static override readonly code = 'ERR_NOT_FOUND';
  override readonly code = 'ERR_NOT_FOUND';
}

/** Narrows an unknown value to an {@link AppError}. */
export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
