// SPDX-License-Identifier: Apache-2.0
/**
 * @module Typed errors of the keyring (STYLE.md §5). Messages name the key slot by opaque ids and
 * versions only — never key bytes, never personal data.
 */
import { AppError } from '../../kernel/shared/errors.js';

/** An existing data dir has no master key (neither `HEALTHCODE_MASTER_KEY` nor its key file). */
export class MasterKeyMissingError extends AppError {
  static override readonly code = 'ERR_KEYS_MASTER_MISSING';
  override readonly code = 'ERR_KEYS_MASTER_MISSING';
}

/** The master key given does not match the key check value recorded when the dir was set up. */
export class MasterKeyWrongError extends AppError {
  static override readonly code = 'ERR_KEYS_MASTER_WRONG';
  override readonly code = 'ERR_KEYS_MASTER_WRONG';
}

/** The master key text is not 32 bytes of base64, base64url or hex, or its file is too open. */
export class MasterKeyFormatError extends AppError {
  static override readonly code = 'ERR_KEYS_MASTER_FORMAT';
  override readonly code = 'ERR_KEYS_MASTER_FORMAT';
}

/** No data key exists for a subject's scope (never created, or the slot is unknown). */
export class DataKeyMissingError extends AppError {
  static override readonly code = 'ERR_KEYS_DEK_MISSING';
  override readonly code = 'ERR_KEYS_DEK_MISSING';
}

/** The data key was destroyed: the data it protected is crypto-erased for good. */
export class DataKeyDestroyedError extends AppError {
  static override readonly code = 'ERR_KEYS_DEK_DESTROYED';
  override readonly code = 'ERR_KEYS_DEK_DESTROYED';
}

/** A key-encryption key version is unknown or was destroyed by a rotation. */
export class KekUnavailableError extends AppError {
  static override readonly code = 'ERR_KEYS_KEK_UNAVAILABLE';
  override readonly code = 'ERR_KEYS_KEK_UNAVAILABLE';
}

/** A wrapped key did not unwrap: wrong KEK or master key, or the key store was tampered with. */
export class KeyUnwrapError extends AppError {
  static override readonly code = 'ERR_KEYS_UNWRAP';
  override readonly code = 'ERR_KEYS_UNWRAP';
}

/** Shamir shares that are malformed, too few, from another instance, or that do not combine. */
export class SharesError extends AppError {
  static override readonly code = 'ERR_KEYS_SHARES';
  override readonly code = 'ERR_KEYS_SHARES';
}

/** A key backup is malformed, from another instance, or its KEK was destroyed by a rotation. */
export class KeyBackupError extends AppError {
  static override readonly code = 'ERR_KEYS_BACKUP';
  override readonly code = 'ERR_KEYS_BACKUP';
}

/** Every error code of the keyring. */
export type KeysErrorCode =
  | typeof MasterKeyMissingError.code
  | typeof MasterKeyWrongError.code
  | typeof MasterKeyFormatError.code
  | typeof DataKeyMissingError.code
  | typeof DataKeyDestroyedError.code
  | typeof KekUnavailableError.code
  | typeof KeyUnwrapError.code
  | typeof SharesError.code
  | typeof KeyBackupError.code;
