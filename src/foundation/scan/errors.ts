// SPDX-License-Identifier: Apache-2.0
/** @module Typed errors of the residual scan (issue 3 item 10). Messages never contain a canary. */
import { AppError } from '../../kernel/shared/errors.js';

/** The canary list is unusable: empty, not UTF-8, or a value too short to scan for safely. */
export class CanaryError extends AppError {
  static override readonly code = 'ERR_SCAN_CANARIES';
  override readonly code = 'ERR_SCAN_CANARIES';
}

/** A path to scan does not exist or is not a file or directory. */
export class ScanPathError extends AppError {
  static override readonly code = 'ERR_SCAN_PATH';
  override readonly code = 'ERR_SCAN_PATH';
}

export type ScanErrorCode = typeof CanaryError.code | typeof ScanPathError.code;
