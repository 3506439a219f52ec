// SPDX-License-Identifier: Apache-2.0
/** @module Typed errors of the synthetic city and `healthcode seed` (STYLE.md §5). */
import { AppError } from '../../kernel/shared/index.js';

/** The sim has no map (centre coordinates) for the requested prefecture-level city. */
export class UnsupportedPrefectureError extends AppError {
  static override readonly code = 'ERR_SIM_UNSUPPORTED_PREFECTURE';
  override readonly code = 'ERR_SIM_UNSUPPORTED_PREFECTURE';
}

/**
 * An output file or folder (canary list, carrier feeds) would land inside the data dir; such
 * files are evidence about the store and must never be inside it (issue 2 item 6).
 */
export class OutputInsideDataDirError extends AppError {
  static override readonly code = 'ERR_SIM_OUTPUT_INSIDE_DATA_DIR';
  override readonly code = 'ERR_SIM_OUTPUT_INSIDE_DATA_DIR';
}

/** The population asked for does not fit the city's ID-number or phone-number space. */
export class PopulationTooLargeError extends AppError {
  static override readonly code = 'ERR_SIM_POPULATION_TOO_LARGE';
  override readonly code = 'ERR_SIM_POPULATION_TOO_LARGE';
}

/** Synthetic residents would be seeded into an instance that is not marked synthetic. */
export class NotSyntheticInstanceError extends AppError {
  static override readonly code = 'ERR_SIM_NOT_SYNTHETIC';
  override readonly code = 'ERR_SIM_NOT_SYNTHETIC';
}
