// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the runtime (STYLE.md §5): the instance's config file and its data dir.
 * Messages name files and rules, never personal data.
 */
import { AppError } from '../../kernel/shared/index.js';

/** The config file is unreadable, malformed or breaks a rule. */
export class ConfigError extends AppError {
  static override readonly code = 'ERR_APP_CONFIG';
  override readonly code = 'ERR_APP_CONFIG';
}

/** A government deployment stores personal data outside China (PIPL art. 36; DOMAIN.md req. 26). */
export class StorageRegionError extends AppError {
  static override readonly code = 'ERR_APP_STORAGE_REGION';
  override readonly code = 'ERR_APP_STORAGE_REGION';
}

/** The data dir does not exist and the command may not create one. */
export class DataDirMissingError extends AppError {
  static override readonly code = 'ERR_APP_DATA_DIR_MISSING';
  override readonly code = 'ERR_APP_DATA_DIR_MISSING';
}

/** Every error code of the runtime. */
export type RuntimeErrorCode =
  typeof ConfigError.code | typeof StorageRegionError.code | typeof DataDirMissingError.code;
