// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the trip card (STYLE.md §5; DOMAIN.md §6 req. 21). Messages name the
 * rule that failed and never echo a phone number, place or time. Wrong, expired and replayed
 * one-time codes are the outbox's own errors (`ERR_OUTBOX_CODE_*`), not repeated here.
 */
import { AppError } from '../../kernel/shared/errors.js';

/** An input file the trip card cannot read at all (unknown extension, missing header). */
export class TripcardFileError extends AppError {
  static override readonly code = 'ERR_TRIPCARD_FILE';
  override readonly code = 'ERR_TRIPCARD_FILE';
}

/** The carrier's cell → region table is missing or malformed. */
export class TripcardCellsError extends AppError {
  static override readonly code = 'ERR_TRIPCARD_CELLS';
  override readonly code = 'ERR_TRIPCARD_CELLS';
}

/** The risk-area list (`DIR/risk-areas.json`) is malformed. */
export class TripcardRiskListError extends AppError {
  static override readonly code = 'ERR_TRIPCARD_RISK_LIST';
  override readonly code = 'ERR_TRIPCARD_RISK_LIST';
}

/** The subscriber's itinerary data is restricted (PIPL art. 47 para. 2) or erased. */
export class TripcardUnavailableError extends AppError {
  static override readonly code = 'ERR_TRIPCARD_UNAVAILABLE';
  override readonly code = 'ERR_TRIPCARD_UNAVAILABLE';
}

export type TripcardErrorCode =
  | typeof TripcardFileError.code
  | typeof TripcardCellsError.code
  | typeof TripcardRiskListError.code
  | typeof TripcardUnavailableError.code;
