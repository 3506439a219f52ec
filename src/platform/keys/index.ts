// SPDX-License-Identifier: Apache-2.0
/**
 * @module The keyring's public door (DESIGN.md §3): master secret and key providers, versioned
 * KEKs, per-subject per-group data keys in a key store kept apart from the data, rotation, Shamir
 * custody of the master secret, key backups, tombstones, and the KeyWrapper port.
 */
export { openKeyring, Keyring, DEFAULT_ROTATION_DAYS } from './keyring.js';
export type { KeyringOptions, KeyStatus, DataKeyRequest } from './keyring.js';
export { prepareMasterKey, readCheckValue, masterKeyPaths } from './master.js';
export type { MasterKeyOptions } from './master.js';
export { LocalKeyProvider, masterCheckValue } from './provider.js';
export type { KeyProvider } from './provider.js';
export { writeTransaction } from './tx.js';
export { rotateKeys } from './rotation.js';
export type { RotationOptions, RotationResult } from './rotation.js';
export {
  KEYSTORE_SCHEMA,
  KEYSTORE_FILE,
  MASTER_KEY_ENV,
  MASTER_KEY_FILE,
  parseMasterKeyText,
  dekAad,
} from './model.js';
export type { DataKey, Tombstone, KekState } from './model.js';
export type { KeyStoreDb, KeyStoreDatabase } from './repository.js';
export * as keysErrors from './errors.js';
