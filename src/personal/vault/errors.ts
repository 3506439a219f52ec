// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the vault (STYLE.md §5). Messages name subjects only by their opaque
 * subject id or not at all, and never carry an ID number, phone, name or record value.
 */
import { AppError } from '../../kernel/shared/errors.js';

/** A business read of restricted data (PIPL art. 47 para. 2; DOMAIN.md §6 req. 13). */
export class VaultRestrictedError extends AppError {
  static override readonly code = 'ERR_VAULT_RESTRICTED';
  override readonly code = 'ERR_VAULT_RESTRICTED';
}

/** The guard refused: this purpose has no basis to read this category of this subject. */
export class VaultRefusedError extends AppError {
  static override readonly code = 'ERR_VAULT_REFUSED';
  override readonly code = 'ERR_VAULT_REFUSED';
}

/** The access context names a purpose the vault does not know. */
export class VaultPurposeUnknownError extends AppError {
  static override readonly code = 'ERR_VAULT_PURPOSE_UNKNOWN';
  override readonly code = 'ERR_VAULT_PURPOSE_UNKNOWN';
}

/** No such subject (never created, or erased). */
export class VaultSubjectUnknownError extends AppError {
  static override readonly code = 'ERR_VAULT_SUBJECT_UNKNOWN';
  override readonly code = 'ERR_VAULT_SUBJECT_UNKNOWN';
}

/** No such record for this subject. */
export class VaultRecordUnknownError extends AppError {
  static override readonly code = 'ERR_VAULT_RECORD_UNKNOWN';
  override readonly code = 'ERR_VAULT_RECORD_UNKNOWN';
}

/**
 * A stored ciphertext failed authentication: corrupted, truncated, moved from another row or
 * subject, or under the wrong key. Nothing of it is returned.
 */
export class VaultIntegrityError extends AppError {
  static override readonly code = 'ERR_VAULT_INTEGRITY';
  override readonly code = 'ERR_VAULT_INTEGRITY';
}

/** The data asked for was crypto-erased (its data key is destroyed). */
export class VaultErasedError extends AppError {
  static override readonly code = 'ERR_VAULT_ERASED';
  override readonly code = 'ERR_VAULT_ERASED';
}

/** A value or entry handed to the vault is unusable (not JSON, too large, bad entry id). */
export class VaultValueError extends AppError {
  static override readonly code = 'ERR_VAULT_VALUE';
  override readonly code = 'ERR_VAULT_VALUE';
}

/** A data backup file is unusable or does not fit this instance. */
export class VaultBackupError extends AppError {
  static override readonly code = 'ERR_VAULT_BACKUP';
  override readonly code = 'ERR_VAULT_BACKUP';
}

/** Every error code of the vault. */
export type VaultErrorCode =
  | typeof VaultRestrictedError.code
  | typeof VaultRefusedError.code
  | typeof VaultPurposeUnknownError.code
  | typeof VaultSubjectUnknownError.code
  | typeof VaultRecordUnknownError.code
  | typeof VaultIntegrityError.code
  | typeof VaultErasedError.code
  | typeof VaultValueError.code
  | typeof VaultBackupError.code;
